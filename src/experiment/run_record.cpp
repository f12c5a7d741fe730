#include "experiment/run_record.h"

#include <chrono>
#include <ctime>
#include <fmt/format.h>

#include "core/error.h"

namespace nnc::experiment {

const char* to_string(RunStatus s) {
  switch (s) {
    case RunStatus::Running: return "running";
    case RunStatus::Completed: return "completed";
    default: return "failed";
  }
}

RunStatus status_from_string(const std::string& s) {
  if (s == "running") return RunStatus::Running;
  if (s == "completed") return RunStatus::Completed;
  if (s == "failed") return RunStatus::Failed;
  fail("unknown run status '{}' in the results database", s);
}

std::string now_iso8601() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace nnc::experiment
