#include "report/study_group.h"

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "report/run_fields.h"

namespace nnc::report {
namespace {

/// The sampler that ran: the kind's tag, else the config's choice.
std::string sampler_of(const experiment::RunRecord& r, const nlohmann::json& c) {
  std::string s = tag(r, {"sampler"});
  if (s.empty()) s = config_text(c, "sampler");
  return s.empty() ? "default" : s;
}

/// The config without what a sample-efficiency comparison varies.
std::string group_key(nlohmann::json c, const std::set<std::string>& samplers) {
  if (!c.is_object()) return "";
  for (const char* k : {"sampler", "seed", "n_trials"}) c.erase(k);
  for (auto it = c.begin(); it != c.end();) {
    bool owned = false;
    for (auto& s : samplers) owned = owned || it.key().rfind(s + "_", 0) == 0;
    it = owned ? c.erase(it) : std::next(it);
  }
  return c.dump();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// The element-wise median of the studies' best-so-far curves, up to the shortest; positions
/// where a study has seen no finite value yet are left out.
std::vector<double> median_curve(const std::vector<std::vector<double>>& curves) {
  size_t len = curves.front().size();
  for (auto& c : curves) len = std::min(len, c.size());
  std::vector<double> out;
  for (size_t i = 0; i < len; ++i) {
    std::vector<double> at;
    for (auto& c : curves)
      if (std::isfinite(c[i])) at.push_back(c[i]);
    out.push_back(at.size() == curves.size() ? median(at) : std::nan(""));
  }
  return out;
}

void add_curves(StudyGroup& g) {
  std::map<std::string, std::vector<std::vector<double>>> by_sampler;
  for (auto& s : g.studies) {
    auto it = std::find_if(g.samplers.begin(), g.samplers.end(),
                           [&](const SamplerCurve& c) { return c.sampler == s.sampler; });
    if (it == g.samplers.end()) {
      g.samplers.push_back({s.sampler, {}, {}});
      it = g.samplers.end() - 1;
    }
    it->run_ids.push_back(s.run_id);
    by_sampler[s.sampler].push_back(best_so_far(s.values[0], g.maximize));
  }
  for (auto& c : g.samplers) c.best = median_curve(by_sampler[c.sampler]);
}

}  // namespace

std::vector<double> best_so_far(const std::vector<double>& values, bool maximize) {
  std::vector<double> out;
  double best = std::nan("");
  for (double v : values) {
    if (std::isfinite(v) && (!std::isfinite(best) || (maximize ? v > best : v < best))) best = v;
    out.push_back(best);
  }
  return out;
}

std::vector<StudyGroup> study_groups(const std::vector<experiment::RunRecord>& all) {
  auto runs = completed(all, "");
  std::set<std::string> samplers;  // every sampler named: their options share its prefix
  std::vector<nlohmann::json> configs;
  for (auto& r : runs) {
    configs.push_back(config_of(r));
    samplers.insert(sampler_of(r, configs.back()));
  }
  std::vector<StudyGroup> groups;
  for (size_t i = 0; i < runs.size(); ++i) {
    auto s = study_of(runs[i]);
    if (s.metrics.empty() || s.number.empty()) continue;
    s.sampler = sampler_of(runs[i], configs[i]);
    const std::string key = group_key(configs[i], samplers);
    // Studies of one group must rank by the same objective in the same direction.
    auto g = std::find_if(groups.begin(), groups.end(), [&](const StudyGroup& x) {
      return x.kind == runs[i].kind && x.key == key && x.metric == s.metrics[0] &&
             x.maximize == s.maximize[0];
    });
    if (g == groups.end()) {
      groups.push_back({runs[i].kind, key, s.metrics[0], s.maximize[0], {}, {}});
      g = groups.end() - 1;
    }
    g->studies.push_back(std::move(s));
  }
  for (auto& g : groups) add_curves(g);
  return groups;
}

Chart sample_efficiency_chart(const StudyGroup& g, const std::string& id) {
  Chart c(id, fmt::format("Sample efficiency: best {} so far ({})", g.metric, g.kind));
  c.x_label = "Completed trials";
  c.y_label = fmt::format("Best {} so far ({} is better)", g.metric, g.maximize ? "higher" : "lower");
  Facet f{"", {}};
  for (auto& sc : g.samplers) {
    Series line(sc.run_ids.size() > 1 ? fmt::format("{} (median of {} seeds)", sc.sampler, sc.run_ids.size())
                                      : sc.sampler);
    line.group = sc.sampler;
    for (size_t i = 0; i < sc.best.size(); ++i)
      if (std::isfinite(sc.best[i]))
        line.point(static_cast<double>(i + 1), sc.best[i], "",
                   fmt::format("{} after {} trials<br>runs {}", sc.sampler, i + 1,
                               fmt::join(sc.run_ids, ", ")));
    f.series.push_back(std::move(line));
  }
  c.facets.push_back(std::move(f));
  c.note = "Runs differing only in sampler, its options, seed and trial count; the first "
           "objective of each study (a multi-objective study is ranked by it alone).";
  return c;
}

Table sample_efficiency_table(const StudyGroup& g, const std::string& name) {
  double target = std::nan("");
  for (auto& sc : g.samplers)
    for (double v : sc.best)
      if (std::isfinite(v) && (!std::isfinite(target) || (g.maximize ? v > target : v < target))) target = v;
  Table t{name, fmt::format("Sample efficiency ({}, best {})", g.kind, g.metric),
          {"sampler", "runs", "trials", "best " + g.metric, "trials to reach " + format_number(target, 6)},
          {}, "trials: the shortest run of the sampler; values are medians over its seeds"};
  for (auto& sc : g.samplers) {
    std::string reached = "-";
    for (size_t i = 0; i < sc.best.size(); ++i)
      if (sc.best[i] == target) {
        reached = std::to_string(i + 1);
        break;
      }
    t.row({sc.sampler, fmt::format("{}", fmt::join(sc.run_ids, " ")), std::to_string(sc.best.size()),
           sc.best.empty() ? "" : format_number(sc.best.back(), 6), reached});
  }
  return t;
}

std::vector<Section> study_group_sections(const std::vector<experiment::RunRecord>& runs) {
  Section sec;
  sec.id = "search-sample-efficiency";
  sec.title = "Search: sample efficiency";
  sec.intro = "Studies that differ only in how they sample (sampler, its options, seed, trial "
              "count): the best value of the first objective found after each number of "
              "completed trials, a line per sampler (the median over seeds).";
  int n = 0;
  for (auto& g : study_groups(runs)) {
    if (g.samplers.size() < 2) continue;
    std::string id = fmt::format("sample-efficiency-{}-{}", slug(g.kind), n++);
    sec.charts.push_back(sample_efficiency_chart(g, id));
    std::string tname = id;
    std::replace(tname.begin(), tname.end(), '-', '_');
    sec.tables.push_back(sample_efficiency_table(g, tname));
  }
  if (sec.charts.empty()) return {};
  return {std::move(sec)};
}

}  // namespace nnc::report
