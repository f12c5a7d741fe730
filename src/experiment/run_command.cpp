#include "experiment/run_command.h"

#include <algorithm>

namespace nnc::experiment {

std::vector<std::string> run_command(const std::string& binary, const RunConfig& config,
                                     const std::string& out_dir) {
  std::vector<std::string> argv{binary, config.kind()};
  for (const auto& spec : config.specs()) {
    const Value& v = config.values().at(spec.key);
    if (v == spec.default_value) continue;
    std::string flag = spec.key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    // --key=value keeps values that start with '-' from reading as flags.
    argv.push_back("--" + flag + "=" + value_to_string(v));
  }
  argv.push_back("--out=" + out_dir);
  return argv;
}

std::string shell_quote(const std::string& s) {
  bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_./=:,+@%").find(c) != std::string_view::npos;
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string shell_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "" : " ") + shell_quote(a);
  return line;
}

}  // namespace nnc::experiment
