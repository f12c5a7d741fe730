#include "report/summary_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "report/run_fields.h"

namespace nnc::report {

std::string kind_csv_name(const std::string& kind) {
  std::string s = slug(kind);
  std::replace(s.begin(), s.end(), '-', '_');
  return s + "_all_runs";
}

Section overview_section(const std::vector<experiment::RunRecord>& runs) {
  Section s;
  s.id = "overview";
  s.title = fmt::format("Runs ({})", runs.size());
  s.intro = "Every run in the results database by kind and status. Each kind's runs, with "
            "every config key and metric, are in <kind>_all_runs.csv; all runs as JSON in "
            "runs.json.";
  std::vector<std::string> kinds;
  std::map<std::string, std::map<experiment::RunStatus, int>> counts;
  for (auto& r : runs) {
    if (!counts.count(r.kind)) kinds.push_back(r.kind);
    ++counts[r.kind][r.status];
  }
  Table t{"runs_by_kind", "Runs by kind", {"kind", "completed", "failed", "running", "csv"}, {}, ""};
  for (auto& k : kinds) {
    auto& c = counts[k];
    t.row({k, std::to_string(c[experiment::RunStatus::Completed]),
           std::to_string(c[experiment::RunStatus::Failed]),
           std::to_string(c[experiment::RunStatus::Running]), kind_csv_name(k) + ".csv"});
  }
  s.tables.push_back(std::move(t));
  for (auto& r : runs)
    if (r.status == experiment::RunStatus::Failed)
      s.notes.push_back(fmt::format("run {} ({}) failed: {}", r.id, r.kind,
                                    r.error.empty() ? "no message" : r.error));
  return s;
}

std::vector<Section> train_sections(const std::vector<experiment::RunRecord>& all) {
  auto runs = completed(all, "train");
  if (runs.empty()) return {};
  Section s;
  s.id = "train";
  s.title = fmt::format("Training ({} runs)", runs.size());
  s.intro = "Plain training runs: a zoo model on a dataset.";
  Table t{"train_summary", "Training runs",
          {"run_id", "dataset", "model", "epochs", "test_accuracy", "test_macro_accuracy",
           "train_accuracy", "test_loss", "parameters", "train_seconds"}, {}, ""};
  auto num = [](double v, int digits) { return std::isnan(v) ? std::string() : format_number(v, digits); };
  for (auto& r : runs) {
    auto c = config_of(r);
    t.row({r.id, config_text(c, "dataset"), config_text(c, "model"), config_text(c, "epochs"),
           num(metric(r, {"test_accuracy"}), 4), num(metric(r, {"test_macro_accuracy"}), 4),
           num(metric(r, {"train_accuracy"}), 4), num(metric(r, {"test_loss"}), 4),
           num(metric(r, {"parameters"}), 0), num(metric(r, {"train_seconds"}), 4)});
  }
  s.tables.push_back(std::move(t));
  return {s};
}

}  // namespace nnc::report
