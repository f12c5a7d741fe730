#pragma once
// (1+lambda) evolution strategy of the original, with its selection rules:
//  - while the parent's or the child's error is above the threshold, a child wins if
//    its error <= the current best's; a strictly better child replaces the best at once
//    (later children face it); with no strict gain the LAST equal child is taken
//    (neutral drift);
//  - once both are within the threshold: lexicographic (quantized energy, error,
//    quantized delay, gate count), strictly smaller wins, a full tie is rejected.
// Phase 1 reaches the threshold, phase 2 minimises energy, in one loop under one
// generation cap. Patience = generations without strict improvement: above the
// threshold it raises the threshold to the best error (dynamic threshold) and goes on
// minimising energy; in the energy phase it stops the run. Early stop at error 0 and
// quantized energy 0.
//
// Reproducibility: child i of generation t is mutated from an RNG seeded by
// (seed, t, i) and selection runs in child order, so a run depends only on the seed
// and the options - not on the thread count or OpenMP scheduling.
//
// Example:
//   auto r = cgp::evolve(cgp::layer_bypass(known, unknown), cgp::CostTable::unit_default(),
//                        cgp::Options(256, 31).lambda(4).mutation_max(0.01).seed(7));
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cgp/cost_table.h"
#include "cgp/dataset.h"
#include "cgp/genome.h"
#include "cgp/problem.h"
#include "cgp/stats.h"

namespace nnc::cgp {

class Options {
 public:
  /// Grid of rows x cols gates (the original's layer bypass: 256 rows x 31 cols).
  Options(int rows, int cols) : rows_(rows), cols_(cols) {}

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  /// Replaces the grid (when it is known only after the other options, as in weight_problem()).
  Options& grid(int rows, int cols) { rows_ = rows; cols_ = cols; return *this; }
  /// Look-back l (columns a gate may read back). Default 0 = cols (full).
  Options& lookback(int v) { lookback_ = v; return *this; }
  int lookback() const { return lookback_ > 0 ? lookback_ : cols_; }
  /// Offspring per generation. Default 4. Independent of threads.
  Options& lambda(int v) { lambda_ = v; return *this; }
  int lambda() const { return lambda_; }
  /// A child changes up to ceil(N * mutation_max) genes (uniform count, 0 = copy). Default 0.01.
  Options& mutation_max(double v) { mutation_max_ = v; return *this; }
  double mutation_max() const { return mutation_max_; }
  /// Error metric. Default SE.
  Options& metric(Metric v) { metric_ = v; return *this; }
  Metric metric() const { return metric_; }
  /// Error threshold in the metric's units. Default 0.
  Options& threshold(int64_t v) { threshold_ = v; return *this; }
  int64_t threshold() const { return threshold_; }
  /// Generations without strict improvement before a phase ends. Default 100000.
  Options& patience(int64_t v) { patience_ = v; return *this; }
  int64_t patience() const { return patience_; }
  /// Generation cap covering both phases. Default 1000000.
  Options& generations(int64_t v) { generations_ = v; return *this; }
  int64_t generations() const { return generations_; }
  /// Seed of the initial genome and every child's RNG. Default 1.
  Options& seed(uint64_t v) { seed_ = v; return *this; }
  uint64_t seed() const { return seed_; }
  /// OpenMP threads evaluating offspring; 0 = omp_get_max_threads(). Default 1.
  Options& threads(int v) { threads_ = v; return *this; }
  int threads() const { return threads_; }
  /// Value-table multiplexing (last 256 gates). Default false.
  Options& multiplex(bool v) { multiplex_ = v; return *this; }
  bool multiplex() const { return multiplex_; }
  /// Raise the threshold to the best error when patience runs out above it. Default true.
  Options& dynamic_threshold(bool v) { dynamic_threshold_ = v; return *this; }
  bool dynamic_threshold() const { return dynamic_threshold_; }
  /// Output genes may read primary inputs (else gates only, as the original). Default true.
  Options& outputs_read_inputs(bool v) { outputs_read_inputs_ = v; return *this; }
  bool outputs_read_inputs() const { return outputs_read_inputs_; }
  /// Stats rows carry the chromosome when error <= this. Default -1 = the threshold.
  Options& log_threshold(int64_t v) { log_threshold_ = v; return *this; }
  int64_t log_threshold() const { return log_threshold_ >= 0 ? log_threshold_ : threshold_; }
  /// Run id written in the stats CSV. Default 0.
  Options& run(int v) { run_ = v; return *this; }
  int run() const { return run_; }
  /// Progress line on stderr. Default false.
  Options& progress(bool v) { progress_ = v; return *this; }
  bool progress() const { return progress_; }

  /// Throws nnc::Error naming the bad option and its valid range.
  void validate() const;
  std::string describe() const;

 private:
  int rows_, cols_, lookback_ = 0, lambda_ = 4, threads_ = 1, run_ = 0;
  double mutation_max_ = 0.01;
  Metric metric_ = Metric::SE;
  int64_t threshold_ = 0, patience_ = 100000, generations_ = 1000000, log_threshold_ = -1;
  uint64_t seed_ = 1;
  bool multiplex_ = false, dynamic_threshold_ = true, outputs_read_inputs_ = true,
       progress_ = false;
};

struct Result {
  Genome genome;         ///< final genome (multiplexing: outputs rewired to the table)
  int64_t error = 0;     ///< metric of `genome`
  Costs costs;           ///< of `genome`'s active gates
  std::map<int, int> gate_stats;
  uint64_t generations = 0;
  int64_t threshold = 0;  ///< final threshold (raised if dynamic)
  bool reached_threshold = false;
  std::string stop_reason;  ///< "generations", "patience", "early stop (error 0, energy 0)"
  std::vector<StatsRow> stats;
  double seconds = 0;
  uint64_t children = 0, neutral_children = 0, gate_evals = 0;
  int threads = 1;
};

/// Evolves a circuit for `data`. `start` (optional) is the initial genome (its shape must
/// match the problem); otherwise a random one is drawn from the seed.
Result evolve(const Dataset& data, const CostTable& costs, const Options& options,
              const Genome* start = nullptr);

/// Grid shape evolve() uses for `data` under `options`.
Shape problem_shape(const Dataset& data, const Options& options);

}  // namespace nnc::cgp
