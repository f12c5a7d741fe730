#pragma once
// One error type and one check for the whole project: every message names the
// offending value (file, option, shape) and says what was expected.
#include <fmt/format.h>
#include <stdexcept>
#include <string>

namespace nnc {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> f, Args&&... args) {
  throw Error(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace nnc

/// NNC_CHECK(cond, "option --x: expected ..., got {}", x);
#define NNC_CHECK(cond, ...)              \
  do {                                    \
    if (!(cond)) ::nnc::fail(__VA_ARGS__); \
  } while (0)
