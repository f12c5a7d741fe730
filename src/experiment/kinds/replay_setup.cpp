#include "experiment/kinds/replay_setup.h"

#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "core/hash.h"
#include "core/seed.h"
#include "data/loader.h"
#include "experiment/kinds/common.h"
#include "models/safetensors.h"

namespace nnc::experiment {

std::vector<OptionSpec> replay_options() {
  std::vector<OptionSpec> o = {
      {"num_classes_per_task", int64_t{2}, "classes per task"},
      {"num_tasks", int64_t{5}, "tasks (classes in label order)"},
      {"protocol", std::string("stream"), "stream (the seeds': one pass, train once) | per-task",
       {"stream", "per-task"}},
      {"memory_bytes", std::string(""), "memory budget in bytes, e.g. 10MiB (fixed costs included)"},
      {"memory_size", int64_t{0}, "memory budget in slots (the seeds' --memory_size; 0 = use memory_bytes)"},
      {"accounting", std::string("real"), "real (packed sizes) | notebook (the seed notebooks' arithmetic)",
       {"real", "notebook"}},
      {"sampler", std::string("greedy_sampler"), "memory sampler", {"greedy_sampler"}},
      {"transfer_dataset", std::string("auto"),
       "dataset the compressor is fitted on (auto: mnist-digits for 28x28 sets, cifar100 <-> cifar10)",
       {}, true, {}, data::canonical_dataset_name},
      {"transfer_data_dir", std::string(""), "data_dir of the transfer dataset"},
      {"compress_test", false, "also compress the test samples (the original does not)"},
      {"backbone", std::string("resnet"), "resnet (GDumb ResNet-18) | resnet34", {"resnet", "resnet34"}},
      {"backbone_block", 0.0, "SplitR: drop the stem and the first k groups (= encoding block)"},
      {"backbone_width", 1.0, "channel multiplier of the GDumb ResNet (1 = as published)"},
      {"log_dir", std::string(""), "write log_dir/exp_name/checkpoint.log (original format)", {}, false},
      {"exp_name", std::string(""), "experiment name for log_dir", {}, false},
  };
  auto t = training_options(train::TrainOptions()
                                .optimizer("sgd")
                                .lr(0.05)
                                .momentum(0.9)
                                .weight_decay(1e-6)
                                .schedule("cosine-warm-restarts")
                                .eta_min(0.0005)
                                .first_epoch_lr_scale(0.1)
                                .epochs(128)
                                .batch_size(16)
                                .clip_grad_norm(10)
                                .cutmix_alpha(1.0)
                                .cutmix_prob(0.5));
  for (auto& s : t)
    if (s.key == "epochs") s.aliases.push_back("num_passes");
  o.insert(o.end(), t.begin(), t.end());
  // The encoder's and the compressors' options after the sampler's, where --help lists them.
  auto plugins = encoder_option_specs();
  merge_option_specs(plugins, compressor_option_specs());
  auto after_sampler = std::find_if(o.begin(), o.end(), [](auto& s) { return s.key == "sampler"; }) + 1;
  o.insert(after_sampler, plugins.begin(), plugins.end());
  return o;
}

std::vector<OptionSpec> encoder_option_specs() { return replay::encoder_registry().selector_and_options("none"); }

std::vector<OptionSpec> compressor_option_specs() {
  auto o = replay::compressor_registry().selector_and_options("none");
  o.insert(o.begin() + 1, {"compressor_weights", std::string(""),
                           "pre-fitted compressor state (from pretrain-compressor)"});
  return o;
}

replay::EncoderPtr encoder_from(const RunConfig& c, const data::Dataset& d) {
  return replay::make_encoder(c.values(), replay::EncoderContext{d.mean, d.std, c.get_string("device")});
}

replay::CompressorDesign compressor_design(const RunConfig& c, const replay::Representation& rep) {
  replay::CompressorContext ctx{rep, static_cast<uint64_t>(c.get_int("seed")), c.get_string("device")};
  return replay::make_compressor(c.values(), ctx);
}

std::string transfer_dataset_for(const RunConfig& c, const std::string& dataset) {
  std::string t = c.get_string("transfer_dataset");
  if (t != "auto") {
    NNC_CHECK(t != dataset, "transfer_dataset must differ from the dataset ('{}'): compressors are "
              "fitted on a different dataset", t);
    return t;
  }
  if (dataset == "cifar10") return "cifar100";
  if (dataset == "cifar100") return "cifar10";
  if (dataset == "mnist-digits" || dataset == "mnist") return "fashion-mnist";
  return "mnist-digits";
}

namespace {

}  // namespace

namespace {
replay::StateMap load_state(const std::string& path) {
  auto tensors = models::load_safetensors(path);
  return replay::StateMap(tensors.begin(), tensors.end());
}
}  // namespace

replay::CompressorPtr fit_replay_compressor(const RunConfig& c, ReplaySetup& s, const std::string& out_dir) {
  auto design = std::move(*s.design);
  s.design.reset();
  if (!design.needs_fit()) return std::move(design).ready();
  if (!c.get_string("compressor_weights").empty())
    return std::move(design).load(load_state(c.get_string("compressor_weights")));
  const auto& registry = replay::compressor_registry();
  const std::string name = registry.selected(c.values());
  std::string transfer = transfer_dataset_for(c, s.train.name);
  // The compressor's own options (whatever they are), the seed, the transfer set, what the
  // compressor sees and the device it is fitted on: two runs share a fitted state exactly
  // when all of these agree.
  std::string key = fmt::format("{}|{}|{}|{}|{}|{}|{}", name, registry.describe(c.values()),
                                c.get_int("seed"), transfer, s.encoder->describe(),
                                s.representation.describe(), c.get_string("device"));
  auto cache = std::filesystem::path(out_dir) / "cache" /
               fmt::format("compressor-{}-{:016x}.safetensors", name, fnv1a64(key));
  if (std::filesystem::exists(cache)) {
    fmt::print(stderr, "[replay] compressor state from cache {}\n", cache.string());
    return std::move(design).load(load_state(cache.string()));
  }
  data::DataOptions d;
  d.name = transfer;
  d.data_dir = c.get_string("transfer_data_dir");
  d.seed = static_cast<uint64_t>(c.get_int("seed"));
  d.limit_train = 10000;
  auto ref = data::load_dataset(d).first;
  NNC_CHECK(ref.is_image() && ref.sample_shape() == s.train.sample_shape(),
            "transfer dataset '{}' has samples of shape {} but '{}' has {}: pick a transfer_dataset "
            "with the same image shape",
            transfer, fmt::join(ref.sample_shape(), "x"), s.train.name,
            fmt::join(s.train.sample_shape(), "x"));
  fmt::print(stderr, "[replay] fitting compressor '{}' on {} ({} samples)\n", name, transfer, ref.size());
  auto fitted = std::move(design).fit(replay::encode_in_chunks(*s.encoder, ref.inputs));
  std::filesystem::create_directories(cache.parent_path());
  models::save_safetensors(fitted->state(), cache.string(), {{"key", key}});
  return fitted;
}

ReplaySetup build_replay_setup(const RunConfig& c, data::Dataset train, data::Dataset test) {
  ReplaySetup s;
  s.train = std::move(train);
  s.test = std::move(test);
  NNC_CHECK(s.train.is_image(), "replay needs an image dataset; '{}' has none", s.train.name);
  s.encoder = encoder_from(c, s.train);
  s.representation = s.encoder->output(replay::Representation{s.train.sample_shape(), true});
  s.design = compressor_design(c, s.representation);
  s.encoder_label = s.encoder->name() == "none"
                        ? "none"
                        : fmt::format("{}{}", s.encoder->name(), c.get_double("encoding_block"));
  s.compressor_label = replay::compressor_registry().label(c.values());

  auto& o = s.options;
  o.protocol = c.get_string("protocol");
  o.num_tasks = c.get_int("num_tasks");
  o.classes_per_task = c.get_int("num_classes_per_task");
  o.compress_test = c.get_bool("compress_test");
  o.seed = static_cast<uint64_t>(c.get_int("seed"));
  o.backbone = c.get_string("backbone");
  o.backbone_block = c.get_double("backbone_block");
  o.backbone_width = c.get_double("backbone_width");
  o.device = c.get_string("device");
  o.training = training_from(c);
  o.validate(s.train);
  auto labels = s.train.targets;
  s.stream_size = labels.lt(o.num_tasks * o.classes_per_task).sum().item<int64_t>();
  return s;
}

}  // namespace nnc::experiment
