#include "report/table.h"

#include <fmt/format.h>

#include <cmath>

#include "core/error.h"
#include "core/csv.h"

namespace nnc::report {

Table& Table::row(std::vector<std::string> cells) {
  NNC_CHECK(cells.size() == columns.size(), "table '{}': a row has {} cells but there are {} columns",
            name, cells.size(), columns.size());
  rows.push_back(std::move(cells));
  return *this;
}

std::string Table::to_csv() const {
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i)
    out += (i ? "," : "") + csv_field(columns[i]);
  out += "\n";
  for (auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + csv_field(r[i]);
    out += "\n";
  }
  return out;
}

std::string Table::to_html() const {
  std::string out = "<table class=\"data\">\n<thead><tr>";
  for (auto& c : columns) out += "<th>" + html_escape(c) + "</th>";
  out += "</tr></thead>\n<tbody>\n";
  for (auto& r : rows) {
    out += "<tr>";
    for (auto& c : r) out += "<td>" + html_escape(c) + "</td>";
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string html_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_number(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  if (digits <= 0) return fmt::format("{}", v);
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{:.{}g}", v, digits);
}

}  // namespace nnc::report
