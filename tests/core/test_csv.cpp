#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/error.h"

namespace nnc {
namespace {

using Row = std::vector<std::string>;

TEST(Csv, FieldsQuotedOnlyWhenTheyMust) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_row({"jpeg q50", "thinning 0.9, local", ""}), "jpeg q50,\"thinning 0.9, local\",");
}

TEST(Csv, ParseIsTheInverseOfWrite) {
  for (const Row& row : {Row{"a"}, Row{"", ""}, Row{"a,b", "c\"d", "", "e"}, Row{"x", "1.5", "-0"},
                         Row{"\"", ",", "\"\""}}) {
    EXPECT_EQ(parse_csv_row(csv_row(row)), row) << csv_row(row);
  }
  EXPECT_EQ(parse_csv_row("a,b,"), (Row{"a", "b", ""}));
  EXPECT_EQ(parse_csv_row(""), (Row{""}));
}

TEST(Csv, MalformedQuotesNameTheField) {
  try {
    parse_csv_row("a,\"open", "data.csv:3");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("data.csv:3: field 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_csv_row("a,\"q\"x"), Error);
  EXPECT_THROW(parse_csv_row("a,b\"c"), Error);
}

}  // namespace
}  // namespace nnc

namespace nnc {
namespace {
TEST(Csv, RecordsSpanLinesOnlyInsideQuotes) {
  std::string text = "a,\"two\nlines\",c\r\nd,e,\n\"x\"\n";
  size_t pos = 0;
  EXPECT_EQ(next_csv_record(text, pos), (std::vector<std::string>{"a", "two\nlines", "c"}));
  EXPECT_EQ(next_csv_record(text, pos), (std::vector<std::string>{"d", "e", ""}));
  EXPECT_EQ(next_csv_record(text, pos), (std::vector<std::string>{"x"}));
  EXPECT_EQ(pos, text.size());
}
}  // namespace
}  // namespace nnc
