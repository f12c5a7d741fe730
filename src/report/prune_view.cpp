#include "report/prune_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/run_fields.h"

namespace nnc::report {

Table prune_runs_table(const std::vector<experiment::RunRecord>& runs) {
  std::vector<std::string> args;
  std::set<std::string> seen;
  std::vector<nlohmann::json> configs;
  for (auto& r : runs) {
    configs.push_back(config_of(r));
    for (auto& [k, v] : configs.back().items())
      if (seen.insert(k).second) args.push_back(k);
  }
  Table t{"prune_runs", "Pruning runs (the original's runs.csv columns)", args, {}, ""};
  for (const char* c : {"run_id", "experiment_name", "timestamp", "run_time", "final_accuracy_trainset",
                        "final_accuracy_valset", "final_accuracy_testset", "final_loss_trainset",
                        "final_loss_valset", "final_loss_testset", "final_l0_loss", "final_sigma",
                        "l0_norm", "nonzeros", "compression_ratio"})
    t.columns.push_back(c);
  auto num = [](double v) { return std::isnan(v) ? std::string() : format_number(v); };
  for (size_t i = 0; i < runs.size(); ++i) {
    auto& r = runs[i];
    std::vector<std::string> row;
    for (auto& k : args) row.push_back(config_text(configs[i], k));
    std::string name = config_text(configs[i], "experiment_name");
    if (name.empty()) name = tag(r, {"experiment_name"});
    double params = metric(r, {"parameters"}), nonzeros = metric(r, {"nonzeros"});
    double ratio = metric(r, {"compression_ratio"});
    if (std::isnan(ratio) && nonzeros > 0) ratio = params / nonzeros;
    for (auto v : {r.id, name, r.started_at, format_number(r.run_time_s),
                   num(metric(r, {"train_accuracy", "final_accuracy_trainset"})),
                   num(metric(r, {"val_accuracy", "final_accuracy_valset"})),
                   num(metric(r, {"test_accuracy", "final_accuracy_testset"})),
                   num(metric(r, {"train_loss", "final_loss_trainset"})),
                   num(metric(r, {"val_loss", "final_loss_valset"})),
                   num(metric(r, {"test_loss", "final_loss_testset"})),
                   num(metric(r, {"l0_loss", "final_l0_loss"})), num(metric(r, {"sigma", "final_sigma"})),
                   num(metric(r, {"l0_norm"})), num(nonzeros), num(ratio)})
      row.push_back(v);
    t.row(std::move(row));
  }
  return t;
}

Chart prune_chart(const std::vector<experiment::RunRecord>& runs, const std::string& id) {
  // Classification: test accuracy; regression (teacher-student) records only the loss.
  bool accuracy = false;
  for (auto& r : runs) accuracy |= !std::isnan(metric(r, {"test_accuracy", "final_accuracy_testset"}));
  Chart chart(id, accuracy ? "Test accuracy vs nonzero parameters" : "Test loss vs nonzero parameters");
  chart.x_label = "Nonzero parameters";
  chart.y_label = accuracy ? "Test accuracy" : "Test loss";
  chart.log_x = true;
  std::vector<std::string> models;
  std::map<std::string, std::map<std::string, Series>> lines;  // model -> procedure -> series
  int left_out = 0;
  for (auto& r : runs) {
    auto c = config_of(r);
    double x = metric(r, {"nonzeros"});
    double y = accuracy ? metric(r, {"test_accuracy", "final_accuracy_testset"})
                        : metric(r, {"test_loss", "final_loss_testset"});
    if (!(x > 0) || std::isnan(y)) {
      ++left_out;
      continue;
    }
    std::string model = config_text(c, "model");
    std::string proc = config_text(c, "procedure");
    if (proc.empty()) proc = tag(r, {"procedure", "method"});
    if (proc.empty()) proc = "prune";
    if (std::find(models.begin(), models.end(), model) == models.end()) models.push_back(model);
    double params = metric(r, {"parameters"}), ratio = metric(r, {"compression_ratio"});
    if (std::isnan(ratio) && x > 0 && !std::isnan(params)) ratio = params / x;
    std::string label = std::isnan(ratio) ? "" : fmt::format("{}x", format_number(ratio, 3));
    lines[model].try_emplace(proc, Series(proc)).first->second.point(
        x, y, label,
        fmt::format("{} on {}<br>{} nonzeros<br>{} {}<br>run {}", proc, model, format_number(x),
                    accuracy ? "test accuracy" : "test loss", format_number(y, 4), r.id));
  }
  for (auto& m : models) {
    Facet f{models.size() > 1 || !m.empty() ? m : "", {}};
    for (auto& entry : lines[m]) f.series.push_back(std::move(entry.second.sort_by_x()));
    chart.facets.push_back(std::move(f));
  }
  if (left_out)
    chart.note = fmt::format("{} run(s) without nonzeros/{} left out", left_out,
                             accuracy ? "test_accuracy" : "test_loss");
  return chart;
}

std::vector<Section> prune_sections(const std::vector<experiment::RunRecord>& all) {
  auto runs = completed(all, "prune");
  if (runs.empty()) return {};
  Section s;
  s.id = "prune";
  s.title = fmt::format("Pruning ({} runs)", runs.size());
  s.intro = "Test accuracy (test_accuracy) against the nonzero parameters left (nonzeros), one "
            "line per procedure, one panel per model; labels give the compression ratio.";
  s.charts.push_back(prune_chart(runs, "prune-accuracy"));
  s.tables.push_back(prune_runs_table(runs));
  return {s};
}

}  // namespace nnc::report
