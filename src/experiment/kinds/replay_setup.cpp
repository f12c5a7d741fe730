#include "experiment/kinds/replay_setup.h"

#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)
#include <torch/torch.h>

#include <filesystem>

#include "core/error.h"
#include "core/seed.h"
#include "data/loader.h"
#include "experiment/kinds/common.h"
#include "models/safetensors.h"

namespace nnc::experiment {

namespace {
/// A registry alias becomes its name before the run id is computed (autoencoder -> convae).
std::string canonical_compressor(const std::string& name) {
  std::string c = replay::compressor_registry().canonical(name);
  return c.empty() ? name : c;
}
}  // namespace

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
      {"encoder", std::string("none"), "none | cutr | cutr34", {"none", "cutr", "cutr34"}},
      {"encoding_block", 3.0, "CutR cut after block k (1..4, 2.5, 3.5)"},
      {"encoder_weights", std::string(""), "safetensors weights of the CutR network (torchvision names)"},
      // The registry's names as choices: a misspelt compressor fails when a plan is parsed
      // (sweep --dry-run), not when its run starts.
      {"compressor", std::string("none"),
       "none | thinning | quantization | fcae | convae (alias autoencoder) | sparse | resize | jpeg | pq",
       replay::compressor_registry().names(), true, {}, canonical_compressor},
      {"compression_factor", 0.9, "thinning: fraction of values dropped"},
      {"strategy", std::string("local"), "quantization: local | transfer (tiny_imagenet_transfer = transfer)",
       {"local", "transfer", "tiny_imagenet_transfer"}},
      {"n_states", int64_t{8}, "quantization levels"},
      {"latent_channels", int64_t{8}, "convae latent channels"},
      {"n_blocks", int64_t{2}, "convae blocks"},
      {"bottleneck_neurons", int64_t{32}, "fcae bottleneck"},
      {"atoms", int64_t{64}, "sparse: dictionary atoms"},
      {"nonzeros", int64_t{8}, "sparse: OMP nonzeros per sample"},
      {"coefficient_bits", int64_t{16}, "sparse: bits per stored coefficient (16 or 32)"},
      {"pretrain_epochs", int64_t{5}, "epochs/iterations fitting autoencoders and dictionaries"},
      {"resize_factor", 2.0, "resize: divide each side by this factor (>= 1; 2 = 28x28 -> 14x14)"},
      {"resize_to", int64_t{0}, "resize: target side in pixels (0 = use resize_factor)"},
      {"resize_bits", int64_t{8}, "resize: bits per stored value (1..8; 16 = float16, features only)"},
      {"jpeg_quality", int64_t{50}, "jpeg: quality 1..100 (raw images only)"},
      {"jpeg_tables", std::string("shared"),
       "jpeg: shared = the headers/tables stored once (JPEG abbreviated format), per_item = "
       "every item a complete JPEG file",
       {"shared", "per_item"}},
      {"pq_subvectors", int64_t{32}, "pq: sub-vectors per channel vector (must divide the channels)"},
      {"pq_bits", int64_t{8}, "pq: bits per code, 2^bits k-means centroids per sub-space (1..16)"},
      {"transfer_dataset", std::string("auto"),
       "dataset the compressor is fitted on (auto: mnist-digits for 28x28 sets, cifar100 <-> cifar10)",
       {}, true, {}, data::canonical_dataset_name},
      {"transfer_data_dir", std::string(""), "data_dir of the transfer dataset"},
      {"compressor_weights", std::string(""), "pre-fitted compressor state (from pretrain-compressor)"},
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
  return o;
}

replay::EncoderOptions encoder_options_from(const RunConfig& c, const data::Dataset& d) {
  replay::EncoderOptions e;
  e.name = c.get_string("encoder");
  e.block = c.get_double("encoding_block");
  e.weights = c.get_string("encoder_weights");
  e.mean = d.mean;
  e.std = d.std;
  e.device = c.get_string("device");
  return e;
}

replay::CompressorOptions compressor_options_from(const RunConfig& c) {
  replay::CompressorOptions o;
  o.name = c.get_string("compressor");
  o.compression_factor = c.get_double("compression_factor");
  o.n_states = c.get_int("n_states");
  o.strategy = c.get_string("strategy") == "tiny_imagenet_transfer" ? "transfer" : c.get_string("strategy");
  o.latent_channels = c.get_int("latent_channels");
  o.n_blocks = c.get_int("n_blocks");
  o.bottleneck_neurons = c.get_int("bottleneck_neurons");
  o.atoms = c.get_int("atoms");
  o.nonzeros = c.get_int("nonzeros");
  o.coefficient_bits = c.get_int("coefficient_bits");
  o.pretrain_epochs = c.get_int("pretrain_epochs");
  o.resize_factor = c.get_double("resize_factor");
  o.resize_to = c.get_int("resize_to");
  o.resize_bits = c.get_int("resize_bits");
  o.jpeg_quality = c.get_int("jpeg_quality");
  o.jpeg_tables = c.get_string("jpeg_tables");
  o.pq_subvectors = c.get_int("pq_subvectors");
  o.pq_bits = c.get_int("pq_bits");
  o.seed = static_cast<uint64_t>(c.get_int("seed"));
  o.weights = c.get_string("compressor_weights");
  return o;
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

std::string compressor_label(const replay::CompressorOptions& o) {
  if (o.name == "thinning") return fmt::format("thinning {}", o.compression_factor);
  if (o.name == "quantization") return fmt::format("quantization {} {}", o.strategy, o.n_states);
  if (o.name == "fcae") return fmt::format("fcae {}", o.bottleneck_neurons);
  if (o.name == "convae") return fmt::format("convae {}x{}", o.latent_channels, o.n_blocks);
  if (o.name == "sparse") return fmt::format("sparse {}/{}", o.nonzeros, o.atoms);
  if (o.name == "resize")
    return o.resize_to > 0 ? fmt::format("resize to {} {}b", o.resize_to, o.resize_bits)
                           : fmt::format("resize /{} {}b", o.resize_factor, o.resize_bits);
  if (o.name == "jpeg")
    return fmt::format("jpeg q{}{}", o.jpeg_quality, o.jpeg_tables == "per_item" ? " files" : "");
  if (o.name == "pq") return fmt::format("pq {}x{}b", o.pq_subvectors, o.pq_bits);
  return o.name;
}

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ULL;
  return h;
}

}  // namespace

/// Fits the compressor on the transfer dataset, or loads a cached/pre-fitted state.
void fit_replay_compressor(const RunConfig& c, ReplaySetup& s, const std::string& out_dir) {
  auto& comp = *s.compressor;
  if (!comp.needs_fit()) return;
  const auto& o = s.compressor_options;
  if (!o.weights.empty()) {
    comp.load_state(models::load_safetensors(o.weights));
    return;
  }
  std::string transfer = transfer_dataset_for(c, s.train.name);
  std::string key = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", o.name,
                                o.compression_factor, o.n_states, o.strategy, o.latent_channels,
                                o.n_blocks, o.bottleneck_neurons, o.atoms, o.nonzeros,
                                o.coefficient_bits, o.pretrain_epochs, o.seed, transfer,
                                s.encoder->describe(), s.representation.describe());
  // pq's settings are appended only for pq, so the cached states of the others keep their keys.
  if (o.name == "pq") key += fmt::format("|{}|{}", o.pq_subvectors, o.pq_bits);
  auto cache = std::filesystem::path(out_dir) / "cache" /
               fmt::format("compressor-{}-{:016x}.safetensors", o.name, fnv1a(key));
  if (std::filesystem::exists(cache)) {
    comp.load_state(models::load_safetensors(cache.string()));
    fmt::print(stderr, "[replay] compressor state from cache {}\n", cache.string());
    return;
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
  fmt::print(stderr, "[replay] fitting compressor '{}' on {} ({} samples)\n", o.name, transfer, ref.size());
  std::vector<torch::Tensor> parts;
  for (int64_t i = 0; i < ref.size(); i += 512)
    parts.push_back(s.encoder->encode(ref.inputs.slice(0, i, std::min(ref.size(), i + 512))));
  comp.fit(torch::cat(parts));
  std::filesystem::create_directories(cache.parent_path());
  models::save_safetensors(comp.state(), cache.string(), {{"key", key}});
}

ReplaySetup build_replay_setup(const RunConfig& c, data::Dataset train, data::Dataset test,
                               const std::string& out_dir, bool fit) {
  ReplaySetup s;
  s.train = std::move(train);
  s.test = std::move(test);
  NNC_CHECK(s.train.is_image(), "replay needs an image dataset; '{}' has none", s.train.name);
  s.encoder = replay::make_encoder(encoder_options_from(c, s.train));
  s.representation = s.encoder->output(replay::Representation{s.train.sample_shape(), true});
  s.compressor_options = compressor_options_from(c);
  s.compressor = replay::make_compressor(s.compressor_options, s.representation);
  s.encoder_label = s.encoder->name() == "none"
                        ? "none"
                        : fmt::format("{}{}", s.encoder->name(), c.get_double("encoding_block"));
  s.compressor_label = compressor_label(s.compressor_options);
  if (fit) fit_replay_compressor(c, s, out_dir);
  s.per_item_header = s.compressor->item_bytes() == 0 ? 4 : 0;  // a length per variable-size item

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
