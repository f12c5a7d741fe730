#pragma once
// A PBS (PBS Pro / OpenPBS, as on MetaCentrum where the CGP original ran) array script for a
// sweep, beside slurm.h with the same sub-batch semantics: array index i runs
// `nncompress sweep PLAN --num-sub-batches N --sub-batch i` into OUT/shard-<i>; afterwards
// `nncompress results merge --out OUT OUT/shard-*`. The same options as SLURM's, mapped:
// partition -> queue (-q), time -> walltime, cpus_per_task/mem/gres "gpu:K" -> one
// select chunk (ncpus, mem, ngpus). nncompress only writes the script.
#include <string>

#include "experiment/slurm.h"

namespace nnc::experiment {

/// The script text (bash). PBS arrays need two or more indices (-J 0-N-1); with one
/// sub-batch the script is a plain job running sub-batch 0. max_parallel has no PBS Pro
/// counterpart and is refused.
std::string pbs_array_script(const SlurmOptions& o);
/// The directory the script's logs go to (out/pbs-logs unless log_dir is given).
std::string pbs_log_dir(const SlurmOptions& o);

}  // namespace nnc::experiment
