#include <gtest/gtest.h>

#include "cgp/genome.h"
#include "cgp/problem.h"
#include "core/error.h"

using namespace nnc::cgp;

namespace {
Shape small_shape() {
  Shape s;
  s.inputs = 3;
  s.outputs = 2;
  s.cols = 4;
  s.rows = 2;
  s.lookback = 2;
  return s;
}
}  // namespace

TEST(CgpGenome, LookBackSources) {
  Shape s = small_shape();
  EXPECT_EQ(s.source_count(0), 3);
  EXPECT_EQ(s.source_count(1), 5);
  EXPECT_EQ(s.source_count(3), 3 + 2 * 2);
  EXPECT_EQ(s.source_pin(3, 3), 3 + 1 * 2);  // column 3 reads columns 1..2
  EXPECT_TRUE(s.may_read(3, 0));
  EXPECT_FALSE(s.may_read(3, 3));  // gate of column 0
  EXPECT_TRUE(s.may_read(3, 5));
  EXPECT_FALSE(s.may_read(3, 9));  // own column
}

TEST(CgpGenome, TextRoundTrip) {
  Dataset d;
  d.add({1, 2, 3}, {4, 5});
  Problem p(d, small_shape(), Metric::SE, false, true);
  for (uint64_t seed = 1; seed < 20; ++seed) {
    Rng rng(seed);
    Genome g = p.random_genome(rng);
    g.set_gate(3, 0, 1, kFnId);
    const std::string text = g.to_string();
    Genome back = Genome::parse(text);
    EXPECT_EQ(back, g);
    EXPECT_EQ(back.to_string(), text);
  }
  Genome g(small_shape());
  EXPECT_EQ(g.to_string().substr(0, 29), "{3,2,4,2,2,2,1}([3]0,0,24)([4");
}

TEST(CgpGenome, MalformedTextIsAClearError) {
  Genome g(small_shape());
  const std::string ok = g.to_string();
  auto expect_error = [](const std::string& text, const std::string& needle) {
    try {
      Genome::parse(text, "genome.txt");
      ADD_FAILURE() << "no error for: " << text;
    } catch (const nnc::Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("genome.txt"), std::string::npos) << e.what();
    }
  };
  expect_error("", "expected '{'");
  expect_error("{3,2,4,2,2,2}", "expected ','");
  expect_error("{3,2,4,2,3,2,1}", "arity");
  expect_error("{3,2,4,2,2,9,1}", "look-back");
  expect_error(ok.substr(0, ok.size() - 1), "expected ')'");
  expect_error(ok + "junk", "trailing");
  std::string bad_fn = ok;
  bad_fn.replace(bad_fn.find(",24)"), 4, ",77)");
  expect_error(bad_fn, "function 77");
  std::string bad_id = ok;
  bad_id.replace(bad_id.find("[4]"), 3, "[9]");
  expect_error(bad_id, "out of order");
  std::string bad_pin = "{3,2,4,2,2,2,1}([3]4,0,1)" + ok.substr(ok.find("([4]"));
  expect_error(bad_pin, "may not read pin 4");
  std::string bad_out = ok.substr(0, ok.rfind('(')) + "(0,11)";
  expect_error(bad_out, "output pin");
  expect_error("{99999999999,1,1,1,2,1,1}", "inputs");
}
