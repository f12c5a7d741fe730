#pragma once
// The LibTorch path: the shared Trainer, with the masks and the regulariser as hooks.
// Gradients are masked (the loss is evaluated at theta*m), the regulariser's gradient is
// added, and theta is re-multiplied by m after every batch (or, with
// multiply_mask_after_each_batch = false, the forward runs at theta*m while theta itself
// keeps its pruned entries).
#include "models/model.h"
#include "prune/engine.h"
#include "prune/mask.h"
#include "prune/regularizer.h"
#include "train/trainer.h"

namespace nnc::prune {

class TorchEngine : public Engine, private train::TrainHooks {
 public:
  /// `regularizer` may be null (plain masked training).
  TorchEngine(models::Model& model, Masks& masks, Regularizer* regularizer, const DataLoss& loss,
              const train::TensorSource& train_data, train::TrainOptions options,
              bool multiply_mask_after_each_batch, int64_t eval_batch_size);
  std::string name() const override { return "libtorch"; }
  void fit(int64_t max_epochs, const EpochCallback& after_epoch) override;
  torch::optim::Optimizer* optimizer() override { return optimizer_; }
  EvalSummary evaluate(const train::TensorSource& data) override;

 private:
  void on_after_backward(train::TrainState& s) override;
  void on_batch_end(train::TrainState& s) override;
  void on_epoch_end(train::TrainState& s) override;

  models::Model& model_;
  Masks& masks_;
  Regularizer* reg_;
  DataLoss loss_;
  const train::TensorSource& train_;
  train::TrainOptions options_;
  bool mask_each_batch_;
  int64_t eval_batch_size_;
  const EpochCallback* callback_ = nullptr;
  torch::optim::Optimizer* optimizer_ = nullptr;
  std::vector<torch::Tensor> stashed_;
};

/// Loss and accuracy of any model on `data` (eval mode, no grad).
EvalSummary evaluate_model(models::Model& model, const DataLoss& loss, const train::TensorSource& data,
                           int64_t batch_size);

}  // namespace nnc::prune
