#pragma once
// Building a replay run from its config: datasets, encoder, a compressor fitted on a
// DIFFERENT dataset (cached on disk), and the protocol options. Shared by `replay` and
// `pretrain-compressor`.
#include <string>
#include <vector>

#include "data/dataset.h"
#include "experiment/experiment_kind.h"
#include "replay/compressor.h"
#include "replay/encoder.h"
#include "replay/protocol.h"

namespace nnc::experiment {

std::vector<OptionSpec> replay_options();

struct ReplaySetup {
  data::Dataset train, test;
  replay::EncoderPtr encoder;
  replay::CompressorPtr compressor;
  replay::CompressorOptions compressor_options;
  replay::Representation representation;  ///< what the compressor sees
  replay::ReplayOptions options;
  uint64_t per_item_header = 0;            ///< bytes per stored item besides its payload
  int64_t stream_size = 0;                 ///< training samples of the tasks' classes
  std::string encoder_label, compressor_label;
};

/// `train`/`test` are the run's dataset; the compressor is fitted on the transfer dataset
/// (unless `fit` is false: then call fit_replay_compressor, e.g. after checking the budget,
/// which needs only the compressor's sizes).
ReplaySetup build_replay_setup(const RunConfig& c, data::Dataset train, data::Dataset test,
                               const std::string& out_dir, bool fit = true);
/// Fits the setup's compressor (or loads its cached / pre-fitted state); no-op when it needs none.
void fit_replay_compressor(const RunConfig& c, ReplaySetup& s, const std::string& out_dir);
/// Encoder options from a config (encoder, encoding_block, encoder_weights).
replay::EncoderOptions encoder_options_from(const RunConfig& c, const data::Dataset& d);
replay::CompressorOptions compressor_options_from(const RunConfig& c);
/// The "different dataset" a compressor is fitted on ("auto" picks one per dataset).
std::string transfer_dataset_for(const RunConfig& c, const std::string& dataset);

}  // namespace nnc::experiment
