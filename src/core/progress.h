#pragma once
// A single progress line on stderr: "[label] 3/10 loss 0.412 acc 0.871 ETA 0:42".
// Rewritten in place on a terminal, one line per update otherwise (logs stay readable).
#include <chrono>
#include <map>
#include <string>

namespace nnc {

class Progress {
 public:
  Progress(std::string label, long total);
  /// Reports step `done` of `total` with named values (printed in key order).
  void update(long done, const std::map<std::string, double>& values = {});
  void finish(const std::map<std::string, double>& values = {});
  /// Silences all progress output (tests, workers).
  static void set_quiet(bool quiet);

 private:
  std::string label_;
  long total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_print_;
  bool tty_;
};

std::string format_duration(double seconds);

}  // namespace nnc
