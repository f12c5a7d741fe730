#pragma once
// How a pruning phase trains: epoch by epoch, with the procedure deciding after each epoch.
// TorchEngine runs the shared Trainer with mask/regulariser hooks; FusedMlpEngine runs the
// identical maths for small MLPs without LibTorch's per-op overhead.
#include <torch/optim/optimizer.h>
#include <torch/types.h>

#include <functional>
#include <string>

#include "train/batch_source.h"

namespace nnc::prune {

/// The procedure's data loss: cross-entropy (int64 targets), MSE, or the Gaussian loss.
struct DataLoss {
  bool classification = false;
  bool gauss = false;
  torch::Tensor sigma;  ///< 0-dim trainable tensor when gauss
  /// The training loss (Gaussian when enabled).
  torch::Tensor operator()(const torch::Tensor& out, const torch::Tensor& target) const;
  /// Plain cross-entropy / MSE (TAMADE's loss under the Gaussian loss too).
  torch::Tensor plain(const torch::Tensor& out, const torch::Tensor& target) const;
};

struct EpochReport {
  int64_t epoch = 0;  ///< 1-based
  double train_loss = 0;
  double train_accuracy = 0;
};
/// Called after each epoch; returns true to stop.
using EpochCallback = std::function<bool(const EpochReport&)>;

struct EvalSummary {
  double loss = 0;        ///< the procedure's loss (Gaussian when enabled)
  double plain_loss = 0;  ///< cross-entropy / MSE
  double accuracy = 0;    ///< classification only
};

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;
  /// Trains at most `max_epochs` epochs, calling `after_epoch` after each.
  virtual void fit(int64_t max_epochs, const EpochCallback& after_epoch) = 0;
  /// The LibTorch optimizer during fit (its state follows neuron deletion), or null.
  virtual torch::optim::Optimizer* optimizer() = 0;
  /// Loss and accuracy of the current model on `data`.
  virtual EvalSummary evaluate(const train::TensorSource& data) = 0;
};

}  // namespace nnc::prune
