#include "prune/problem.h"

#include <torch/torch.h>

#include "core/error.h"
#include "core/seed.h"
#include "models/zoo.h"

namespace nnc::prune {

const OptionFields<ClassificationSetup>& ClassificationSetup::fields() {
  using O = ClassificationSetup;
  static const auto f = OptionFields<O>()
      .add("val_fraction", &O::val_fraction, "fraction of the training set held out for validation (pruning data)")
      .add("model", &O::model, "zoo model (classification datasets): " + models::model_registry().joined_names())
      .add("activation", &O::activation, "MLP activation for zoo MLPs");
  return f;
}

PruneProblem classification_problem(const data::Dataset& train, const data::Dataset& test,
                                     const ClassificationSetup& setup, models::ModelOptions model_options,
                                     uint64_t seed, const torch::Device& device) {
  NNC_CHECK(train.is_classification(), "prune: dataset '{}' is not a classification set; use teacher-student "
            "for regression", train.name);
  auto splits = data::split_train_val(train, test, setup.val_fraction, derive_seed(seed, "prune-val-split"));
  NNC_CHECK(splits.val.size() > 0, "option 'val_fraction': {} leaves no validation samples", setup.val_fraction);
  torch::manual_seed(seed);
  PruneProblem p;
  p.model = models::make_model(setup.model, model_options.activation(setup.activation));
  p.model->to(device);
  auto source = [&](const data::Dataset& d) { return std::make_shared<train::TensorSource>(d, device); };
  p.data.train = source(splits.train), p.data.val = source(splits.val), p.data.test = source(splits.test);
  p.data.num_classes = train.num_classes;
  return p;
}

}  // namespace nnc::prune
