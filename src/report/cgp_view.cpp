#include "report/cgp_view.h"

#include <fmt/format.h>

#include <cmath>

#include "report/run_fields.h"

namespace nnc::report {
namespace {

Chart over_generations(const std::vector<experiment::RunRecord>& runs, const std::string& series,
                       const std::string& id, const std::string& title) {
  Chart c(id, title);
  c.x_label = "Generation";
  c.y_label = series;
  Facet f{"", {}};
  for (auto& r : runs) {
    auto it = r.series.find(series);
    if (it == r.series.end() || it->second.empty()) continue;
    auto gen = r.series.find("generation");
    bool has_gen = gen != r.series.end() && gen->second.size() == it->second.size();
    std::string label = tag(r, {"label"});
    Series s(label.empty() ? r.id : label);
    for (size_t i = 0; i < it->second.size(); ++i) {
      double x = has_gen ? gen->second[i] : static_cast<double>(i);
      s.point(x, it->second[i], "",
              fmt::format("run {}<br>generation {}<br>{} {}", r.id, format_number(x), series,
                          format_number(it->second[i], 6)));
    }
    f.series.push_back(std::move(s));
  }
  c.facets.push_back(std::move(f));
  return c;
}

}  // namespace

std::vector<Section> cgp_sections(const std::vector<experiment::RunRecord>& all) {
  auto runs = completed(all, "cgp");
  if (runs.empty()) return {};
  Section s;
  s.id = "cgp";
  s.title = fmt::format("CGP ({} runs)", runs.size());
  s.intro = "The best circuit's error and energy over the generations (series error, energy, "
            "generation), one line per run.";
  for (auto [series, title] : {std::pair{"error", "Error over generations"},
                               std::pair{"energy", "Energy over generations"}}) {
    auto c = over_generations(runs, series, std::string("cgp-") + series, title);
    if (!c.empty()) s.charts.push_back(std::move(c));
    else s.notes.push_back(fmt::format("no run recorded a '{}' series", series));
  }
  Table t{"cgp_runs", "CGP runs (final values)",
          {"run_id", "label", "generations", "error", "energy", "area", "delay", "gate_count",
           "run_time_s"}, {}, ""};
  auto num = [](double v) { return std::isnan(v) ? std::string() : format_number(v, 6); };
  for (auto& r : runs) {
    auto last = [&](const char* name) {
      auto it = r.series.find(name);
      return it == r.series.end() || it->second.empty() ? kMissing : it->second.back();
    };
    auto value = [&](const char* name) {
      double v = metric(r, {name});
      return std::isnan(v) ? last(name) : v;
    };
    double gens = metric(r, {"generations"});
    if (std::isnan(gens)) gens = last("generation");
    t.row({r.id, tag(r, {"label"}), num(gens), num(value("error")), num(value("energy")),
           num(value("area")), num(value("delay")), num(value("gate_count")), format_number(r.run_time_s, 4)});
  }
  s.tables.push_back(std::move(t));
  return {s};
}

}  // namespace nnc::report
