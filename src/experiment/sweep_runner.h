#pragma once
// Runs a sweep's runs, each in its own child process (`nncompress <kind> --key=value ...
// --out DIR`, see run_command.h), at most `jobs` at a time, all writing to one results
// database (SQLite WAL). A crashing or diverging run cannot take the sweep down; a run
// whose process is killed leaves a 'running' row that the next invocation runs again.
// Runs already completed in the database are skipped, so re-running resumes. One sweep per
// output folder: a second one on the same folder stops at once, naming the first one's pid
// (a lock on <out>/sweep.lock; why a lock and not per-run claims: sweep_runner.cpp).
//
// Signals: the first SIGINT stops launching and waits for the running runs (the children
// ignore SIGINT, so Ctrl-C in a terminal does not kill them); a second SIGINT, or a
// SIGTERM (scancel, SLURM time limit), stops them too. Children die with the sweep
// (PR_SET_PDEATHSIG), so SIGKILL of the sweep alone leaves no orphans.
#include <cstddef>
#include <string>
#include <vector>

#include "experiment/sweep_plan.h"

namespace nnc::experiment {

struct SweepOptions {
  std::string binary;   ///< absolute path of nncompress
  std::string out_dir;  ///< results directory: results.db, runs/<id>/, logs/<id>.log
  int jobs = 1;         ///< concurrent child processes

  void validate() const;
};

struct SweepResult {
  size_t total = 0;         ///< runs given
  size_t already_done = 0;  ///< completed before (or by another process during) this sweep
  size_t completed = 0;     ///< completed by this sweep
  size_t failed = 0;        ///< recorded as failed by this sweep
  size_t remaining = 0;     ///< not finished because the sweep stopped early
  bool interrupted = false; ///< SIGINT / SIGTERM
  std::string stop_error;   ///< why the sweep stopped on its own (e.g. database not writable)

  /// 0 all completed; 1 some runs failed; 2 stopped by an error; 130 interrupted.
  int exit_code() const;
};

SweepResult run_sweep(const std::vector<const PlannedRun*>& runs, const SweepOptions& options);

/// Absolute path of the running executable (/proc/self/exe).
std::string self_executable();

}  // namespace nnc::experiment
