#include "prune/runs_csv.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "prune/procedure.h"

namespace nnc::prune {

const std::vector<std::string>& runs_csv_result_columns() {
  static const std::vector<std::string> cols = {
      "run_id", "experiment_name", "timestamp", "run_time", "final_accuracy_trainset", "final_accuracy_valset",
      "final_accuracy_testset", "final_loss_trainset", "final_loss_valset", "final_loss_testset", "final_l0_loss",
      "final_sigma", "l0_norm", "nonzeros", "compression_ratio"};
  return cols;
}

CsvRow runs_csv_results(const PruneOutcome& out, const std::string& run_id, const std::string& experiment_name,
                        const std::string& timestamp) {
  auto num = [](double v) { return fmt::format("{}", v); };
  const bool cls = out.classification;
  return {{"run_id", run_id},
          {"experiment_name", experiment_name},
          {"timestamp", timestamp},
          {"run_time", num(out.seconds)},
          {"final_accuracy_trainset", cls ? num(out.train.accuracy) : ""},
          {"final_accuracy_valset", cls ? num(out.val.accuracy) : ""},
          {"final_accuracy_testset", cls ? num(out.test.accuracy) : ""},
          {"final_loss_trainset", num(out.train.loss)},
          {"final_loss_valset", num(out.val.loss)},
          {"final_loss_testset", num(out.test.loss)},
          {"final_l0_loss", ""},
          {"final_sigma", out.gauss_loss ? num(out.sigma) : ""},
          {"l0_norm", std::to_string(out.l0)},
          {"nonzeros", std::to_string(out.nonzeros)},
          {"compression_ratio", num(out.compression_ratio)}};
}

std::string epochs_csv(const PruneOutcome& out) {
  std::string csv = "phase,epoch,train_loss,train_accuracy,val_loss,val_accuracy,l0\n";
  for (const auto& e : out.epochs)
    csv += fmt::format("{},{},{},{},{},{},{}\n", e.phase, e.epoch, e.train_loss, e.train_accuracy, e.val_loss,
                       e.val_accuracy, e.l0);
  return csv;
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void append_runs_csv(const std::string& path, const CsvRow& row) {
  std::string header, line;
  for (size_t i = 0; i < row.size(); ++i) {
    header += (i ? "," : "") + csv_field(row[i].first);
    line += (i ? "," : "") + csv_field(row[i].second);
  }
  // An advisory lock keeps concurrent runs (sub-batches) from interleaving rows.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND, 0644);
  NNC_CHECK(fd >= 0, "runs.csv: cannot open '{}' for appending (is the folder writable?)", path);
  ::flock(fd, LOCK_EX);
  std::string existing;
  {
    std::ifstream in(path);
    std::getline(in, existing);
  }
  std::string text;
  if (existing.empty()) {
    text = header + "\n" + line + "\n";
  } else if (existing != header) {
    ::flock(fd, LOCK_UN);
    ::close(fd);
    fail("runs.csv: '{}' has different columns than this run (another kind or version wrote it); use another "
         "out_dir or experiment_name",
         path);
  } else {
    text = line + "\n";
  }
  try {
    append_whole(fd, path, text);  // the whole row or none of it
  } catch (const Error&) {
    ::flock(fd, LOCK_UN);
    ::close(fd);
    throw;
  }
  ::flock(fd, LOCK_UN);
  NNC_CHECK(::close(fd) == 0, "cannot write '{}': {}", path, std::strerror(errno));
}

}  // namespace nnc::prune
