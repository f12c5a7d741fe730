#include <gtest/gtest.h>

#include "core/bytes.h"
#include "core/error.h"

using nnc::parse_bytes;

TEST(Bytes, ParsesUnits) {
  EXPECT_EQ(parse_bytes("4096"), 4096u);
  EXPECT_EQ(parse_bytes("10MiB"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_bytes("1.5 KiB"), 1536u);
  EXPECT_EQ(parse_bytes("2MB"), 2000000u);
  EXPECT_EQ(parse_bytes("1GiB"), 1024ull * 1024 * 1024);
}

TEST(Bytes, RejectsGarbageNamingTheOption) {
  try {
    parse_bytes("ten", "--memory-bytes");
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("--memory-bytes"), std::string::npos);
  }
  EXPECT_THROW(parse_bytes("10XB"), nnc::Error);
  EXPECT_THROW(parse_bytes("-5"), nnc::Error);
  EXPECT_THROW(parse_bytes("nan"), nnc::Error);
}

TEST(Bytes, Formats) {
  EXPECT_EQ(nnc::format_bytes(512), "512 B");
  EXPECT_EQ(nnc::format_bytes(10u * 1024 * 1024), "10.00 MiB");
}
