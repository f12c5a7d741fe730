#include "report/cgp_given_weights_view.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "report/cgp_sensitivity_view.h"
#include "report/run_fields.h"

namespace nnc::report {
namespace {

/// The runs of one line: same model, layers and threshold.
using Lines = std::map<std::string, std::vector<experiment::RunRecord>>;

Lines lines_of(const std::vector<experiment::RunRecord>& runs) {
  Lines lines;
  for (auto& r : completed(runs, "cgp")) {
    if (std::isnan(metric(r, {"given_weights"}))) continue;
    lines[fmt::format("{} {}, {}", config_text(config_of(r), "model"), cgp_layers_label(r),
                      cgp_threshold_label(r))].push_back(r);
  }
  return lines;
}

Chart against_given(const Lines& lines, const char* what, const std::string& id, const std::string& label) {
  Chart c(id, fmt::format("CGP: {} vs given weight values", label));
  c.x_label = "Distinct int8 weight values given as inputs (given_weights)";
  c.y_label = label;
  Facet f{"", {}};
  for (auto& [name, runs] : lines) {
    Series s(name);
    for (auto& r : runs) {
      const double n = metric(r, {"given_weights"}), y = metric(r, {what});
      s.point(n, y, "", fmt::format("run {}<br>given {} of {} values<br>{} {}", r.id, format_number(n),
                                    format_number(metric(r, {"distinct_weights"})), what, format_number(y, 6)));
    }
    f.series.push_back(std::move(s.sort_by_x()));
  }
  c.facets.push_back(std::move(f));
  return c;
}

}  // namespace

std::vector<Section> cgp_given_weights_sections(const std::vector<experiment::RunRecord>& runs) {
  Lines lines = lines_of(runs);
  std::erase_if(lines, [](const auto& line) {
    std::set<double> given;
    for (auto& r : line.second) given.insert(metric(r, {"given_weights"}));
    return given.size() < 2;
  });
  if (lines.empty()) return {};
  Section s;
  s.id = "cgp-missing-weights";
  s.title = "CGP: missing weights vs energy";
  s.intro = "The circuit's energy and gate count (metrics energy, gate_count) against how many "
            "distinct int8 weight values it was given as constant inputs (metric given_weights): "
            "one line per model, layers and threshold.";
  s.charts.push_back(against_given(lines, "energy", "cgp-given-energy", "Energy"));
  s.charts.push_back(against_given(lines, "gate_count", "cgp-given-gates", "Gates"));
  Table t{"cgp_missing_weights", "CGP missing weights (per run)",
          {"line", "run_id", "given_weights", "distinct_weights", "energy", "gate_count", "error", "delta_top1"}, {}, ""};
  for (auto& [name, of_line] : lines)
    for (auto& r : of_line)
      t.row({name, r.id, format_number(metric(r, {"given_weights"})), format_number(metric(r, {"distinct_weights"})),
             format_number(metric(r, {"energy"}), 6), format_number(metric(r, {"gate_count"})),
             format_number(metric(r, {"error"})), format_number(metric(r, {"delta_top1"}), 4)});
  s.tables.push_back(std::move(t));
  return {s};
}

}  // namespace nnc::report
