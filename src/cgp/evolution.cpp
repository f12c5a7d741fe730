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

Result evolve(const Dataset& data, const CostTable& costs, const Options& options,
              const Genome* start) {
  options.validate();
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const Problem problem(data, problem_shape(data, options), options.metric(), options.multiplex(),
                        options.outputs_read_inputs());
  NNC_CHECK(problem.shape().dataset_size == 1 || costs.has_mux(),
            "cgp: {} layers share one grid, so every output needs a MUX, but the cost table has "
            "no MUX line (id 27, the 28th line)", problem.shape().dataset_size);
  Genome init;
  if (start) {
    init = *start;
    problem.apply_locks(init);
  } else {
    Rng rng(derive_seed(options.seed(), "cgp-init"));
    init = problem.random_genome(rng);
  }
  FastEvaluator ev(problem, costs, std::move(init));

  const int threads = options.threads() > 0 ? options.threads() : omp_get_max_threads();
  const int lambda = options.lambda();
  const int max_genes = problem.max_mutations(options.mutation_max());
  std::vector<Child> kids;
  std::vector<int64_t> errors(static_cast<size_t>(lambda), 0);
  for (int i = 0; i < lambda; ++i) kids.push_back(ev.make_child());

  Result res;
  res.threads = threads;
  int64_t T = options.threshold();
  const int64_t log_thr = options.log_threshold();
  auto record = [&](uint64_t gen) {
    StatsRow r;
    r.run = options.run();
    r.generation = gen;
    r.timestamp = elapsed();
    r.error = ev.error();
    r.costs = ev.costs();
    if (r.error <= log_thr) r.chromosome = problem.finalize(ev.parent()).to_string();
    res.stats.push_back(std::move(r));
  };

  std::optional<Progress> progress;
  if (options.progress()) progress.emplace("cgp", long(options.generations()));
  bool energy_phase = ev.error() <= T;
  int64_t stale = 0;
  uint64_t gen = 0;
  res.stop_reason = "generations";
  record(0);
  while (gen < uint64_t(options.generations())) {
    if (ev.error() == 0 && ev.costs().q_energy == 0) {
      res.stop_reason = "early stop (error 0, energy 0)";
      break;
    }
    ++gen;
    const bool parent_within = ev.error() <= T;
    if (parent_within) ev.costs();  // computed once here, read by the threads below
    auto breed = [&](int i) {
      Child& c = kids[size_t(i)];
      Rng rng = child_rng(options.seed(), gen, i);
      ev.mutate(c, rng, max_genes);
      if (!c.neutral) ev.evaluate(c);
      if (parent_within && c.error <= T) ev.compute_costs(c);
    };
    if (threads > 1) {
#pragma omp parallel for num_threads(threads) schedule(static)
      for (int i = 0; i < lambda; ++i) breed(i);
    } else {
      for (int i = 0; i < lambda; ++i) breed(i);
    }
    // Selection, in child order.
    for (int i = 0; i < lambda; ++i) {
      errors[size_t(i)] = kids[size_t(i)].error;
      ++res.children;
      if (kids[size_t(i)].neutral) ++res.neutral_children;
    }
    // The parent's costs only matter when it is within the threshold (select_child
    // reads them only then); above it they are not computed at all.
    static const Costs kUnused{};
    const Selection sel = select_child(ev.error(), parent_within ? ev.costs() : kUnused, errors, T,
                                       [&](int i) -> const Costs& {
      ev.compute_costs(kids[size_t(i)]);
      return kids[size_t(i)].costs;
    });
    const int winner = sel.winner;
    const bool strict = sel.strict;
    if (winner >= 0) ev.accept(kids[size_t(winner)]);
    if (strict) {
      stale = 0;
      record(gen);
    } else {
      ++stale;
    }
    if (!energy_phase && ev.error() <= T) {
      energy_phase = true;
      stale = 0;
    }
    if (stale >= options.patience()) {
      if (!energy_phase && options.dynamic_threshold()) {
        T = ev.error();
        energy_phase = true;
        stale = 0;
        record(gen);
      } else {
        res.stop_reason = "patience";
        break;
      }
    }
    if (progress && (gen & 4095) == 0)
      progress->update(long(gen), {{"error", double(ev.error())},
                                   {"energy", double(ev.costs().q_energy)},
                                   {"gens/s", double(gen) / std::max(elapsed(), 1e-9)},
                                   {"threshold", double(T)}});
  }
  for (const Child& c : kids) res.gate_evals += c.gate_evals;
  record(gen);
  if (progress)
    progress->finish({{"error", double(ev.error())}, {"energy", double(ev.costs().q_energy)},
                      {"gens/s", double(gen) / std::max(elapsed(), 1e-9)}});

  // Final genome, re-scored from scratch by the naive evaluator as a consistency check.
  res.genome = problem.finalize(ev.parent());
  const Problem plain(data, problem.shape(), options.metric(), false, true);
  res.error = naive_error(plain, res.genome);
  NNC_CHECK(res.error == ev.error(),
            "cgp internal error: incremental error {} != full re-evaluation {} (please report)",
            ev.error(), res.error);
  TraceScratch scratch;
  std::vector<uint8_t> active;
  const auto& genes = res.genome.genes();
  res.costs = trace_phenotype(plain, costs, [&](size_t i) { return genes[i]; }, scratch, &active);
  res.gate_stats = gate_statistics(res.genome, active);
  res.generations = gen;
  res.threshold = T;
  res.reached_threshold = res.error <= T;
  res.seconds = elapsed();
  return res;
}

}  // namespace nnc::cgp
