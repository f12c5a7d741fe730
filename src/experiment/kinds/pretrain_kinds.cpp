// `nncompress pretrain-encoder` and `pretrain-compressor`: fit what a replay run uses on a
// DIFFERENT dataset (the seeds use ImageNet weights and TinyImageNet ranges for CIFAR;
// the embedded default pre-trains on the MNIST digits and replays Fashion-MNIST).
#include <torch/torch.h>

#include <filesystem>

#include "core/error.h"
#include "core/file_io.h"
#include "data/loader.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "experiment/kinds/replay_setup.h"
#include "models/resnet.h"
#include "models/safetensors.h"
#include "replay/compressor.h"

namespace nnc::experiment {
namespace {

void copy_to(const std::string& from, const std::string& to) {
  if (to.empty()) return;
  auto parent = std::filesystem::path(to).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  nnc::copy_file(from, to);
  fmt::print(stderr, "[pretrain] saved {}\n", to);
}

void run_pretrain_encoder(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  auto [train_set, test_set] = load_data(c);
  NNC_CHECK(train_set.is_image(), "pretrain-encoder needs an image dataset; '{}' has none", train_set.name);
  auto mopts = model_options_for(train_set).depth(replay::cutr_depth(c.get_string("encoder")));
  torch::manual_seed(static_cast<uint64_t>(c.get_int("seed")));
  auto model = models::make_resnet(mopts);
  fmt::print(stderr, "[pretrain-encoder] {} on {} ({} samples)\n", model->describe(), train_set.name,
             train_set.size());
  train::TensorSource train_data(train_set, exec.device), test_data(test_set, exec.device);
  auto result = train::Trainer(training_from(c).label("pretrain-encoder")).fit(*model, train_data);
  record_history(ctx, result);
  record_eval(ctx.record, "test", train::evaluate(*model, test_data, test_set.num_classes,
                                                  train::default_eval_batch(exec.device), exec));
  auto path = ctx.artifact("weights", "encoder.safetensors");
  models::save_safetensors(models::module_state(*model), path,
                           {{"model", fmt::format("resnet{}", mopts.depth_)}, {"dataset", train_set.name}});
  copy_to(path, c.get_string("save_to"));
}

void run_pretrain_compressor(RunContext& ctx) {
  const auto& c = ctx.config;
  prepare_runtime(c);
  auto [fit_set, unused] = load_data(c);
  NNC_CHECK(fit_set.is_image(), "pretrain-compressor needs an image dataset; '{}' has none", fit_set.name);
  auto encoder = encoder_from(c, fit_set);
  auto rep = encoder->output(replay::Representation{fit_set.sample_shape(), true});
  auto compressor = compressor_design(c, rep).fit(replay::encode_in_chunks(*encoder, fit_set.inputs));
  fmt::print(stderr, "[pretrain-compressor] {}\n", compressor->describe());
  ctx.record.metrics["fixed_bytes"] = static_cast<double>(compressor->fixed_bytes());
  ctx.record.metrics["item_bytes"] = static_cast<double>(compressor->item_bytes().value_or(0));  // 0: variable
  auto path = ctx.artifact("weights", "compressor.safetensors");
  models::save_safetensors(compressor->state(), path, {{"compressor", compressor->name()}, {"dataset", fit_set.name}});
  copy_to(path, c.get_string("save_to"));
}

OptionSpec save_to_option() {
  return {"save_to", std::string(""), "also copy the weights to this file", {}, false};
}

}  // namespace

ExperimentKind pretrain_encoder_kind() {
  ExperimentKind k;
  k.name = "pretrain-encoder";
  k.help = "Train the ResNet whose prefix becomes a CutR encoder (on a different dataset)";
  k.options = data_options("mnist-digits");
  k.options.push_back({"encoder", std::string("cutr"), "cutr (ResNet-18) | cutr34 (ResNet-34)", {"cutr", "cutr34"}});
  k.options.push_back(save_to_option());
  auto t = training_options(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(3).batch_size(128));
  k.options.insert(k.options.end(), t.begin(), t.end());
  k.run = run_pretrain_encoder;
  k.check = check_training;
  return k;
}

ExperimentKind pretrain_compressor_kind() {
  ExperimentKind k;
  k.name = "pretrain-compressor";
  k.help = "Fit a replay compressor (range, dictionary, autoencoder) on a dataset and save it";
  k.options = data_options("mnist-digits");
  // What builds the encoder and the compressor (every compressor's own options, from the registry).
  for (auto& specs : {encoder_option_specs(), compressor_option_specs()})
    k.options.insert(k.options.end(), specs.begin(), specs.end());
  k.options.push_back(save_to_option());
  k.run = run_pretrain_compressor;
  k.check = [](const RunConfig& c) { replay::compressor_registry().validate(c.values()); };
  return k;
}

}  // namespace nnc::experiment
