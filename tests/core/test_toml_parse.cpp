#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/error.h"
#include "core/toml_parse.h"
#include "support/expect_error.h"

namespace {

using nnc::testing::error_message;

TEST(TomlParse, SyntaxErrorNamesSourceLineAndColumn) {
  auto msg = error_message([] { nnc::parse_toml("a = 1\nb = \n", "plan.toml"); });
  EXPECT_EQ(msg.rfind("plan.toml:2:", 0), 0u) << msg;
  EXPECT_NE(msg.find("invalid TOML"), std::string::npos) << msg;
}

TEST(TomlParse, ParsesTextAndFiles) {
  auto t = nnc::parse_toml("x = 3\n[s]\ny = 'z'\n", "<string>");
  EXPECT_EQ(t["x"].value<int64_t>(), 3);
  EXPECT_EQ(t["s"]["y"].value<std::string>(), "z");
  std::string path = ::testing::TempDir() + "nnc_toml_parse.toml";
  std::ofstream(path) << "k = 1.5\n";
  EXPECT_EQ(nnc::parse_toml_file(path)["k"].value<double>(), 1.5);
  std::remove(path.c_str());
}

TEST(TomlParse, MissingFileIsAClearError) {
  auto msg = error_message([] { nnc::parse_toml_file("/nonexistent/dir/run.toml"); });
  EXPECT_NE(msg.find("/nonexistent/dir/run.toml: cannot open"), std::string::npos) << msg;
}

TEST(TomlParse, MembersInFileOrder) {
  auto t = nnc::parse_toml("zeta = 1\nalpha = 2\nmid = 3\n", "<string>");
  std::string order;
  for (auto& [k, v] : nnc::toml_in_file_order(t)) order += k + ",";
  EXPECT_EQ(order, "zeta,alpha,mid,");
}

}  // namespace
