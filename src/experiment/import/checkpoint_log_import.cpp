// FETCH/GDumb's checkpoint.log (and nncompress's, the same format) as one replay run:
//   [date] INFO:utils:==> Opts for this training: Namespace(k=v, ...)   the options
//   ==> Train:[E]\tTime:..\tData:..\tLoss:L\t                          series epoch_loss
//   ==> Test: [E]\tTime:..\tLoss:..\tAcc:A\tTask Acc:T\t                series test_accuracy
//   ==> Training completed! Acc: [A]                                     final_accuracy
// A log that ends before "Training completed" is an interrupted run: recorded as failed,
// with what it has.
#include <algorithm>
#include <fstream>
#include <regex>

#include "core/error.h"
#include "experiment/import/importer.h"

namespace nnc::experiment::import_detail {
namespace {

/// The end of a Python repr value starting at s[i]: a quoted string, a bracketed
/// list/tuple/dict, or a bare word/number up to the next top-level comma or the closing ')'.
size_t value_end(const std::string& s, size_t i) {
  if (s[i] == '\'' || s[i] == '"') {
    const char q = s[i];
    for (++i; i < s.size() && s[i] != q; ++i)
      if (s[i] == '\\') ++i;
    return std::min(i + 1, s.size());
  }
  int depth = 0;
  for (; i < s.size(); ++i) {
    if (s[i] == '[' || s[i] == '(' || s[i] == '{') ++depth;
    else if (s[i] == ']' || s[i] == ')' || s[i] == '}') {
      if (depth == 0) return i;
      --depth;
    } else if (s[i] == ',' && depth == 0) return i;
  }
  return i;
}

/// Namespace(a='x', b=3.0, c=True) -> {a: x, b: 3.0, c: true}; None stays "None".
std::vector<std::pair<std::string, std::string>> parse_namespace(const std::string& text, const std::string& where) {
  const size_t open = text.find("Namespace(");
  NNC_CHECK(open != std::string::npos, "{}: expected 'Namespace(' in the options line", where);
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = open + 10;
  while (i < text.size() && text[i] != ')') {
    while (i < text.size() && text[i] == ' ') ++i;
    const size_t eq = text.find('=', i);
    NNC_CHECK(eq != std::string::npos, "{}: option without '=' in the Namespace at column {}", where, i);
    std::string key = text.substr(i, eq - i);
    const size_t end = value_end(text, eq + 1);
    std::string value = text.substr(eq + 1, end - eq - 1);
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"')) value = value.substr(1, value.size() - 2);
    else if (value == "True") value = "true";
    else if (value == "False") value = "false";
    out.emplace_back(std::move(key), std::move(value));
    i = end < text.size() && text[end] == ',' ? end + 1 : end;
  }
  return out;
}

double number_after(const std::string& line, const std::string& label) {
  const size_t p = line.find(label);
  return p == std::string::npos ? std::nan("") : std::strtod(line.c_str() + p + label.size(), nullptr);
}

}  // namespace

std::vector<RunRecord> read_checkpoint_log(const std::string& path) {
  std::ifstream in(path);
  NNC_CHECK(in.good(), "import: cannot read '{}'", path);
  Draft d{"replay", path, "", {}, {}};
  auto& r = d.record;
  std::string line;
  bool completed = false;
  double best = std::nan(""), last_task = std::nan("");
  for (int n = 1; std::getline(in, line); ++n) {
    const size_t at = line.find("==> ");
    if (at == std::string::npos) continue;
    const std::string what = line.substr(at + 4);
    if (what.rfind("Opts for this training:", 0) == 0) {
      d.options = parse_namespace(what, path + ":" + std::to_string(n));
    } else if (what.rfind("Train:[", 0) == 0) {
      r.series["epoch_loss"].push_back(number_after(what, "Loss:"));
    } else if (what.rfind("Test: [", 0) == 0) {
      const double acc = number_after(what, "\tAcc:");
      r.series["test_accuracy"].push_back(acc);
      last_task = number_after(what, "Task Acc:");
      if (!(acc <= best)) best = acc;
    } else if (what.rfind("Training completed! Acc: [", 0) == 0) {
      r.metrics["final_accuracy"] = number_after(what, "Acc: [");
      completed = true;
    }
  }
  NNC_CHECK(!d.options.empty(), "import: '{}' has no 'Opts for this training' line", path);
  if (!std::isnan(best)) r.metrics["best_test_accuracy"] = best;
  if (!std::isnan(last_task)) r.metrics["final_task_accuracy"] = last_task;
  for (auto& [k, v] : d.options)
    if (k == "memory_size") r.metrics["memory_slots"] = std::strtod(v.c_str(), nullptr);
  r.status = completed ? RunStatus::Completed : RunStatus::Failed;
  if (!completed) r.error = "the log ends before 'Training completed' (an interrupted run)";
  return {finish(std::move(d))};
}

}  // namespace nnc::experiment::import_detail
