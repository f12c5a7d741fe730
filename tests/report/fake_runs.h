#pragma once
// Hand-made runs for the report tests: plausible numbers, every field a report reads.
#include <map>
#include <string>
#include <vector>

#include "experiment/run_record.h"

namespace nnc::report::testing {

struct ReplaySpec {
  std::string id, dataset = "cifar10", encoder = "none";
  double block = 3;
  std::string compressor = "none", strategy = "local";
  std::string param_key;  ///< compression_factor | n_states | bottleneck_neurons | ...
  double param = 0;
  std::string memory_bytes = "10MiB";
  double accuracy = 0.5, mib = 10, slots = 1000;
  double passes = 128;
  int seed = 0;
  bool plugin_tags = true;  ///< false: recorded without report tags (an older nncompress)
};
/// A completed replay run as the replay kind records it.
experiment::RunRecord replay_run(const ReplaySpec& s);
/// The report tags the replay kind records for `s`'s encoder and compressor (fixture data for
/// the compressors these tests use; test-report-plugin-tags checks them against the real
/// plug-ins, so a change there fails it rather than leaving these stale).
std::map<std::string, std::string> recorded_plugin_tags(const ReplaySpec& s);
/// Every spec fake_replay_runs() and the report tests use (what test-report-plugin-tags checks).
std::vector<ReplaySpec> replay_specs_in_use();

/// CIFAR-10, two encoders (none, cutr 3): baselines and quantization at 1/4/10 MiB, parameter
/// sweeps (thinning, transfer quantization, autoencoders) at 10 MiB, one setting twice.
std::vector<experiment::RunRecord> fake_replay_runs();
/// no encoding: No Compression, Thinning, Quantization (local) k=2 and k=8 (split: each ran at
/// three budgets), Conv. Autoencoder; CutR18(3): No Compression, Thinning, Quantization
/// (local) (one parameter: one line), Quantization (transfer), FC Autoencoder; + "published"
/// in both panels.
inline constexpr int kFakeReplayMibTraces = 12;
inline constexpr int kFakeReplaySlotTraces = 10;
inline constexpr int kFakeReplayParetoTraces = 3;  ///< all runs, front, published

std::vector<experiment::RunRecord> fake_prune_runs();
experiment::RunRecord fake_search_run();
/// Kind `search`, one study group (same plan, model, data): brute-force (seed 0, 9 trials,
/// `config` tag only) and tpe (seeds 0 and 1, 6 trials, one with tpe_n_startup_trials set),
/// maximizing accuracy (model_size and bitops recorded too); + one tpe run of another model
/// (a group of its own).
std::vector<experiment::RunRecord> fake_sampler_group_runs();
std::vector<experiment::RunRecord> fake_cgp_runs();
/// Per-layer sensitivity (kind cgp, lenet5-classic): layers conv1, conv2, fc1 (tag layers,
/// "<name>.weight") x rms_threshold 50, 15 x seed 0, 1 with delta_top1 = -(layer index + 1) x
/// rms / 1000 - seed / 1000; one fc2 run with rms_thresholds "50,15,0" (series stage_*,
/// stage i's delta -(i + 1) / 100); one mobilenetv2 run (one layer: no chart of its own).
std::vector<experiment::RunRecord> fake_cgp_sensitivity_runs();
experiment::RunRecord fake_train_run();
experiment::RunRecord fake_failed_run();
/// Everything above (the sensitivity runs included).
std::vector<experiment::RunRecord> fake_all_runs();

}  // namespace nnc::report::testing
