#pragma once
// Building a replay run from its config: datasets, encoder, a compressor fitted on a
// DIFFERENT dataset (cached on disk), and the protocol options. Shared by `replay` and
// `pretrain-compressor`.
#include <optional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "experiment/experiment_kind.h"
#include "replay/compressor.h"
#include "replay/encoder.h"
#include "replay/protocol.h"

namespace nnc::experiment {

std::vector<OptionSpec> replay_options();
/// The encoder's options (encoder, encoding_block, encoder_weights).
std::vector<OptionSpec> encoder_option_specs();
/// What builds a run's compressor: the selector `compressor`, every compressor's own options
/// (each owned by its compressor, from the registry) and `compressor_weights`.
std::vector<OptionSpec> compressor_option_specs();

struct ReplaySetup {
  data::Dataset train, test;
  replay::EncoderPtr encoder;
  std::optional<replay::CompressorDesign> design;  ///< the compressor before fitting (its sizes)
  replay::Representation representation;  ///< what the compressor sees
  replay::ReplayOptions options;
  int64_t stream_size = 0;                 ///< training samples of the tasks' classes
  std::string encoder_label, compressor_label;
};

/// `train`/`test` are the run's dataset. The compressor is designed, not fitted: its sizes
/// (all the budget needs) are known; fitting is the explicit next step, fit_replay_compressor.
ReplaySetup build_replay_setup(const RunConfig& c, data::Dataset train, data::Dataset test);
/// The usable compressor: the setup's design fitted on the transfer dataset, or its
/// pre-fitted (compressor_weights) or cached state; one that needs no fit as it is.
replay::CompressorPtr fit_replay_compressor(const RunConfig& c, ReplaySetup& s, const std::string& out_dir);
/// The config's encoder (its own options from the config) for the dataset `d`.
replay::EncoderPtr encoder_from(const RunConfig& c, const data::Dataset& d);
/// The design of the config's compressor (its own options from the config) for `rep`.
replay::CompressorDesign compressor_design(const RunConfig& c, const replay::Representation& rep);
/// The "different dataset" a compressor is fitted on ("auto" picks one per dataset).
std::string transfer_dataset_for(const RunConfig& c, const std::string& dataset);

}  // namespace nnc::experiment
