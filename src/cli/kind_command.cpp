#include "cli/kind_command.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "experiment/results_store.h"
#include "experiment/runner.h"

namespace nnc::cli {
namespace {
/// What --help shows after the flag: the option's value type, or its choices.
std::string type_name(const experiment::OptionSpec& spec) {
  if (!spec.choices.empty()) return "{" + choices_text(spec.choices, ",") + "}";
  const auto& v = spec.default_value;
  if (std::holds_alternative<bool>(v)) return "BOOL";
  if (std::holds_alternative<int64_t>(v)) return "INT";
  if (std::holds_alternative<double>(v)) return "FLOAT";
  return "TEXT";
}
}  // namespace

std::unique_ptr<KindCommand> add_kind_command(CLI::App& root, const experiment::ExperimentKind& kind) {
  auto cmd = std::make_unique<KindCommand>();
  cmd->kind = &kind;
  cmd->app = root.add_subcommand(kind.name, kind.help);
  cmd->app->add_option("--config", cmd->config_file, "TOML file with options (flags override it)")
      ->check(CLI::ExistingFile);
  cmd->app->add_option("--out", cmd->out_dir, "results directory (holds results.db and runs/)")
      ->capture_default_str();
  cmd->app->add_flag("--dry-run", cmd->dry_run,
                     "check the options (and the files they name, where the kind can without data), "
                     "print the run id and the options that define it; run nothing, write nothing");
  if (kind.plan)
    cmd->app->add_flag("--plan-only", cmd->plan_only,
                       "print what the run would do (reads the data; trains nothing, writes nothing)");
  cmd->app->add_flag("--rerun", cmd->rerun,
                     "run even if this run id is already completed in --out: the run is recorded as "
                     "a new attempt beside the completed result, which stays the run's result");
  for (const auto& spec : kind.options) {
    std::string kebab = spec.key;
    std::replace(kebab.begin(), kebab.end(), '_', '-');
    std::string names = "--" + kebab;
    if (kebab != spec.key) names += ",--" + spec.key;
    for (auto& a : spec.aliases) {
      std::string alias_kebab = a;
      std::replace(alias_kebab.begin(), alias_kebab.end(), '_', '-');
      names += ",--" + a;
      if (alias_kebab != a) names += ",--" + alias_kebab;
    }
    std::string help = spec.help;
    std::string def = experiment::value_to_string(spec.default_value);
    help += fmt::format(" [default: {}]", def.empty() ? "\"\"" : def);
    // A repeated flag takes its last value, as argparse does: a seed's command line with
    // `--num_passes 1` appended runs one pass.
    cmd->app->add_option(names, cmd->flag_values[spec.key], help)->take_last()->type_name(
        type_name(spec));
  }
  return cmd;
}

experiment::RunConfig resolve_config(const KindCommand& cmd) {
  experiment::RunConfig config(cmd.kind->name, cmd.kind->options);
  if (!cmd.config_file.empty()) config.apply_toml_file(cmd.config_file);
  for (const auto& spec : cmd.kind->options) {
    std::string kebab = spec.key;
    std::replace(kebab.begin(), kebab.end(), '_', '-');
    if (cmd.app->count("--" + kebab) > 0)
      config.set_from_string(spec.key, cmd.flag_values.at(spec.key));
  }
  return config;
}

namespace {
/// --dry-run: the run id a real run would record, with the options it hashes.
int dry_run(const KindCommand& cmd, const experiment::RunConfig& config) {
  if (cmd.kind->check) cmd.kind->check(config);
  fmt::print("{} run {} (dry run: nothing run, nothing written)\n{}\n", cmd.kind->name, config.id(),
             config.normalized_json());
  return 0;
}

/// A completed run is not run again by accident: one line, exit 0, nothing written.
bool report_already_completed(const KindCommand& cmd, const experiment::RunConfig& config,
                              const experiment::ResultsStore& store) {
  auto prev = store.get(config.id());
  if (cmd.rerun || !prev || prev->status != experiment::RunStatus::Completed) return false;
  fmt::print("run {} already completed in {}: nothing to do; --rerun records a new attempt\n", prev->id,
             store.path());
  return true;
}
}  // namespace

int run_kind_command(const KindCommand& cmd) {
  auto config = resolve_config(cmd);
  if (cmd.dry_run) return dry_run(cmd, config);
  if (cmd.plan_only) {
    cmd.kind->plan(config);
    return 0;
  }
  experiment::ResultsStore store(cmd.out_dir);
  store.require_current_ids();
  if (report_already_completed(cmd, config, store)) return 0;
  fmt::print(stderr, "[{}] run {} -> {}\n", cmd.kind->name, config.id(), store.path());
  auto outcome = experiment::run_one(*cmd.kind, config, store, cmd.out_dir, false);
  const auto& r = outcome.record;
  std::string kept = outcome.beside_completed ? "; the run's completed result is kept" : "";
  if (r.status != experiment::RunStatus::Completed) {
    fmt::print(stderr, "error: {} (run {} attempt {} recorded as failed in {}{})\n", r.error, r.id,
               r.attempt, store.path(), kept);
    return 1;
  }
  fmt::print("run {} completed in {:.1f} s\n", r.id, r.run_time_s);
  if (outcome.beside_completed)
    fmt::print("  recorded as attempt {} beside the completed result, which stays the run's result "
               "(`results list --attempts`)\n", r.attempt);
  for (auto& [k, v] : r.metrics) fmt::print("  {:<28} {:.6g}\n", k, v);
  for (auto& [k, v] : r.tags) fmt::print("  {:<28} {}\n", k, v);
  fmt::print("results: {}\n", store.path());
  for (auto& [k, v] : r.artifacts) fmt::print("  {:<28} {}/{}\n", k, cmd.out_dir, v);
  return 0;
}

}  // namespace nnc::cli
