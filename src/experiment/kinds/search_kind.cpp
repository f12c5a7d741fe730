// `nncompress search`: quantization search (MASE's mixed_precision_ptq) and width search over
// a trained zoo model, with the plan in the seed's TOML format. Every trial goes to
// trials.csv / trials.json and the record's series; the best trial (or the Pareto set) to
// best.json, re-measured on the test set; each trained width candidate's weights to
// width_<label>.safetensors.
#include <torch/torch.h>

#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "experiment/kinds/trained_model.h"
#include "models/safetensors.h"
#include "quant/quant_search.h"

namespace nnc::experiment {
namespace {

/// The --search-config plan with the command line's overrides, checked (also the kind's
/// dry-run check).
quant::QuantSearchOptions search_options_of(const RunConfig& c) {
  const std::string& plan_path = c.get_string("search_config");
  NNC_CHECK(!plan_path.empty(), "option search_config: give a TOML plan in the seed's format "
            "(e.g. examples/quant/lenet5_fmnist_search.toml)");
  const uint64_t seed = static_cast<uint64_t>(c.get_int("seed"));
  quant::QuantSearchOptions o;
  o.plan = quant::load_search_plan(plan_path);
  auto& plan = o.plan;
  if (!c.get_string("data_loader").empty()) plan.data_loader = c.get_string("data_loader");
  if (c.get_int("num_samples") >= 0) plan.num_samples = c.get_int("num_samples");
  if (!c.get_string("width_mode").empty())
    plan.width.mode = quant::parse_width_mode(c.get_string("width_mode"), "option width_mode");
  if (!c.get_string("width_multipliers").empty())
    plan.width.multipliers =
        quant::parse_width_multipliers(c.get_string("width_multipliers"), "option width_multipliers");
  if (c.get_int("width_epochs") > 0) plan.width.budget.epochs(c.get_int("width_epochs"));
  plan.width.budget.seed(seed).device(c.get_string("device"));
  plan.width.validate();
  o.study = plan.search.study_options(seed);
  if (c.get_int("n_trials") > 0) o.study.n_trials = static_cast<int>(c.get_int("n_trials"));
  if (!c.get_string("sampler").empty()) o.study.sampler = c.get_string("sampler");
  // A sampler's own options count (and enter the run id) only with --sampler naming it.
  search::check_sampler_options_apply(c.get_string("sampler"), c.values());
  o.study.sampler_options = c.values();
  o.study.dedup = search::parse_dedup(c.get_string("dedup"));
  o.study.validate();
  o.measure.latency_repeats = c.get_int("latency_repeats");
  o.measure.latency_warmup = c.get_int("latency_warmup");
  o.measure.batch_size = c.get_int("eval_batch_size");
  o.measure.formulas = quant::parse_metric_formulas(c.get_string("metric_formulas"), "option metric_formulas");
  return o;
}

void print_progress(const search::ObjectiveSpec& spec, const search::StudyProgress& p) {
  std::string vals;
  for (size_t k = 0; k < p.trial.values.size(); ++k)
    vals += fmt::format("{}{}={:.4g}", k ? " " : "", spec.metrics[k].name, p.trial.values[k]);
  fmt::print(stderr, "[search] trial {}/{} {} {}{}\n", p.n_done, p.n_planned,
             search::to_string(p.trial.state), vals.empty() ? p.trial.error : vals,
             p.best ? fmt::format(" (best #{} = {:.4g})", p.best->number, p.best->objectives[0])
                    : fmt::format(" (front {})", p.front_size));
}

void write_trials(RunContext& ctx, const quant::QuantSearchResult& r) {
  std::ostringstream csv;
  quant::write_trials_csv(r, csv);
  write_file(ctx.artifact("trials_csv", "trials.csv"), csv.str());
  write_file(ctx.artifact("trials_json", "trials.json"), quant::trials_json(r) + "\n");
  write_file(ctx.artifact("best_json", "best.json"), quant::best_json(r) + "\n");
}

/// The trials as series, the objectives' directions (for the report's charts) and the
/// study's counts and timings.
void record_trials(RunRecord& rec, const quant::QuantSearchResult& r, const search::ObjectiveSpec& spec,
                   quant::MetricFormulas formulas) {
  // Series hold complete trials only (failed ones are in trials.csv with their error):
  // every series has one value per entry of trial_number, as the report expects. Every
  // metric, optimized or not, for the report's all-metrics-per-configuration view.
  auto optimized = [&](const std::string& name) {
    for (const auto& m : spec.metrics)
      if (m.name == name) return true;
    return false;
  };
  bool all_measured = true;
  for (const auto& t : r.study.trials)
    all_measured = all_measured && (!t.complete() || r.metrics[t.number]);
  for (const auto& t : r.study.trials) {
    if (!t.complete()) continue;
    rec.series["trial_number"].push_back(t.number);
    for (size_t k = 0; k < spec.metrics.size(); ++k)
      rec.series["trial_" + spec.metrics[k].name].push_back(t.values[k]);
    if (all_measured)
      for (auto& name : quant::metric_names())
        if (!optimized(name)) rec.series["trial_" + name].push_back(r.metrics[t.number]->get(name));
    if (spec.n_objectives() == 1) rec.series["trial_objective"].push_back(t.objectives[0]);
  }
  // Which series the report charts, in which direction: the summed objective, or the
  // metrics themselves when the study is multi-objective.
  std::string objectives;
  if (spec.n_objectives() == 1) {
    objectives = "objective";
    rec.tags["direction_objective"] = search::to_string(spec.direction);
  }
  for (const auto& m : spec.metrics) {
    if (spec.n_objectives() > 1) objectives += (objectives.empty() ? "" : ",") + m.name;
    rec.tags["direction_" + m.name] = search::to_string(m.direction);
  }
  rec.tags["objectives"] = objectives;
  const double n = static_cast<double>(r.study.trials.size());
  rec.metrics["n_trials"] = n;
  rec.metrics["n_complete"] = static_cast<double>(r.study.n_complete());
  rec.metrics["search_seconds"] = r.study.seconds;
  rec.metrics["trials_per_s"] = r.study.seconds > 0 ? n / r.study.seconds : 0;
  rec.metrics["sampler_ms_per_trial"] = n > 0 ? 1e3 * r.study.sampler_seconds / n : 0;
  rec.metrics["space_cardinality"] = static_cast<double>(r.space.cardinality());
  rec.metrics["widths_trained"] = r.widths_trained;
  rec.metrics["width_train_seconds"] = r.width_train_seconds;
  rec.metrics["front_size"] = static_cast<double>(r.best.size());
  rec.tags["sampler"] = r.study.sampler;
  rec.tags["metric_formulas"] = quant::to_string(formulas);
  rec.tags["accuracy_kind"] = "accuracy = micro; macro_accuracy = MASE's 'accuracy'";
}

/// Every trained width candidate's float weights, one safetensors artifact each
/// (width_<label>, e.g. width_fc1x0.5_fc2x1), so a chosen width can be reloaded or retrained.
void save_width_candidates(RunContext& ctx, const quant::WidthCandidates& widths, const std::string& model) {
  for (const auto& cand : widths.candidates()) {
    const std::string path = ctx.artifact("width_" + cand.label, "width_" + cand.label + ".safetensors");
    models::save_safetensors(models::module_state(*cand.model), path,
                             {{"model", model}, {"width", cand.label}, {"net", cand.model->spec().describe()}});
  }
}

/// The chosen configuration(s) as re-measured on the test set: best_* or pareto<j>_*.
void record_tested(RunRecord& rec, const std::vector<quant::TestedTrial>& tested,
                   const search::ObjectiveSpec& spec) {
  for (size_t j = 0; j < tested.size(); ++j) {
    const auto& [t, config, test_m] = tested[j];
    const std::string prefix = tested.size() == 1 ? "best" : fmt::format("pareto{}", j);
    rec.tags[prefix + "_config"] = config;
    rec.metrics[prefix + "_trial"] = t->number;
    for (size_t k = 0; k < spec.metrics.size(); ++k)
      rec.metrics[prefix + "_eval_" + spec.metrics[k].name] = t->values[k];
    rec.metrics[prefix + "_test_accuracy"] = test_m.accuracy;
    rec.metrics[prefix + "_test_macro_accuracy"] = test_m.macro_accuracy;
    rec.metrics[prefix + "_model_size_bytes"] = test_m.cost.size_bytes();
    rec.metrics[prefix + "_bitops"] = static_cast<double>(test_m.cost.bitops);
    fmt::print(stderr, "[search] {} trial #{}: {} -> test accuracy {:.4f}\n", prefix, t->number,
               config, test_m.accuracy);
  }
}

void run_search(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  const uint64_t seed = static_cast<uint64_t>(c.get_int("seed"));
  auto o = search_options_of(c);
  o.measure.device = exec.device;
  const auto& plan = o.plan;
  for (auto& ig : plan.search.ignored) fmt::print(stderr, "[search] note: {}\n", ig);

  auto [train_set, test_set] = load_data(c);
  auto d = quant::split_search_data(train_set, test_set, plan.data_loader, c.get_double("val_fraction"),
                                    plan.num_samples, seed);
  fmt::print(stderr, "[search] data {}\n", d.description);
  // On the device once: every trial measures (and fine-tunes) from there.
  train::TensorSource fit_data(d.fit, exec.device), eval_data(d.eval, exec.device),
      test_data(test_set, exec.device);
  auto mopts = model_options_for(train_set).activation(c.get_string("activation"));
  auto model = trained_model(ctx, mopts, fit_data, "search");
  if (!c.get_string("checkpoint").empty() && plan.data_loader == "val_dataloader")
    fmt::print(stderr, "[search] make sure the checkpoint was not trained on the validation split: "
               "nncompress holds out a fraction of the training set; checkpoints trained on all "
               "of it are scored optimistically\n");
  const int64_t classes = train_set.num_classes;
  auto base = quant::QuantizedModel::from_model(*model, train_set.sample_shape());
  base->eval();

  quant::QuantSearch qs(base, fit_data, eval_data, classes, o);
  std::ostringstream desc;
  qs.describe(desc);
  fmt::print(stderr, "[search] {}", desc.str());
  auto float_m = quant::measure(*base, eval_data, classes, o.measure);
  ctx.record.metrics["float_eval_accuracy"] = float_m.accuracy;
  ctx.record.metrics["float_eval_macro_accuracy"] = float_m.macro_accuracy;

  const auto& spec = plan.search.objective;
  auto r = qs.run([&](const search::StudyProgress& p) { print_progress(spec, p); });
  write_trials(ctx, r);
  save_width_candidates(ctx, qs.widths(), c.get_string("model"));
  record_trials(ctx.record, r, spec, o.measure.formulas);
  NNC_CHECK(!r.best.empty(), "search: no trial completed (see trials.csv for the errors)");
  record_tested(ctx.record, qs.test_best(r, test_data), spec);
}

}  // namespace

ExperimentKind search_kind() {
  ExperimentKind k;
  k.name = "search";
  k.help = "Quantization (and width) search over a trained zoo model: brute-force, random, tpe "
           "or nsga2, plan in MASE's TOML format";
  k.options = data_options();
  k.options.push_back({"model", std::string("lenet5"), "lenet5 | mlp | lenet300100 | jsc-tiny"});
  k.options.push_back({"activation", std::string("relu"), "MLP activation"});
  k.options.push_back({"checkpoint", std::string(""),
                       "safetensors of the trained model (empty = train one on the fit split)"});
  k.options.push_back({"search_config", std::string(""),
                       "TOML plan: [search.search_space] and [search.strategy] (see examples/quant/)"});
  k.options.push_back({"n_trials", int64_t{0}, "override the plan's n_trials (0 = the plan's)"});
  auto sampler = search::sampler_registry().selector_option("");
  sampler.help = "override the plan's sampler (empty = the plan's; needed to set the sampler's own options "
                 "below): " + sampler.help;
  sampler.choices.push_back("");
  k.options.push_back(sampler);
  k.options.push_back({"dedup", std::string("allow"), "repeated configurations: allow | cache | resample",
                       {"allow", "cache", "resample"}});
  k.options.push_back({"data_loader", std::string(""),
                       "override the plan's: val_dataloader | test_dataloader | train_dataloader"});
  k.options.push_back({"val_fraction", 0.1, "validation share of the training set (val_dataloader)"});
  k.options.push_back({"num_samples", int64_t{-1}, "evaluation samples per trial (-1 = the plan's, 0 = all)"});
  k.options.push_back({"width_mode", std::string(""), "override the plan's: none | uniform | per_layer"});
  k.options.push_back({"width_multipliers", std::string(""), "override the plan's, e.g. 0.5,1,2"});
  k.options.push_back({"width_epochs", int64_t{0}, "training budget per width candidate (0 = the plan's)"});
  k.options.push_back({"latency_repeats", int64_t{5}, "timed forward passes per trial (median)"});
  k.options.push_back({"latency_warmup", int64_t{2}, "untimed passes before timing"});
  k.options.push_back({"eval_batch_size", int64_t{512}, "evaluation and latency batch size"});
  k.options.push_back(quant::metric_formulas_option());
  auto t = training_options(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(2).batch_size(128));
  k.options.insert(k.options.end(), t.begin(), t.end());
  merge_option_specs(k.options, search::sampler_registry().option_specs());
  k.run = run_search;
  k.check = [](const RunConfig& c) { search_options_of(c); };
  return k;
}

}  // namespace nnc::experiment
