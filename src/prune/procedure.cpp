#include "prune/procedure.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "core/seed.h"
#include "models/mlp.h"
#include "prune/fused_mlp.h"
#include "prune/gauss_loss.h"
#include "prune/layerwise.h"
#include "prune/neuron_deletion.h"
#include "prune/random_gradient_pruning.h"
#include "prune/saturation.h"
#include "prune/tamade.h"
#include "prune/torch_engine.h"

namespace nnc::prune {

Procedure::Procedure(models::ModelPtr model, PruneData data, PruneOptions options, std::unique_ptr<Pruner> pruner)
    : model_(std::move(model)), data_(std::move(data)), o_(std::move(options)), pruner_(std::move(pruner)) {
  o_.validate();
  NNC_CHECK(pruner_, "prune: no pruner for procedure '{}'", o_.procedure);
  NNC_CHECK(data_.train && data_.val && data_.test && data_.train->size() > 0 && data_.val->size() > 0,
            "prune: the training and validation sets must be non-empty");
  auto params = model_->parameters();
  if (!params.empty()) device_ = params.front().device();
  loss_.classification = data_.num_classes > 0;
  NNC_CHECK(!o_.gauss_loss || !loss_.classification,
            "option 'gauss_loss': the Gaussian loss applies to regression (teacher-student) only");
  if (o_.gauss_loss) {
    loss_.gauss = true;
    loss_.sigma = torch::full({}, kGaussSigmaInit, torch::TensorOptions(torch::kFloat32).device(device_))
                      .set_requires_grad(true);
  }
  masks_ = std::make_unique<Masks>(*model_);
  reg_ = pruner_->make_regularizer(*masks_);
  out_.parameters = masks_->total();
  out_.classification = loss_.classification;
  out_.gauss_loss = loss_.gauss;
  l0_ = masks_->l0();
}

PruneSetup prune_setup_from(const OptionValues& values, uint64_t seed) {
  PruneSetup s;
  s.options = PruneOptions::fields().from(values);
  s.options.seed = seed;
  s.options.validate();
  s.pruner = pruner_registry().create(values);
  return s;
}

PruneOutcome run_pruning(models::ModelPtr model, PruneData data, PruneSetup setup, NoteSink on_note) {
  Procedure procedure(std::move(model), std::move(data), std::move(setup.options), std::move(setup.pruner));
  procedure.set_note_sink(std::move(on_note));
  return procedure.run();
}

Procedure::~Procedure() = default;

void Procedure::note(const std::string& line) {
  if (on_note_) on_note_(line);
  out_.notes.push_back(line);
}

std::unique_ptr<Engine> Procedure::make_engine(Phase phase) {
  std::string why = FusedMlpEngine::unsupported_reason(*model_, loss_, o_.optimizer);
  NNC_CHECK(o_.fused != "on" || why.empty(), "option 'fused': 'on' but the fused path cannot run this: {}", why);
  if (o_.fused != "off" && why.empty()) {
    FusedMlpOptions f;
    f.lr = o_.lr;
    f.batch_size = o_.train_batch_size;
    f.seed = derive_seed(o_.seed, phase == Phase::Train ? "prune-train" : "prune-finetune");
    f.multiply_mask_after_each_batch = o_.multiply_mask_after_each_batch;
    return std::make_unique<FusedMlpEngine>(dynamic_cast<models::MLP&>(*model_), *masks_, reg_.get(), loss_,
                                            *data_.train, f);
  }
  auto t = train::TrainOptions()
               .optimizer(o_.optimizer)
               .lr(o_.lr)
               .momentum(0.0)
               .batch_size(o_.train_batch_size)
               .seed(derive_seed(o_.seed, phase == Phase::Train ? "prune-train" : "prune-finetune"))
               .label(phase == Phase::Train ? "prune " + o_.procedure : "finetune")
               .device(device_.str());
  return std::make_unique<TorchEngine>(*model_, *masks_, reg_.get(), loss_, *data_.train, t,
                                       o_.multiply_mask_after_each_batch, o_.val_batch_size);
}

std::vector<torch::Tensor> Procedure::state_tensors() {
  std::vector<torch::Tensor> out;
  for (auto& e : masks_->entries()) {
    out.push_back(e.param);
    out.push_back(e.mask);
    for (auto& c : e.companions) out.push_back(c);
  }
  if (loss_.gauss) out.push_back(loss_.sigma);
  return out;
}

namespace {
void save_into(std::vector<torch::Tensor>& saved, const std::vector<torch::Tensor>& live) {
  torch::NoGradGuard g;
  bool same = saved.size() == live.size();
  for (size_t i = 0; same && i < live.size(); ++i) same = saved[i].sizes() == live[i].sizes();
  if (!same) {
    saved.clear();
    for (const auto& t : live) saved.push_back(t.detach().clone());
    return;
  }
  for (size_t i = 0; i < live.size(); ++i) {
    if (live[i].is_contiguous() && live[i].device().is_cpu())
      std::memcpy(saved[i].data_ptr(), live[i].data_ptr(), live[i].nbytes());
    else
      saved[i].copy_(live[i]);
  }
}
}  // namespace

bool Procedure::after_epoch(Phase phase, const EpochReport& r, int64_t max_epochs) {
  const bool train_phase = phase == Phase::Train;
  auto ev = engine_->evaluate(*data_.val);
  train_log_.push_back(r.train_loss);
  val_log_.push_back(ev.loss);
  out_.epochs.push_back({train_phase ? "train" : "finetune", r.epoch, r.train_loss, r.train_accuracy, ev.loss,
                         ev.accuracy, l0_});
  if (!has_best_ || ev.loss < best_loss_) {
    best_loss_ = ev.loss;
    has_best_ = true;
    save_into(best_, state_tensors());
  }
  const int64_t min_epochs = train_phase ? o_.min_epochs : o_.finetuning_min_epochs;
  const bool check = (r.epoch % o_.prune_window == 0 || r.epoch == max_epochs) &&
                     r.epoch >= std::max(min_epochs, o_.smoothing_window + 3);
  if (!check) return false;
  const bool shrinking = train_phase ? o_.shrinking : o_.finetuning_shrinking;
  if (shrinking && (is_saturated(train_log_, o_.smoothing_window, o_.shrinking_from_deviation_of) ||
                    r.epoch == max_epochs)) {
    if (train_phase ? o_.layerwise_pruning : o_.finetuning_layerwise_pruning) layerwise(*data_.train);
    prune_and_shrink(*data_.train, engine_->optimizer());
    has_best_ = false;  // the best state is chosen among pruned states from now on
  }
  const bool converge_val = train_phase ? o_.converge_val_loss : o_.finetuning_converge_val_loss;
  return is_saturated(converge_val ? val_log_ : train_log_, o_.smoothing_window, 1e-10) &&
         (!reg_ || reg_->allows_stop());
}

int64_t Procedure::random_gradient_pruning_step(bool mse) {
  const auto& d = *data_.train;
  int64_t b = std::min<int64_t>(o_.train_batch_size, d.size());
  RgpInput in;
  in.input_shape = d.inputs().sizes().vec();
  in.input_shape[0] = b;
  if (loss_.classification && !mse) {
    in.target_shape = {b};
    in.num_classes = data_.num_classes;
  } else {
    torch::NoGradGuard g;
    bool was = model_->is_training();
    model_->eval();
    auto first = torch::arange(1, torch::TensorOptions(torch::kInt64).device(d.index_device(device_)));
    auto out = model_->forward(d.get(first).inputs.to(device_));
    model_->train(was);
    in.target_shape = {b, out.size(1)};
  }
  DataLoss mse_loss;
  const DataLoss& l = mse ? mse_loss : loss_;
  return random_gradient_pruning(
      *model_, [this](const torch::Tensor& x) { return model_->forward(x); }, *masks_,
      [&l](const torch::Tensor& o, const torch::Tensor& y) { return l(o, y); }, in,
      derive_seed(o_.seed, "rgp") + static_cast<uint64_t>(rgp_calls_++));
}

void Procedure::prune_and_shrink(const train::TensorSource& data, torch::optim::Optimizer* optimizer) {
  masks_->apply();  // a designated pruning stage (matters with multiply_mask_after_each_batch = false)
  int64_t before = masks_->nonzeros();
  int64_t rgp1 = o_.random_gradient_pruning ? random_gradient_pruning_step(false) : 0;
  TamadeOptions t;
  t.delta = o_.tolerated_relative_loss_increase;
  t.resolution = o_.binary_search_resolution;
  t.accuracy_tolerance = loss_.classification ? o_.tolerated_accuracy_drop : -1;
  const int64_t bs = o_.val_batch_size;
  ModelMetric metric = t.accuracy_tolerance >= 0
                           ? ModelMetric([&] { return evaluate_model(*model_, loss_, data, bs).accuracy; })
                           : ModelMetric([&] { return evaluate_model(*model_, loss_, data, bs).plain_loss; });
  auto tr = tamade(*masks_, metric, t);
  int64_t rgp2 = o_.random_gradient_pruning ? random_gradient_pruning_step(false) : 0;
  std::string deleted;
  if (o_.delete_neurons) {
    if (auto* mlp = dynamic_cast<models::MLP*>(model_.get())) {
      auto rep = delete_neurons(*mlp, *masks_, optimizer);
      deleted = fmt::format(", deleted {} neurons -> widths {}", rep.deleted, fmt::join(rep.widths, "-"));
      for (auto& n : rep.notes) note(n);
    } else {
      deleted = ", neuron deletion skipped (not an MLP)";
    }
  }
  refresh_masks();
  note(fmt::format("prune_and_shrink on {} samples: nonzeros {} -> {} (rgp {}, TAMADE t={:.4g} zeroed {}, {} {:.5g} -> "
                   "{:.5g}, rgp {}){}",
                   data.size(), before, masks_->nonzeros(), rgp1, tr.threshold, tr.pruned,
                   t.accuracy_tolerance >= 0 ? "accuracy" : "loss", tr.loss_before, tr.loss_after, rgp2, deleted));
}

void Procedure::layerwise(const train::TensorSource& data) {
  auto* mlp = dynamic_cast<models::MLP*>(model_.get());
  NNC_CHECK(mlp, "layerwise pruning needs an MLP model (lenet300100, mlp, teacher-student), got {}",
            model_->describe());
  LayerwiseOptions lo;
  lo.alpha = o_.layerwise_pruning_alpha;
  lo.lr = o_.layerwise_pruning_lr;
  lo.mask_start_value = o_.layerwise_pruning_mask_start_value;
  lo.max_epochs = o_.layerwise_pruning_max_epochs;
  lo.smoothing_window = o_.smoothing_window;
  lo.batch_size = o_.train_batch_size;
  int64_t before = masks_->nonzeros();
  auto rep = layerwise_prune(*mlp, *masks_, data.inputs(), lo, [this] {
    if (o_.random_gradient_pruning) random_gradient_pruning_step(true);
  });
  refresh_masks();
  note(fmt::format("layerwise pruning: nonzeros {} -> {} ({} refit epochs)", before, masks_->nonzeros(), rep.epochs));
}

void Procedure::refresh_masks() {
  masks_->update_from_nonzero();
  if (reg_) reg_->after_prune();
  l0_ = masks_->l0();
}

void Procedure::train_phase(Phase phase) {
  const bool train = phase == Phase::Train;
  const int64_t max_epochs = train ? o_.max_epochs : o_.finetuning_max_epochs;
  auto engine = make_engine(phase);
  if (train) {
    out_.engine = engine->name();
    note(fmt::format("phase 1: training on the {} path, {}..{} epochs", engine->name(), o_.min_epochs, max_epochs));
  } else {
    train_log_.clear(), val_log_.clear();
    note(fmt::format("phase 3: fine-tuning {}..{} epochs", o_.finetuning_min_epochs, max_epochs));
  }
  engine_ = engine.get();
  has_best_ = false;
  engine->fit(max_epochs, [this, phase, train, max_epochs](const EpochReport& r) {
    ++(train ? out_.phase1_epochs : out_.phase3_epochs);
    return after_epoch(phase, r, max_epochs);
  });
  engine_ = nullptr;
  if (has_best_) {
    torch::NoGradGuard g;
    auto live = state_tensors();
    for (size_t i = 0; i < live.size(); ++i) live[i].copy_(best_[i]);
  }
}

void Procedure::evaluate_final() {
  // Train on the first 500 batches only, as the original.
  const auto& tr = *data_.train;
  int64_t n_train = std::min<int64_t>(tr.size(), 500 * o_.train_batch_size);
  train::TensorSource train_head(tr.inputs().slice(0, 0, n_train), tr.targets().slice(0, 0, n_train));
  out_.train = evaluate_model(*model_, loss_, train_head, o_.val_batch_size);
  out_.val = evaluate_model(*model_, loss_, *data_.val, o_.val_batch_size);
  out_.test = evaluate_model(*model_, loss_, *data_.test, o_.val_batch_size);
  out_.l0 = masks_->l0();
  out_.nonzeros = masks_->nonzeros();
  out_.compression_ratio =
      out_.nonzeros > 0 ? static_cast<double>(out_.parameters) / static_cast<double>(out_.nonzeros)
                        : std::numeric_limits<double>::infinity();
  out_.sigma = loss_.gauss ? loss_.sigma.item<double>() : 0.0;
}

PruneOutcome Procedure::run() {
  auto t0 = std::chrono::steady_clock::now();
  note(fmt::format("{} on {} ({} parameters), {}", o_.procedure, model_->describe(), out_.parameters,
                   reg_ ? reg_->describe() : std::string("no regulariser")));
  train_phase(Phase::Train);            // 1: regularised training
  pruner_->final_prune(*this);          // 2: the final prune on the validation set
  if (reg_) reg_->set_alpha_rho(0, 0);  // 3: masked fine-tuning, alpha = rho = 0
  if (o_.finetuning_max_epochs > 0) train_phase(Phase::Finetune);
  masks_->apply();
  evaluate_final();
  out_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  note(fmt::format("done: nonzeros {} of {} ({:.1f}x), test loss {:.5g}{}", out_.nonzeros, out_.parameters,
                   out_.compression_ratio, out_.test.loss,
                   loss_.classification ? fmt::format(", test accuracy {:.4f}", out_.test.accuracy) : ""));
  return out_;
}

}  // namespace nnc::prune
