#pragma once
// The command line that runs one configured experiment on its own:
//   <binary> <kind> --key=value ... --out=<dir>
// Only options that differ from the kind's defaults are written; parsing the line back
// gives the same RunConfig and so the same run id. Used for sweep workers and for
// `sweep --emit-commands`.
#include <string>
#include <vector>

#include "experiment/run_config.h"

namespace nnc::experiment {

std::vector<std::string> run_command(const std::string& binary, const RunConfig& config,
                                     const std::string& out_dir);
/// POSIX shell quoting: plain words stay as they are, anything else is single-quoted.
std::string shell_quote(const std::string& s);
std::string shell_line(const std::vector<std::string>& argv);

}  // namespace nnc::experiment
