#pragma once
// Pruning: test accuracy against the nonzero parameters left (log x), a line per procedure,
// a panel per model; the runs as the original's runs.csv (docs/pruning.md#outputs).
//
// What a prune run should record (kind "prune"):
//   config  procedure (e.g. rl1 | drr | pmmp | layerwise: the line), model (the panel),
//           dataset, every argument (the leading runs.csv columns), experiment_name (optional)
//   metrics test_accuracy (y; test_loss when no run has it: teacher-student), nonzeros (x:
//           the true count of nonzero parameters),
//           train_accuracy, val_accuracy, train_loss, val_loss, test_loss, l0_loss,
//           sigma (teacher-student), l0_norm (mask sum), parameters, compression_ratio
//           (else parameters / nonzeros)
//   The original's column names (final_accuracy_testset, ...) are accepted as well.
#include <vector>

#include "experiment/run_record.h"
#include "report/report_doc.h"

namespace nnc::report {

/// runs.csv of the original: every argument, then run_id, experiment_name, timestamp,
/// run_time, final_accuracy_{train,val,test}set, final_loss_{train,val,test}set,
/// final_l0_loss, final_sigma, l0_norm, and nncompress's nonzeros, compression_ratio.
Table prune_runs_table(const std::vector<experiment::RunRecord>& runs);
Chart prune_chart(const std::vector<experiment::RunRecord>& runs, const std::string& id);
/// Empty when there is no completed prune run.
std::vector<Section> prune_sections(const std::vector<experiment::RunRecord>& runs);

}  // namespace nnc::report
