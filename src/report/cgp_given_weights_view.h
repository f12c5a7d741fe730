#pragma once
// CGP missing weights vs energy: the evolved circuit's energy and gate count against how
// many distinct int8 weight values it was given as constant inputs (metric given_weights,
// option given_weights; the thesis: "given 255 unique int8 weights the energy is zero: pure
// wiring"; plan examples/sweeps/cgp_missing_weights.toml). One line per model, layers and
// threshold (from the run's own config and tags), a point per run.
// Drawn when such a line has two given_weights values or more.
#include <vector>

#include "experiment/run_record.h"
#include "report/report_doc.h"

namespace nnc::report {

std::vector<Section> cgp_given_weights_sections(const std::vector<experiment::RunRecord>& runs);

}  // namespace nnc::report
