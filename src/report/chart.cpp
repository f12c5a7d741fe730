#include "report/chart.h"

#include <algorithm>
#include <cctype>

namespace nnc::report {

const std::vector<std::string>& palette() {
  static const std::vector<std::string> colors = {"#636efa", "#EF553B", "#00cc96", "#ab63fa",
                                                  "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
                                                  "#FF97FF", "#FECB52"};
  return colors;
}

Series& Series::sort_by_x() {
  std::vector<size_t> order(x.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [this](size_t a, size_t b) { return x[a] < x[b]; });
  auto permute = [&order](auto& values) {
    auto old = values;
    for (size_t i = 0; i < order.size(); ++i) values[i] = std::move(old[order[i]]);
  };
  permute(x);
  permute(y);
  permute(text);
  permute(hover);
  return *this;
}

size_t Chart::trace_count() const {
  size_t n = 0;
  for (auto& f : facets) n += f.series.size();
  return n;
}

std::vector<std::string> Chart::groups() const {
  std::vector<std::string> out;
  for (auto& f : facets)
    for (auto& s : f.series)
      if (s.color.empty() && std::find(out.begin(), out.end(), s.group) == out.end())
        out.push_back(s.group);
  return out;
}

std::string Chart::color_of(const Series& s) const {
  if (!s.color.empty()) return s.color;
  auto g = groups();
  auto i = static_cast<size_t>(std::find(g.begin(), g.end(), s.group) - g.begin());
  return palette()[i % palette().size()];
}

bool Chart::empty() const {
  for (auto& f : facets)
    for (auto& s : f.series)
      if (!s.x.empty()) return false;
  return true;
}

std::string slug(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "x" : out;
}

}  // namespace nnc::report
