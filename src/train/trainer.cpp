#include "train/trainer.h"

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <random>

#include "core/error.h"
#include "core/progress.h"
#include "core/seed.h"
#include "train/cutmix.h"
#include "train/loss_scaler.h"
#include "train/precision.h"

namespace nnc::train {

void TrainOptions::validate() const {
  NNC_CHECK(optimizer_ == "sgd" || optimizer_ == "adam" || optimizer_ == "adamw",
            "unknown optimizer '{}': expected sgd, adam or adamw", optimizer_);
  NNC_CHECK(epochs_ >= 0, "epochs must be >= 0, got {}", epochs_);
  NNC_CHECK(batch_size_ >= 1, "batch_size must be >= 1, got {}", batch_size_);
  NNC_CHECK(weight_decay_ >= 0 && std::isfinite(weight_decay_), "weight_decay must be >= 0");
  NNC_CHECK(clip_grad_norm_ >= 0, "clip_grad_norm must be >= 0 (0 = off)");
  NNC_CHECK(cutmix_alpha_ >= 0, "cutmix_alpha must be >= 0 (0 = off)");
  NNC_CHECK(cutmix_prob_ >= 0 && cutmix_prob_ <= 1, "cutmix_prob must be in [0, 1]");
  NNC_CHECK(label_smoothing_ >= 0 && label_smoothing_ < 1, "label_smoothing must be in [0, 1)");
  NNC_CHECK(resident_limit_bytes_ >= 0, "resident_limit_bytes must be >= 0 (0 = batch by batch)");
  train::validate(schedule_options());
  parse_precision(precision_);
}

ExecutionOptions TrainOptions::execution() const {
  return ExecutionOptions::from(torch::Device(device_), precision_, channels_last_);
}

ScheduleOptions TrainOptions::schedule_options() const {
  ScheduleOptions s;
  s.name = schedule_;
  s.lr = lr_;
  s.eta_min = eta_min_;
  s.epochs = epochs_;
  s.t0 = t0_;
  s.t_mult = t_mult_;
  s.step_size = step_size_;
  s.gamma = gamma_;
  s.first_epoch_scale = first_epoch_lr_scale_;
  return s;
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& o,
                                                        std::vector<torch::Tensor> params) {
  if (o.optimizer_ == "adam")
    return std::make_unique<torch::optim::Adam>(
        params, torch::optim::AdamOptions(o.lr_).weight_decay(o.weight_decay_));
  if (o.optimizer_ == "adamw")
    return std::make_unique<torch::optim::AdamW>(
        params, torch::optim::AdamWOptions(o.lr_).weight_decay(o.weight_decay_));
  return std::make_unique<torch::optim::SGD>(
      params, torch::optim::SGDOptions(o.lr_).momentum(o.momentum_).weight_decay(o.weight_decay_));
}

void to_channels_last(torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  for (auto& p : model.parameters())
    if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

std::vector<torch::Tensor> make_batches(const torch::Tensor& permutation, int64_t batch_size) {
  std::vector<torch::Tensor> out;
  int64_t n = permutation.size(0);
  for (int64_t start = 0; start < n; start += batch_size) {
    int64_t end = std::min(n, start + batch_size);
    if (end - start == 1 && !out.empty()) {
      out.back() = permutation.slice(0, start - batch_size, end);
      break;
    }
    out.push_back(permutation.slice(0, start, end));
  }
  return out;
}

Trainer::Trainer(TrainOptions options) : options_(std::move(options)) { options_.validate(); }

Trainer& Trainer::add_hook(TrainHooks* hook) {
  hooks_.push_back(hook);
  return *this;
}
Trainer& Trainer::loss(LossFn fn) {
  loss_ = std::move(fn);
  return *this;
}
Trainer& Trainer::extra_parameters(std::vector<torch::Tensor> params) {
  extra_ = std::move(params);
  return *this;
}

TrainResult Trainer::fit(torch::nn::Module& model,
                         const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                         const BatchSource& data) {
  try {
    return fit_on_device(model, forward, data);
  } catch (const c10::OutOfMemoryError&) {
    fail("{}: out of memory on device '{}' at batch size {}: lower --batch-size (or, for replay, "
         "the memory size)", options_.label_, options_.device_, options_.batch_size_);
  }
}

TrainResult Trainer::fit_on_device(torch::nn::Module& model,
                                   const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                                   const BatchSource& data) {
  const auto& o = options_;
  NNC_CHECK(data.size() > 0, "{}: nothing to train on (the training set is empty)", o.label_);
  const ExecutionOptions exec = o.execution();
  const torch::Device device = exec.device;
  model.to(device);
  // Rows made resident once (a replay memory decompressed once, a GPU given its data once),
  // so a step only slices tensors already where the model is.
  std::optional<TensorSource> resident;
  if (!data.resident_on(device)) resident = make_resident(data, device, o.resident_limit_bytes_);
  const BatchSource& source = resident ? *resident : data;
  const torch::Device index_device = source.index_device(device);
  auto params = model.parameters();
  params.insert(params.end(), extra_.begin(), extra_.end());
  auto optimizer = make_optimizer(o, params);
  std::mt19937_64 rng(derive_seed(o.seed_, "trainer"));
  auto gen = at::detail::createCPUGenerator(derive_seed(o.seed_, "shuffle"));
  auto schedule = o.schedule_options();
  bool classification = data.targets().scalar_type() == torch::kInt64;
  LossFn loss_fn = loss_;
  if (!loss_fn) {
    if (classification) {
      auto ce = torch::nn::functional::CrossEntropyFuncOptions().label_smoothing(o.label_smoothing_);
      loss_fn = [ce](const torch::Tensor& out, const torch::Tensor& y) {
        return torch::nn::functional::cross_entropy(out, y, ce);
      };
    } else {
      loss_fn = [](const torch::Tensor& out, const torch::Tensor& y) {
        return torch::mse_loss(out, y.view_as(out));
      };
    }
  }

  if (exec.channels_last) to_channels_last(model);
  LossScaler scaler(exec.precision == Precision::fp16);

  TrainResult result;
  TrainState state;
  state.model = &model;
  state.optimizer = optimizer.get();
  Progress progress(o.label_, o.epochs_);
  auto t_start = std::chrono::steady_clock::now();
  std::bernoulli_distribution do_cutmix(o.cutmix_prob_);
  for (int64_t epoch = 0; epoch < o.epochs_ && !state.stop; ++epoch) {
    auto t_epoch = std::chrono::steady_clock::now();
    state.epoch = epoch;
    state.lr = learning_rate(schedule, epoch);
    set_learning_rate(*optimizer, state.lr);
    model.train();
    for (auto* h : hooks_) h->on_epoch_start(state);
    auto perm = torch::randperm(source.size(), gen, torch::TensorOptions().dtype(torch::kInt64))
                    .to(index_device);
    // Sums stay on the device and are read once per epoch: a read per batch would make the
    // host wait for the device at every step.
    auto loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
    auto correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device));
    int64_t seen = 0;
    state.batch = 0;
    for (const auto& index : make_batches(perm, o.batch_size_)) {
      auto batch = source.get(index);
      auto x = exec.prepare_input(batch.inputs);
      auto y = batch.targets.to(device, /*non_blocking=*/true);
      torch::Tensor loss, out;
      CutMixResult mix;
      if (o.cutmix_alpha_ > 0 && classification && do_cutmix(rng))
        mix = cutmix(x, y, o.cutmix_alpha_, rng);
      {
        AutocastScope autocast(exec.precision, device);
        out = forward(mix.applied ? mix.inputs : x);
      }
      out = out.to(torch::kFloat32);  // the loss in fp32, as autocast would compute it
      loss = mix.applied ? mix.lambda * loss_fn(out, y) + (1 - mix.lambda) * loss_fn(out, mix.targets_b)
                         : loss_fn(out, y);
      optimizer->zero_grad();
      scaler.scale_loss(loss).backward();
      const bool finite = scaler.unscale(params);  // hooks and clipping see true gradients
      state.loss = loss;
      for (auto* h : hooks_) h->on_after_backward(state);
      if (o.clip_grad_norm_ > 0) torch::nn::utils::clip_grad_norm_(params, o.clip_grad_norm_);
      if (finite) optimizer->step();  // an fp16 overflow skips the step and lowers the scale
      scaler.update(finite);
      int64_t n = y.size(0);
      loss_sum += loss.detach().to(torch::kFloat64) * static_cast<double>(n);
      seen += n;
      if (classification) correct += out.detach().argmax(1).eq(y).sum();
      for (auto* h : hooks_) h->on_batch_end(state);
      ++state.batch;
      ++state.global_step;
    }
    state.epoch_loss = loss_sum.item<double>() / static_cast<double>(seen);
    state.epoch_accuracy = classification ? static_cast<double>(correct.item<int64_t>()) / seen : 0.0;
    NNC_CHECK(std::isfinite(state.epoch_loss),
              "{}: training diverged: the loss became {} in epoch {} (lower the learning rate?)",
              o.label_, state.epoch_loss, epoch);
    result.samples += seen;
    for (auto* h : hooks_) h->on_epoch_end(state);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_epoch).count();
    result.history.push_back({epoch, state.lr, state.epoch_loss, state.epoch_accuracy, secs});
    std::map<std::string, double> shown = {{"loss", state.epoch_loss}, {"lr", state.lr}};
    if (classification) shown["acc"] = state.epoch_accuracy;
    progress.update(epoch + 1, shown);
  }
  result.steps = state.global_step;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  model.eval();
  return result;
}

}  // namespace nnc::train
