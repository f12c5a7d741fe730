#pragma once
// CGP per-layer sensitivity: the top-1 change of the substituted model per approximated
// layer (x) and threshold (one trace each), a strip plot per model: which layers tolerate
// approximate weights at which error threshold (the thesis's "accuracy loss by layer and
// selected strategy"; plan examples/sweeps/cgp_layer_sensitivity.toml).
//
// Everything is read from each completed cgp run's own record, no list kept here:
//   layer      tag layers (the resolved selection), else config layers; ".weight" dropped
//   threshold  config rms_thresholds with series stage_delta_top1 (one point per stage),
//              else config rms_threshold >= 0 ("RMS x"), else config metric + threshold
//   y          metric delta_top1 (or stage_delta_top1), x 100: percentage points
//   energy     metric energy (or stage_energy), for the summary table
// A model's chart is drawn when its points span two layers or more.
#include <string>
#include <vector>

#include "experiment/run_record.h"
#include "report/report_doc.h"

namespace nnc::report {

struct SensitivityPoint {
  std::string model, layer, threshold;
  double threshold_value = 0;  ///< orders the traces (loosest first)
  double delta_top1_pt = 0;
  double energy = 0;
  std::string run_id;
};

/// The points of the cgp runs (runs without delta_top1 give none).
std::vector<SensitivityPoint> sensitivity_points(const std::vector<experiment::RunRecord>& runs);

/// A single-threshold run's threshold: "RMS x" (config rms_threshold >= 0), else
/// "<metric> <threshold>"; `value` (optional) gets the number that orders them.
std::string cgp_threshold_label(const experiment::RunRecord& r, double* value = nullptr);
/// The run's approximated layers as typed to --layers: tag layers (else config), ".weight" dropped.
std::string cgp_layers_label(const experiment::RunRecord& r);

/// "features.10.conv.1.0" after "features.2.conv.1.0": digit runs compare as numbers.
bool natural_less(const std::string& a, const std::string& b);

std::vector<Section> cgp_sensitivity_sections(const std::vector<experiment::RunRecord>& runs);

}  // namespace nnc::report
