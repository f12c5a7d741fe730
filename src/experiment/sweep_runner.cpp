#include "experiment/sweep_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/error.h"
#include "core/progress.h"
#include "experiment/results_store.h"
#include "experiment/run_command.h"

namespace nnc::experiment {
namespace {

volatile sig_atomic_t g_interrupts = 0;
volatile sig_atomic_t g_terminate = 0;

extern "C" void on_signal(int sig) {
  if (sig == SIGINT) g_interrupts = g_interrupts + 1;
  else g_terminate = 1;
}

/// Installs the sweep's SIGINT/SIGTERM handlers (no SA_RESTART, so waitpid wakes up) and
/// restores the previous ones on exit.
class SignalGuard {
 public:
  SignalGuard() {
    g_interrupts = 0;
    g_terminate = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

struct Child {
  const PlannedRun* run;
  std::string log;
  std::string started_at;
};

/// Forks and execs one run with stdout/stderr appended to `log`. Returns the child's pid.
pid_t launch(const std::vector<std::string>& argv, const std::string& log) {
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  NNC_CHECK(fd >= 0, "cannot write log '{}': {} (read-only or full output directory?)", log,
            std::strerror(errno));
  std::string header = fmt::format("=== {} {}\n", now_iso8601(), shell_line(argv));
  if (::write(fd, header.data(), header.size()) != static_cast<ssize_t>(header.size())) {
    int err = errno;
    ::close(fd);
    fail("cannot write log '{}': {} (full output directory?)", log, std::strerror(err));
  }
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {  // child: async-signal-safe calls only until exec
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::signal(SIGINT, SIG_IGN);  // the sweep decides when runs stop; kept across exec
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(cargv[0], cargv.data());
    ::_exit(127);
  }
  int err = errno;
  ::close(fd);
  NNC_CHECK(pid > 0, "cannot start a worker process: {}", std::strerror(err));
  return pid;
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status))
    return fmt::format("worker killed by signal {} ({})", WTERMSIG(status), strsignal(WTERMSIG(status)));
  return fmt::format("worker exited with code {}", WEXITSTATUS(status));
}

/// One sweep per output folder: a POSIX record lock on <out>/sweep.lock, held for the
/// sweep's life. Why a folder lock and not per-run claims: it is the simplest thing that
/// can neither run a run twice nor lose one; the kernel drops it when the sweep dies, even
/// by SIGKILL, so no stale claim ever needs expiring; F_GETLK names the holder's pid for
/// the error. Parallelism inside a folder is --jobs; across machines, sub-batches write
/// folders of their own and `results merge` joins them (SQLite is unsafe over NFS anyway).
/// fcntl locks are not inherited by fork, so the workers never hold it.
class FolderLock {
 public:
  explicit FolderLock(const std::string& out_dir) {
    path_ = (std::filesystem::path(out_dir) / "sweep.lock").string();
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    NNC_CHECK(fd_ >= 0, "cannot create the sweep lock '{}': {} (read-only output directory?)", path_,
              std::strerror(errno));
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file
    if (::fcntl(fd_, F_SETLK, &lock) == 0) return;
    int err = errno;
    long holder = 0;
    if (err == EACCES || err == EAGAIN) {
      struct flock probe {};
      probe.l_type = F_WRLCK;
      probe.l_whence = SEEK_SET;
      if (::fcntl(fd_, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK) holder = probe.l_pid;
    }
    ::close(fd_);
    NNC_CHECK(err != EACCES && err != EAGAIN,
              "another sweep ({}) is running in '{}' (it holds {}): one sweep per output folder; "
              "wait for it, or give this one another --out",
              holder > 0 ? fmt::format("pid {}", holder) : std::string("pid unknown"),
              out_dir, path_);
    fail("cannot lock '{}': {}", path_, std::strerror(err));
  }
  ~FolderLock() { ::close(fd_); }  // closing the only descriptor releases the lock
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  std::string path_;
  int fd_ = -1;
};

/// The last "error: ..." line of a log, if any.
std::string last_error_line(const std::string& log) {
  std::ifstream f(log);
  std::string line, last;
  while (std::getline(f, line))
    if (line.rfind("error: ", 0) == 0) last = line.substr(7);
  return last;
}

}  // namespace

void SweepOptions::validate() const {
  NNC_CHECK(jobs >= 1, "--jobs must be at least 1, got {}", jobs);
  NNC_CHECK(!binary.empty() && std::filesystem::exists(binary),
            "sweep: cannot find the nncompress executable '{}'", binary);
  NNC_CHECK(!out_dir.empty(), "sweep: no output directory (give --out)");
}

int SweepResult::exit_code() const {
  if (interrupted) return 130;
  if (!stop_error.empty()) return 2;
  return failed > 0 ? 1 : 0;
}

std::string self_executable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  NNC_CHECK(!ec, "cannot find the running executable (/proc/self/exe): {}", ec.message());
  return p.string();
}

SweepResult run_sweep(const std::vector<const PlannedRun*>& runs, const SweepOptions& o) {
  o.validate();
  namespace fs = std::filesystem;
  ResultsStore store(o.out_dir);  // a read-only or unusable directory fails here, clearly
  store.require_current_ids();     // before any run starts: old and new ids never mix
  FolderLock lock(o.out_dir);
  auto log_dir = fs::path(o.out_dir) / "logs";
  std::error_code ec;
  fs::create_directories(log_dir, ec);
  NNC_CHECK(!ec, "cannot create '{}': {} (read-only or full output directory?)", log_dir.string(),
            ec.message());

  SweepResult res;
  res.total = runs.size();
  std::vector<const PlannedRun*> todo;
  for (auto* r : runs) {
    if (store.is_completed(r->id)) ++res.already_done;
    else todo.push_back(r);
  }
  SignalGuard guard;
  Progress progress("sweep", static_cast<long>(todo.size()));
  std::map<pid_t, Child> active;
  size_t next = 0, finished = 0;
  bool announced = false, killed_children = false;
  auto stopping = [&] { return g_interrupts > 0 || g_terminate || !res.stop_error.empty(); };

  while (true) {
    while (!stopping() && active.size() < static_cast<size_t>(o.jobs) && next < todo.size()) {
      const PlannedRun* run = todo[next++];
      try {
        if (store.is_completed(run->id)) {  // another sweep on this database finished it
          ++res.already_done;
          ++finished;
          continue;
        }
        std::string log = (log_dir / (run->id + ".log")).string();
        pid_t pid = launch(run_command(o.binary, run->config, o.out_dir), log);
        active[pid] = {run, log, now_iso8601()};
      } catch (const Error& e) {
        res.stop_error = e.what();
        --next;
      }
    }
    if (active.empty()) break;
    if (stopping() && !announced) {
      announced = true;
      if (!res.stop_error.empty())
        fmt::print(stderr, "\nsweep: stopping: {}\n", res.stop_error);
      else if (!g_terminate)
        fmt::print(stderr, "\nsweep: interrupted: waiting for {} running run(s) to finish "
                           "(Ctrl-C again stops them now)\n", active.size());
    }
    if ((g_interrupts > 1 || g_terminate) && !killed_children) {
      killed_children = true;
      for (auto& [pid, c] : active) ::kill(pid, SIGTERM);
    }
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      NNC_CHECK(errno == EINTR, "sweep: waitpid failed: {}", std::strerror(errno));
      continue;  // a signal: re-check the flags
    }
    auto it = active.find(pid);
    if (it == active.end()) continue;
    Child child = it->second;
    active.erase(it);
    const PlannedRun& run = *child.run;
    try {
      auto rec = store.get(run.id);
      if (rec && rec->status == RunStatus::Completed) {
        ++res.completed;
      } else if (killed_children && !(rec && rec->status == RunStatus::Failed)) {
        continue;  // stopped on request: left as 'running', the next sweep runs it again
      } else {
        if (!rec || rec->status != RunStatus::Failed) {
          // The worker died before recording its end (crash, OOM kill, bad option): record
          // the failure here, on its attempt and its run row, so neither is left 'running'.
          RunRecord r;
          r.id = run.id;
          r.kind = run.config.kind();
          r.config_json = run.config.to_json();
          r.status = RunStatus::Failed;
          std::string detail = last_error_line(child.log);
          r.error = describe_exit(status) + (detail.empty() ? "" : ": " + detail);
          r.started_at = child.started_at;
          r.finished_at = now_iso8601();
          store.record_lost_attempt(r, pid);
          rec = r;
        }
        ++res.failed;
        fmt::print(stderr, "\nsweep: run {} failed: {} (log: {})\n", run.id, rec->error, child.log);
      }
      ++finished;
      progress.update(static_cast<long>(finished), {{"failed", static_cast<double>(res.failed)}});
    } catch (const Error& e) {
      res.stop_error = e.what();
    }
  }
  res.interrupted = g_interrupts > 0 || g_terminate;
  res.remaining = todo.size() - finished;
  return res;
}

}  // namespace nnc::experiment
