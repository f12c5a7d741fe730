#pragma once
// An sbatch array script for a sweep: one array task per sub-batch, each running
// `nncompress sweep PLAN --num-sub-batches N --sub-batch $SLURM_ARRAY_TASK_ID` into its
// own directory OUT/shard-<i> (no SQLite database shared over NFS). Afterwards
// `nncompress results merge --out OUT OUT/shard-*` combines the shards. SLURM schedules;
// nncompress only writes the script.
#include <string>
#include <vector>

namespace nnc::experiment {

struct SlurmOptions {
  std::string binary;           ///< absolute path of nncompress
  std::string plan;             ///< absolute path of the plan
  std::string out;              ///< absolute results directory; shards go to out/shard-<i>
  int num_sub_batches = 1;      ///< array tasks 0..N-1
  std::string job_name = "nncompress-sweep";
  std::string partition;        ///< "" = the cluster's default partition
  std::string time = "01:00:00";///< per array task (sbatch --time)
  std::string mem;              ///< per array task, e.g. "4G" ("" = the cluster's default)
  std::string gres;             ///< generic resources per task, e.g. "gpu:1" ("" = none)
  int cpus_per_task = 1;
  int jobs = 1;                 ///< local workers inside each array task (sweep --jobs);
                                ///< each run gets cpus_per_task / jobs torch threads
  int max_parallel = 0;         ///< at most this many tasks at once (%limit; 0 = no limit)
  std::string log_dir;          ///< "" = out/slurm-logs
  /// The sweep's `--set key=value` overrides, passed on to every array task (a plan run
  /// on a GPU partition with --set device=cuda must not fall back to the plan's cpu).
  std::vector<std::string> sets;

  void validate() const;
};

/// The first lines of an array script: shebang, which flag wrote it, how to submit it
/// (`submit`, e.g. "sbatch") and the merge command to run afterwards.
std::string script_header(const SlurmOptions& o, const std::string& emit_flag, const std::string& submit);

/// The line an array task runs: `exec nncompress sweep PLAN ... --sub-batch "$VAR"` into
/// out/shard-"$VAR", where shell variable `index_var` holds the task's sub-batch (SLURM and
/// PBS name it differently).
std::string shard_command(const SlurmOptions& o, const std::string& index_var);

/// The script text (bash). Paths are written as given: pass absolute ones.
std::string slurm_array_script(const SlurmOptions& o);
/// The directory a script's logs go to (it must exist before sbatch runs).
std::string slurm_log_dir(const SlurmOptions& o);

}  // namespace nnc::experiment
