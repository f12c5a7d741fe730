// bench-cgp: (1+lambda) CGP throughput on the layer-bypass problem of the original
// (150 known int8 weights -> 2400 inferred, 256 rows x 31 cols, l = 31, lambda = 4,
// SE, phase 1), the incremental engine (evolve) vs a straightforward evaluate-every-gate
// engine that copies the genome per child, as the original does (NaiveEvolver).
//
// Both engines draw the same children and follow the same trajectory, so they are timed
// over the SAME generation window from the same start genome (the bench checks that the
// two end on the same error). Rounds are interleaved and the best of each is kept, which
// damps the noise of a shared machine; rates are also given per CPU second.
//
// mutation_max defaults to 0.01, the value of the original's documented runs
// (`compress.py ... --rows 256 --cols 31 --mutation-max 0.01`).
//
// Two windows: the cold start (the first generations from a random genome, where strict
// improvements - each writing a stats row with a full cost pass - are frequent) and the
// steady state after a 20000-generation run, which is where a long run spends its time.
//
// Problems (5th argument), the three experiment shapes on LeNet-5 and MobileNetV2 sizes:
//   lenet-bypass     conv1 -> conv2 of LeNet-5 classic, 150 -> 2400 (the default, above)
//   mnv2-bypass      features.14.conv.1.0 (depthwise 576x3x3) -> features.14.conv.2
//                    (160x576x1x1) of MobileNetV2: 5184 -> 92160
//   mnv2-no-input    features.14.conv.2 from nothing (1 grounded input -> 92160), multiplexed
//   mnv2-all-layers  the 3x3 depthwise kernels of features.14 and .15 (576 and 960): centre in,
//                    ring of 8 out, 2 items of 960 -> 7680 sharing the grid
// Random int8 values of those shapes: the engine's speed depends on sizes, not on the values.
//
// Usage: bench-cgp [naive_seconds=1.5] [mutation_max=0.01] [threads=1] [fast|naive|both]
//                  [problem=lenet-bypass]
//   threads: a comma list, e.g. 1,2 (both engines use the same count per row).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "cgp/evolution.h"
#include "cgp/naive_evaluator.h"
#include "core/progress.h"

using namespace nnc::cgp;

namespace {

double wall_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

struct Timing {
  double wall = 1e300, cpu = 1e300;  ///< best (smallest) over the rounds
  uint64_t gate_evals = 0;
  int64_t error = -1;
  int64_t strict = -1;  ///< strict improvements (fast engine's stats rows - 2)
  void keep(double w, double c) {
    wall = std::min(wall, w);
    cpu = std::min(cpu, c);
  }
};

std::vector<int8_t> random_int8(Rng& rng, size_t n) {
  std::vector<int8_t> v(n);
  for (auto& x : v) x = int8_t(int(rng.below(256)) - 128);
  return v;
}

struct BenchProblem {
  std::string label;
  Dataset data;
  bool multiplex = false;
  int64_t warmup = 20000;  ///< generations before the steady-state window
};

BenchProblem bench_problem(const std::string& name) {
  Rng rng(2024);
  if (name == "lenet-bypass")
    return {"layer bypass 150 -> 2400 (LeNet-5 conv1 -> conv2)",
            layer_bypass(random_int8(rng, 150), random_int8(rng, 2400))};
  if (name == "mnv2-bypass")
    return {"layer bypass 5184 -> 92160 (MobileNetV2 features.14 depthwise -> pointwise)",
            layer_bypass(random_int8(rng, 576 * 9), random_int8(rng, 160 * 576)), false, 2000};
  if (name == "mnv2-no-input")
    return {"no-input 1 -> 92160 (MobileNetV2 features.14.conv.2), multiplexed",
            no_input({random_int8(rng, 160 * 576)}), true, 2000};
  if (name == "mnv2-all-layers")
    return {"all-layers 3x3, 2 items of 960 -> 7680 (MobileNetV2 features.14/.15 depthwise)",
            all_layers({random_int8(rng, 576 * 9), random_int8(rng, 960 * 9)}, 3), true, 5000};
  std::fprintf(stderr, "bench-cgp: unknown problem '%s' (lenet-bypass, mnv2-bypass, "
               "mnv2-no-input, mnv2-all-layers)\n", name.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  const double naive_seconds = argc > 1 ? std::atof(argv[1]) : 1.5;
  const double mutation_max = argc > 2 ? std::atof(argv[2]) : 0.01;
  std::vector<int> thread_counts;
  {
    std::stringstream ss(argc > 3 ? argv[3] : "1");
    std::string item;
    while (std::getline(ss, item, ',')) thread_counts.push_back(std::max(1, std::atoi(item.c_str())));
  }
  std::string only = argc > 4 ? argv[4] : "";  // "fast" or "naive" (profiling)
  if (only == "both") only.clear();
  const BenchProblem bench = bench_problem(argc > 5 ? argv[5] : "lenet-bypass");
  nnc::Progress::set_quiet(true);

  const Dataset& data = bench.data;
  const CostTable table = CostTable::unit_default();
  const int lambda = 4;
  const auto base = Options(256, 31).lookback(31).lambda(lambda).mutation_max(mutation_max)
                        .metric(Metric::SE).threshold(0).dynamic_threshold(false)
                        .patience(int64_t(1) << 40).seed(1).multiplex(bench.multiplex);
  const Problem problem(data, problem_shape(data, base), Metric::SE, bench.multiplex, true);
  Rng init(77);
  const Genome start = problem.random_genome(init);
  const double G = problem.shape().gates();
  std::printf("bench-cgp: %s, 256 rows x 31 cols, l = 31, lambda = %d, SE, "
              "phase 1 (threshold 0)\n"
              "bench-cgp: mutation_max %.4g (a child changes 0..%d of %zu genes), OMP_WAIT_POLICY=%s\n",
              bench.label.c_str(), lambda, mutation_max, problem.max_mutations(mutation_max), problem.mutable_genes().size(),
              std::getenv("OMP_WAIT_POLICY") ? std::getenv("OMP_WAIT_POLICY") : "(default)");

  auto time_naive = [&](const Genome& from, int threads, uint64_t gens, Timing& t) {
    NaiveEvolver ev(problem, from, mutation_max, lambda, 1, threads);
    const double w = wall_now(), c = cpu_now();
    ev.run(gens);
    t.keep(wall_now() - w, cpu_now() - c);
    t.gate_evals = ev.gate_evals();
    t.error = ev.error();
  };
  auto time_fast = [&](const Genome& from, int threads, uint64_t gens, Timing& t) {
    const double w = wall_now(), c = cpu_now();
    const Result r = evolve(data, table, Options(base).threads(threads).generations(int64_t(gens)), &from);
    t.keep(wall_now() - w, cpu_now() - c);
    t.gate_evals = r.gate_evals;
    t.error = r.error;
    t.strict = r.stats.size() - 2;
  };

  // Generation window: what the naive engine does in about naive_seconds on one thread.
  uint64_t gens = 200;
  {
    Timing probe;
    time_naive(start, 1, gens, probe);
    gens = std::clamp<uint64_t>(uint64_t(double(gens) * naive_seconds / std::max(probe.wall, 1e-3)),
                                200, 200000);
  }
  // A long run spends nearly all its generations past the first few thousand, where strict
  // improvements (each one writes a stats row with a full cost pass) are rare.
  const int64_t warmup = bench.warmup;
  const Genome warm = evolve(data, table, Options(base).generations(warmup), &start).genome;
  std::printf("bench-cgp: both engines run the same %llu generations from the same genome (they "
              "follow the same trajectory); best of interleaved rounds\n",
              (unsigned long long)gens);

  double headline = 0, headline_cpu = 0;
  for (int window = 0; window < 2; ++window) {
    const Genome& from = window == 0 ? start : warm;
    std::printf("\n%s\n", window == 0
                              ? "window 1: cold start (from a random genome)"
                              : "window 2: steady state (from the genome of a warm-up run)");
    std::printf("%-6s %7s %9s %13s %17s %19s %10s %7s\n", "engine", "threads", "wall s",
                "generations/s", "evaluated gates/s", "gate-equivalents/s", "gen/CPU-s", "strict");
    for (int threads : thread_counts) {
      Timing naive, fast;
      for (int round = 0; round < 3; ++round) {
        if (only != "fast" && round < 2) time_naive(from, threads, gens, naive);
        if (only != "naive")
          for (int rep = 0; rep < 2; ++rep) time_fast(from, threads, gens, fast);
      }
      auto row = [&](const char* name, const Timing& t) {
        std::printf("%-6s %7d %9.3f %13.0f %17.3g %19.3g %10.0f %7s\n", name, threads, t.wall,
                    double(gens) / t.wall, double(t.gate_evals) / t.wall,
                    double(gens) * lambda * G / t.wall, double(gens) / t.cpu,
                    t.strict >= 0 ? std::to_string(t.strict).c_str() : "");
      };
      if (only != "fast") row("naive", naive);
      if (only != "naive") row("fast", fast);
      if (!only.empty()) continue;
      const double ratio = naive.wall / fast.wall, ratio_cpu = naive.cpu / fast.cpu;
      std::printf("  threads %d: fast/naive = %.1fx generations/s (%.1fx per CPU second); fast "
                  "evaluates %.1f of %d gates per child; same final error: %s (%lld)\n",
                  threads, ratio, ratio_cpu, double(fast.gate_evals) / double(gens) / lambda, int(G),
                  naive.error == fast.error ? "yes" : "NO", (long long)fast.error);
      if (window == 1 && threads == thread_counts.front()) {
        headline = ratio;
        headline_cpu = ratio_cpu;
      }
    }
  }
  std::printf("\n'evaluated gates/s' counts gates actually computed; 'gate-equivalents/s' counts "
              "generations * lambda * %d,\nthe gates a full evaluation computes; 'strict' = strict "
              "improvements in the window (each: stats row + full cost pass).\nReference: the "
              "original did about 1,600 generations/s on one thread (docs/cgp.md).\n",
              int(G));
  if (only.empty())
    std::printf("bench-cgp: fast/naive generations-per-second ratio = %.1fx (steady state, %d "
                "thread(s), mutation_max %.4g; %.1fx per CPU second) (target >= 10x)\n",
                headline, thread_counts.front(), mutation_max, headline_cpu);
  return 0;
}
