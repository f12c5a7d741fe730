#pragma once
// The three phases of every pruning procedure (docs/pruning.md#the-three-phases):
//  1. regularised training (min_epochs..max_epochs) with saturation checks every
//     prune_window epochs, optional shrinking (prune_and_shrink on the TRAINING set), and
//     the best state at the lowest validation loss;
//  2. the final prune on the VALIDATION set (optional layerwise pruning, then
//     prune_and_shrink = RGP -> TAMADE -> RGP -> neuron deletion -> m = (theta != 0));
//  3. masked fine-tuning with alpha = rho = 0 (finetuning_min/max_epochs), same tests.
//
// The procedure runs where the model's parameters are (the data may be there too): a GPU
// takes the LibTorch path with the regularisers in torch ops; the fused small-MLP path is CPU
// code, so `fused = auto` picks it only for CPU models and `fused = on` refuses others.
//
// Example:
//   Procedure p(model, data, options, pruner_registry().create(values)); PruneOutcome out = p.run();
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/model.h"
#include "prune/engine.h"
#include "prune/mask.h"
#include "prune/prune_options.h"
#include "prune/pruner.h"
#include "train/batch_source.h"

namespace nnc::prune {

struct PruneData {
  std::shared_ptr<train::TensorSource> train, val, test;
  int64_t num_classes = 0;  ///< 0 = regression
};

struct EpochRow {
  std::string phase;  ///< "train" | "finetune"
  int64_t epoch = 0;
  double train_loss = 0, train_accuracy = 0, val_loss = 0, val_accuracy = 0;
  int64_t l0 = 0;
};

struct PruneOutcome {
  std::vector<EpochRow> epochs;
  EvalSummary train, val, test;  ///< final; train on the first 500 batches only
  int64_t parameters = 0;        ///< of the dense model
  int64_t l0 = 0;                ///< mask sum (biases/BN included)
  int64_t nonzeros = 0;          ///< true count
  double compression_ratio = 0;  ///< parameters / nonzeros
  double sigma = 0;              ///< Gaussian loss only
  int64_t phase1_epochs = 0, phase3_epochs = 0;
  std::string engine;            ///< libtorch | fused-eigen
  bool classification = false;   ///< else regression (losses only)
  bool gauss_loss = false;       ///< sigma is meaningful
  std::vector<std::string> notes;
  double seconds = 0;
};

/// Receives each note of a run as it happens ("phase 1: training on the libtorch path, ...");
/// the pillar prints nothing itself, a caller (the kind) decides where notes go.
using NoteSink = std::function<void(const std::string&)>;

/// A run's validated choices: the options every procedure reads and the selected pruner,
/// built from its own options.
struct PruneSetup {
  PruneOptions options;
  std::unique_ptr<Pruner> pruner;
};
/// From option values (the keys of PruneOptions::fields() and of the pruner `procedure`
/// selects; the others are ignored); `seed` is the run's. Errors name the option.
PruneSetup prune_setup_from(const OptionValues& values, uint64_t seed);
/// The procedure `setup` describes, on `model` and `data` (where the model is).
/// Notes go to `on_note` (may be empty) and into the outcome.
PruneOutcome run_pruning(models::ModelPtr model, PruneData data, PruneSetup setup, NoteSink on_note = nullptr);

class Procedure {
 public:
  /// `pruner` is the procedure `options.procedure` names, built from its own options.
  Procedure(models::ModelPtr model, PruneData data, PruneOptions options, std::unique_ptr<Pruner> pruner);
  ~Procedure();
  PruneOutcome run();

  // What pruners use in phase 2.
  const PruneOptions& options() const { return o_; }
  const train::TensorSource& train() const { return *data_.train; }
  const train::TensorSource& val() const { return *data_.val; }
  Masks& masks() { return *masks_; }
  models::Model& model() { return *model_; }
  const DataLoss& loss() const { return loss_; }
  /// Phase 1's regulariser (null for plain training).
  Regularizer* regularizer() { return reg_.get(); }
  /// RGP -> TAMADE -> RGP -> neuron deletion (if enabled) -> m = (theta != 0) -> regulariser's rule.
  void prune_and_shrink(const train::TensorSource& data, torch::optim::Optimizer* optimizer);
  /// Layerwise pruning on `data` (MLPs only).
  void layerwise(const train::TensorSource& data);
  /// After a pruner changed parameters itself: m = (theta != 0), regulariser's rule.
  void refresh_masks();
  /// Records a note in the outcome and passes it to the sink.
  void note(const std::string& line);
  void set_note_sink(NoteSink sink) { on_note_ = std::move(sink); }

 private:
  enum class Phase { Train, Finetune };
  std::unique_ptr<Engine> make_engine(Phase phase);
  /// Phase 1 or 3: trains until converged or max_epochs, then restores the best state.
  void train_phase(Phase phase);
  void evaluate_final();
  bool after_epoch(Phase phase, const EpochReport& r, int64_t max_epochs);
  std::vector<torch::Tensor> state_tensors();
  int64_t random_gradient_pruning_step(bool mse);

  models::ModelPtr model_;
  PruneData data_;
  PruneOptions o_;
  std::unique_ptr<Pruner> pruner_;
  torch::Device device_ = torch::kCPU;  ///< where the model's parameters are
  std::unique_ptr<Masks> masks_;
  std::unique_ptr<Regularizer> reg_;
  DataLoss loss_;
  Engine* engine_ = nullptr;
  PruneOutcome out_;
  NoteSink on_note_;
  std::vector<double> train_log_, val_log_;
  double best_loss_ = 0;
  bool has_best_ = false;
  std::vector<torch::Tensor> best_;
  int64_t l0_ = 0;
  int64_t rgp_calls_ = 0;
};

}  // namespace nnc::prune
