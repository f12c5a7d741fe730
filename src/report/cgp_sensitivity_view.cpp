#include "report/cgp_sensitivity_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

#include "report/run_fields.h"

namespace nnc::report {
namespace {

/// "conv1.weight,conv2.weight" -> "conv1,conv2": the axis shows what a user types to --layers.
std::string short_layers(const std::string& names) {
  std::string out;
  std::stringstream ss(names);
  for (std::string item; std::getline(ss, item, ',');) {
    const std::string suffix = ".weight";
    if (item.size() > suffix.size() && item.ends_with(suffix)) item.resize(item.size() - suffix.size());
    out += (out.empty() ? "" : ",") + item;
  }
  return out;
}

std::vector<double> numbers_of(const std::string& list) {
  std::vector<double> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, ',');) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (end != item.c_str()) out.push_back(v);
  }
  return out;
}

std::string rms_label(double v) { return "RMS " + format_number(v); }

/// One point per stage of a threshold list (the stages' own deltas), else one per run.
void add_points(const experiment::RunRecord& r, std::vector<SensitivityPoint>& out) {
  const auto config = config_of(r);
  SensitivityPoint p;
  p.model = config_text(config, "model");
  p.layer = cgp_layers_label(r);
  p.run_id = r.id;
  const auto list = numbers_of(config_text(config, "rms_thresholds"));
  auto deltas = r.series.find("stage_delta_top1");
  if (!list.empty() && deltas != r.series.end() && deltas->second.size() == list.size()) {
    auto energy = r.series.find("stage_energy");
    for (size_t i = 0; i < list.size(); ++i) {
      SensitivityPoint s = p;
      s.threshold = rms_label(list[i]);
      s.threshold_value = list[i];
      s.delta_top1_pt = 100 * deltas->second[i];
      s.energy = energy != r.series.end() && i < energy->second.size() ? energy->second[i] : kMissing;
      out.push_back(std::move(s));
    }
    return;
  }
  const double delta = metric(r, {"delta_top1"});
  if (std::isnan(delta)) return;
  p.threshold = cgp_threshold_label(r, &p.threshold_value);
  p.delta_top1_pt = 100 * delta;
  p.energy = metric(r, {"energy"});
  out.push_back(std::move(p));
}

template <class Less>
std::vector<std::string> distinct(const std::vector<SensitivityPoint>& points,
                                  std::string SensitivityPoint::*field, Less less) {
  std::vector<std::string> out;
  for (auto& p : points)
    if (std::find(out.begin(), out.end(), p.*field) == out.end()) out.push_back(p.*field);
  std::stable_sort(out.begin(), out.end(), less);
  return out;
}

/// Thresholds loosest first (the original lists 250 .. 0), by value then name.
std::vector<std::string> thresholds_of(const std::vector<SensitivityPoint>& points) {
  std::map<std::string, double> value;
  for (auto& p : points) value.emplace(p.threshold, p.threshold_value);
  return distinct(points, &SensitivityPoint::threshold, [&](const std::string& a, const std::string& b) {
    return value[a] != value[b] ? value[a] > value[b] : a < b;
  });
}

/// One trace per threshold, its points dodged around the layer's tick so strips do not overlap.
Chart strip_chart(const std::string& model, const std::vector<SensitivityPoint>& points) {
  Chart c("cgp-sensitivity-" + slug(model.empty() ? "model" : model),
          fmt::format("CGP: top-1 change by layer and threshold ({})", model.empty() ? "model" : model));
  c.x_label = "Approximated layer(s)";
  c.y_label = "Top-1 change vs int8 [pt]";
  const auto layers = distinct(points, &SensitivityPoint::layer, natural_less);
  const auto thresholds = thresholds_of(points);
  for (size_t i = 0; i < layers.size(); ++i) c.x_ticks.push_back({double(i), layers[i]});
  Facet f{"", {}};
  const double n = double(thresholds.size());
  for (size_t t = 0; t < thresholds.size(); ++t) {
    Series s(thresholds[t]);
    s.style = SeriesStyle::kMarkers;
    const double offset = (double(t) - (n - 1) / 2) * 0.6 / n;
    for (auto& p : points) {
      if (p.threshold != thresholds[t]) continue;
      const auto at = std::find(layers.begin(), layers.end(), p.layer) - layers.begin();
      s.point(double(at) + offset, p.delta_top1_pt, "",
              fmt::format("run {}<br>{}, {}<br>top-1 {:+.2f} pt<br>energy {}", p.run_id, p.layer,
                          p.threshold, p.delta_top1_pt, format_number(p.energy, 4)));
    }
    f.series.push_back(std::move(s));
  }
  c.facets.push_back(std::move(f));
  return c;
}

/// Per layer and threshold: how many points, and their mean/min/max change and mean energy.
Table summary_table(const std::vector<SensitivityPoint>& points) {
  Table t{"cgp_layer_sensitivity", "CGP per-layer sensitivity (per layer and threshold)",
          {"model", "layer", "threshold", "runs", "mean_delta_top1_pt", "min_delta_top1_pt",
           "max_delta_top1_pt", "mean_energy"}, {}, ""};
  for (auto& model : distinct(points, &SensitivityPoint::model, std::less<>()))
    for (auto& layer : distinct(points, &SensitivityPoint::layer, natural_less))
      for (auto& th : thresholds_of(points)) {
        double n = 0, sum = 0, lo = INFINITY, hi = -INFINITY, energy = 0;
        for (auto& p : points)
          if (p.model == model && p.layer == layer && p.threshold == th) {
            ++n, sum += p.delta_top1_pt, energy += p.energy;
            lo = std::min(lo, p.delta_top1_pt), hi = std::max(hi, p.delta_top1_pt);
          }
        if (n == 0) continue;
        t.row({model, layer, th, format_number(n), format_number(sum / n, 4), format_number(lo, 4),
               format_number(hi, 4), format_number(energy / n, 4)});
      }
  return t;
}

}  // namespace

std::string cgp_threshold_label(const experiment::RunRecord& r, double* value) {
  const auto config = config_of(r);
  const double rms = config_number(config, "rms_threshold");
  const bool by_rms = !std::isnan(rms) && rms >= 0;
  const double v = by_rms ? rms : config_number(config, "threshold");
  if (value) *value = v;
  return by_rms ? rms_label(rms) : fmt::format("{} {}", config_text(config, "metric"), format_number(v));
}

std::string cgp_layers_label(const experiment::RunRecord& r) {
  std::string layers = short_layers(tag(r, {"layers"}));
  if (layers.empty()) layers = short_layers(config_text(config_of(r), "layers"));
  return layers.empty() ? "(default)" : layers;
}

bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t ie = i, je = j;
      while (ie < a.size() && std::isdigit(static_cast<unsigned char>(a[ie]))) ++ie;
      while (je < b.size() && std::isdigit(static_cast<unsigned char>(b[je]))) ++je;
      const double x = std::stod(a.substr(i, ie - i)), y = std::stod(b.substr(j, je - j));
      if (x != y) return x < y;
      i = ie, j = je;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

std::vector<SensitivityPoint> sensitivity_points(const std::vector<experiment::RunRecord>& runs) {
  std::vector<SensitivityPoint> out;
  for (auto& r : completed(runs, "cgp")) add_points(r, out);
  return out;
}

std::vector<Section> cgp_sensitivity_sections(const std::vector<experiment::RunRecord>& runs) {
  const auto points = sensitivity_points(runs);
  Section s;
  s.id = "cgp-sensitivity";
  s.title = "CGP: per-layer sensitivity";
  s.intro = "Top-1 change of the model with the circuit's weights substituted, against the int8 "
            "model (metric delta_top1, or stage_delta_top1 per threshold of an rms_thresholds "
            "list), per approximated layer (tag layers) and threshold (config rms_threshold, "
            "rms_thresholds or threshold): one marker per run and threshold.";
  for (auto& model : distinct(points, &SensitivityPoint::model, std::less<>())) {
    std::vector<SensitivityPoint> of_model;
    for (auto& p : points)
      if (p.model == model) of_model.push_back(p);
    if (distinct(of_model, &SensitivityPoint::layer, natural_less).size() < 2) continue;
    s.charts.push_back(strip_chart(model, of_model));
  }
  if (s.charts.empty()) return {};
  s.tables.push_back(summary_table(points));
  return {s};
}

}  // namespace nnc::report
