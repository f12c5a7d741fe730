#include "report/published.h"

#include <cmath>
#include <cstdlib>

#include "core/csv.h"
#include "core/error.h"
#include "report/embedded.h"

namespace nnc::report {
namespace {

double number(const std::string& s, const std::string& origin, int line, const char* column) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  NNC_CHECK(!s.empty() && end && *end == '\0' && std::isfinite(v),
            "{}:{}: column '{}' is '{}', expected a finite number", origin, line, column, shown(s));
  return v;
}

}  // namespace

std::vector<PublishedPoint> parse_published_csv(const std::string& text, const std::string& origin) {
  size_t pos = 0;
  auto header = next_csv_record(text, pos, origin + ":1");
  const std::vector<std::string> expected = {"method", "budget_bytes", "accuracy", "source"};
  NNC_CHECK(header == expected, "{}:1: expected the header 'method,budget_bytes,accuracy,source'",
            origin);
  std::vector<PublishedPoint> out;
  for (int line = 2; pos < text.size(); ++line) {
    auto f = next_csv_record(text, pos, fmt::format("{}:{}", origin, line));
    if (f.size() == 1 && f[0].empty()) continue;
    NNC_CHECK(f.size() == 4, "{}:{}: {} fields, expected 4 (method,budget_bytes,accuracy,source)",
              origin, line, f.size());
    PublishedPoint p{f[0], number(f[1], origin, line, "budget_bytes"),
                     number(f[2], origin, line, "accuracy"), f[3]};
    NNC_CHECK(p.accuracy >= 0 && p.accuracy <= 1,
              "{}:{}: accuracy {} is not a fraction in [0, 1] (write 0.458, not 45.8)", origin, line,
              p.accuracy);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<PublishedPoint> builtin_published_cifar10() {
  auto text = published_cifar10_csv();
  if (text.empty()) return {};
  return parse_published_csv(std::string(text), "data/published/cifar10_replay.csv (built in)");
}

}  // namespace nnc::report
