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

TEST(Seed, StreamsDiffer) {
  EXPECT_NE(nnc::derive_seed(0, "split"), nnc::derive_seed(0, "init"));
  EXPECT_EQ(nnc::derive_seed(7, "split"), nnc::derive_seed(7, "split"));
  EXPECT_NE(nnc::derive_seed(7, "split"), nnc::derive_seed(8, "split"));
}
