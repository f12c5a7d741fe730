// The pruning codebase's runs.csv (and nncompress's, which keeps its columns): every argument,
// then run_id, experiment_name, timestamp, run_time and the final_* results; one prune run
// per row. Arguments keep their spelling in the file (L1_alpha) and map to nncompress's
// snake_case options (l1_alpha).
#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/csv.h"
#include "core/error.h"
#include "experiment/import/importer.h"

namespace nnc::experiment::import_detail {
namespace {

/// The original's result columns and the metric each becomes (prune's own names).
const std::vector<std::pair<const char*, const char*>> kResultMetrics = {
    {"run_time", "prune_seconds"},           {"final_accuracy_trainset", "train_accuracy"},
    {"final_accuracy_valset", "val_accuracy"}, {"final_accuracy_testset", "test_accuracy"},
    {"final_loss_trainset", "train_loss"},   {"final_loss_valset", "val_loss"},
    {"final_loss_testset", "test_loss"},     {"final_sigma", "sigma"},
    {"l0_norm", "l0_norm"},                  {"nonzeros", "nonzeros"},
    {"compression_ratio", "compression_ratio"}};

}  // namespace

std::vector<RunRecord> read_prune_runs_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  NNC_CHECK(in.good(), "import: cannot read '{}'", path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = 0;
  const auto header = next_csv_record(text, pos, path + ":1");
  const auto run_id = std::find(header.begin(), header.end(), "run_id");
  const size_t n_args = static_cast<size_t>(run_id - header.begin());
  std::vector<RunRecord> out;
  for (int row = 2; pos < text.size(); ++row) {
    const auto cells = next_csv_record(text, pos, path + ":" + std::to_string(row));
    if (cells.size() == 1 && cells[0].empty()) continue;
    NNC_CHECK(cells.size() == header.size(), "import: {}:{}: {} fields, expected {} as in the header", path,
              row, cells.size(), header.size());
    Draft d{"prune", path, "row " + std::to_string(row), {}, {}};
    for (size_t c = 0; c < n_args; ++c) d.options.emplace_back(header[c], cells[c]);
    for (auto [column, metric] : kResultMetrics) {
      auto it = std::find(header.begin(), header.end(), column);
      if (it == header.end()) continue;
      const std::string& v = cells[static_cast<size_t>(it - header.begin())];
      if (!v.empty()) d.record.metrics[metric] = std::strtod(v.c_str(), nullptr);
    }
    if (auto t = std::find(header.begin(), header.end(), "timestamp"); t != header.end())
      d.record.started_at = d.record.finished_at = cells[static_cast<size_t>(t - header.begin())];
    if (auto e = std::find(header.begin(), header.end(), "experiment_name"); e != header.end())
      d.options.emplace_back("experiment_name", cells[static_cast<size_t>(e - header.begin())]);
    d.record.status = RunStatus::Completed;
    out.push_back(finish(std::move(d)));
  }
  return out;
}

}  // namespace nnc::experiment::import_detail
