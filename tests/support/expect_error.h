#pragma once
// The one way the tests check a refused input: nnc::Error with a message that says what
// was wrong (the project's rule for bad input), matched by substring.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.h"

namespace nnc::testing {

/// The message of the nnc::Error that `fn` throws; "" when it throws none.
inline std::string error_message(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const nnc::Error& e) {
    return e.what();
  }
  return "";
}

/// Expects `fn` to throw nnc::Error whose message contains `needle`.
inline void expect_error(const std::function<void()>& fn, const std::string& needle) {
  const std::string msg = error_message(fn);
  if (msg.empty()) {
    ADD_FAILURE() << "expected nnc::Error containing '" << needle << "', got no error";
    return;
  }
  EXPECT_NE(msg.find(needle), std::string::npos) << msg;
}

}  // namespace nnc::testing
