#include "report/published.h"

#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "report/embedded.h"

namespace nnc::report {
namespace {

/// One CSV record (RFC 4180 quotes) starting at `pos`; advances pos past the line end.
std::vector<std::string> csv_record(const std::string& text, size_t& pos) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (; pos < text.size(); ++pos) {
    char c = text[pos];
    if (quoted) {
      if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') fields.back() += '"', ++pos;
      else if (c == '"') quoted = false;
      else fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c == '\n') {
      ++pos;
      break;
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

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
  auto header = csv_record(text, pos);
  const std::vector<std::string> expected = {"method", "budget_bytes", "accuracy", "source"};
  NNC_CHECK(header == expected, "{}:1: expected the header 'method,budget_bytes,accuracy,source'",
            origin);
  std::vector<PublishedPoint> out;
  for (int line = 2; pos < text.size(); ++line) {
    auto f = csv_record(text, pos);
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
