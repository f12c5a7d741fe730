#include "report/replay_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "core/bytes.h"
#include "core/error.h"
#include "report/run_fields.h"

namespace nnc::report {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kSlotBudgetOrder = 1e18;  // slot budgets sort after every byte budget

constexpr int kUntaggedOrder = 1000;  // runs without order tags: after every tagged one

/// A report tag as recorded, or `fallback` when the run lacks it.
std::string tag_or(const experiment::RunRecord& r, const std::string& key, const std::string& fallback) {
  auto it = r.tags.find(key);
  return it == r.tags.end() ? fallback : it->second;
}

int order_tag(const experiment::RunRecord& r, const std::string& key) {
  auto it = r.tags.find(key);
  if (it == r.tags.end()) return kUntaggedOrder;
  try {
    return std::stoi(it->second);
  } catch (const std::exception&) {
    return kUntaggedOrder;
  }
}

/// The first word of a tag ("thinning 0.9" -> "thinning"): a plug-in's name in the labels of
/// runs recorded before plug-ins tagged their report lines.
std::string first_word(const std::string& label) { return label.substr(0, label.find(' ')); }

/// Whether the run recorded every report tag of its plug-ins (runs of an older nncompress lack
/// some or all: the compressor's line, display and parameter came first, the rest later).
bool has_plugin_tags(const experiment::RunRecord& r) {
  for (auto* key : {"encoder_line", "encoder_display", "encoder_order", "compressor_line", "compressor_display",
                    "compressor_parameter", "compressor_order"})
    if (!r.tags.count(key)) return false;
  return true;
}

/// Encoder panel and compressor line of a run, from what its plug-ins recorded about
/// themselves (tags encoder_line/_display/_order, compressor_line/_display/_parameter/_order;
/// experiment/kinds/replay_kind.cpp). A run recorded without them (by an older nncompress;
/// `results migrate` adds them) is shown under its plug-ins' names, without parameters.
void read_plugin_tags(const experiment::RunRecord& r, const nlohmann::json& c, ReplayPoint& p) {
  std::string encoder = config_text(c, "encoder");
  if (encoder.empty()) encoder = first_word(tag(r, {"encoder"}));
  p.encoder = tag_or(r, "encoder_line", encoder.empty() ? "none" : encoder);
  p.encoder_name = tag_or(r, "encoder_display", p.encoder);
  p.encoder_order = order_tag(r, "encoder_order");
  std::string compressor = config_text(c, "compressor");
  if (compressor.empty()) compressor = first_word(tag(r, {"compressor"}));
  p.compressor = tag_or(r, "compressor_line", compressor.empty() ? "unknown" : compressor);
  p.compressor_name = tag_or(r, "compressor_display", p.compressor);
  p.parameter = tag_or(r, "compressor_parameter", "");
  p.compressor_order = order_tag(r, "compressor_order");
  // No encoding and no compression is GDumb itself.
  if (p.compressor == "none" && p.encoder == "none" && p.parameter.empty()) p.parameter = "GDumb";
}

std::string hover_of(const ReplayPoint& p) {
  std::string h = fmt::format("{}<br>budget {}<br>{} MiB, {} slots<br>accuracy {}", p.method(),
                              p.budget, format_number(p.memory_mib, 4), format_number(p.slots, 6),
                              format_number(p.accuracy, 4));
  if (p.run_ids.size() > 1)
    h += fmt::format(" &plusmn; {} (n={})", format_number(p.accuracy_std, 2), p.run_ids.size());
  if (p.passes > 0) h += fmt::format("<br>{} passes", format_number(p.passes));
  h += "<br>run " + p.run_ids.front();
  return h;
}

double y_top(const std::vector<ReplayPoint>& points, const std::vector<PublishedPoint>& published) {
  double m = 0;
  for (auto& p : points) m = std::max(m, p.accuracy);
  for (auto& p : published) m = std::max(m, p.accuracy);
  return std::min(1.0, std::max(0.1, m * 1.12));
}

Series published_series(const std::vector<PublishedPoint>& published) {
  Series s("published");
  s.style = SeriesStyle::kReference;
  s.color = "#000000";
  for (auto& p : published)
    s.point(p.mib(), p.accuracy, p.method,
            fmt::format("{} (published)<br>{} MiB<br>accuracy {}<br>{}", p.method,
                        format_number(p.mib(), 4), format_number(p.accuracy, 4), p.source));
  return s;
}

}  // namespace

std::string ReplayPoint::method() const {
  std::string m = encoder == "none" ? "" : encoder_name + " + ";
  m += compressor_name;
  // The notebooks' "k=<value>" for a bare number; self-describing settings ("q50", "/2 4b") as is.
  if (!parameter.empty() && parameter != "GDumb")
    m += (std::isdigit(static_cast<unsigned char>(parameter[0])) ? " k=" : " ") + parameter;
  if (parameter == "GDumb") m = "GDumb";
  return m;
}

std::vector<ReplayPoint> replay_points(const std::vector<experiment::RunRecord>& runs,
                                       std::vector<std::string>* notes) {
  std::map<std::string, std::vector<ReplayPoint>> by_key;  // same setting, different seeds
  std::vector<std::string> order, untagged;
  for (auto& r : runs) {
    if (r.kind != "replay" || r.status != experiment::RunStatus::Completed) continue;
    auto c = config_of(r);
    ReplayPoint p;
    p.run_ids = {r.id};
    p.dataset = config_text(c, "dataset");
    if (p.dataset.empty()) p.dataset = "unknown";
    read_plugin_tags(r, c, p);
    if (!has_plugin_tags(r)) untagged.push_back(r.id);
    // Mixed precision changes the accuracy a line reaches: bf16 runs are their own points.
    std::string precision = config_text(c, "precision");
    if (!precision.empty() && precision != "fp32")
      p.parameter += (p.parameter.empty() ? "" : " ") + precision;

    std::string bytes = config_text(c, "memory_bytes");
    double slots_asked = config_number(c, "memory_size");
    if (!bytes.empty()) {
      p.budget = bytes;
      try {
        p.budget_order = static_cast<double>(parse_bytes(bytes, "memory_bytes"));
      } catch (const Error&) {
        p.budget_order = metric(r, {"memory_budget_bytes"});
      }
    } else if (slots_asked > 0) {
      p.budget = fmt::format("{} slots", format_number(slots_asked));
      p.budget_order = kSlotBudgetOrder + slots_asked;
    } else {
      double b = metric(r, {"memory_budget_bytes"});
      p.budget = std::isnan(b) ? "unknown" : format_bytes(static_cast<uint64_t>(b));
      p.budget_order = std::isnan(b) ? 2 * kSlotBudgetOrder : b;
    }

    p.accuracy = metric(r, {"final_accuracy"});
    p.memory_mib = metric(r, {"memory_used_mib"});
    if (std::isnan(p.memory_mib)) p.memory_mib = metric(r, {"memory_used_bytes"}) / kMiB;
    double s = metric(r, {"memory_slots"});
    p.slots = !std::isnan(s) && s > 0 ? s : metric(r, {"memory_items"});
    if (std::isnan(p.slots)) p.slots = 0;
    p.task_accuracy = metric(r, {"final_task_accuracy"});
    p.passes = metric(r, {"num_passes"});
    if (std::isnan(p.passes)) p.passes = config_number(c, "epochs");
    if (std::isnan(p.passes)) p.passes = 0;

    if (std::isnan(p.accuracy) || std::isnan(p.memory_mib) || p.memory_mib <= 0) {
      if (notes)
        notes->push_back(fmt::format("run {}: no {} metric", r.id,
                                       std::isnan(p.accuracy) ? "final_accuracy"
                                                              : "memory_used_mib (> 0)"));
      continue;
    }
    std::string key = fmt::format("{}|{}|{}|{}|{}|{}", p.dataset, p.encoder_name, p.compressor,
                                  p.parameter, p.budget, p.passes);
    if (!by_key.count(key)) order.push_back(key);
    by_key[key].push_back(std::move(p));
  }

  if (notes && !untagged.empty())
    notes->push_back(fmt::format(
        "{} run(s) ({}{}) carry no report tags (recorded by an older nncompress): shown under "
        "their encoder and compressor names only, settings not told apart; `nncompress results "
        "migrate --out <this folder>` adds the tags",
        untagged.size(), untagged.front(), untagged.size() > 1 ? ", ..." : ""));
  std::vector<ReplayPoint> out;
  for (auto& key : order) {
    auto& group = by_key[key];
    ReplayPoint p = group.front();
    double n = static_cast<double>(group.size());
    if (group.size() > 1) {
      p.run_ids.clear();
      p.memory_mib = p.slots = p.accuracy = p.task_accuracy = 0;
      for (auto& g : group) {
        p.run_ids.push_back(g.run_ids.front());
        p.memory_mib += g.memory_mib / n;
        p.slots += g.slots / n;
        p.accuracy += g.accuracy / n;
        p.task_accuracy += g.task_accuracy / n;
      }
      double ss = 0;
      for (auto& g : group) ss += (g.accuracy - p.accuracy) * (g.accuracy - p.accuracy);
      p.accuracy_std = std::sqrt(ss / (n - 1));
    }
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(), [](const ReplayPoint& a, const ReplayPoint& b) {
    return std::tuple(a.dataset, a.encoder_order, a.encoder_name, a.compressor_order, a.compressor,
                      a.memory_mib) <
           std::tuple(b.dataset, b.encoder_order, b.encoder_name, b.compressor_order, b.compressor,
                      b.memory_mib);
  });
  return out;
}

std::vector<ReplayPoint> pareto_front(std::vector<ReplayPoint> points) {
  std::stable_sort(points.begin(), points.end(), [](const ReplayPoint& a, const ReplayPoint& b) {
    return a.memory_mib != b.memory_mib ? a.memory_mib < b.memory_mib : a.accuracy > b.accuracy;
  });
  std::vector<ReplayPoint> front;
  double best = -1;
  for (auto& p : points)
    if (p.accuracy > best) {
      best = p.accuracy;
      front.push_back(p);
    }
  return front;
}

std::vector<BudgetBest> best_per_budget(const std::vector<ReplayPoint>& points) {
  std::map<std::pair<double, std::string>, BudgetBest> by_budget;
  for (auto& p : points) {
    auto [it, fresh] = by_budget.try_emplace({p.budget_order, p.budget}, BudgetBest{p.budget, p, 0});
    auto& b = it->second;
    ++b.points;
    if (!fresh && (p.accuracy > b.best.accuracy ||
                   (p.accuracy == b.best.accuracy && p.memory_mib < b.best.memory_mib)))
      b.best = p;
  }
  std::vector<BudgetBest> out;
  for (auto& [k, b] : by_budget) out.push_back(b);
  return out;
}

Chart replay_memory_chart(const std::vector<ReplayPoint>& points, MemoryAxis axis,
                          const std::vector<PublishedPoint>& published, const std::string& id) {
  bool mib = axis == MemoryAxis::kMiB;
  Chart chart(id, mib ? "Accuracy vs total storage" : "Accuracy vs memory slots");
  chart.x_label = mib ? "Total storage consumption [MiB]" : "Number of memory slots";
  chart.y_label = "Accuracy";
  chart.log_x = true;
  chart.y_min = 0;
  chart.y_max = y_top(points, mib ? published : std::vector<PublishedPoint>{});

  std::set<double> passes;
  for (auto& p : points) passes.insert(p.passes);
  bool by_passes = passes.size() > 1;
  // A line per compressor, its points labelled with the parameter (seed 000: one budget, the
  // parameter sweeps the memory). When a panel has several parameters of a compressor, each
  // run at several budgets, that line would zigzag: then a line per parameter (seed 001), the
  // compressor's colour, a dash pattern per parameter, the parameter written at its end.
  using PanelLine = std::pair<std::string, std::string>;  // (encoder panel, compressor)
  std::vector<std::string> compressors;  // colour order
  std::map<std::string, int> line_order;  // a line's compressor_order
  std::map<PanelLine, std::vector<std::string>> params;  // dash order per panel and compressor
  for (auto& p : points) {
    line_order.emplace(p.compressor, p.compressor_order);
    if (std::find(compressors.begin(), compressors.end(), p.compressor) == compressors.end())
      compressors.push_back(p.compressor);
    auto& ps = params[{p.encoder_name, p.compressor}];
    if (std::find(ps.begin(), ps.end(), p.parameter) == ps.end()) ps.push_back(p.parameter);
  }
  std::map<std::tuple<std::string, std::string, std::string, double>, int> seen;
  std::set<PanelLine> split_lines;
  for (auto& p : points)
    if (++seen[{p.encoder_name, p.compressor, p.parameter, p.passes}] > 1 &&
        params[{p.encoder_name, p.compressor}].size() > 1)
      split_lines.insert({p.encoder_name, p.compressor});
  std::stable_sort(compressors.begin(), compressors.end(),
                   [&](auto& a, auto& b) { return std::pair(line_order.at(a), a) < std::pair(line_order.at(b), b); });
  for (auto& [c, ps] : params)
    std::stable_sort(ps.begin(), ps.end(), [](const std::string& a, const std::string& b) {
      char *ea = nullptr, *eb = nullptr;
      double x = std::strtod(a.c_str(), &ea), y = std::strtod(b.c_str(), &eb);
      bool na = !a.empty() && *ea == '\0', nb = !b.empty() && *eb == '\0';
      return na && nb ? x < y : na > nb;
    });

  int left_out = 0;
  std::vector<std::pair<std::string, std::string>> facets;  // (encoder, name), points sorted
  for (auto& p : points)
    if (std::find(facets.begin(), facets.end(), std::pair(p.encoder, p.encoder_name)) == facets.end())
      facets.emplace_back(p.encoder, p.encoder_name);
  for (auto& [enc, enc_name] : facets) {
    Facet f{enc_name, {}};
    std::map<std::tuple<int, std::string, double, int>, Series> lines;
    for (auto& p : points) {
      if (p.encoder_name != enc_name) continue;
      double x = mib ? p.memory_mib : p.slots;
      if (!(x > 0)) {
        ++left_out;
        continue;
      }
      auto& ps = params[{enc_name, p.compressor}];
      bool split = split_lines.count({enc_name, p.compressor}) > 0;
      int param_index = split ? static_cast<int>(std::find(ps.begin(), ps.end(), p.parameter) - ps.begin()) : 0;
      auto key = std::tuple(p.compressor_order, p.compressor, by_passes ? p.passes : 0.0, param_index);
      std::string name = p.compressor_name;
      if (split && !p.parameter.empty()) name += " k=" + p.parameter;
      if (by_passes) name += fmt::format(" ({} passes)", format_number(p.passes));
      auto it = lines.try_emplace(key, Series(name)).first;
      it->second.color = palette()[static_cast<size_t>(
          std::find(compressors.begin(), compressors.end(), p.compressor) - compressors.begin()) %
          palette().size()];
      it->second.dash = param_index;
      it->second.point(x, p.accuracy, p.parameter, hover_of(p));
    }
    for (auto& [k, s] : lines) {
      s.sort_by_x();
      // A line split over parameters is labelled once, at its right end.
      if (split_lines.count({enc_name, std::get<1>(k)}) > 0)
        for (size_t j = 0; j + 1 < s.text.size(); ++j) s.text[j].clear();
      f.series.push_back(std::move(s));
    }
    if (mib && !published.empty()) f.series.push_back(published_series(published));
    chart.facets.push_back(std::move(f));
  }
  if (left_out)
    chart.note = fmt::format("{} point(s) without a {} left out", left_out,
                             mib ? "memory size" : "slot count (variable-size items)");
  if (mib && !published.empty())
    chart.note += std::string(chart.note.empty() ? "" : "; ") +
                  "black crosses: published results at the same bytes (raw or downsampled images)";
  return chart;
}

Chart replay_pareto_chart(const std::vector<ReplayPoint>& points,
                          const std::vector<PublishedPoint>& published, const std::string& id) {
  Chart chart(id, "Best accuracy for memory");
  chart.x_label = "Total storage consumption [MiB]";
  chart.y_label = "Accuracy";
  chart.log_x = true;
  chart.y_min = 0;
  chart.y_max = y_top(points, published);
  Facet f{"", {}};
  Series all("all runs");
  all.style = SeriesStyle::kMarkers;
  all.color = "#9a9a9a";
  for (auto& p : points) all.point(p.memory_mib, p.accuracy, "", hover_of(p));
  Series front("best accuracy for memory");
  front.style = SeriesStyle::kFront;
  front.color = "#EF553B";
  for (auto& p : pareto_front(points)) front.point(p.memory_mib, p.accuracy, p.method(), hover_of(p));
  f.series.push_back(std::move(all));
  f.series.push_back(std::move(front));
  if (!published.empty()) f.series.push_back(published_series(published));
  chart.facets.push_back(std::move(f));
  chart.note = "A run is on the front when every run using less memory is less accurate.";
  return chart;
}

std::vector<Section> replay_sections(const std::vector<experiment::RunRecord>& runs,
                                     const std::vector<PublishedPoint>& published_cifar10) {
  std::vector<std::string> notes;
  auto all = replay_points(runs, &notes);
  std::vector<std::string> datasets;
  for (auto& p : all)
    if (std::find(datasets.begin(), datasets.end(), p.dataset) == datasets.end())
      datasets.push_back(p.dataset);

  std::vector<Section> out;
  for (auto& ds : datasets) {
    std::vector<ReplayPoint> points;
    size_t runs_in = 0;
    for (auto& p : all)
      if (p.dataset == ds) {
        points.push_back(p);
        runs_in += p.run_ids.size();
      }
    const auto& published = ds == "cifar10" ? published_cifar10 : std::vector<PublishedPoint>{};
    std::string sid = "replay-" + slug(ds);
    std::string tid = "replay_" + slug(ds);
    std::replace(tid.begin(), tid.end(), '-', '_');
    Section s;
    s.id = sid;
    s.title = fmt::format("Replay: {} ({} runs)", ds, runs_in);
    s.intro =
        "Final class-incremental accuracy (final_accuracy) against the memory the replay buffer "
        "really used, items plus fixed costs such as autoencoder weights (memory_used_mib), "
        "one line per compressor, each point labelled with the compressor's parameter, one "
        "panel per encoder.";
    s.charts.push_back(replay_memory_chart(points, MemoryAxis::kMiB, published, sid + "-mib"));
    s.charts.push_back(replay_memory_chart(points, MemoryAxis::kSlots, {}, sid + "-slots"));
    s.charts.push_back(replay_pareto_chart(points, published, sid + "-pareto"));

    Table pts{tid + "_points", "Every setting (seeds averaged)",
              {"method", "encoder", "compressor", "parameter", "budget", "memory_mib", "slots",
               "accuracy", "accuracy_std", "n", "task_accuracy", "passes", "runs"}, {}, ""};
    for (auto& p : points) {
      std::string ids;
      for (auto& i : p.run_ids) ids += (ids.empty() ? "" : " ") + i;
      pts.row({p.method(), p.encoder_name, p.compressor_name, p.parameter, p.budget,
               format_number(p.memory_mib, 5), format_number(p.slots), format_number(p.accuracy, 4),
               format_number(p.accuracy_std, 3), std::to_string(p.run_ids.size()),
               format_number(p.task_accuracy, 4), format_number(p.passes), ids});
    }
    Table budget{tid + "_best_per_budget", "Best method per budget",
                 {"budget", "best method", "accuracy", "memory_mib", "slots", "passes",
                  "settings compared"}, {}, ""};
    for (auto& b : best_per_budget(points))
      budget.row({b.budget, b.best.method(), format_number(b.best.accuracy, 4),
                  format_number(b.best.memory_mib, 5), format_number(b.best.slots),
                  format_number(b.best.passes), std::to_string(b.points)});
    Table front{tid + "_pareto", "Best accuracy for memory (Pareto front)",
                {"memory_mib", "method", "accuracy", "slots", "budget", "passes"}, {}, ""};
    for (auto& p : pareto_front(points))
      front.row({format_number(p.memory_mib, 5), p.method(), format_number(p.accuracy, 4),
                 format_number(p.slots), p.budget, format_number(p.passes)});
    s.tables = {std::move(front), std::move(budget), std::move(pts)};
    if (!published.empty()) {
      Table pub{tid + "_published", "Published results (drawn as black crosses)",
                {"method", "memory_mib", "accuracy", "source"}, {}, ""};
      for (auto& p : published)
        pub.row({p.method, format_number(p.mib(), 4), format_number(p.accuracy, 4), p.source});
      s.tables.push_back(std::move(pub));
    }
    out.push_back(std::move(s));
  }
  if (!notes.empty()) {
    if (out.empty()) {
      Section s;
      s.id = "replay";
      s.title = "Replay";
      out.push_back(std::move(s));
    }
    out.front().notes.insert(out.front().notes.end(), notes.begin(), notes.end());
  }
  return out;
}

}  // namespace nnc::report
