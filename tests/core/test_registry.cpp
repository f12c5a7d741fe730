#include <gtest/gtest.h>

#include "core/registry.h"
#include "core/seed.h"

TEST(Registry, CreatesAndListsNames) {
  nnc::Registry<int, int> reg("widget");
  reg.add("double", [](int x) { return 2 * x; });
  reg.add("square", [](int x) { return x * x; });
  EXPECT_EQ(reg.create("double", 4), 8);
  EXPECT_EQ(reg.create("square", 4), 16);
  try {
    reg.create("cube", 2);
    FAIL();
  } catch (const nnc::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("unknown widget 'cube'"), std::string::npos);
    EXPECT_NE(msg.find("double, square"), std::string::npos);
  }
}

TEST(Registry, AliasesMatchInAnyCaseNamesExactly) {
  nnc::Registry<int, int> reg("widget");
  reg.add("double", [](int x) { return 2 * x; }, "", {"TWICE", "x-2"});
  EXPECT_EQ(reg.create("twice", 4), 8);
  EXPECT_EQ(reg.create("X-2", 4), 8);
  EXPECT_EQ(reg.canonical("Twice"), "double");
  EXPECT_EQ(reg.canonical("double"), "double");
  EXPECT_EQ(reg.canonical("DOUBLE"), "");  // names are exact: only aliases ignore case
  EXPECT_FALSE(reg.contains("thrice"));
  EXPECT_EQ(reg.joined_names(), "double");  // errors list the names, not every alias
}

TEST(Seed, StreamsDiffer) {
  EXPECT_NE(nnc::derive_seed(0, "split"), nnc::derive_seed(0, "init"));
  EXPECT_EQ(nnc::derive_seed(7, "split"), nnc::derive_seed(7, "split"));
  EXPECT_NE(nnc::derive_seed(7, "split"), nnc::derive_seed(8, "split"));
}
