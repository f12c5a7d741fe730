#include "cgp/evolution.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

#include "cgp/evaluator.h"
#include "cgp/naive_evaluator.h"
#include "cgp/selection.h"
#include "core/error.h"
#include "core/progress.h"
#include "core/seed.h"

namespace nnc::cgp {

void Options::validate() const {
  NNC_CHECK(rows_ >= 1 && cols_ >= 1, "cgp: --rows and --cols must be >= 1, got {} x {}", rows_,
            cols_);
  NNC_CHECK(lookback_ >= 0 && lookback_ <= cols_,
            "cgp: --lookback must be in 0..cols ({}; 0 = cols), got {}", cols_, lookback_);
  NNC_CHECK(lambda_ >= 1 && lambda_ <= 4096, "cgp: --lambda must be in 1..4096, got {}", lambda_);
  NNC_CHECK(std::isfinite(mutation_max_) && mutation_max_ > 0 && mutation_max_ <= 1,
            "cgp: --mutation-max must be in (0, 1], got {}", mutation_max_);
  NNC_CHECK(threshold_ >= 0, "cgp: --threshold must be >= 0, got {}", threshold_);
  NNC_CHECK(patience_ >= 1, "cgp: --patience must be >= 1, got {}", patience_);
  NNC_CHECK(generations_ >= 0, "cgp: --generations must be >= 0, got {}", generations_);
  NNC_CHECK(threads_ >= 0 && threads_ <= 1024, "cgp: --threads must be in 0..1024 (0 = all), got {}",
            threads_);
}

std::string Options::describe() const {
  return fmt::format(
      "cgp: grid {} rows x {} cols, look-back {}, lambda {}, mutation_max {}, metric {}, "
      "threshold {}{}, patience {}, generations {}, seed {}, threads {}, multiplex {}, "
      "outputs read {}",
      rows_, cols_, lookback(), lambda_, mutation_max_, metric_name(metric_), threshold_,
      dynamic_threshold_ ? " (dynamic)" : "", patience_, generations_, seed_,
      threads_ == 0 ? std::string("all") : std::to_string(threads_), multiplex_ ? "on" : "off",
      outputs_read_inputs_ ? "inputs and gates" : "gates only");
}

Shape problem_shape(const Dataset& data, const Options& o) {
  Shape s;
  s.inputs = data.inputs;
  s.outputs = data.outputs;
  s.rows = o.rows();
  s.cols = o.cols();
  s.lookback = o.lookback();
  s.dataset_size = data.size();
  return s;
}

using Child = FastEvaluator::Child;

namespace {

Genome initial_genome(const Problem& problem, const Options& options, const Genome* start) {
  if (!start) {
    Rng rng(derive_seed(options.seed(), "cgp-init"));
    return problem.random_genome(rng);
  }
  Genome init = *start;
  problem.apply_locks(init);
  return init;
}

const Problem& checked(const Problem& problem, const CostTable& costs) {
  NNC_CHECK(problem.shape().dataset_size == 1 || costs.has_mux(),
            "cgp: {} layers share one grid, so every output needs a MUX, but the cost table has "
            "no MUX line (id 27, the 28th line)", problem.shape().dataset_size);
  return problem;
}

/// One evolve() call: the parent (in the evaluator), lambda children per generation, the
/// threshold and the stopping rules. Each generation breeds (in parallel), then selects in
/// child order, so the run depends only on the seed and the options.
class Evolution {
 public:
  Evolution(const Dataset& data, const CostTable& costs, const Options& options, const Genome* start)
      : data_(data), costs_(costs), options_(options),
        problem_(data, problem_shape(data, options), options.metric(), options.multiplex(),
                 options.outputs_read_inputs()),
        ev_(problem_, costs, initial_genome(checked(problem_, costs), options, start)),
        threads_(options.threads() > 0 ? options.threads() : omp_get_max_threads()),
        lambda_(options.lambda()),
        max_genes_(problem_.max_mutations(options.mutation_max())),
        errors_(size_t(lambda_), 0),
        threshold_(options.threshold()) {
    for (int i = 0; i < lambda_; ++i) kids_.push_back(ev_.make_child());
    res_.threads = threads_;
    if (options.progress()) progress_.emplace("cgp", long(options.generations()));
  }

  Result run() {
    energy_phase_ = ev_.error() <= threshold_;
    res_.stop_reason = "generations";
    record();
    while (gen_ < uint64_t(options_.generations()) && generation()) show_progress();
    for (const Child& c : kids_) res_.gate_evals += c.gate_evals;
    record(true);
    if (progress_)
      progress_->finish({{"error", double(ev_.error())}, {"energy", double(ev_.costs().q_energy)},
                         {"gens/s", double(gen_) / std::max(elapsed(), 1e-9)}});
    return finish();
  }

 private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count();
  }

  /// A stats row; the final one always carries its chromosome, so a statistics file holds
  /// the run's result genome for re-evaluation (cgp-eval).
  void record(bool final_row = false) {
    StatsRow r;
    r.run = options_.run();
    r.generation = gen_;
    r.timestamp = elapsed();
    r.error = ev_.error();
    r.costs = ev_.costs();
    if (final_row || r.error <= options_.log_threshold()) r.chromosome = problem_.finalize(ev_.parent()).to_string();
    res_.stats.push_back(std::move(r));
  }

  /// One generation; false when the run stops (early stop, patience).
  bool generation() {
    if (ev_.error() == 0 && ev_.costs().q_energy == 0) {
      res_.stop_reason = "early stop (error 0, energy 0)";
      return false;
    }
    ++gen_;
    const bool parent_within = ev_.error() <= threshold_;
    if (parent_within) ev_.costs();  // computed once here, read by the threads below
    breed(parent_within);
    if (select(parent_within)) {
      stale_ = 0;
      record();
    } else {
      ++stale_;
    }
    if (!energy_phase_ && ev_.error() <= threshold_) {
      energy_phase_ = true;
      stale_ = 0;
    }
    return !patience_over();
  }

  void breed(bool parent_within) {
    auto breed_one = [&](int i) {
      Child& c = kids_[size_t(i)];
      Rng rng = child_rng(options_.seed(), gen_, i);
      ev_.mutate(c, rng, max_genes_);
      if (!c.neutral) ev_.evaluate(c);
      if (parent_within && c.error <= threshold_) ev_.compute_costs(c);
    };
    if (threads_ > 1) {
#pragma omp parallel for num_threads(threads_) schedule(static)
      for (int i = 0; i < lambda_; ++i) breed_one(i);
    } else {
      for (int i = 0; i < lambda_; ++i) breed_one(i);
    }
  }

  /// Selection in child order; the winner (if any) becomes the parent. True on a strict gain.
  bool select(bool parent_within) {
    for (int i = 0; i < lambda_; ++i) {
      errors_[size_t(i)] = kids_[size_t(i)].error;
      ++res_.children;
      if (kids_[size_t(i)].neutral) ++res_.neutral_children;
    }
    // The parent's costs only matter when it is within the threshold (select_child
    // reads them only then); above it they are not computed at all.
    static const Costs kUnused{};
    const Selection sel = select_child(ev_.error(), parent_within ? ev_.costs() : kUnused, errors_,
                                       threshold_, [&](int i) -> const Costs& {
      ev_.compute_costs(kids_[size_t(i)]);
      return kids_[size_t(i)].costs;
    });
    if (sel.winner >= 0) ev_.accept(kids_[size_t(sel.winner)]);
    return sel.strict;
  }

  /// Patience ran out: above the threshold (dynamic) the threshold rises to the best error
  /// and the energy phase starts; otherwise the run stops.
  bool patience_over() {
    if (stale_ < options_.patience()) return false;
    if (energy_phase_ || !options_.dynamic_threshold()) {
      res_.stop_reason = "patience";
      return true;
    }
    threshold_ = ev_.error();
    energy_phase_ = true;
    stale_ = 0;
    record();
    return false;
  }

  void show_progress() {
    if (progress_ && (gen_ & 4095) == 0)
      progress_->update(long(gen_), {{"error", double(ev_.error())},
                                     {"energy", double(ev_.costs().q_energy)},
                                     {"gens/s", double(gen_) / std::max(elapsed(), 1e-9)},
                                     {"threshold", double(threshold_)}});
  }

  /// The final genome, re-scored from scratch by the naive evaluator as a consistency check.
  Result finish() {
    res_.genome = problem_.finalize(ev_.parent());
    const Problem plain(data_, problem_.shape(), options_.metric(), false, true);
    res_.error = naive_error(plain, res_.genome);
    NNC_CHECK(res_.error == ev_.error(),
              "cgp internal error: incremental error {} != full re-evaluation {} (please report)",
              ev_.error(), res_.error);
    TraceScratch scratch;
    std::vector<uint8_t> active;
    const auto& genes = res_.genome.genes();
    res_.costs = trace_phenotype(plain, costs_, [&](size_t i) { return genes[i]; }, scratch, &active);
    res_.gate_stats = gate_statistics(res_.genome, active);
    res_.generations = gen_;
    res_.threshold = threshold_;
    res_.reached_threshold = res_.error <= threshold_;
    res_.seconds = elapsed();
    return std::move(res_);
  }

  const std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
  const Dataset& data_;
  const CostTable& costs_;
  const Options& options_;
  const Problem problem_;
  FastEvaluator ev_;
  const int threads_, lambda_, max_genes_;
  std::vector<Child> kids_;
  std::vector<int64_t> errors_;
  int64_t threshold_;
  bool energy_phase_ = false;
  int64_t stale_ = 0;
  uint64_t gen_ = 0;
  std::optional<Progress> progress_;
  Result res_;
};

}  // namespace

Result evolve(const Dataset& data, const CostTable& costs, const Options& options,
              const Genome* start) {
  options.validate();
  return Evolution(data, costs, options, start).run();
}

}  // namespace nnc::cgp
