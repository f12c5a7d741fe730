#include "report/search_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "report/run_fields.h"

namespace nnc::report {

Study study_of(const experiment::RunRecord& r) {
  Study s;
  s.run_id = r.id;
  s.kind = r.kind;
  s.sampler = tag(r, {"sampler"});
  std::vector<std::string> names;
  for (auto& [k, v] : r.series)
    if (k.rfind("trial_", 0) == 0 && k != "trial_number") names.push_back(k.substr(6));
  if (names.empty()) return s;
  std::stable_sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return (a.find("accuracy") != std::string::npos) > (b.find("accuracy") != std::string::npos);
  });
  std::vector<std::string> order;
  std::string objectives = tag(r, {"objectives"});
  std::stringstream ss(objectives);
  for (std::string item; std::getline(ss, item, ',');) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (std::find(names.begin(), names.end(), item) != names.end()) order.push_back(item);
  }
  s.objectives = order.empty() ? std::min<size_t>(2, names.size()) : order.size();
  for (auto& n : names)
    if (std::find(order.begin(), order.end(), n) == order.end()) order.push_back(n);
  size_t len = r.series.at("trial_" + order.front()).size();
  for (auto& n : order) {
    const auto& v = r.series.at("trial_" + n);
    if (v.size() != len) continue;  // a series of another length is not per trial
    s.metrics.push_back(n);
    s.values.push_back(v);
    std::string dir = tag(r, {("direction_" + n).c_str()});
    s.maximize.push_back(dir.empty() ? n.find("accuracy") != std::string::npos : dir == "maximize");
  }
  s.objectives = std::min(s.objectives, s.metrics.size());
  auto num = r.series.find("trial_number");
  if (num != r.series.end() && num->second.size() == len) s.number = num->second;
  else
    for (size_t i = 0; i < len; ++i) s.number.push_back(static_cast<double>(i));
  return s;
}

std::vector<size_t> study_front(const Study& s) {
  std::vector<size_t> front;
  if (s.metrics.empty()) return front;
  size_t n = s.values[0].size();
  auto better = [&](size_t m, double a, double b) { return s.maximize[m] ? a > b : a < b; };
  const bool two = s.objectives >= 2 && s.metrics.size() >= 2;
  // Failed trials (NaN) are on no front.
  auto ok = [&](size_t i) { return std::isfinite(s.values[0][i]) && (!two || std::isfinite(s.values[1][i])); };
  if (!two) {
    for (size_t i = 0; i < n; ++i) {
      bool best = ok(i);
      for (size_t j = 0; j < n && best; ++j) best = !ok(j) || !better(0, s.values[0][j], s.values[0][i]);
      if (best) front.push_back(i);
    }
    return front;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!ok(i)) continue;
    bool dominated = false;
    for (size_t j = 0; j < n && !dominated; ++j) {
      if (!ok(j)) continue;
      bool no_worse = !better(0, s.values[0][i], s.values[0][j]) && !better(1, s.values[1][i], s.values[1][j]);
      bool strictly = better(0, s.values[0][j], s.values[0][i]) || better(1, s.values[1][j], s.values[1][i]);
      dominated = no_worse && strictly;
    }
    if (!dominated) front.push_back(i);
  }
  std::stable_sort(front.begin(), front.end(),
                   [&](size_t a, size_t b) { return s.values[1][a] < s.values[1][b]; });
  return front;
}

namespace {

std::string hover_of(const Study& s, size_t i) {
  std::string h = fmt::format("trial {}", format_number(s.number[i]));
  for (size_t m = 0; m < s.metrics.size(); ++m)
    h += fmt::format("<br>{} {}", s.metrics[m], format_number(s.values[m][i], 5));
  return h;
}

}  // namespace

Chart all_metrics_chart(const Study& s, const std::string& id) {
  Chart c(id, fmt::format("All metrics per configuration (run {}{})", s.run_id,
                          s.sampler.empty() ? "" : ", " + s.sampler));
  c.x_label = fmt::format("Configuration, by {} (best first)", s.metrics[0]);
  c.y_label = "Metric / its largest magnitude";
  std::vector<size_t> order;
  for (size_t i = 0; i < s.number.size(); ++i)
    if (std::isfinite(s.values[0][i])) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return s.maximize[0] ? s.values[0][a] > s.values[0][b] : s.values[0][a] < s.values[0][b];
  });
  Facet f{"", {}};
  for (size_t m = 0; m < s.metrics.size(); ++m) {
    double scale = 0;
    for (auto i : order)
      if (std::isfinite(s.values[m][i])) scale = std::max(scale, std::abs(s.values[m][i]));
    Series line(s.metrics[m]);
    for (size_t k = 0; k < order.size(); ++k) {
      const double v = s.values[m][order[k]];
      if (!std::isfinite(v)) continue;
      line.point(static_cast<double>(k + 1), scale > 0 ? v / scale : 0, "", hover_of(s, order[k]));
    }
    f.series.push_back(std::move(line));
  }
  c.facets.push_back(std::move(f));
  c.note = "Each metric divided by its largest magnitude in the study; hover for the raw values.";
  return c;
}

namespace {

void add_study(Section& sec, const Study& s) {
  std::string id = slug(s.kind + "-" + s.run_id);
  std::string title_suffix = fmt::format(" (run {}{})", s.run_id, s.sampler.empty() ? "" : ", " + s.sampler);
  auto front = study_front(s);

  Chart trials(id + "-trials", s.metrics[0] + " per trial" + title_suffix);
  trials.x_label = "Trial";
  trials.y_label = s.metrics[0];
  Facet f{"", {}};
  Series all("trials");
  all.style = SeriesStyle::kMarkers;
  Series best("best so far");
  double b = 0;
  for (size_t i = 0; i < s.number.size(); ++i) {
    double v = s.values[0][i];
    if (!std::isfinite(v)) continue;  // a failed trial
    all.point(s.number[i], v, "", hover_of(s, i));
    if (best.x.empty() || (s.maximize[0] ? v > b : v < b)) b = v;
    best.point(s.number[i], b);
  }
  f.series = {std::move(all), std::move(best)};
  trials.facets.push_back(std::move(f));
  sec.charts.push_back(std::move(trials));

  if (s.objectives >= 2) {
    Chart pf(id + "-front", fmt::format("Pareto front: {} vs {}{}", s.metrics[0], s.metrics[1], title_suffix));
    pf.x_label = s.metrics[1] + (s.maximize[1] ? " (higher is better)" : " (lower is better)");
    pf.y_label = s.metrics[0] + (s.maximize[0] ? " (higher is better)" : " (lower is better)");
    Facet g{"", {}};
    Series dots("trials");
    dots.style = SeriesStyle::kMarkers;
    dots.color = "#9a9a9a";
    for (size_t i = 0; i < s.number.size(); ++i)
      if (std::isfinite(s.values[0][i]) && std::isfinite(s.values[1][i]))
        dots.point(s.values[1][i], s.values[0][i], "", hover_of(s, i));
    Series line("Pareto front");
    line.style = SeriesStyle::kFront;
    line.color = "#EF553B";
    for (auto i : front)
      line.point(s.values[1][i], s.values[0][i], "#" + format_number(s.number[i]), hover_of(s, i));
    g.series = {std::move(dots), std::move(line)};
    pf.facets.push_back(std::move(g));
    sec.charts.push_back(std::move(pf));
  }
  if (s.metrics.size() >= 2) sec.charts.push_back(all_metrics_chart(s, id + "-metrics"));

  std::string tname = slug(s.kind + "_" + s.run_id) + "_trials";
  std::replace(tname.begin(), tname.end(), '-', '_');
  Table t{tname, fmt::format("Trials of run {}", s.run_id), {"trial"}, {}, ""};
  for (auto& m : s.metrics) t.columns.push_back(m);
  t.columns.push_back("pareto");
  for (size_t i = 0; i < s.number.size(); ++i) {
    std::vector<std::string> row = {format_number(s.number[i])};
    for (auto& v : s.values) row.push_back(format_number(v[i], 6));
    row.push_back(std::find(front.begin(), front.end(), i) != front.end() ? "yes" : "");
    t.row(std::move(row));
  }
  sec.tables.push_back(std::move(t));
}

}  // namespace

std::vector<Section> search_sections(const std::vector<experiment::RunRecord>& all) {
  std::map<std::string, Section> by_kind;
  std::vector<std::string> kinds;
  for (auto& r : completed(all, "")) {
    auto s = study_of(r);
    if (s.metrics.empty() || s.number.empty()) continue;
    if (!by_kind.count(r.kind)) {
      kinds.push_back(r.kind);
      auto& sec = by_kind[r.kind];
      sec.id = "search-" + slug(r.kind);
      sec.intro = "Each study: the first objective per trial with the best value so far, and the "
                  "trials against the first two objectives with their Pareto front (series "
                  "trial_<metric>), and every metric per configuration side by side.";
    }
    add_study(by_kind[r.kind], s);
  }
  std::vector<Section> out;
  for (auto& k : kinds) {
    auto& sec = by_kind[k];
    sec.title = fmt::format("Search: {} ({} studies)", k, sec.tables.size());
    out.push_back(std::move(sec));
  }
  return out;
}

}  // namespace nnc::report
