#pragma once
// The original (FETCH/GDumb) run log, `log_dir/exp_name/checkpoint.log`, written line by
// line in its exact format so the seed notebooks' parsing regexes keep working:
//   [YYYY-mm-dd HH:MM:SS,mmm] INFO:utils:==> Opts for this training: Namespace(...)
#include <string>
#include <utility>
#include <vector>

#include "core/options.h"
#include "replay/protocol.h"

namespace nnc::replay {

/// Python repr of a float: 3.0, 0.9, 1e-06.
std::string python_float_repr(double v);

/// Appended line by line (a run killed midway keeps the lines so far); every line is
/// written whole or the run fails with the path and the reason (full disk: no half line).
class CheckpointLog {
 public:
  explicit CheckpointLog(const std::string& path);
  ~CheckpointLog();
  CheckpointLog(const CheckpointLog&) = delete;
  CheckpointLog& operator=(const CheckpointLog&) = delete;
  /// `Namespace(k=v, ...)` with Python reprs, keys in the given order.
  void options(const std::vector<std::pair<std::string, OptionValue>>& ordered);
  void epoch(int64_t pass, double lr, double seconds, double loss);
  void test(int64_t pass, double seconds, double loss, double acc, double task_acc);
  void completed(double acc);
  void line(const std::string& text);
  /// Writes a run's epochs and each task's test line as the run goes (this log must outlive it).
  ReplayObserver observer();

 private:
  int fd_ = -1;
  std::string path_;
};

}  // namespace nnc::replay
