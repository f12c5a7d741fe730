#pragma once
// The replay charts of the seed notebooks (seeds 000/001), one section per dataset:
//   - accuracy vs total storage [MiB] (log x), a line per compressor, each point annotated
//     with the compressor's parameter, one panel per encoder (plotly's facet_col);
//   - the same against the number of memory slots;
//   - "best accuracy for memory": every run, the non-dominated ones joined (the Pareto
//     front, memory ascending), and the published reference points on CIFAR-10;
//   - tables: every point, the best method per budget, the Pareto front.
//
// What a replay run must record (experiment/kinds/replay_kind.cpp does):
//   config  dataset, memory_bytes (e.g. "10MiB") or memory_size (slots), epochs, precision
//   metrics final_accuracy (y), memory_used_mib (x; else memory_used_bytes / 2^20),
//           memory_slots (else memory_items) for the slot chart, final_task_accuracy,
//           memory_budget_bytes, num_passes
//   tags    what the run's plug-ins say about themselves, from their own options:
//           encoder_line / _display / _order (the panel), compressor_line / _display /
//           _parameter / _order (the line, its legend name, the point's label and grouping
//           key, the legend order). The report knows no plug-in by name: a new encoder or
//           compressor needs no edit here. Runs recorded without these tags (an older
//           nncompress; `results migrate` adds them) fall back to the config's encoder and
//           compressor names, and the section says so.
// Runs that differ only in their seed become one point: the mean, with n and the spread.
#include <string>
#include <vector>

#include "experiment/run_record.h"
#include "report/published.h"
#include "report/report_doc.h"

namespace nnc::report {

struct ReplayPoint {
  std::vector<std::string> run_ids;  ///< the runs averaged into this point
  std::string dataset;
  std::string encoder;          ///< tag encoder_line: none | cutr | cutr34
  std::string encoder_name;     ///< panel title (encoder_display): "no encoding", "CutR18(3)"
  int encoder_order = 0;        ///< panel order (encoder_order: the encoder's registry place)
  std::string compressor;       ///< line key (compressor_line): none | quantization local | ...
  std::string compressor_name;  ///< legend (compressor_display): "No Compression", ...
  int compressor_order = 0;     ///< legend order (compressor_order: its registry place)
  std::string parameter;        ///< annotation (compressor_parameter): "0.9", "q50", "GDumb", ...
  std::string budget;           ///< "10MiB" (memory_bytes) or "3000 slots" (memory_size)
  double budget_order = 0;      ///< sorts budgets: bytes, then slots after every byte budget
  double memory_mib = 0;        ///< storage used: items + fixed costs
  double slots = 0;
  double accuracy = 0;          ///< mean final_accuracy over the seeds
  double accuracy_std = 0;      ///< sample std over the seeds (0 for one run)
  double task_accuracy = 0;
  double passes = 0;            ///< epochs the backbone trained (GDumb's accuracy depends on it)

  /// "CutR18(3) + Quantization (local) k=8" (the seed's "method" column, with the encoder).
  std::string method() const;
};

/// Replay points of the completed runs (kind "replay"), seeds averaged. Runs that cannot be
/// plotted (no final_accuracy or memory) are listed in `notes` with the reason, and so are
/// runs shown without their report tags.
std::vector<ReplayPoint> replay_points(const std::vector<experiment::RunRecord>& runs,
                                       std::vector<std::string>* notes = nullptr);

/// Non-dominated points: sorted by memory ascending, each more accurate than every point
/// that uses less memory (ties in memory: the most accurate).
std::vector<ReplayPoint> pareto_front(std::vector<ReplayPoint> points);

struct BudgetBest {
  std::string budget;
  ReplayPoint best;  ///< the most accurate point at this budget
  int points = 0;    ///< points compared at this budget
};
/// For each budget (memory_bytes or memory_size of the config), the most accurate method.
std::vector<BudgetBest> best_per_budget(const std::vector<ReplayPoint>& points);

enum class MemoryAxis { kMiB, kSlots };
/// Accuracy vs memory, a line per compressor, a panel per encoder. `published` points (MiB
/// only) are drawn in every panel as one trace named "published".
Chart replay_memory_chart(const std::vector<ReplayPoint>& points, MemoryAxis axis,
                          const std::vector<PublishedPoint>& published, const std::string& id);
/// Every point (grey), the Pareto front (a line, methods annotated) and `published`.
Chart replay_pareto_chart(const std::vector<ReplayPoint>& points,
                          const std::vector<PublishedPoint>& published, const std::string& id);

/// One section per dataset of the replay runs. `published_cifar10` is used for cifar10.
std::vector<Section> replay_sections(const std::vector<experiment::RunRecord>& runs,
                                     const std::vector<PublishedPoint>& published_cifar10);

}  // namespace nnc::report
