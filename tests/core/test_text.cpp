// Echoed user values (core/text.h) and the messages of nnc::Error: escaped, bounded.
#include <gtest/gtest.h>

#include "core/error.h"
#include "core/text.h"

TEST(Text, ControlCharactersAndNulAreEscaped) {
  const std::string raw("a\0b\nc\td\x1b[31me\x7f", 14);
  EXPECT_EQ(nnc::escape_controls(raw), "a\\0b\\nc\\td\\x1b[31me\\x7f");
  EXPECT_EQ(nnc::escape_controls("\xc2\x9b" "2J"), "\\u009b2J");      // C1 CSI in UTF-8
  EXPECT_EQ(nnc::escape_controls("caf\xc3\xa9 \\n"), "caf\xc3\xa9 \\n");  // text stays; idempotent
}

TEST(Text, LongValuesAreTruncatedWithTheirSize) {
  EXPECT_EQ(nnc::shown("short"), "short");
  const std::string s = nnc::shown(std::string(10 << 20, 'z'));
  EXPECT_EQ(s, std::string(200, 'z') + "... (10485760 bytes)");
}

TEST(Text, ErrorMessagesAreOneBoundedPrintableLine) {
  try {
    nnc::fail("option 'x': '{}' is wrong; expected a name", std::string("a\0b\nc", 5) + std::string(100000, 'q'));
    FAIL();
  } catch (const nnc::Error& e) {
    const std::string m = e.what();
    EXPECT_LE(m.size(), 4100u);
    EXPECT_EQ(m.find('\n'), std::string::npos);
    EXPECT_EQ(m.rfind("option 'x': 'a\\0b\\nc", 0), 0u) << m.substr(0, 80);
    EXPECT_NE(m.find("bytes elided"), std::string::npos);
    EXPECT_NE(m.find("expected a name"), std::string::npos);  // the end is kept
  }
}
