#pragma once
// `nncompress results list|export|merge`.
#include <CLI/CLI.hpp>

namespace nnc::cli {

/// Adds the subcommand; returns a callable that runs it after parsing.
std::function<int()> add_results_command(CLI::App& root);

}  // namespace nnc::cli
