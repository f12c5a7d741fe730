#pragma once
// Published reference points: accuracies other papers report at a stated memory size, drawn
// on the replay charts (black crosses labelled "published") when the runs use the same
// dataset. The CIFAR-10 table (data/published/cifar10_replay.csv, docs/replay.md#outputs)
// is built into the binary; `--published FILE` replaces it.
//
// CSV columns: method,budget_bytes,accuracy,source (accuracy as a fraction, like
// final_accuracy).
#include <string>
#include <vector>

namespace nnc::report {

struct PublishedPoint {
  std::string method;       ///< e.g. "GDumb k=500"
  double budget_bytes = 0;  ///< memory the method stores
  double accuracy = 0;      ///< fraction in [0, 1]
  std::string source;       ///< paper and setting
  double mib() const { return budget_bytes / (1024.0 * 1024.0); }
};

/// Parses the CSV text; `origin` names the file in error messages.
std::vector<PublishedPoint> parse_published_csv(const std::string& text, const std::string& origin);
/// The built-in CIFAR-10 table (empty if the build had no data/published file).
std::vector<PublishedPoint> builtin_published_cifar10();

}  // namespace nnc::report
