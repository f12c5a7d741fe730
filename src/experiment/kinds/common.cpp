#include "experiment/kinds/common.h"

#include <torch/torch.h>

#include <optional>
#include <thread>

#include "core/error.h"
#include "core/file_io.h"
#include "data/loader.h"
#include "train/runtime.h"

namespace nnc::experiment {

std::vector<OptionSpec> data_options(const std::string& default_dataset) {
  OptionSpec dataset{"dataset", default_dataset,
                     "fashion-mnist | mnist | mnist-digits | cifar10 | cifar100 | teacher-student | "
                     "jsc | blobs (aliases such as CIFAR10 are stored as the name)"};
  dataset.canonical = data::canonical_dataset_name;
  return {
      dataset,
      {"data_dir", std::string(""), "folder with the dataset files (empty = the dataset's default)"},
      {"limit_train", int64_t{0}, "use only the first N training samples (0 = all)"},
      {"limit_test", int64_t{0}, "use only the first N test samples (0 = all)"},
  };
}

std::vector<OptionSpec> training_options(const train::TrainOptions& d) {
  return {
      {"optimizer", d.optimizer_, "sgd | adam | adamw", {"sgd", "adam", "adamw"}},
      {"lr", d.lr_, "learning rate"},
      {"momentum", d.momentum_, "SGD momentum"},
      {"weight_decay", d.weight_decay_, "weight decay"},
      {"schedule", d.schedule_, "none | cosine | cosine-warm-restarts | step",
       {"none", "cosine", "cosine-warm-restarts", "step"}},
      {"eta_min", d.eta_min_, "minimum learning rate of cosine schedules"},
      {"first_epoch_lr_scale", d.first_epoch_lr_scale_, "epoch 0 runs at lr x this (GDumb: 0.1)"},
      {"epochs", d.epochs_, "training epochs"},
      {"batch_size", d.batch_size_, "batch size"},
      {"clip_grad_norm", d.clip_grad_norm_, "gradient norm clip (0 = off)"},
      {"cutmix_alpha", d.cutmix_alpha_, "CutMix Beta(alpha, alpha) (0 = off)"},
      {"cutmix_prob", d.cutmix_prob_, "probability of CutMix per batch"},
      {"label_smoothing", d.label_smoothing_, "cross-entropy label smoothing"},
  };
}

std::pair<data::Dataset, data::Dataset> load_data(const RunConfig& c) {
  data::DataOptions o;
  o.name = c.get_string("dataset");
  o.data_dir = c.get_string("data_dir");
  o.seed = static_cast<uint64_t>(c.get_int("seed"));
  o.limit_train = c.get_int("limit_train");
  o.limit_test = c.get_int("limit_test");
  NNC_CHECK(o.limit_train >= 0 && o.limit_test >= 0, "limit_train/limit_test must be >= 0");
  return data::load_dataset(o);
}

void check_training(const RunConfig& c) { training_from(c).validate(); }

train::TrainOptions training_from(const RunConfig& c) {
  return train::TrainOptions()
      .optimizer(c.get_string("optimizer"))
      .lr(c.get_double("lr"))
      .momentum(c.get_double("momentum"))
      .weight_decay(c.get_double("weight_decay"))
      .schedule(c.get_string("schedule"))
      .eta_min(c.get_double("eta_min"))
      .first_epoch_lr_scale(c.get_double("first_epoch_lr_scale"))
      .epochs(c.get_int("epochs"))
      .batch_size(c.get_int("batch_size"))
      .clip_grad_norm(c.get_double("clip_grad_norm"))
      .cutmix_alpha(c.get_double("cutmix_alpha"))
      .cutmix_prob(c.get_double("cutmix_prob"))
      .label_smoothing(c.get_double("label_smoothing"))
      .seed(static_cast<uint64_t>(c.get_int("seed")))
      .device(c.get_string("device"))
      .precision(c.get_string("precision"))
      .channels_last(c.get_bool("channels_last"));
}

models::ModelOptions model_options_for(const data::Dataset& d) {
  auto shape = d.sample_shape();
  auto o = models::ModelOptions().num_classes(std::max<int64_t>(d.num_classes, 1));
  if (shape.size() == 3) o.input(shape[0], shape[1], shape[2]);
  else o.input(1, 1, shape.empty() ? 1 : shape[0]).layers({shape[0], 128, o.num_classes_});
  return o;
}

int capped_threads(const RunConfig& c, const std::string& key) {
  const int64_t asked = c.get_int(key);
  NNC_CHECK(asked >= 0, "option '{}': expected 0 (all cores) or a positive number of threads, got {}",
            key, asked);
  const int64_t hw = std::max(1u, std::thread::hardware_concurrency());
  if (asked <= 4 * hw) return static_cast<int>(asked);
  fmt::print(stderr, "[runtime] option '{}': {} capped to {} (4 x {} hardware threads)\n", key,
             asked, 4 * hw, hw);
  return static_cast<int>(4 * hw);
}

train::ExecutionOptions prepare_runtime(const RunConfig& c) {
  std::string dev = c.get_string("device");
  std::optional<torch::Device> device;
  try {
    device = torch::Device(dev);
  } catch (const std::exception&) {
    fail("option 'device': '{}' is not a torch device (expected cpu, cuda or cuda:N)", dev);
  }
  NNC_CHECK(!device->is_cuda() || torch::cuda::is_available(),
            "option 'device': '{}' requested but this LibTorch build sees no CUDA device", dev);
  auto exec = train::ExecutionOptions::from(*device, c.get_string("precision"), c.get_bool("channels_last"));
  std::string threads = train::configure_threads(capped_threads(c, "threads"));
  fmt::print(stderr, "[runtime] device {}, precision {}{}, {}\n", dev, train::to_string(exec.precision),
             exec.channels_last ? ", channels-last" : "", threads);
  return exec;
}

void record_eval(RunRecord& r, const std::string& prefix, const train::EvalResult& e) {
  r.metrics[prefix + "_loss"] = e.loss;
  if (e.confusion.defined()) {
    r.metrics[prefix + "_accuracy"] = e.accuracy;
    r.metrics[prefix + "_macro_accuracy"] = e.macro_accuracy;
    r.metrics[prefix + "_top5"] = e.top5;
  }
}

void record_history(RunContext& ctx, const train::TrainResult& result) {
  std::string csv = "epoch,lr,loss,accuracy,seconds\n";
  for (auto& h : result.history) {
    csv += fmt::format("{},{},{},{},{}\n", h.epoch, h.lr, h.loss, h.accuracy, h.seconds);
    ctx.record.series["epoch_loss"].push_back(h.loss);
    ctx.record.series["epoch_accuracy"].push_back(h.accuracy);
  }
  write_file(ctx.artifact("epochs", "epochs.csv"), csv);
  ctx.record.metrics["train_seconds"] = result.seconds;
  ctx.record.metrics["train_samples_per_s"] =
      result.seconds > 0 ? static_cast<double>(result.samples) / result.seconds : 0;
}

}  // namespace nnc::experiment
