// bench-search: nncompress's samplers against Optuna's on the objectives of objectives.json
// (separable per-layer costs, smooth functions on ordered grids, a conditional "NA" space, a
// two-objective front), over many seeds; then the sampler overhead per trial.
//
//   bench-search [--seeds N (20)] [--trials N (100)] [--quick] [--only a,b] [--no-peer]
//                [--peer-json FILE (reuse a saved Optuna run)] [--save-peer FILE]
//                [--tpe key=value (an option of the "nnc tpe" column, e.g. tpe_n_ei_candidates=48)]
//
// --quick: 5 seeds, 50 trials. Seed i of ours and of Optuna are unrelated random streams.
// Quality is the regret of the median over seeds: best value so far minus the grid optimum
// (one objective), or the true front's hypervolume minus the hypervolume so far (two). The
// ratio column is nnc regret / Optuna regret: <= 1 means nncompress is as good or better.
// The Optuna peer runs under /usr/bin/python3 with Debian's python3-optuna.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "bench_objectives.h"
#include "search/search.h"

using namespace nnc::search;
using nnc::bench::BenchObjective;

namespace {

struct Args {
  int seeds = 20, trials = 100;
  bool peer = true;
  std::set<std::string> only;
  std::string peer_json, save_peer;
  nnc::OptionValues tpe_options;  ///< --tpe key=value: applied to the "nnc tpe" column
};

/// One sampler's results on one objective: per seed, the value at each checkpoint.
struct Runs {
  std::vector<std::vector<double>> at;  ///< [seed][checkpoint]
  double ms_per_trial = 0;
};

struct NncSampler {
  std::string label, sampler;
  nnc::OptionValues options;
};

std::vector<NncSampler> nnc_samplers(const Args& a) {
  const std::vector<NncSampler> s = {
      {"tpe", "tpe", a.tpe_options},
      {"tpe-uni", "tpe", {{"tpe_multivariate", false}}},
      // The TPE before ordered parameters: independent and every parameter categorical.
      {"tpe-old", "tpe", {{"tpe_multivariate", false}, {"tpe_ordered", false}}},
      {"random", "random", {}},
      {"nsga2", "nsga2", {}},
  };
  return s;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Best value or hypervolume of the first n trials.
double value_after(const BenchObjective& obj, const StudyResult& r, int n) {
  if (obj.n_objectives == 1) {
    double best = 1e300;
    for (int i = 0; i < n; ++i) best = std::min(best, r.trials[i].values[0]);
    return best;
  }
  std::vector<Point> pts;
  for (int i = 0; i < n; ++i) pts.push_back(r.trials[i].values);
  return hypervolume_2d(pts, {Direction::kMinimize, Direction::kMinimize}, obj.reference);
}

Runs run_nnc(const BenchObjective& obj, const NncSampler& s, const Args& a,
             const std::vector<int>& checkpoints) {
  ObjectiveSpec spec;
  for (int k = 0; k < obj.n_objectives; ++k)
    spec.metrics.push_back({"f" + std::to_string(k), 1.0, Direction::kMinimize});
  spec.sum_scaled_metrics = obj.n_objectives == 1;
  spec.direction = Direction::kMinimize;
  Runs runs;
  double cpu_seconds = 0;
  for (int seed = 0; seed < a.seeds; ++seed) {
    StudyOptions opt;
    opt.n_trials = a.trials;
    opt.sampler = s.sampler;
    opt.sampler_options = s.options;
    opt.seed = static_cast<uint64_t>(seed);
    // Overhead in CPU time (the machine may be shared): the study minus its objective calls.
    const std::clock_t c0 = std::clock();
    const StudyResult r =
        optimize(obj.space, spec, [&](const Trial& t) { return obj.evaluate(t.params); }, opt);
    double objective_s = 0;
    for (const Trial& t : r.trials) objective_s += t.objective_seconds;
    cpu_seconds += double(std::clock() - c0) / CLOCKS_PER_SEC - objective_s;
    std::vector<double> at;
    for (int c : checkpoints) at.push_back(value_after(obj, r, c));
    runs.at.push_back(std::move(at));
  }
  // std::clock's tick can make a near-zero overhead come out a hair negative.
  runs.ms_per_trial = std::max(0.0, 1000.0 * cpu_seconds / (a.seeds * a.trials));
  return runs;
}

std::string run_peer_command(const std::string& cmd) {
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buf;
  size_t got;
  while ((got = fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), got);
  pclose(pipe);
  return out;
}

/// Optuna's runs, as JSON (empty object when the peer is missing).
nlohmann::json optuna_runs(const Args& a, const std::string& objectives) {
  std::string text;
  if (!a.peer_json.empty()) {
    text = run_peer_command("cat '" + a.peer_json + "'");
  } else {
    std::string only;
    for (auto& o : a.only) only += (only.empty() ? "" : ",") + o;
    const std::string script = std::string(NNC_BENCH_SEARCH_DIR) + "/optuna_peer.py";
    text = run_peer_command(fmt::format(
        "/usr/bin/python3 -c 'import optuna' 2>/dev/null && /usr/bin/python3 '{}' --objectives "
        "'{}' --seeds {} --trials {} --only '{}'",
        script, objectives, a.seeds, a.trials, only));
  }
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.contains("objectives")) return nlohmann::json::object();
  if (!a.save_peer.empty()) {
    FILE* f = fopen(a.save_peer.c_str(), "w");
    if (f) fputs(text.c_str(), f), fclose(f);
  }
  return j;
}

/// Regret of a value: distance to the optimum (>= 0; below 1e-9 counts as 0).
double regret(const BenchObjective& obj, double v) {
  const double r = obj.n_objectives == 1 ? v - obj.f_star : obj.hv_star - v;
  return r < 1e-9 ? 0.0 : r;
}

double median_regret(const BenchObjective& obj, const Runs& runs, size_t ck) {
  std::vector<double> r;
  for (auto& seed : runs.at) r.push_back(regret(obj, seed[ck]));
  return median(r);
}

std::string ratio(double ours, double theirs) {
  if (ours == 0 && theirs == 0) return "1.00";
  if (theirs == 0) return "inf";
  return fmt::format("{:.2f}", ours / theirs);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(s + " needs a value");
      return argv[++i];
    };
    if (s == "--seeds") a.seeds = std::atoi(next().c_str());
    else if (s == "--trials") a.trials = std::atoi(next().c_str());
    else if (s == "--quick") a.seeds = 5, a.trials = 50;
    else if (s == "--no-peer") a.peer = false;
    else if (s == "--peer-json") a.peer_json = next();
    else if (s == "--save-peer") a.save_peer = next();
    else if (s == "--tpe") {
      const std::string kv = next();
      const size_t eq = kv.find('=');
      if (eq == std::string::npos) throw std::runtime_error("--tpe needs key=value");
      const std::string v = kv.substr(eq + 1);
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      nnc::OptionValue value = v;
      if (v == "true" || v == "false") value = v == "true";
      else if (end && *end == 0 && v.find('.') == std::string::npos) value = int64_t(d);
      else if (end && *end == 0) value = d;
      a.tpe_options[kv.substr(0, eq)] = value;
    }
    else if (s == "--only") {
      std::string list = next();
      for (size_t p = 0; p <= list.size();) {
        size_t q = list.find(',', p);
        if (q == std::string::npos) q = list.size();
        if (q > p) a.only.insert(list.substr(p, q - p));
        p = q + 1;
      }
    } else throw std::runtime_error("unknown argument " + s);
  }
  if (a.seeds < 1 || a.trials < 20) throw std::runtime_error("need --seeds >= 1, --trials >= 20");
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  try {
    a = parse(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr,
               "bench-search: {}\nusage: bench-search [--seeds N] [--trials N>=20] [--quick] "
               "[--only a,b] [--no-peer] [--peer-json FILE] [--save-peer FILE] [--tpe key=value]\n",
               e.what());
    return 2;
  }
  const std::string path = std::string(NNC_BENCH_SEARCH_DIR) + "/objectives.json";
  std::vector<BenchObjective> objectives = nnc::bench::load_objectives(path);
  std::vector<int> checkpoints;
  for (int c : {20, 50, 100})
    if (c <= a.trials) checkpoints.push_back(c);
  if (checkpoints.back() != a.trials) checkpoints.push_back(a.trials);

  const nlohmann::json peer = a.peer ? optuna_runs(a, path) : nlohmann::json::object();
  const bool have_peer = peer.contains("objectives");
  if (a.peer && !have_peer)
    fmt::print("optuna peer: missing (needs /usr/bin/python3 with python3-optuna: "
               "apt-get install -y python3-optuna)\n");

  fmt::print("search benchmark: {} seeds, median regret after n trials (best - grid optimum; "
             "two objectives: true-front hypervolume - hypervolume); lower is better\n",
             a.seeds);
  if (have_peer)
    fmt::print("optuna {} (TPESampler, RandomSampler, NSGAIISampler defaults); ratio = nnc / "
               "optuna regret, <= 1: nnc as good or better\n",
               peer["optuna_version"].get<std::string>());
  fmt::print("nnc tpe: defaults (multivariate, ordered parameters numeric); tpe-uni: "
             "tpe_multivariate=false; tpe-old: also tpe_ordered=false (the TPE before 2026-12)\n\n");
  fmt::print("{:<20} {:>5} | {:>9} {:>9} {:>6} | {:>9} {:>9} | {:>9} {:>9} {:>6} | {:>9} {:>9} "
             "{:>6}\n",
             "objective", "n", "nnc tpe", "opt tpe", "ratio", "tpe-uni", "tpe-old", "nnc rand",
             "opt rand", "ratio", "nnc nsga", "opt nsga", "ratio");

  std::vector<std::string> overhead_lines;
  std::vector<double> tpe_ratios;
  for (const BenchObjective& obj : objectives) {
    if (!a.only.empty() && !a.only.count(obj.name)) continue;
    std::map<std::string, Runs> ours, theirs;
    for (const NncSampler& s : nnc_samplers(a)) ours[s.label] = run_nnc(obj, s, a, checkpoints);
    const bool peer_has = have_peer && peer["objectives"].contains(obj.name);
    if (peer_has) {
      const auto& po = peer["objectives"][obj.name];
      NNC_CHECK(peer["checkpoints"].get<std::vector<int>>() == checkpoints,
                "bench-search: the peer's checkpoints differ from ours (rerun with the same "
                "--trials)");
      for (auto& [name, r] : po.items())
        theirs[name] = Runs{r["at"].get<std::vector<std::vector<double>>>(),
                            r["ms_per_trial"].get<double>()};
    }
    for (size_t ck = 0; ck < checkpoints.size(); ++ck) {
      auto ours_of = [&](const char* s) { return median_regret(obj, ours[s], ck); };
      auto theirs_of = [&](const char* s) {
        return theirs.count(s) ? median_regret(obj, theirs[s], ck) : NAN;
      };
      auto cell = [](double v) { return std::isnan(v) ? std::string("-") : fmt::format("{:.4g}", v); };
      auto rat = [](double o, double t) { return std::isnan(t) ? std::string("-") : ratio(o, t); };
      const double tn = ours_of("tpe"), to = theirs_of("tpe");
      fmt::print("{:<20} {:>5} | {:>9} {:>9} {:>6} | {:>9} {:>9} | {:>9} {:>9} {:>6} | {:>9} "
                 "{:>9} {:>6}\n",
                 ck == 0 ? obj.name : "", checkpoints[ck], cell(tn), cell(to), rat(tn, to),
                 cell(ours_of("tpe-uni")), cell(ours_of("tpe-old")), cell(ours_of("random")),
                 cell(theirs_of("random")), rat(ours_of("random"), theirs_of("random")),
                 cell(ours_of("nsga2")), cell(theirs_of("nsga2")),
                 rat(ours_of("nsga2"), theirs_of("nsga2")));
    }
    const double ms = ours["tpe"].ms_per_trial, ms_mv = ours["tpe-uni"].ms_per_trial;
    const double oms = theirs.count("tpe") ? theirs["tpe"].ms_per_trial : NAN;
    if (!std::isnan(oms)) tpe_ratios.push_back(oms / ms);
    overhead_lines.push_back(fmt::format(
        "{:<20} {:>10.4f} {:>10.4f} {:>10.4f} {:>10.4f} {:>10} {:>8}", obj.name, ms, ms_mv,
        ours["nsga2"].ms_per_trial, ours["random"].ms_per_trial,
        std::isnan(oms) ? std::string("-") : fmt::format("{:.3f}", oms),
        std::isnan(oms) ? std::string("-") : fmt::format("{:.0f}x", oms / ms)));
  }

  fmt::print("\nsampler overhead: CPU ms per trial over {} trials (mean of {} seeds): the "
             "study's CPU time minus time in the objective, both sides\n",
             a.trials, a.seeds);
  fmt::print("{:<20} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}\n", "objective", "nnc tpe",
             "tpe-uni", "nsga2", "random", "optuna tpe", "opt/nnc");
  for (auto& line : overhead_lines) fmt::print("{}\n", line);
  if (!tpe_ratios.empty())
    fmt::print("median overhead ratio optuna tpe / nnc tpe: {:.0f}x\n", median(tpe_ratios));
  return 0;
}
