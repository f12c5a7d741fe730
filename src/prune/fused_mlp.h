#pragma once
// The fused small-MLP path: forward, backward, masks, regulariser and Adam for an MLP with
// tanh/ReLU/sigmoid/identity hidden layers on regression targets (MSE or the Gaussian loss),
// computed with Eigen directly on the LibTorch parameters' memory. Teacher-student training
// is dominated by tiny matrix ops where LibTorch's per-op overhead rules (~0.6 ms a step for
// [2,25,25,1]); this path does the identical maths (checked against TorchEngine in the
// tests) without the dispatcher. The regulariser code is the same as on the LibTorch path.
#include <Eigen/Core>

#include "models/mlp.h"
#include "prune/engine.h"
#include "prune/mask.h"
#include "prune/regularizer.h"

namespace nnc::prune {

struct FusedMlpOptions {
  double lr = 1e-3;  ///< Adam, as torch::optim::Adam with its default betas and eps
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  int64_t batch_size = 500;
  uint64_t seed = 0;  ///< shuffling, as the Trainer's
  bool multiply_mask_after_each_batch = true;
};

class FusedMlpEngine : public Engine {
 public:
  using RowMat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

  FusedMlpEngine(models::MLP& mlp, Masks& masks, Regularizer* regularizer, const DataLoss& loss,
                 const train::TensorSource& train_data, FusedMlpOptions options);
  ~FusedMlpEngine() override;
  /// "" when `model` with `loss` and `optimizer` can use this path, else why not.
  static std::string unsupported_reason(const models::Model& model, const DataLoss& loss,
                                        const std::string& optimizer);

  std::string name() const override { return "fused-eigen"; }
  void fit(int64_t max_epochs, const EpochCallback& after_epoch) override;
  torch::optim::Optimizer* optimizer() override { return nullptr; }
  EvalSummary evaluate(const train::TensorSource& data) override;

  /// One training step on a batch (x [n,in], y [n,out], contiguous float32); returns the
  /// batch loss. Allocates the optimizer state on first use.
  double step(const torch::Tensor& x, const torch::Tensor& y);
  /// Drops the optimizer state (as a fresh torch optimizer would start).
  void reset_optimizer();
  /// The instruction set this path was compiled for ("avx2+fma" or "sse2").
  static const char* isa();

 private:
  void ensure_state();
  double forward(const float* x, int64_t n);  // fills z_/a_; returns nothing meaningful
  /// Masked gradients of every layer, last to first, from the output error `dz` (already
  /// scaled by the loss's derivative).
  void backward(const float* x, int64_t n, RowMat dz);
  /// One Adam step on every parameter, companion and (Gaussian loss) sigma.
  void adam_step(double mse, double sigma);
  void adam(float* p, const float* g, float* m, float* v, int64_t n, double step_size, double bc2_sqrt);

  models::MLP& mlp_;
  Masks& masks_;
  Regularizer* reg_;
  DataLoss loss_;
  const train::TensorSource& train_;
  FusedMlpOptions o_;
  std::vector<size_t> w_entry_, b_entry_;
  std::vector<int> act_;  // 0 identity, 1 tanh, 2 relu, 3 sigmoid
  std::vector<RowMat> z_, a_, we_;
  std::vector<Eigen::VectorXf> be_;
  int64_t steps_ = 0;
  bool state_ready_ = false;
  size_t extras_per_entry_ = 0;
  float sigma_m_ = 0, sigma_v_ = 0;
};

}  // namespace nnc::prune
