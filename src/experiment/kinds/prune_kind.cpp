// `nncompress prune`: the pruning procedures of docs/pruning.md (rl1, drr, pmmp, layerwise,
// and the magnitude baseline) on any zoo model, or on the teacher-student task. The kind
// parses, calls the prune pillar (problem, setup, run) and records; every option is declared
// once, by the struct it configures (prune/problem.h, prune/teacher_student_problem.h,
// prune/prune_options.h, and each procedure's own options through pruner_registry()).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>

#include "core/error.h"
#include "core/file_io.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "models/safetensors.h"
#include "prune/problem.h"
#include "prune/procedure.h"
#include "prune/pruner.h"
#include "prune/runs_csv.h"
#include "prune/teacher_student_problem.h"
#include "train/runtime.h"

namespace nnc::experiment {
namespace {

bool is_teacher_student(const RunConfig& c) { return c.get_string("dataset") == "teacher-student"; }

prune::PruneProblem problem_for(const RunConfig& c, const torch::Device& device) {
  const auto seed = static_cast<uint64_t>(c.get_int("seed"));
  if (is_teacher_student(c))
    return prune::teacher_student_problem(prune::TeacherStudentSetup::fields().from(c.values()), seed, device);
  auto [train_set, test_set] = load_data(c);
  return prune::classification_problem(train_set, test_set, prune::ClassificationSetup::fields().from(c.values()),
                                       model_options_for(train_set), seed, device);
}

void record_outcome(RunContext& ctx, const prune::PruneOutcome& out, const std::string& procedure) {
  for (const auto& e : out.epochs) {
    ctx.record.series["epoch_loss"].push_back(e.train_loss);
    ctx.record.series["val_loss"].push_back(e.val_loss);
    ctx.record.series["l0"].push_back(static_cast<double>(e.l0));
  }
  write_file(ctx.artifact("epochs", "epochs.csv"), prune::epochs_csv(out));
  auto& m = ctx.record.metrics;
  for (auto [name, ev] : {std::pair{"train", &out.train}, std::pair{"val", &out.val}, std::pair{"test", &out.test}}) {
    m[std::string(name) + "_loss"] = ev->loss;
    if (out.classification) m[std::string(name) + "_accuracy"] = ev->accuracy;
  }
  m["parameters"] = static_cast<double>(out.parameters);
  m["l0_norm"] = static_cast<double>(out.l0);
  m["nonzeros"] = static_cast<double>(out.nonzeros);
  m["compression_ratio"] = out.compression_ratio;
  m["phase1_epochs"] = static_cast<double>(out.phase1_epochs);
  m["finetune_epochs"] = static_cast<double>(out.phase3_epochs);
  m["prune_seconds"] = out.seconds;
  if (out.gauss_loss) m["sigma"] = out.sigma;
  ctx.record.tags["engine"] = out.engine;
  ctx.record.tags["procedure"] = procedure;  // the procedure's label (its name)
}

void record_teacher(RunContext& ctx, const prune::PruneProblem& problem, int64_t nonzeros) {
  auto t = prune::compare_with_teacher(problem, nonzeros);
  auto& m = ctx.record.metrics;
  m["teacher_parameters"] = static_cast<double>(problem.teacher_parameters);
  m["reached_teacher_nonzeros"] = t.reached_nonzeros;
  m["reached_teacher_neurons"] = t.reached_neurons;
  m["nonzeros_over_teacher"] = t.nonzeros_over_teacher;
  ctx.record.tags["alive_widths"] = fmt::format("{}", fmt::join(t.alive_widths, ","));
  fmt::print(stderr, "[prune] teacher-student: {}\n", t.describe());
}

/// runs.csv: every option, then the original's result columns; an option that is also a
/// result column (experiment_name) is written once, among the results (pandas renames a
/// repeated column).
void append_runs_row(RunContext& ctx, const prune::PruneOutcome& out) {
  const auto& c = ctx.config;
  const auto& result_columns = prune::runs_csv_result_columns();
  prune::CsvRow row;
  for (const auto& spec : c.specs())
    if (std::find(result_columns.begin(), result_columns.end(), spec.key) == result_columns.end())
      row.emplace_back(spec.key, value_to_string(c.values().at(spec.key)));
  for (auto& col : prune::runs_csv_results(out, ctx.record.id, c.get_string("experiment_name"), now_iso8601()))
    row.push_back(std::move(col));
  std::filesystem::create_directories(ctx.out_dir);
  prune::append_runs_csv((std::filesystem::path(ctx.out_dir) / "runs.csv").string(), row);
  ctx.record.artifacts["runs_csv"] = "runs.csv";
}

void run_prune(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  // The regularisers and the fused MLP engine work on fp32 tensors in place.
  NNC_CHECK(exec.precision == train::Precision::fp32 && !exec.channels_last,
            "prune: options 'precision' and 'channels_last': pruning runs in fp32, contiguous "
            "(got {}{})", train::to_string(exec.precision), exec.channels_last ? ", channels-last" : "");
  auto setup = prune::prune_setup_from(c.values(), static_cast<uint64_t>(c.get_int("seed")));
  const std::string procedure = prune::pruner_registry().label(c.values());
  auto problem = problem_for(c, exec.device);
  if (is_teacher_student(c) && c.get_int("threads") == 0)
    fmt::print(stderr, "[runtime] teacher-student: tiny ops, {}\n", train::configure_threads(1));
  const auto& d = problem.data;
  fmt::print(stderr, "[prune] {} on {} ({} train / {} val / {} test)\n", problem.model->describe(),
             c.get_string("dataset"), d.train->size(), d.val->size(), d.test->size());
  auto print_note = [](const std::string& line) { fmt::print(stderr, "[prune] {}\n", line); };
  auto out = prune::run_pruning(problem.model, problem.data, std::move(setup), print_note);
  record_outcome(ctx, out, procedure);
  if (is_teacher_student(c)) record_teacher(ctx, problem, out.nonzeros);
  if (c.get_bool("save_weights"))
    models::save_safetensors(models::module_state(*problem.model), ctx.artifact("weights", "pruned.safetensors"),
                             {{"procedure", procedure}, {"dataset", c.get_string("dataset")},
                              {"nonzeros", std::to_string(out.nonzeros)}});
  append_runs_row(ctx, out);
}

void append(std::vector<OptionSpec>& specs, const std::vector<OptionSpec>& more) {
  specs.insert(specs.end(), more.begin(), more.end());
}

}  // namespace

ExperimentKind prune_kind() {
  ExperimentKind k;
  k.name = "prune";
  k.help = "Prune a network: " + prune::pruner_registry().joined_names() + " (docs/pruning.md)";
  k.options = data_options("fashion-mnist");
  append(k.options, prune::ClassificationSetup::fields().specs());
  append(k.options, prune::TeacherStudentSetup::fields().specs());
  append(k.options, prune::PruneOptions::fields().specs());
  append(k.options, prune::pruner_registry().option_specs());  // each owned by its procedure
  k.options.push_back({"experiment_name", std::string("prune"), "runs.csv experiment_name column", {}, false});
  k.options.push_back({"save_weights", true, "write the final masked weights as safetensors", {}, false});
  k.run = run_prune;
  k.check = [](const RunConfig& c) { prune::prune_setup_from(c.values(), static_cast<uint64_t>(c.get_int("seed"))); };
  return k;
}

}  // namespace nnc::experiment
