#include "replay/checkpoint_log.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "core/error.h"
#include "core/file_io.h"

namespace nnc::replay {

std::string python_float_repr(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{}", v);  // shortest round-trip, like Python's repr
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

CheckpointLog::CheckpointLog(const std::string& path) : path_(path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
  NNC_CHECK(fd_ >= 0, "cannot write run log '{}': {}", path, std::strerror(errno));
}

CheckpointLog::~CheckpointLog() { ::close(fd_); }

void CheckpointLog::line(const std::string& text) {
  timeval tv{};
  gettimeofday(&tv, nullptr);
  std::tm tm{};
  time_t secs = tv.tv_sec;
  localtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  append_whole(fd_, path_, fmt::format("[{},{:03}] INFO:utils:==> {}\n", buf, tv.tv_usec / 1000, text));
}

void CheckpointLog::options(const std::vector<std::pair<std::string, OptionValue>>& ordered) {
  std::string ns;
  for (auto& [k, v] : ordered) {
    std::string repr;
    switch (v.index()) {
      case 0: repr = std::get<bool>(v) ? "True" : "False"; break;
      case 1: repr = std::to_string(std::get<int64_t>(v)); break;
      case 2: repr = python_float_repr(std::get<double>(v)); break;
      default: repr = "'" + std::get<std::string>(v) + "'";
    }
    ns += (ns.empty() ? "" : ", ") + k + "=" + repr;
  }
  line("Opts for this training: Namespace(" + ns + ")");
}

void CheckpointLog::epoch(int64_t pass, double lr, double seconds, double loss) {
  line(fmt::format("Starting pass number: {}, Learning rate: {}", pass, python_float_repr(lr)));
  line(fmt::format("Train:[{}]\tTime:{:.3f}\tData:{:.3f}\tLoss:{:.4f}\t", pass, seconds, 0.0, loss));
}

void CheckpointLog::test(int64_t pass, double seconds, double loss, double acc, double task_acc) {
  line(fmt::format("Test: [{}]\tTime:{:.3f}\tLoss:{:.4f}\tAcc:{:.3f}\tTask Acc:{:.3f}\t", pass,
                   seconds, loss, acc, task_acc));
}

ReplayObserver CheckpointLog::observer() {
  ReplayObserver o;
  o.on_epoch = [this](int64_t, const train::EpochLog& e) { epoch(e.epoch, e.lr, e.seconds, e.loss); };
  o.on_task = [this](const TaskResult& t) {  // the final model of each task, tested once
    test(static_cast<int64_t>(t.history.size()) - 1, t.test_seconds, t.test_loss, t.accuracy, t.task_accuracy);
  };
  return o;
}

void CheckpointLog::completed(double acc) { line(fmt::format("Training completed! Acc: [{:.3f}]", acc)); }

}  // namespace nnc::replay
