// `nncompress cgp`: weight approximation by Cartesian Genetic Programming on a trained zoo
// model (docs/cgp.md). Train (or load) the model, int8-quantize its weights (quant/), let
// the experiment (cgp/weight_experiment.h) pose the CGP problem from the int8 weights of the
// selected layers (cgp/layer_selection.h), evolve
// a circuit, decode its outputs back into weights, substitute them into the int8 model and
// measure top-1 / top-5 / loss against the int8 reference.
#include <torch/torch.h>

#include <fmt/ranges.h>

#include <filesystem>
#include <sstream>

#include "cgp/cgp.h"
#include "cgp/weight_approximation.h"
#include "core/file_io.h"
#include "data/paths.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "experiment/kinds/trained_model.h"
#include "models/safetensors.h"
#include "models/zoo.h"
#include "quant/int8_weights.h"

namespace nnc::experiment {
namespace {

std::string resolve_costs(const std::string& path) {
  if (path.empty() || std::filesystem::exists(path)) return path;
  auto in_source = std::filesystem::path(data::source_dir()) / path;
  if (std::filesystem::path(path).is_relative() && std::filesystem::exists(in_source))
    return in_source.string();
  return path;  // CostTable::load names the missing file
}

cgp::CostTable cost_table_of(const RunConfig& c) {
  const std::string p = resolve_costs(c.get_string("costs"));
  return p.empty() ? cgp::CostTable::unit_default() : cgp::CostTable::load(p);
}

/// The evolution the options ask for (grid and multiplexing left to the experiment at 0/auto).
cgp::WeightRequest request_of(const RunConfig& c) {
  cgp::WeightRequest r;
  r.rows = int(c.get_int("rows"));
  r.cols = int(c.get_int("cols"));
  r.multiplex = c.get_string("multiplex");
  r.rms_threshold = c.get_double("rms_threshold");
  r.evolution.lookback(int(c.get_int("lookback")))
      .lambda(int(c.get_int("lambda")))
      .mutation_max(c.get_double("mutation_max"))
      .metric(cgp::parse_metric(c.get_string("metric")))
      .threshold(c.get_int("threshold"))
      .patience(c.get_int("patience"))
      .generations(c.get_int("generations"))
      .seed(uint64_t(c.get_int("seed")))
      .threads(capped_threads(c, "cgp_threads"))
      .dynamic_threshold(c.get_bool("dynamic_threshold"))
      .outputs_read_inputs(c.get_bool("outputs_read_inputs"))
      .progress(true);
  return r;
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

/// What a run refuses at its start about its layers, from an untrained model: layer names
/// and kernel shapes do not depend on the data's image size (fc1's width does, but no check
/// reads it beyond its being a multiple of the channels).
void check_cgp(const RunConfig& c) {
  const auto experiment = cgp::weight_experiment_registry().create(c.values());
  const auto model = models::make_model(c.get_string("model"), models::ModelOptions());
  selected_layers(c, *experiment, *model);
}

std::vector<cgp::WeightLayer> as_cgp_layers(const std::vector<quant::Int8Weights>& weights) {
  std::vector<cgp::WeightLayer> out;
  for (auto& w : weights) out.push_back({w.name, w.shape, w.q});
  return out;
}

/// `weights` (names, shapes, scales) holding the values of `layers`.
std::vector<quant::Int8Weights> with_values(std::vector<quant::Int8Weights> weights,
                                            const std::vector<cgp::WeightLayer>& layers) {
  for (size_t i = 0; i < weights.size(); ++i) weights[i].q = layers[i].q;
  return weights;
}

void record_eval3(RunRecord& r, const std::string& prefix, const train::EvalResult& e) {
  r.metrics[prefix + "_top1"] = e.accuracy;
  r.metrics[prefix + "_top5"] = e.top5;
  r.metrics[prefix + "_loss"] = e.loss;
}

void record_circuit(RunRecord& rec, const cgp::WeightProblem& p, const cgp::WeightApproximation& a) {
  const cgp::Result& res = a.result;
  auto& m = rec.metrics;
  m["generations"] = double(res.generations);
  m["error"] = double(res.error);
  m["energy"] = res.costs.energy;
  m["quantized_energy"] = double(res.costs.q_energy);
  m["area"] = res.costs.area;
  m["delay"] = res.costs.delay;
  m["depth"] = res.costs.depth;
  m["gate_count"] = res.costs.gate_count;
  m["threshold"] = double(res.threshold);
  m["reached_threshold"] = res.reached_threshold ? 1 : 0;
  m["cgp_seconds"] = res.seconds;
  m["generations_per_s"] = res.seconds > 0 ? double(res.generations) / res.seconds : 0;
  m["neutral_fraction"] = res.children ? double(res.neutral_children) / double(res.children) : 0;
  m["weights_inferred"] = double(p.scored);
  m["weights_changed"] = double(a.changed);
  m["weight_rmse_int8"] = a.rmse_int8;
  m["grid_rows"] = p.options.rows();
  m["grid_cols"] = p.options.cols();
  for (auto& row : res.stats) {
    rec.series["generation"].push_back(double(row.generation));
    rec.series["error"].push_back(double(row.error));
    rec.series["energy"].push_back(row.costs.energy);
  }
  rec.tags["stop_reason"] = res.stop_reason;
  rec.tags["gates"] = cgp::format_gate_statistics(res.gate_stats);
}

void print_summary(const cgp::WeightProblem& p, const cgp::WeightApproximation& a,
                   const train::EvalResult& ref, const train::EvalResult& sub) {
  const cgp::Result& res = a.result;
  fmt::print(stderr,
             "[cgp] {} generations in {:.1f} s ({:.0f} gens/s), stop: {}; error {} (threshold {}), "
             "energy {:.4g}, area {:.4g}, delay {:.4g}, {} gates; {} of {} weights differ (RMSE "
             "{:.3g} int8 steps)\n",
             res.generations, res.seconds,
             res.seconds > 0 ? double(res.generations) / res.seconds : 0, res.stop_reason,
             res.error, res.threshold, res.costs.energy, res.costs.area, res.costs.delay,
             res.costs.gate_count, a.changed, p.scored, a.rmse_int8);
  fmt::print(stderr,
             "[cgp] test top-1 {:.4f} -> {:.4f} ({:+.2f} pt), top-5 {:.4f} -> {:.4f} ({:+.2f} pt), "
             "loss {:.4f} -> {:.4f} ({:+.4f})\n",
             ref.accuracy, sub.accuracy, 100 * (sub.accuracy - ref.accuracy), ref.top5, sub.top5,
             100 * (sub.top5 - ref.top5), ref.loss, sub.loss, sub.loss - ref.loss);
}

void run_cgp(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  const auto experiment = cgp::weight_experiment_registry().create(c.values());
  const auto costs = cost_table_of(c);
  auto [train_set, test_set] = load_data(c);
  auto model = trained_model(ctx, model_options_for(train_set), train::TensorSource(train_set), "cgp");
  model->to(exec.device);
  train::TensorSource test_data(test_set, exec.device);  // evaluated after every CGP stage
  auto eval = [&, classes = test_set.num_classes, bs = c.get_int("eval_batch_size")] {
    return train::evaluate(*model, test_data, classes, bs, exec);
  };

  const auto fl = eval();
  record_eval3(ctx.record, "float", fl);
  const auto names = selected_layers(c, *experiment, *model);
  const auto int8 = quant::quantize_model_weights(*model, names);
  const auto ref = eval();
  record_eval3(ctx.record, "ref", ref);
  fmt::print(stderr, "[cgp] test top-1 float {:.4f}, int8 weights {:.4f} (top-5 {:.4f}, loss {:.4f})\n",
             fl.accuracy, ref.accuracy, ref.top5, ref.loss);

  const auto layers = as_cgp_layers(int8);
  const auto problem = cgp::weight_problem(*experiment, layers, request_of(c));
  std::ostringstream text;
  cgp::write_dataset(text, problem.data);
  write_file(ctx.artifact("dataset", "dataset.txt"), text.str());
  fmt::print(stderr, "[cgp] {} on {}: {} item(s), {} inputs -> {} outputs ({} scored)\n[cgp] {}\n",
             experiment->name(), fmt::join(names, ", "), problem.data.size(), problem.data.inputs, problem.data.outputs,
             problem.scored, problem.options.describe());
  const auto approx = cgp::approximate_weights(*experiment, layers, problem, costs);

  quant::substitute(*model, with_values(int8, approx.weights));
  const auto sub = eval();
  record_eval3(ctx.record, "cgp", sub);
  auto& m = ctx.record.metrics;
  m["delta_top1"] = sub.accuracy - ref.accuracy;
  m["delta_top5"] = sub.top5 - ref.top5;
  m["delta_loss"] = sub.loss - ref.loss;
  record_circuit(ctx.record, problem, approx);
  ctx.record.tags["label"] = fmt::format("{} {} {}x{}", experiment->name(), c.get_string("model"),
                                         problem.options.rows(), problem.options.cols());
  ctx.record.tags["layers"] = fmt::format("{}", fmt::join(names, ","));

  write_file(ctx.artifact("genome", "genome.txt"), approx.result.genome.to_string() + "\n");
  cgp::write_stats_csv(ctx.artifact("stats", "stats.csv"), approx.result.stats);
  if (const std::string& extra = c.get_string("stats_file"); !extra.empty())
    cgp::write_stats_csv(extra, approx.result.stats);
  if (c.get_bool("save_weights"))
    models::save_safetensors(models::module_state(*model), ctx.artifact("weights", "cgp.safetensors"),
                             {{"model", c.get_string("model")}, {"experiment", experiment->name()}});
  print_summary(problem, approx, ref, sub);
}

}  // namespace

ExperimentKind cgp_kind() {
  ExperimentKind k;
  k.name = "cgp";
  k.help = "Approximate the int8 weights of selected layers of a zoo model (LeNet-5 by default, "
           "MobileNetV2, ResNet-18, ...) by an evolved circuit (CGP): layer-bypass, no-input or "
           "all-layers; top-1/top-5/loss of the substituted model and the circuit's costs";
  k.options = data_options("mnist-digits");
  k.options.push_back({"model", std::string("lenet5-classic"),
                       "zoo model with conv/linear layers: lenet5-classic (the original's 6/16 "
                       "filters: conv1 -> conv2 is 150 -> 2400 weights), lenet5 (Caffe, 20/50 "
                       "filters), mobilenetv2 (32x32x3 data), resnet18, ...",
                       models::model_registry().names()});
  OptionSpec layers{"layers", std::string(""),
                    "comma-separated weight layers the experiment reads, in order (names as in "
                    "the model, '.weight' optional; layer-bypass: A,B infers B from A; no-input: "
                    "one or more; all-layers: 3x3 or 5x5 conv layers of one size); empty = the "
                    "model's first two (LeNet-5: conv1,conv2). An unknown name lists the valid ones"};
  layers.aliases = {"layer"};
  layers.hashed_at_default = false;  // runs stored before the option keep their ids
  k.options.push_back(layers);
  k.options.push_back({"checkpoint", std::string(""),
                       "safetensors of the trained model (empty = train one first with `epochs`)"});
  const auto& experiments = cgp::weight_experiment_registry();
  k.options.push_back({"experiment", std::string("layer-bypass"),
                       "layer-bypass (layer A -> layer B, e.g. conv1 -> conv2) | no-input (the "
                       "layers from nothing, multiplexed) | all-layers (per kxk kernel the inner "
                       "part -> the outer ring, one item per layer)",
                       experiments.names()});
  k.options.push_back({"rows", int64_t{0}, "grid rows (0 = the original's: 256, all-layers k x max out channels for kxk kernels)"});
  k.options.push_back({"cols", int64_t{0}, "grid columns (0 = the original's: 31, all-layers k x max out channels)"});
  k.options.push_back({"lookback", int64_t{0}, "look-back in columns (0 = cols)"});
  k.options.push_back({"lambda", int64_t{4}, "offspring per generation"});
  k.options.push_back({"mutation_max", 0.01, "a child changes up to ceil(genes x this) genes"});
  k.options.push_back({"generations", int64_t{200000},
                       "generation cap over both phases (the original: patience 500000 - 2000000, "
                       "caps of 1e7 - 9e7)"});
  k.options.push_back({"patience", int64_t{100000},
                       "generations without strict improvement before a phase ends"});
  k.options.push_back({"cgp_threads", int64_t{1},
                       "OpenMP threads evaluating the offspring (0 = all; the result does not "
                       "depend on it; 1 is fastest for lambda 4 on a busy 2-core machine)", {}, false});
  k.options.push_back({"metric", std::string("SE"), "error metric: SE | MSE | AE", {"SE", "MSE", "AE"}});
  k.options.push_back({"threshold", int64_t{0}, "error threshold in the metric's units"});
  k.options.push_back({"rms_threshold", -1.0,
                       "if >= 0: threshold = int(m^2 x scored weights) (the original's driver, SE)"});
  k.options.push_back({"dynamic_threshold", true,
                       "raise the threshold to the best error when patience runs out above it"});
  k.options.push_back({"multiplex", std::string("auto"), "value-table multiplexing: auto (on for "
                       "no-input) | on | off", {"auto", "on", "off"}});
  k.options.push_back({"outputs_read_inputs", true,
                       "outputs may read primary inputs (false: gates only, as the original)"});
  k.options.push_back({"costs", std::string("data/cgp/default_costs.txt"),
                       "cost table (relative paths also tried in the source tree; empty = built-in unit table)"});
  k.options.push_back({"stats_file", std::string(""),
                       "also write the statistics CSV here (it is always a run artifact)", {}, false});
  k.options.push_back({"eval_batch_size", int64_t{512}, "evaluation batch size"});
  k.options.push_back({"save_weights", false, "write the substituted model as safetensors"});
  auto t = training_options(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(2).batch_size(128));
  k.options.insert(k.options.end(), t.begin(), t.end());
  merge_option_specs(k.options, experiments.option_specs());
  k.run = run_cgp;
  k.check = check_cgp;
  return k;
}

}  // namespace nnc::experiment
