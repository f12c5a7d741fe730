// `nncompress train`: any zoo model on any dataset.
#include <torch/torch.h>

#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "models/safetensors.h"
#include "models/zoo.h"

namespace nnc::experiment {
namespace {

void run_train(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  auto [train_set, test_set] = load_data(c);
  auto mopts = model_options_for(train_set).activation(c.get_string("activation"));
  torch::manual_seed(static_cast<uint64_t>(c.get_int("seed")));
  auto model = models::make_model(c.get_string("model"), mopts);
  fmt::print(stderr, "[train] {} on {} ({} train / {} test samples)\n", model->describe(),
             train_set.name, train_set.size(), test_set.size());
  train::TensorSource train_data(train_set, exec.device), test_data(test_set, exec.device);
  auto result = train::Trainer(training_from(c).label("train " + c.get_string("model")))
                    .fit(*model, train_data);
  record_history(ctx, result);
  const int64_t eval_batch = train::default_eval_batch(exec.device);
  record_eval(ctx.record, "test", train::evaluate(*model, test_data, test_set.num_classes, eval_batch, exec));
  record_eval(ctx.record, "train", train::evaluate(*model, train_data, train_set.num_classes, eval_batch, exec));
  ctx.record.metrics["parameters"] = static_cast<double>(models::count_parameters(*model));
  if (c.get_bool("save_weights"))
    models::save_safetensors(models::module_state(*model), ctx.artifact("weights", "model.safetensors"),
                             {{"model", c.get_string("model")}, {"dataset", train_set.name}});
}

}  // namespace

ExperimentKind train_kind() {
  ExperimentKind k;
  k.name = "train";
  k.help = "Train a zoo model on a dataset";
  k.options = data_options();
  k.options.push_back({"model", std::string("lenet5"),
                       "zoo model: " + models::model_registry().joined_names()});
  k.options.push_back({"activation", std::string("relu"), "MLP activation: relu | tanh | sigmoid | identity"});
  k.options.push_back({"save_weights", true, "write the trained weights as safetensors"});
  auto t = training_options(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(2).batch_size(128));
  k.options.insert(k.options.end(), t.begin(), t.end());
  k.run = run_train;
  k.check = [](const RunConfig& c) {
    NNC_CHECK(models::model_registry().contains(c.get_string("model")), "option 'model': unknown model '{}': "
              "expected one of {}", shown(c.get_string("model")), models::model_registry().joined_names());
    check_training(c);
  };
  return k;
}

}  // namespace nnc::experiment
