#include "experiment/kinds/cgp_common.h"

#include <torch/torch.h>

#include <filesystem>

#include "data/paths.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/trained_model.h"
#include "models/zoo.h"

namespace nnc::experiment {
namespace {

std::string resolve_costs(const std::string& path) {
  if (path.empty() || std::filesystem::exists(path)) return path;
  auto in_source = std::filesystem::path(data::source_dir()) / path;
  if (std::filesystem::path(path).is_relative() && std::filesystem::exists(in_source))
    return in_source.string();
  return path;  // CostTable::load names the missing file
}

/// The model's conv/linear weights (what quant quantizes and a CGP experiment may read).
std::vector<cgp::LayerShape> weight_layers_of(const torch::nn::Module& model) {
  std::vector<cgp::LayerShape> out;
  for (const auto& p : model.named_parameters())
    if (p.value().dim() >= 2) out.push_back({p.key(), p.value().sizes().vec()});
  return out;
}

/// The layers option `layers` selects, checked against the experiment.
std::vector<std::string> selected_layers(const RunConfig& c, const cgp::WeightExperiment& e,
                                         const torch::nn::Module& model) {
  const auto chosen = cgp::select_layers(weight_layers_of(model), c.get_string("layers"),
                                         e.default_layer_count());
  e.check_layers(chosen);
  std::vector<std::string> names;
  for (const auto& l : chosen) names.push_back(l.name);
  return names;
}

/// `weights` (names, shapes, scales) holding the values of `layers`.
std::vector<quant::Int8Weights> with_values(std::vector<quant::Int8Weights> weights,
                                            const std::vector<cgp::WeightLayer>& layers) {
  for (size_t i = 0; i < weights.size(); ++i) weights[i].q = layers[i].q;
  return weights;
}

}  // namespace

std::vector<OptionSpec> cgp_model_options() {
  auto o = data_options("mnist-digits");
  o.push_back({"model", std::string("lenet5-classic"),
               "zoo model with conv/linear layers: lenet5-classic (the original's 6/16 filters: "
               "conv1 -> conv2 is 150 -> 2400 weights), lenet5 (Caffe, 20/50 filters), "
               "mobilenetv2 (32x32x3 data), resnet18, ...",
               models::model_registry().names()});
  OptionSpec layers{"layers", std::string(""),
                    "comma-separated weight layers the experiment reads, in order (names as in "
                    "the model, '.weight' optional; layer-bypass: A,B infers B from A; no-input: "
                    "one or more; all-layers: 3x3 or 5x5 conv layers of one size); empty = the "
                    "model's first two (LeNet-5: conv1,conv2). An unknown name lists the valid ones"};
  layers.aliases = {"layer"};
  layers.hashed_at_default = false;  // runs stored before the option keep their ids
  o.push_back(layers);
  o.push_back({"checkpoint", std::string(""),
               "safetensors of the trained model (empty = train one first with `epochs`)"});
  o.push_back(cgp::weight_experiment_registry().selector_option("layer-bypass"));
  o.push_back({"costs", std::string("data/cgp/default_costs.txt"),
               "cost table (relative paths also tried in the source tree; empty = built-in unit table)"});
  o.push_back({"eval_batch_size", int64_t{512}, "evaluation batch size"});
  auto t = training_options(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(2).batch_size(128));
  o.insert(o.end(), t.begin(), t.end());
  merge_option_specs(o, cgp::weight_experiment_registry().option_specs());
  return o;
}

cgp::CostTable cost_table_of(const RunConfig& c) {
  const std::string p = resolve_costs(c.get_string("costs"));
  return p.empty() ? cgp::CostTable::unit_default() : cgp::CostTable::load(p);
}

void check_layer_selection(const RunConfig& c) {
  const auto experiment = cgp::weight_experiment_registry().create(c.values());
  const auto model = models::make_model(c.get_string("model"), models::ModelOptions());
  selected_layers(c, *experiment, *model);
}

Int8Reference int8_reference(RunContext& ctx, const cgp::WeightExperiment& experiment,
                             const std::string& what) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  auto [train_set, test_set] = load_data(c);
  Int8Reference r;
  r.model = trained_model(ctx, model_options_for(train_set), train::TensorSource(train_set), what);
  r.model->to(exec.device);
  auto test_data = std::make_shared<train::TensorSource>(test_set, exec.device);
  r.evaluate = [model = r.model, test_data, exec, classes = test_set.num_classes,
                bs = c.get_int("eval_batch_size")] {
    return train::evaluate(*model, *test_data, classes, bs, exec);
  };
  r.float_eval = r.evaluate();
  record_eval3(ctx.record, "float", r.float_eval);
  r.names = selected_layers(c, experiment, *r.model);
  r.int8 = quant::quantize_model_weights(*r.model, r.names);
  r.ref_eval = r.evaluate();
  record_eval3(ctx.record, "ref", r.ref_eval);
  for (auto& w : r.int8) r.layers.push_back({w.name, w.shape, w.q});
  fmt::print(stderr, "[{}] test top-1 float {:.4f}, int8 weights {:.4f} (top-5 {:.4f}, loss {:.4f})\n",
             what, r.float_eval.accuracy, r.ref_eval.accuracy, r.ref_eval.top5, r.ref_eval.loss);
  return r;
}

train::EvalResult evaluate_substituted(const Int8Reference& ref, const cgp::WeightApproximation& a) {
  quant::substitute(*ref.model, with_values(ref.int8, a.weights));
  return ref.evaluate();
}

void record_eval3(RunRecord& r, const std::string& prefix, const train::EvalResult& e) {
  r.metrics[prefix + "_top1"] = e.accuracy;
  r.metrics[prefix + "_top5"] = e.top5;
  r.metrics[prefix + "_loss"] = e.loss;
}

void record_deltas(RunRecord& r, const train::EvalResult& ref, const train::EvalResult& sub) {
  r.metrics["delta_top1"] = sub.accuracy - ref.accuracy;
  r.metrics["delta_top5"] = sub.top5 - ref.top5;
  r.metrics["delta_loss"] = sub.loss - ref.loss;
}

}  // namespace nnc::experiment
