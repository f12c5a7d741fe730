#include "experiment/slurm.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "experiment/run_command.h"

namespace nnc::experiment {

void SlurmOptions::validate() const {
  NNC_CHECK(num_sub_batches >= 1, "--num-sub-batches must be at least 1 for --emit-slurm, got {}",
            num_sub_batches);
  NNC_CHECK(cpus_per_task >= 1, "--cpus-per-task must be at least 1, got {}", cpus_per_task);
  NNC_CHECK(jobs >= 1, "--jobs must be at least 1, got {}", jobs);
  NNC_CHECK(max_parallel >= 0, "--max-parallel must be >= 0, got {}", max_parallel);
  for (auto* p : {&binary, &plan, &out})
    NNC_CHECK(!p->empty() && (*p)[0] == '/', "slurm script: '{}' must be an absolute path", *p);
}

std::string slurm_log_dir(const SlurmOptions& o) {
  return o.log_dir.empty() ? o.out + "/slurm-logs" : o.log_dir;
}

std::string slurm_array_script(const SlurmOptions& o) {
  o.validate();
  std::string s = script_header(o, "--emit-slurm", "sbatch");
  s += fmt::format("#SBATCH --job-name={}\n", o.job_name);
  s += fmt::format("#SBATCH --array=0-{}{}\n", o.num_sub_batches - 1,
                   o.max_parallel > 0 ? fmt::format("%{}", o.max_parallel) : "");
  if (!o.partition.empty()) s += fmt::format("#SBATCH --partition={}\n", o.partition);
  if (!o.time.empty()) s += fmt::format("#SBATCH --time={}\n", o.time);
  if (!o.mem.empty()) s += fmt::format("#SBATCH --mem={}\n", o.mem);
  if (!o.gres.empty()) s += fmt::format("#SBATCH --gres={}\n", o.gres);
  s += fmt::format("#SBATCH --cpus-per-task={}\n", o.cpus_per_task);
  s += "#SBATCH --ntasks=1\n";
  s += fmt::format("#SBATCH --output={}/%x_%A_%a.out\n", slurm_log_dir(o));
  s += "set -euo pipefail\n";
  s += ": \"${SLURM_ARRAY_TASK_ID:?run this script with sbatch (it is an array job)}\"\n";
  return s + shard_command(o, "SLURM_ARRAY_TASK_ID");
}

std::string script_header(const SlurmOptions& o, const std::string& emit_flag, const std::string& submit) {
  return fmt::format("#!/bin/bash\n# Written by `nncompress sweep {}`: one array task per sub-batch.\n"
                     "# Submit: {} THIS_FILE   Merge afterwards:\n#   {} results merge --out {} {}/shard-*\n",
                     emit_flag, submit, shell_quote(o.binary), shell_quote(o.out), shell_quote(o.out));
}

std::string shard_command(const SlurmOptions& o, const std::string& index_var) {
  std::string sets;
  for (auto& kv : o.sets) sets += " --set " + shell_quote(kv);
  return fmt::format(
      "exec {} sweep {} --num-sub-batches {} --sub-batch \"${}\" \\\n"
      "  --jobs {} --threads {}{} --out {}/shard-\"${}\"\n",
      shell_quote(o.binary), shell_quote(o.plan), o.num_sub_batches, index_var, o.jobs,
      std::max(1, o.cpus_per_task / o.jobs), sets, shell_quote(o.out), index_var);
}

}  // namespace nnc::experiment
