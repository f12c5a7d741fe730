#pragma once
// `nncompress report DIR [--out FILE.html]`.
#include <CLI/CLI.hpp>
#include <functional>

namespace nnc::cli {

struct ReportCommand {
  CLI::App* app = nullptr;    ///< parsed() tells whether `report` was given
  std::function<int()> run;   ///< writes the report and prints where its files are
};

ReportCommand add_report_command(CLI::App& root);

}  // namespace nnc::cli
