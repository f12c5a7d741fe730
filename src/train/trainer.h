#pragma once
// One Trainer for every pillar. Pruning masks, replay and quantization-aware training
// plug in through typed hooks; no pillar writes its own loop.
//
// Example:
//   Trainer(TrainOptions().epochs(10).lr(0.05)).add_hook(&mask_hook).fit(*model, source);
#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "train/batch_source.h"
#include "train/execution.h"
#include "train/schedule.h"

namespace nnc::train {

struct TrainOptions {
#define NNC_OPT(type, name, def) \
  TrainOptions& name(type v) { name##_ = std::move(v); return *this; } \
  type name##_ = def;
  NNC_OPT(std::string, optimizer, "sgd")     ///< sgd | adam | adamw
  NNC_OPT(double, lr, 0.05)
  NNC_OPT(double, momentum, 0.9)             ///< sgd only
  NNC_OPT(double, weight_decay, 0.0)
  NNC_OPT(std::string, schedule, "none")     ///< none | cosine | cosine-warm-restarts | step
  NNC_OPT(double, eta_min, 0.0)
  NNC_OPT(int64_t, t0, 1)
  NNC_OPT(int64_t, t_mult, 2)
  NNC_OPT(int64_t, step_size, 30)
  NNC_OPT(double, gamma, 0.1)
  NNC_OPT(double, first_epoch_lr_scale, 1.0)  ///< GDumb runs epoch 0 at 0.1 x lr
  NNC_OPT(int64_t, epochs, 1)
  NNC_OPT(int64_t, batch_size, 128)
  NNC_OPT(double, clip_grad_norm, 0.0)       ///< 0 = off
  NNC_OPT(double, cutmix_alpha, 0.0)         ///< 0 = off; applied only to inputs >= 4x4
  NNC_OPT(double, cutmix_prob, 0.5)
  NNC_OPT(double, label_smoothing, 0.0)
  NNC_OPT(uint64_t, seed, 0)
  NNC_OPT(std::string, device, "cpu")
  NNC_OPT(std::string, precision, "fp32")     ///< fp32 | bf16 | fp16 (autocast; see precision.h)
  NNC_OPT(bool, channels_last, false)         ///< conv weights and inputs in NHWC
  NNC_OPT(std::string, label, "train")        ///< progress line label
  /// Training rows up to this size are drawn once and kept on the device (make_resident);
  /// a larger source is drawn batch by batch. 0 = always batch by batch.
  NNC_OPT(int64_t, resident_limit_bytes, kResidentLimitBytes)
#undef NNC_OPT
  void validate() const;
  ScheduleOptions schedule_options() const;
  /// Device, precision and layout of the forward passes (precision parsed and checked here).
  ExecutionOptions execution() const;
};

/// What hooks see and may change (set `stop` to end training after this epoch).
struct TrainState {
  torch::nn::Module* model = nullptr;
  torch::optim::Optimizer* optimizer = nullptr;
  int64_t epoch = 0, batch = 0, global_step = 0;
  double lr = 0;
  torch::Tensor loss;           ///< current batch loss (after backward in on_after_backward)
  double epoch_loss = 0;        ///< mean over the epoch; set before on_epoch_end (no per-batch sync)
  double epoch_accuracy = 0;    ///< classification only; set before on_epoch_end
  bool stop = false;
};

class TrainHooks {
 public:
  virtual ~TrainHooks() = default;
  virtual void on_epoch_start(TrainState&) {}
  /// Gradients are in place; regularisers add to them here.
  virtual void on_after_backward(TrainState&) {}
  /// After the optimizer step (pruning re-applies masks here).
  virtual void on_batch_end(TrainState&) {}
  virtual void on_epoch_end(TrainState&) {}
};

struct EpochLog {
  int64_t epoch;
  double lr, loss, accuracy, seconds;
};

struct TrainResult {
  std::vector<EpochLog> history;
  double seconds = 0;
  int64_t steps = 0;
  int64_t samples = 0;
};

/// Loss on a batch: (model output, targets) -> scalar.
using LossFn = std::function<torch::Tensor(const torch::Tensor&, const torch::Tensor&)>;

class Trainer {
 public:
  explicit Trainer(TrainOptions options);
  Trainer& add_hook(TrainHooks* hook);
  /// Replaces the default loss (cross-entropy for int64 targets, MSE otherwise).
  Trainer& loss(LossFn fn);
  /// Trains extra tensors (e.g. a Gaussian loss's sigma) with the same optimizer.
  Trainer& extra_parameters(std::vector<torch::Tensor> params);

  /// Trains `model` in place. Throws nnc::Error if the loss becomes NaN or inf, or the device
  /// runs out of memory (naming the batch size to lower).
  TrainResult fit(torch::nn::Module& model,
                  const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                  const BatchSource& data);
  template <typename M>
  TrainResult fit(M& model, const BatchSource& data) {
    return fit(model, [&model](const torch::Tensor& x) { return model.forward(x); }, data);
  }

 private:
  TrainResult fit_on_device(torch::nn::Module& model,
                            const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                            const BatchSource& data);
  TrainOptions options_;
  std::vector<TrainHooks*> hooks_;
  LossFn loss_;
  std::vector<torch::Tensor> extra_;
};

/// Puts every 4-D parameter (convolution weights) in channels-last (NHWC) layout.
void to_channels_last(torch::nn::Module& model);
/// An optimizer over `params` as TrainOptions describe it.
std::unique_ptr<torch::optim::Optimizer> make_optimizer(const TrainOptions& o,
                                                        std::vector<torch::Tensor> params);
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);
/// Epoch batches of a shuffled permutation; a trailing batch of one sample is merged
/// into the previous batch (BatchNorm cannot normalise a single sample).
std::vector<torch::Tensor> make_batches(const torch::Tensor& permutation, int64_t batch_size);

}  // namespace nnc::train
