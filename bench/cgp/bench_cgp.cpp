// bench-cgp: (1+lambda) CGP throughput on the layer-bypass problem of the original
// (150 known int8 weights -> 2400 inferred, 256 rows x 31 cols, l = 31, lambda = 4,
// SE, phase 1), incremental engine vs a straightforward evaluate-every-gate engine
// that copies the genome per child (as the original). Both draw the same children.
//
// Usage: bench-cgp [seconds_per_case=4] [mutation_max=0.01] [fast|naive]
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "cgp/evolution.h"
#include "cgp/naive_evaluator.h"
#include "core/progress.h"

using namespace nnc::cgp;

namespace {

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Figures {
  double gens_per_s, gates_per_s, effective_gates_per_s;
  int64_t error;
};

}  // namespace

int main(int argc, char** argv) {
  const double budget = argc > 1 ? std::atof(argv[1]) : 4.0;
  const double mutation_max = argc > 2 ? std::atof(argv[2]) : 0.01;
  const std::string only = argc > 3 ? argv[3] : "";  // "fast" or "naive" (profiling)
  nnc::Progress::set_quiet(true);
  Rng rng(2024);
  std::vector<int8_t> in(150), out(2400);
  for (auto& v : in) v = int8_t(rng.below(256) - 128);
  for (auto& v : out) v = int8_t(rng.below(256) - 128);
  const Dataset data = layer_bypass(in, out);
  const CostTable table = CostTable::unit_default();
  const auto base = Options(256, 31).lookback(31).lambda(4).mutation_max(mutation_max)
                        .metric(Metric::SE).threshold(0).dynamic_threshold(false)
                        .patience(int64_t(1) << 40).seed(1);
  const Problem problem(data, problem_shape(data, base), Metric::SE, false, true);
  Rng init(77);
  const Genome start = problem.random_genome(init);
  const double G = problem.shape().gates();
  std::printf("bench-cgp: layer bypass 150 -> 2400, 256 rows x 31 cols, l = 31, lambda = 4, SE, "
              "phase 1, mutation_max %.4g (up to %d genes of %zu), OMP_WAIT_POLICY=%s\n",
              mutation_max, problem.max_mutations(mutation_max), problem.mutable_genes().size(),
              std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : "(default)");

  auto run_fast = [&](int threads) {
    // Calibrate, then run for about `budget` seconds.
    int64_t gens = 2000;
    for (;;) {
      const double t = now();
      const Result r = evolve(data, table, Options(base).threads(threads).generations(gens), &start);
      const double dt = now() - t;
      if (dt > budget * 0.5 || gens > (int64_t(1) << 30)) {
        return Figures{double(r.generations) / dt, double(r.gate_evals) / dt,
                       double(r.generations) * 4 * G / dt, r.error};
      }
      gens = int64_t(double(gens) * std::min(budget / std::max(dt, 1e-3), 50.0));
    }
  };
  auto run_naive = [&](int threads) {
    uint64_t gens = 100;
    for (;;) {
      NaiveEvolver ev(problem, start, mutation_max, 4, 1, threads);
      const double t = now();
      ev.run(gens);
      const double dt = now() - t;
      if (dt > budget * 0.5) {
        return Figures{double(gens) / dt, double(ev.gate_evals()) / dt,
                       double(ev.gate_evals()) / dt, ev.error()};
      }
      gens = uint64_t(double(gens) * std::min(budget / std::max(dt, 1e-3), 50.0));
    }
  };

  std::printf("%-8s %-8s %14s %18s %22s %10s\n", "engine", "threads", "generations/s",
              "evaluated gates/s", "gate-equivalents/s (*)", "ratio");
  for (int threads : {1, 2}) {
    const Figures naive = only == "fast" ? Figures{1, 1, 1, 0} : run_naive(threads);
    const Figures fast = only == "naive" ? Figures{1, 1, 1, 0} : run_fast(threads);
    std::printf("%-8s %-8d %14.0f %18.3g %22.3g %10s\n", "naive", threads, naive.gens_per_s,
                naive.gates_per_s, naive.effective_gates_per_s, "1.0x");
    std::printf("%-8s %-8d %14.0f %18.3g %22.3g %9.1fx\n", "fast", threads, fast.gens_per_s,
                fast.gates_per_s, fast.effective_gates_per_s, fast.gens_per_s / naive.gens_per_s);
  }
  std::printf("(*) gates a full evaluation would compute: generations * lambda * %d gates.\n"
              "    'evaluated gates/s' counts gates actually computed (the fast engine "
              "re-computes only gates whose genes or inputs changed).\n", int(G));
  return 0;
}
