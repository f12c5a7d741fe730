#pragma once
// Turns an ExperimentKind's option list into a CLI11 subcommand (flags --kebab-case and
// --snake_case, the latter for the seeds' command lines) and runs it.
#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>

#include "experiment/experiment_kind.h"

namespace nnc::cli {

struct KindCommand {
  const experiment::ExperimentKind* kind = nullptr;
  CLI::App* app = nullptr;
  std::map<std::string, std::string> flag_values;  ///< key -> text given on the command line
  std::string config_file;
  std::string out_dir = "results";
  bool dry_run = false;  ///< resolve and check the options, print the run id; run nothing
  bool plan_only = false;  ///< print the kind's plan (reads the data) and exit
  bool rerun = false;    ///< run even when the id is completed: a new attempt beside it
};

/// Adds one subcommand; the returned object must outlive parsing.
std::unique_ptr<KindCommand> add_kind_command(CLI::App& root, const experiment::ExperimentKind& kind);
/// Resolves defaults <- --config TOML <- flags into a RunConfig.
experiment::RunConfig resolve_config(const KindCommand& cmd);
/// Runs the parsed command; returns the process exit code.
int run_kind_command(const KindCommand& cmd);

}  // namespace nnc::cli
