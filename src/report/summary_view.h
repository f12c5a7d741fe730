#pragma once
// The runs at a glance: counts per kind and status (with each kind's full CSV export), and
// the plain "train" runs.
//
// What a train run records (experiment/kinds/train_kind.cpp): config dataset, model, epochs;
// metrics test_accuracy, test_macro_accuracy, train_accuracy, test_loss, parameters,
// train_seconds.
#include <vector>

#include "experiment/run_record.h"
#include "report/report_doc.h"

namespace nnc::report {

/// Runs per kind and status, with the name of each kind's CSV export; failed runs listed.
Section overview_section(const std::vector<experiment::RunRecord>& runs);
/// Empty when there is no completed train run.
std::vector<Section> train_sections(const std::vector<experiment::RunRecord>& runs);
/// "<kind>_runs.csv": the file every kind's runs are exported to.
std::string kind_csv_name(const std::string& kind);

}  // namespace nnc::report
