#include "experiment/pbs.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "experiment/run_command.h"

namespace nnc::experiment {
namespace {

/// "gpu:2" -> 2, "" -> 0; anything else fails naming the form PBS can express.
int gpus_of(const std::string& gres) {
  if (gres.empty()) return 0;
  const std::string prefix = "gpu:";
  const bool ok = gres.rfind(prefix, 0) == 0 && gres.size() > prefix.size() &&
                  gres.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
  NNC_CHECK(ok, "--gres '{}': for --emit-pbs only gpu:K is understood (it becomes ngpus=K)", gres);
  return std::stoi(gres.substr(prefix.size()));
}

/// PBS wants memory as <n>b|kb|mb|gb: "4G" -> "4gb".
std::string pbs_mem(const std::string& mem) {
  std::string m;
  for (char c : mem) m += char(std::tolower(static_cast<unsigned char>(c)));
  if (!m.empty() && (m.back() == 'k' || m.back() == 'm' || m.back() == 'g' || m.back() == 't')) m += 'b';
  return m;
}

}  // namespace

std::string pbs_log_dir(const SlurmOptions& o) {
  return o.log_dir.empty() ? o.out + "/pbs-logs" : o.log_dir;
}

std::string pbs_array_script(const SlurmOptions& o) {
  o.validate();
  NNC_CHECK(o.max_parallel == 0, "--max-parallel has no PBS counterpart (array tasks are limited "
            "by the queue): leave it out with --emit-pbs");
  const bool array = o.num_sub_batches > 1;
  std::string s = script_header(o, "--emit-pbs", "qsub");
  s += fmt::format("#PBS -N {}\n", o.job_name);
  if (array) s += fmt::format("#PBS -J 0-{}\n", o.num_sub_batches - 1);
  if (!o.partition.empty()) s += fmt::format("#PBS -q {}\n", o.partition);
  std::string select = fmt::format("select=1:ncpus={}", o.cpus_per_task);
  if (!o.mem.empty()) select += ":mem=" + pbs_mem(o.mem);
  if (int g = gpus_of(o.gres); g > 0) select += fmt::format(":ngpus={}", g);
  s += fmt::format("#PBS -l {}\n", select);
  if (!o.time.empty()) s += fmt::format("#PBS -l walltime={}\n", o.time);
  s += "#PBS -j oe\n";
  s += fmt::format("#PBS -o {}/\n", pbs_log_dir(o));
  s += "set -euo pipefail\n";
  s += array ? ": \"${PBS_ARRAY_INDEX:?run this script with qsub (it is an array job)}\"\n"
               "SUB=\"$PBS_ARRAY_INDEX\"\n"
             : "SUB=0\n";
  return s + shard_command(o, "SUB");
}

}  // namespace nnc::experiment
