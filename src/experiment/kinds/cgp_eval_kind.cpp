// `nncompress cgp-eval`: saved circuits re-evaluated on a model without evolving (the
// original's model-metrics; docs/cgp.md). Train or load the model, take the int8 reference
// of the selected layers as `cgp` does, then for one genome file, or the top-k circuits of a
// statistics file by error or energy: decode its outputs into the layers, substitute them,
// and measure top-1 / top-5 / loss against the reference.
#include <torch/torch.h>

#include <fmt/ranges.h>

#include "cgp/cgp.h"
#include "cgp/saved_circuits.h"
#include "cgp/weight_approximation.h"
#include "core/error.h"
#include "experiment/kinds/cgp_common.h"
#include "experiment/kinds/kinds.h"

namespace nnc::experiment {
namespace {

void check_cgp_eval(const RunConfig& c) {
  const bool genome = !c.get_string("genome").empty(), stats = !c.get_string("stats").empty();
  NNC_CHECK(genome != stats, "cgp-eval: give one of --genome FILE (a run's genome.txt) or --stats "
            "FILE (a statistics CSV, with --top-k and --by), got {}", genome ? "both" : "neither");
  NNC_CHECK(c.get_int("top_k") >= 1, "cgp-eval: --top-k must be >= 1, got {}", c.get_int("top_k"));
  cgp::parse_circuit_order(c.get_string("by"));
  check_layer_selection(c);
}

std::vector<cgp::SavedCircuit> circuits_of(const RunConfig& c) {
  if (!c.get_string("genome").empty()) return {cgp::load_genome_circuit(c.get_string("genome"))};
  return cgp::top_circuits(c.get_string("stats"), int(c.get_int("top_k")),
                           cgp::parse_circuit_order(c.get_string("by")));
}

/// Metrics of the first (best) circuit as `cgp` records them; every circuit as series.
void record_candidate(RunRecord& rec, size_t i, const cgp::SavedCircuit& saved,
                      const cgp::WeightApproximation& a, const train::EvalResult& ref,
                      const train::EvalResult& sub) {
  if (i == 0) {
    record_eval3(rec, "cgp", sub);
    record_deltas(rec, ref, sub);
    rec.metrics["error"] = double(a.result.error);
    rec.metrics["energy"] = a.result.costs.energy;
    rec.metrics["gate_count"] = a.result.costs.gate_count;
    rec.metrics["weights_changed"] = double(a.changed);
    rec.metrics["weight_rmse_int8"] = a.rmse_int8;
  }
  auto& s = rec.series;
  s["candidate_generation"].push_back(double(saved.generation));
  s["candidate_error"].push_back(double(a.result.error));
  s["candidate_energy"].push_back(a.result.costs.energy);
  s["candidate_gate_count"].push_back(a.result.costs.gate_count);
  s["candidate_delta_top1"].push_back(sub.accuracy - ref.accuracy);
  s["candidate_delta_top5"].push_back(sub.top5 - ref.top5);
  s["candidate_delta_loss"].push_back(sub.loss - ref.loss);
}

void run_cgp_eval(RunContext& ctx) {
  const auto& c = ctx.config;
  check_cgp_eval(c);  // before training: bad options and files fail at once
  const auto experiment = cgp::weight_experiment_registry().create(c.values());
  const auto costs = cost_table_of(c);
  const auto circuits = circuits_of(c);
  for (const auto& saved : circuits) cgp::check_grid(saved, int(c.get_int("rows")), int(c.get_int("cols")));
  const Int8Reference ref = int8_reference(ctx, *experiment, "cgp-eval");
  const cgp::Dataset data = experiment->dataset(ref.layers);
  const auto metric = cgp::parse_metric(c.get_string("metric"));
  for (const auto& saved : circuits)
    cgp::check_fits(saved, data);
  std::vector<std::string> sources;
  for (size_t i = 0; i < circuits.size(); ++i) {
    const auto a = cgp::reevaluate_weights(*experiment, ref.layers, data, circuits[i].genome, costs, metric);
    const auto sub = evaluate_substituted(ref, a);
    record_candidate(ctx.record, i, circuits[i], a, ref.ref_eval, sub);
    sources.push_back(circuits[i].source);
    fmt::print(stderr, "[cgp-eval] {}: error {}, energy {:.4g}, {} gates; top-1 {:.4f} -> {:.4f} "
               "({:+.2f} pt), top-5 {:+.2f} pt, loss {:+.4f}\n", circuits[i].source, a.result.error,
               a.result.costs.energy, a.result.costs.gate_count, ref.ref_eval.accuracy, sub.accuracy,
               100 * (sub.accuracy - ref.ref_eval.accuracy), 100 * (sub.top5 - ref.ref_eval.top5),
               sub.loss - ref.ref_eval.loss);
  }
  ctx.record.metrics["circuits"] = double(circuits.size());
  ctx.record.tags["circuits"] = fmt::format("{}", fmt::join(sources, " "));
  ctx.record.tags["layers"] = fmt::format("{}", fmt::join(ref.names, ","));
  ctx.record.tags["label"] = fmt::format("{} {} re-evaluated", experiment->name(), c.get_string("model"));
}

}  // namespace

ExperimentKind cgp_eval_kind() {
  ExperimentKind k;
  k.name = "cgp-eval";
  k.help = "Re-evaluate saved CGP circuits (a genome file, or the top-k of a statistics file by "
           "error or energy) on a model's selected layers without evolving: top-1/top-5/loss "
           "change of each substituted model";
  k.options = cgp_model_options();
  k.options.push_back({"genome", std::string(""), "a saved genome (a cgp run's genome.txt)"});
  k.options.push_back({"stats", std::string(""),
                       "a statistics CSV (a cgp run's stats.csv): its best distinct chromosomes"});
  k.options.push_back({"top_k", int64_t{1}, "circuits taken from --stats"});
  k.options.push_back({"by", std::string("error"), "order of --stats rows: error (then energy) | "
                       "energy (then error)", {"error", "energy"}});
  k.options.push_back({"rows", int64_t{0}, "expected grid rows of the circuits (0 = any)"});
  k.options.push_back({"cols", int64_t{0}, "expected grid columns of the circuits (0 = any)"});
  k.options.push_back({"metric", std::string("SE"), "error metric the circuits' error is "
                       "recomputed in: SE | MSE | AE", {"SE", "MSE", "AE"}});
  k.run = run_cgp_eval;
  k.check = check_cgp_eval;
  return k;
}

}  // namespace nnc::experiment
