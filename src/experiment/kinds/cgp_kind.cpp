// `nncompress cgp`: weight approximation by Cartesian Genetic Programming on a trained zoo
// model (docs/cgp.md). Train (or load) the model, int8-quantize its weights (quant/), let
// the experiment (cgp/weight_experiment.h) pose the CGP problem from the int8 weights of the
// selected layers (cgp/layer_selection.h), evolve
// a circuit, decode its outputs back into weights, substitute them into the int8 model and
// measure top-1 / top-5 / loss against the int8 reference.
#include <torch/torch.h>

#include <fmt/ranges.h>

#include <cstdlib>
#include <sstream>

#include "cgp/cgp.h"
#include "cgp/weight_approximation.h"
#include "core/error.h"
#include "core/file_io.h"
#include "experiment/kinds/cgp_common.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "models/safetensors.h"

namespace nnc::experiment {
namespace {

/// The evolution the options ask for (grid and multiplexing left to the experiment at 0/auto).
cgp::WeightRequest request_of(const RunConfig& c) {
  cgp::WeightRequest r;
  r.rows = int(c.get_int("rows"));
  r.cols = int(c.get_int("cols"));
  r.multiplex = c.get_string("multiplex");
  r.rms_threshold = c.get_double("rms_threshold");
  r.given_values = int(c.get_int("given_weights"));
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
  m["given_weights"] = p.given;
  m["distinct_weights"] = p.distinct;
  for (auto& row : res.stats) {
    rec.series["generation"].push_back(double(row.generation));
    rec.series["error"].push_back(double(row.error));
    rec.series["energy"].push_back(row.costs.energy);
  }
  rec.tags["stop_reason"] = res.stop_reason;
  rec.tags["gates"] = cgp::format_gate_statistics(res.gate_stats);
}

/// "250, 150,0" -> {250, 150, 0}; empty = none.
std::vector<double> parse_rms_list(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    NNC_CHECK(end != item.c_str() && std::string(end).find_first_not_of(" ") == std::string::npos,
              "option rms_thresholds: '{}' is not a number (expected e.g. 250,150,100,50,0)", item);
    out.push_back(v);
  }
  return out;
}

/// One evolution, or with rms_thresholds one stage per threshold (the original's list).
std::vector<cgp::WeightApproximation> evolve_stages(const RunConfig& c, const cgp::WeightExperiment& e,
                                                    const std::vector<cgp::WeightLayer>& layers,
                                                    const cgp::WeightProblem& p, const cgp::CostTable& costs) {
  const auto rms = parse_rms_list(c.get_string("rms_thresholds"));
  if (rms.empty()) return {cgp::approximate_weights(e, layers, p, costs)};
  NNC_CHECK(p.options.metric() == cgp::Metric::SE,
            "option rms_thresholds converts to SE units: use metric SE");
  return cgp::approximate_weights_stepwise(e, layers, p, costs, cgp::rms_to_se_thresholds(rms, p.scored));
}

/// What a run refuses at its start, without data (also --dry-run).
void check_cgp(const RunConfig& c) {
  check_layer_selection(c);
  const int64_t given = c.get_int("given_weights");
  NNC_CHECK(given >= 0 && given <= 256, "option given_weights: {} is not a count of int8 values "
            "(0 = none .. 256 = every value)", given);
  const auto rms = parse_rms_list(c.get_string("rms_thresholds"));
  cgp::rms_to_se_thresholds(rms, 1);
  for (size_t i = 1; i < rms.size(); ++i)
    NNC_CHECK(rms[i] < rms[i - 1], "option rms_thresholds must decrease (each stage continues the "
              "previous circuit towards a tighter threshold), got {} after {}", rms[i], rms[i - 1]);
}

/// One checkpoint of a threshold list, as series (stage i = the i-th threshold).
void record_stage(RunRecord& rec, const cgp::WeightApproximation& a, const train::EvalResult& ref,
                  const train::EvalResult& sub) {
  auto& s = rec.series;
  s["stage_threshold"].push_back(double(a.result.threshold));
  s["stage_reached"].push_back(a.result.reached_threshold ? 1 : 0);
  s["stage_generations"].push_back(double(a.result.generations));
  s["stage_error"].push_back(double(a.result.error));
  s["stage_energy"].push_back(a.result.costs.energy);
  s["stage_gate_count"].push_back(a.result.costs.gate_count);
  s["stage_delta_top1"].push_back(sub.accuracy - ref.accuracy);
  s["stage_delta_top5"].push_back(sub.top5 - ref.top5);
  s["stage_delta_loss"].push_back(sub.loss - ref.loss);
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
  check_cgp(c);  // before training: a bad layer name or threshold list fails at once
  const auto experiment = cgp::weight_experiment_registry().create(c.values());
  const auto costs = cost_table_of(c);
  const Int8Reference ref = int8_reference(ctx, *experiment, "cgp");

  const auto problem = cgp::weight_problem(*experiment, ref.layers, request_of(c));
  std::ostringstream text;
  cgp::write_dataset(text, problem.data);
  write_file(ctx.artifact("dataset", "dataset.txt"), text.str());
  fmt::print(stderr, "[cgp] {} on {}: {} item(s), {} inputs -> {} outputs ({} scored)\n[cgp] {}\n",
             experiment->name(), fmt::join(ref.names, ", "), problem.data.size(),
             problem.data.inputs, problem.data.outputs, problem.scored, problem.options.describe());
  const auto stages = evolve_stages(c, *experiment, ref.layers, problem, costs);
  const auto& approx = stages.back();
  std::vector<cgp::StatsRow> stats;
  train::EvalResult sub;
  for (size_t i = 0; i < stages.size(); ++i) {
    sub = evaluate_substituted(ref, stages[i]);
    stats.insert(stats.end(), stages[i].result.stats.begin(), stages[i].result.stats.end());
    if (stages.size() == 1) break;
    record_stage(ctx.record, stages[i], ref.ref_eval, sub);
    write_file(ctx.artifact(fmt::format("genome_stage{}", i), fmt::format("genome_stage{}.txt", i)),
               stages[i].result.genome.to_string() + "\n");
  }
  record_eval3(ctx.record, "cgp", sub);
  record_deltas(ctx.record, ref.ref_eval, sub);
  record_circuit(ctx.record, problem, approx);
  ctx.record.tags["label"] = fmt::format("{} {} {}x{}", experiment->name(), c.get_string("model"),
                                         problem.options.rows(), problem.options.cols());
  ctx.record.tags["layers"] = fmt::format("{}", fmt::join(ref.names, ","));

  write_file(ctx.artifact("genome", "genome.txt"), approx.result.genome.to_string() + "\n");
  cgp::write_stats_csv(ctx.artifact("stats", "stats.csv"), stats);
  if (const std::string& extra = c.get_string("stats_file"); !extra.empty())
    cgp::write_stats_csv(extra, stats);
  if (c.get_bool("save_weights"))
    models::save_safetensors(models::module_state(*ref.model), ctx.artifact("weights", "cgp.safetensors"),
                             {{"model", c.get_string("model")}, {"experiment", experiment->name()}});
  print_summary(problem, approx, ref.ref_eval, sub);
}

}  // namespace

ExperimentKind cgp_kind() {
  ExperimentKind k;
  k.name = "cgp";
  k.help = "Approximate the int8 weights of selected layers of a zoo model (LeNet-5 by default, "
           "MobileNetV2, ResNet-18, ...) by an evolved circuit (CGP): layer-bypass, no-input or "
           "all-layers; top-1/top-5/loss of the substituted model and the circuit's costs";
  k.options = cgp_model_options();
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
  OptionSpec list{"rms_thresholds", std::string(""),
                   "comma list of decreasing RMS thresholds (e.g. 250,150,100,50,0; the original's "
                   "--mse-thresholds): one evolution through each in turn, each stage from the "
                   "previous circuit, every stage recorded (series stage_*, genome_stage<i>.txt); "
                   "the last is the run's result. Overrides threshold/rms_threshold"};
  list.hashed_at_default = false;  // runs stored before the option keep their ids
  k.options.push_back(list);
  OptionSpec given{"given_weights", int64_t{0},
                    "missing weights: the N most frequent distinct int8 weight values of the "
                    "selected layers given to the circuit as constant inputs (0 = none; all "
                    "distinct values = pure wiring, energy 0); recorded as given_weights"};
  given.hashed_at_default = false;  // runs stored before the option keep their ids
  k.options.push_back(given);
  k.options.push_back({"dynamic_threshold", true,
                       "raise the threshold to the best error when patience runs out above it"});
  k.options.push_back({"multiplex", std::string("auto"), "value-table multiplexing: auto (on for "
                       "no-input) | on | off", {"auto", "on", "off"}});
  k.options.push_back({"outputs_read_inputs", true,
                       "outputs may read primary inputs (false: gates only, as the original)"});
  k.options.push_back({"stats_file", std::string(""),
                       "also write the statistics CSV here (it is always a run artifact)", {}, false});
  k.options.push_back({"save_weights", false, "write the substituted model as safetensors"});
  k.run = run_cgp;
  k.check = check_cgp;
  return k;
}

}  // namespace nnc::experiment
