#include "core/bytes.h"

#include <cctype>
#include <cmath>

#include "core/error.h"

namespace nnc {

uint64_t parse_bytes(const std::string& text, const std::string& what) {
  size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (const std::exception&) {
    fail("{}: '{}' is not a byte size (expected e.g. 4096, 10MiB, 1.5MB)", what, shown(text));
  }
  std::string unit;
  for (size_t i = pos; i < text.size(); ++i)
    if (!std::isspace(static_cast<unsigned char>(text[i]))) unit += text[i];
  double mult = 0;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KiB" || unit == "K") mult = 1024.0;
  else if (unit == "MiB" || unit == "M") mult = 1024.0 * 1024;
  else if (unit == "GiB" || unit == "G") mult = 1024.0 * 1024 * 1024;
  else if (unit == "kB" || unit == "KB") mult = 1e3;
  else if (unit == "MB") mult = 1e6;
  else if (unit == "GB") mult = 1e9;
  else fail("{}: unknown unit '{}' in '{}' (expected B, KiB, MiB, GiB, kB, MB, GB)", what,
            shown(unit, 20), shown(text));
  NNC_CHECK(std::isfinite(value) && value >= 0, "{}: '{}' must be a non-negative size", what, text);
  double bytes = value * mult;
  NNC_CHECK(bytes < 1.8e19, "{}: '{}' is too large", what, text);
  return static_cast<uint64_t>(std::floor(bytes));
}

std::string format_bytes(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) v /= 1024, ++u;
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.2f} {}", v, units[u]);
}

}  // namespace nnc
