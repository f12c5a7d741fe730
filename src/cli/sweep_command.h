#pragma once
// `nncompress sweep PLAN.toml`: expand a sweep plan and run it (resumable, --jobs K),
// one sub-batch of it (--num-sub-batches N --sub-batch i), or write it out as shell
// lines (--emit-commands) or an sbatch array script (--emit-slurm).
#include <CLI/CLI.hpp>

#include <functional>

namespace nnc::cli {

struct SweepCommand {
  CLI::App* app = nullptr;
  std::function<int()> run;  ///< call when app->parsed(); returns the exit code
};

SweepCommand add_sweep_command(CLI::App& root);

}  // namespace nnc::cli
