#pragma once
// runs.csv as the original writes it: every argument, then run_id, experiment_name,
// timestamp, run_time, final_accuracy_trainset, final_accuracy_valset,
// final_accuracy_testset, final_loss_trainset, final_loss_valset, final_loss_testset,
// final_l0_loss (never filled, kept empty), final_sigma, l0_norm; nncompress adds
// nonzeros and compression_ratio. Append-safe: the header is written once and every later
// row must match it.
#include <string>
#include <utility>
#include <vector>

namespace nnc::prune {

struct PruneOutcome;
using CsvRow = std::vector<std::pair<std::string, std::string>>;

/// The result columns after the arguments, in order.
const std::vector<std::string>& runs_csv_result_columns();

/// The result columns of one run (runs_csv_result_columns(), in order); accuracies empty for
/// regression, sigma empty without the Gaussian loss.
CsvRow runs_csv_results(const PruneOutcome& out, const std::string& run_id, const std::string& experiment_name,
                        const std::string& timestamp);

/// The per-epoch log as CSV: phase,epoch,train_loss,train_accuracy,val_loss,val_accuracy,l0.
std::string epochs_csv(const PruneOutcome& out);

/// Appends one row (column -> value, in order) to `path`, writing the header if the file is
/// new or empty. A header that differs from the existing file's is an nnc::Error.
void append_runs_csv(const std::string& path, const CsvRow& row);

/// CSV field quoting (commas, quotes, newlines).
std::string csv_field(const std::string& value);

}  // namespace nnc::prune
