#include "prune/torch_engine.h"

#include <torch/torch.h>

#include "prune/gauss_loss.h"
#include "train/evaluate.h"

namespace nnc::prune {

torch::Tensor DataLoss::operator()(const torch::Tensor& out, const torch::Tensor& target) const {
  if (gauss) return gauss_loss(out, target, sigma);
  return plain(out, target);
}

torch::Tensor DataLoss::plain(const torch::Tensor& out, const torch::Tensor& target) const {
  if (classification) return torch::nn::functional::cross_entropy(out, target);
  return torch::mse_loss(out, target.view_as(out));
}

EvalSummary evaluate_model(models::Model& model, const DataLoss& loss, const train::TensorSource& data,
                           int64_t batch_size) {
  torch::NoGradGuard g;
  bool was_training = model.is_training();
  model.eval();
  auto device = model.parameters().empty() ? torch::Device(torch::kCPU) : model.parameters()[0].device();
  int64_t n = data.size();
  if (batch_size <= 0) batch_size = n;
  auto out = train::predict([&](const torch::Tensor& x) { return model.forward(x); }, data, batch_size, device);
  model.train(was_training);
  auto y = data.targets();  // both on the CPU (predict's outputs are), and so is sigma here
  DataLoss host_loss = loss;
  if (loss.gauss) host_loss.sigma = loss.sigma.detach().to(torch::kCPU);
  EvalSummary s;
  s.plain_loss = host_loss.plain(out, y).item<double>();
  s.loss = loss.gauss ? host_loss(out, y).item<double>() : s.plain_loss;
  if (loss.classification) s.accuracy = out.argmax(1).eq(y).to(torch::kFloat64).mean().item<double>();
  return s;
}

TorchEngine::TorchEngine(models::Model& model, Masks& masks, Regularizer* regularizer, const DataLoss& loss,
                         const train::TensorSource& train_data, train::TrainOptions options,
                         bool multiply_mask_after_each_batch, int64_t eval_batch_size)
    : model_(model),
      masks_(masks),
      reg_(regularizer),
      loss_(loss),
      train_(train_data),
      options_(std::move(options)),
      mask_each_batch_(multiply_mask_after_each_batch),
      eval_batch_size_(eval_batch_size) {}

void TorchEngine::fit(int64_t max_epochs, const EpochCallback& after_epoch) {
  callback_ = &after_epoch;
  std::vector<torch::Tensor> extra;
  if (reg_) extra = reg_->extra_parameters();
  if (loss_.gauss) extra.push_back(loss_.sigma);
  masks_.apply();
  auto forward = [this](const torch::Tensor& x) {
    if (!mask_each_batch_) {  // loss at theta*m without losing theta's pruned entries
      torch::NoGradGuard g;
      stashed_.clear();
      for (auto& e : masks_.entries()) {
        stashed_.push_back(e.param.detach().clone());
        e.param.mul_(e.mask);
      }
    }
    return model_.forward(x);
  };
  auto loss = loss_;
  train::Trainer trainer(train::TrainOptions(options_).epochs(max_epochs));
  trainer.add_hook(this).loss([loss](const torch::Tensor& o, const torch::Tensor& y) { return loss(o, y); });
  trainer.extra_parameters(extra);
  trainer.fit(model_, forward, train_);
  optimizer_ = nullptr;
  callback_ = nullptr;
  masks_.apply();
}

void TorchEngine::on_after_backward(train::TrainState& s) {
  optimizer_ = s.optimizer;
  if (!stashed_.empty()) {
    torch::NoGradGuard g;
    for (size_t i = 0; i < stashed_.size(); ++i) masks_.entries()[i].param.copy_(stashed_[i]);
    stashed_.clear();
  }
  masks_.mask_gradients();
  if (reg_) reg_->add_gradients();
}

void TorchEngine::on_batch_end(train::TrainState&) {
  if (reg_) reg_->after_step();
  if (mask_each_batch_) masks_.apply();
}

void TorchEngine::on_epoch_end(train::TrainState& s) {
  optimizer_ = s.optimizer;
  s.loss = torch::Tensor();  // release the last graph before the procedure prunes or deletes
  EpochReport r{s.epoch + 1, s.epoch_loss, s.epoch_accuracy};
  if ((*callback_)(r)) s.stop = true;
}

EvalSummary TorchEngine::evaluate(const train::TensorSource& data) {
  if (mask_each_batch_) return evaluate_model(model_, loss_, data, eval_batch_size_);
  // theta keeps its pruned entries between batches: evaluate at theta*m, as training does.
  torch::NoGradGuard g;
  std::vector<torch::Tensor> saved;
  for (auto& e : masks_.entries()) {
    saved.push_back(e.param.detach().clone());
    e.param.mul_(e.mask);
  }
  auto s = evaluate_model(model_, loss_, data, eval_batch_size_);
  for (size_t i = 0; i < saved.size(); ++i) masks_.entries()[i].param.copy_(saved[i]);
  return s;
}

}  // namespace nnc::prune
