// nncompress: how much accuracy can a network keep under a fixed memory budget?
// The CLI only parses and calls the library.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "cli/kind_command.h"
#include "cli/report_command.h"
#include "cli/results_command.h"
#include "cli/sweep_command.h"
#include "core/error.h"
#include "experiment/kinds/kinds.h"
#include "train/runtime.h"

namespace {

/// libgomp reads OMP_WAIT_POLICY when it loads, before main: set it and re-exec once. Only an
/// OpenBLAS with its own pthread pool needs PASSIVE (spinning OpenMP threads starve it on small
/// machines); with an OpenMP OpenBLAS libgomp's default is fastest (see train/runtime.h). A
/// user's own setting is respected.
void choose_openmp_wait_policy(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr || std::getenv("NNC_NO_REEXEC") != nullptr) return;
  if (nnc::train::openblas_threading() != "pthreads") return;
  setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
  setenv("NNC_NO_REEXEC", "1", 1);
  execv("/proc/self/exe", argv);  // on failure, carry on with the current settings
}

int dispatch(const std::vector<std::unique_ptr<nnc::cli::KindCommand>>& commands,
             const nnc::cli::ReportCommand& report, const nnc::cli::SweepCommand& sweep,
             const std::function<int()>& results) {
  for (auto& cmd : commands)
    if (cmd->app->parsed()) return nnc::cli::run_kind_command(*cmd);
  if (report.app->parsed()) return report.run();
  if (sweep.app->parsed()) return sweep.run();
  return results();
}

/// What went to stdout (an export, a table) is buffered: a full disk or a closed pipe shows
/// only when it is flushed, so a run is not reported successful before that.
void check_stdout() {
  if (std::fflush(stdout) != 0 || std::ferror(stdout))
    nnc::fail("cannot write to standard output: {}", std::strerror(errno));
}

}  // namespace

int main(int argc, char** argv) {
  choose_openmp_wait_policy(argv);
  CLI::App app{"nncompress: how much accuracy can a neural network keep under a fixed memory budget?"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "nncompress 0.1.0");
  nnc::experiment::register_builtin_kinds();
  auto& kinds = nnc::experiment::kind_registry();
  std::vector<std::unique_ptr<nnc::experiment::ExperimentKind>> kind_objects;
  std::vector<std::unique_ptr<nnc::cli::KindCommand>> commands;
  for (const auto& name : kinds.names()) {
    kind_objects.push_back(std::make_unique<nnc::experiment::ExperimentKind>(kinds.create(name)));
    commands.push_back(nnc::cli::add_kind_command(app, *kind_objects.back()));
  }
  auto results = nnc::cli::add_results_command(app);
  auto sweep = nnc::cli::add_sweep_command(app);
  auto report = nnc::cli::add_report_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // One error line, as for every other refused input (CLI11's own adds a second line).
    fmt::print(stderr, "error: {} (see --help)\n", nnc::bounded_message(e.what()));
    return e.get_exit_code();
  }
  try {
    int rc = dispatch(commands, report, sweep, results);
    check_stdout();
    return rc;
  } catch (const nnc::Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {  // e.g. std::filesystem's, which echo paths raw
    fmt::print(stderr, "error: {}\n", nnc::bounded_message(e.what()));
    return 3;
  }
}
