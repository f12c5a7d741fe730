#include "core/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

namespace nnc {
namespace {
std::atomic<bool> g_quiet{false};
}

void Progress::set_quiet(bool quiet) { g_quiet = quiet; }

std::string format_duration(double s) {
  if (s < 0 || s > 1e8) return "?";
  long t = static_cast<long>(s + 0.5);
  if (t >= 3600) return fmt::format("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60);
  return fmt::format("{}:{:02}", t / 60, t % 60);
}

Progress::Progress(std::string label, long total)
    : label_(std::move(label)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_ - std::chrono::hours(1)),
      tty_(isatty(STDERR_FILENO) != 0) {}

void Progress::update(long done, const std::map<std::string, double>& values) {
  if (g_quiet) return;
  auto now = std::chrono::steady_clock::now();
  // Non-terminals (CI logs) get at most one line every 5 s, terminals 10 per second.
  double min_gap = tty_ ? 0.1 : 5.0;
  bool last = done >= total_;
  if (!last && std::chrono::duration<double>(now - last_print_).count() < min_gap) return;
  last_print_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  double eta = done > 0 ? elapsed / done * (total_ - done) : -1;
  std::string line = fmt::format("[{}] {}/{}", label_, done, total_);
  for (auto& [k, v] : values) line += fmt::format(" {} {:.4g}", k, v);
  line += fmt::format(" elapsed {} ETA {}", format_duration(elapsed), format_duration(eta));
  if (tty_) fmt::print(stderr, "\r\033[K{}{}", line, last ? "\n" : "");
  else fmt::print(stderr, "{}\n", line);
  std::fflush(stderr);
}

void Progress::finish(const std::map<std::string, double>& values) { update(total_, values); }

}  // namespace nnc
