// bench-search: sample efficiency of our TPE against Optuna's TPE on the same synthetic
// objective, and sampler overhead per trial.
//
//   bench-search [--seeds N (1000)] [--peer-seeds N (50)] [--trials N (50)] [--no-peer]
//
// Seed i of ours and seed i of Optuna are unrelated random streams, so the two sides need
// not use the same seeds: ours runs many (it is cheap), Optuna fewer (~0.4 s per study).
// Medians of this integer objective move by whole units between small seed sets; the mean
// and its standard error are printed next to them.
//
// Objective: 6 categorical parameters x 8 choices, choice k of parameter p costs
// (5k + 3p) % 8, unique optimum 0 (mirrored by optuna_peer.py). The peer runs under
// /usr/bin/python3 with Debian's python3-optuna; when that is missing the table says so.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "search/search.h"

using namespace nnc::search;

namespace {

SearchSpace grid_space(int n_params, int n_choices) {
  SearchSpace s;
  for (int p = 0; p < n_params; ++p) {
    std::vector<Value> choices;
    for (int k = 0; k < n_choices; ++k) choices.emplace_back(int64_t{k});
    s.add("p" + std::to_string(p), std::move(choices));
  }
  return s;
}

double separable_cost(const std::vector<int>& index) {
  double sum = 0;
  for (size_t p = 0; p < index.size(); ++p) sum += (5 * index[p] + 3 * static_cast<int>(p)) % 8;
  return sum;
}

ObjectiveSpec minimize(const char* name) {
  ObjectiveSpec spec;
  spec.metrics = {{name, 1.0, Direction::kMinimize}};
  spec.direction = Direction::kMinimize;
  return spec;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}
double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / v.size();
}

double std_error(const std::vector<double>& v) {
  if (v.size() < 2) return 0;
  const double m = mean(v);
  double ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return std::sqrt(ss / (v.size() - 1) / v.size());
}

struct Efficiency {
  double med20 = 0, med50 = 0, mean20 = 0, mean50 = 0, se20 = 0, se50 = 0;
};

Efficiency efficiency(const std::string& sampler, const nnc::OptionValues& sampler_options, int seeds,
                      int trials) {
  const SearchSpace space = grid_space(6, 8);
  std::vector<double> b20, b50;
  for (int seed = 0; seed < seeds; ++seed) {
    StudyOptions opt;
    opt.n_trials = trials;
    opt.sampler = sampler;
    opt.sampler_options = sampler_options;
    opt.seed = static_cast<uint64_t>(seed);
    auto r = optimize(space, minimize("cost"),
                      [](const Trial& t) { return std::vector<double>{separable_cost(t.index)}; },
                      opt);
    double best = 1e300;
    for (int i = 0; i < trials; ++i) {
      best = std::min(best, r.trials[i].values[0]);
      if (i + 1 == std::min(20, trials)) b20.push_back(best);
    }
    b50.push_back(best);
  }
  return {median(b20), median(b50), mean(b20), mean(b50), std_error(b20), std_error(b50)};
}

/// Mean sampler time per trial (ms): 10 parameters x 5 choices, `trials` trials, 5 seeds.
double overhead_ms(const std::string& sampler, const nnc::OptionValues& sampler_options, int trials) {
  const SearchSpace space = grid_space(10, 5);
  double total = 0;
  int n = 0;
  for (int seed = 0; seed < 5; ++seed) {
    StudyOptions opt;
    opt.n_trials = trials;
    opt.sampler = sampler;
    opt.sampler_options = sampler_options;
    opt.sampler_options["nsga2_population_size"] = int64_t{20};
    opt.seed = static_cast<uint64_t>(seed);
    auto r = optimize(space, minimize("cost"),
                      [](const Trial& t) { return std::vector<double>{separable_cost(t.index)}; },
                      opt);
    total += r.sampler_seconds;
    n += static_cast<int>(r.trials.size());
  }
  return 1000.0 * total / n;
}

std::string run_peer(const std::string& script, int seeds, int trials) {
  const std::string cmd = fmt::format(
      "/usr/bin/python3 -c 'import optuna' 2>/dev/null && /usr/bin/python3 '{}' --seeds {} "
      "--trials {} 2>/dev/null",
      script, seeds, trials);
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf;
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), got);
  pclose(pipe);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 1000, peer_seeds = 50, trials = 50;
  bool peer = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--seeds" && i + 1 < argc) seeds = std::atoi(argv[++i]);
    else if (a == "--peer-seeds" && i + 1 < argc) peer_seeds = std::atoi(argv[++i]);
    else if (a == "--trials" && i + 1 < argc) trials = std::atoi(argv[++i]);
    else if (a == "--no-peer") peer = false;
    else {
      fmt::print(stderr,
                 "usage: bench-search [--seeds N] [--peer-seeds N] [--trials N>=20] [--no-peer]\n");
      return 2;
    }
  }
  if (seeds < 1 || peer_seeds < 1 || trials < 20) {
    fmt::print(stderr, "bench-search: need --seeds >= 1, --peer-seeds >= 1, --trials >= 20\n");
    return 2;
  }

  fmt::print("search sampler benchmark: 6 params x 8 choices, separable cost, optimum 0\n");
  fmt::print("best value after 20 and {} trials: median, mean +- standard error; lower is "
             "better\n\n", trials);
  const nnc::OptionValues plain, mv{{"tpe_multivariate", true}};
  const Efficiency tpe = efficiency("tpe", plain, seeds, trials);
  const Efficiency tpe_mv = efficiency("tpe", mv, seeds, trials);
  const Efficiency rnd = efficiency("random", plain, seeds, trials);

  fmt::print("{:<28} {:>6} {:>22} {:>22}\n", "sampler", "seeds", "best@20",
             fmt::format("best@{}", trials));
  auto row = [](const std::string& name, int n, const Efficiency& e) {
    fmt::print("{:<28} {:>6} {:>6.1f} {:>6.2f} +- {:<5.2f} {:>6.1f} {:>6.2f} +- {:<5.2f}\n", name,
               n, e.med20, e.mean20, e.se20, e.med50, e.mean50, e.se50);
  };
  row("nnc tpe", seeds, tpe);
  row("nnc tpe (multivariate)", seeds, tpe_mv);
  row("nnc random", seeds, rnd);

  double optuna_ms = -1;
  if (peer) {
    const std::string script = std::string(NNC_BENCH_SEARCH_DIR) + "/optuna_peer.py";
    const std::string out = run_peer(script, peer_seeds, trials);
    nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    if (j.is_discarded() || !j.contains("tpe")) {
      fmt::print("optuna peer: missing (needs /usr/bin/python3 with python3-optuna: "
                 "apt-get install -y python3-optuna)\n");
    } else {
      const std::string m = fmt::format("median_best_{}", trials);
      const std::string a = fmt::format("mean_best_{}", trials);
      const std::string e = fmt::format("se_best_{}", trials);
      auto get = [&](const char* s, const std::string& k) { return j[s][k].get<double>(); };
      auto peer_row = [&](const char* s) {
        Efficiency r;
        r.med20 = get(s, "median_best_20");
        r.mean20 = get(s, "mean_best_20");
        r.se20 = get(s, "se_best_20");
        r.med50 = get(s, m);
        r.mean50 = get(s, a);
        r.se50 = get(s, e);
        return r;
      };
      row(fmt::format("optuna {} tpe", j["optuna_version"].get<std::string>()), peer_seeds,
          peer_row("tpe"));
      row("optuna random", peer_seeds, peer_row("random"));
      optuna_ms = j["tpe_ms_per_trial_10x5"].get<double>();
      auto ratio = [](double ours, double theirs) {
        return theirs > 0 ? fmt::format("{:.2f}", ours / theirs) : std::string("n/a (peer 0)");
      };
      fmt::print("\nratio nnc/optuna tpe median best (<= 1 means ours is as good or better): "
                 "@20 {}  @{} {}\n",
                 ratio(tpe.med20, get("tpe", "median_best_20")), trials,
                 ratio(tpe.med50, get("tpe", m)));
      fmt::print("ratio nnc/optuna tpe mean best:                                      "
                 "@20 {}  @{} {}\n",
                 ratio(tpe.mean20, get("tpe", "mean_best_20")), trials,
                 ratio(tpe.mean50, get("tpe", a)));
    }
  }

  fmt::print("\nsampler overhead, 10 params x 5 choices, 100 trials (mean of 5 seeds)\n");
  fmt::print("{:<28} {:>12}\n", "sampler", "ms/trial");
  const nnc::OptionValues none;
  const double ms_tpe = overhead_ms("tpe", none, 100);
  fmt::print("{:<28} {:>12.4f}\n", "nnc tpe", ms_tpe);
  fmt::print("{:<28} {:>12.4f}\n", "nnc tpe (multivariate)", overhead_ms("tpe", mv, 100));
  fmt::print("{:<28} {:>12.4f}\n", "nnc nsga2 (population 20)", overhead_ms("nsga2", none, 100));
  fmt::print("{:<28} {:>12.4f}\n", "nnc random", overhead_ms("random", none, 100));
  fmt::print("{:<28} {:>12.4f}\n", "nnc brute-force", overhead_ms("brute-force", none, 100));
  if (optuna_ms > 0) {
    fmt::print("{:<28} {:>12.4f}  (whole study per trial, Python)\n", "optuna tpe", optuna_ms);
    fmt::print("ratio optuna/nnc tpe overhead: {:.0f}x\n", optuna_ms / ms_tpe);
  }
  fmt::print("target: nnc tpe < 1 ms/trial: {}\n", ms_tpe < 1.0 ? "met" : "NOT met");
  return 0;
}
