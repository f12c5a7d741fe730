#pragma once
// One error type and one check for the whole project: every message names the
// offending value (file, option, shape) and says what was expected.
#include <fmt/format.h>
#include <stdexcept>
#include <string>

#include "core/text.h"

// One {fmt} per build (cmake/fmt.cmake): LibTorch 2.x bundles its own, and a TU that mixes it
// with the system's does not compile or, worse, links two of them.
#if defined(NNC_FMT_VERSION) && FMT_VERSION != NNC_FMT_VERSION
#error "this TU sees a different {fmt} than the build chose (cmake/fmt.cmake): check include paths"
#endif

namespace nnc {

/// Messages are made printable here, once for every thrower: a value echoed into a message
/// may hold NUL (which would end the message early), terminal control sequences or megabytes
/// (see text.h); what the CLI prints and the results database stores is this bounded line.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(bounded_message(what)) {}
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
