#include "quant/width_search.h"

#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ostream>
#include <sstream>

#include "core/error.h"

namespace nnc::quant {
namespace {

double as_double(const search::Value& v, const std::string& where) {
  if (auto* i = std::get_if<int64_t>(&v)) return static_cast<double>(*i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  fail("{}: expected a number, got {}", where, search::to_string(v));
}

}  // namespace

WidthMode parse_width_mode(std::string_view text, const std::string& where) {
  if (text == "none" || text.empty()) return WidthMode::kNone;
  if (text == "uniform") return WidthMode::kUniform;
  if (text == "per_layer" || text == "per-layer") return WidthMode::kPerLayer;
  fail("{}: unknown width mode '{}': expected none, uniform or per_layer", where, text);
}

std::vector<double> parse_width_multipliers(const std::string& text, const std::string& where) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      out.push_back(std::stod(item, &used));
      NNC_CHECK(item.find_first_not_of(' ', used) == std::string::npos, "trailing text");
    } catch (const std::exception&) {
      fail("{}: '{}' is not a number (write e.g. 0.5,1,2)", where, item);
    }
  }
  return out;
}

std::string to_string(WidthMode m) {
  switch (m) {
    case WidthMode::kNone: return "none";
    case WidthMode::kUniform: return "uniform";
    case WidthMode::kPerLayer: return "per_layer";
  }
  return "?";
}

void WidthSearchOptions::validate() const {
  if (mode == WidthMode::kNone) return;
  NNC_CHECK(!multipliers.empty(), "width search: give at least one multiplier (e.g. 1, 2)");
  for (double m : multipliers)
    NNC_CHECK(m > 0 && std::isfinite(m), "width search: multiplier {} must be > 0", m);
  for (auto& [layer, choices] : layers) {
    NNC_CHECK(!choices.empty(), "width search: layer '{}' has no multiplier to choose from", layer);
    for (double m : choices)
      NNC_CHECK(m > 0 && std::isfinite(m), "width search: multiplier {} of layer '{}' must be > 0", m, layer);
  }
  budget.validate();
}

void WidthSearchOptions::describe(std::ostream& os) const {
  os << "width search: " << to_string(mode);
  if (mode != WidthMode::kNone) {
    os << ", multipliers [";
    for (size_t i = 0; i < multipliers.size(); ++i) os << (i ? ", " : "") << multipliers[i];
    os << "]";
    for (auto& [layer, choices] : layers)
      os << fmt::format(", {} [{}]", layer, fmt::join(mode == WidthMode::kUniform ? multipliers : choices, ", "));
    os << ", budget " << budget.epochs_ << " epoch(s) " << budget.optimizer_ << " lr "
       << budget.lr_ << " batch " << budget.batch_size_;
  }
  os << "\n";
  for (auto& n : notes) os << "  note: " << n << "\n";
}

std::vector<std::string> scalable_layers(const NetSpec& spec) {
  std::vector<std::string> names;
  for (auto& l : spec.layers)
    if (l.weighted()) names.push_back(l.name);
  if (!names.empty()) names.pop_back();  // the classifier's output is the class count
  return names;
}

NetSpec widen(const NetSpec& spec, const std::map<std::string, double>& multipliers) {
  const auto scalable = scalable_layers(spec);
  for (auto& [name, m] : multipliers) {
    NNC_CHECK(std::find(scalable.begin(), scalable.end(), name) != scalable.end(),
              "width multiplier for '{}': not a scalable layer of {} (scalable: {})", name,
              spec.arch, scalable.empty() ? std::string("none") : fmt::format("{}", fmt::join(scalable, ", ")));
    NNC_CHECK(m > 0 && std::isfinite(m), "width multiplier for '{}' must be > 0, got {}", name, m);
  }
  NetSpec out = spec;
  int64_t old_prev_out = 0, new_prev_out = 0;  // last weighted layer's widths (0 = none yet)
  for (auto& l : out.layers) {
    if (l.weighted()) {
      if (old_prev_out > 0) {
        NNC_CHECK(l.in % old_prev_out == 0, "{}: input width {} is not a multiple of the "
                  "previous layer's {} outputs", l.name, l.in, old_prev_out);
        l.in = l.in / old_prev_out * new_prev_out;
      }
      old_prev_out = l.out;
      auto it = multipliers.find(l.name);
      if (it != multipliers.end())
        l.out = std::max<int64_t>(1, std::llround(static_cast<double>(l.out) * it->second));
      new_prev_out = l.out;
    } else if (l.op == "batch_norm1d" && old_prev_out > 0) {
      l.in = l.out = new_prev_out;
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::vector<double>>> widened_layers(const NetSpec& spec,
                                                                        const WidthSearchOptions& options) {
  const auto scalable = scalable_layers(spec);
  NNC_CHECK(!scalable.empty(), "width search: {} has no hidden layer to widen (only its "
            "classifier is weighted)", spec.arch);
  std::vector<std::pair<std::string, std::vector<double>>> out;
  if (options.layers.empty()) {
    for (auto& name : scalable) out.emplace_back(name, options.multipliers);
    return out;
  }
  std::vector<std::string> valid;  // "fc1 (seq_blocks_2)"
  for (auto& name : scalable) {
    const auto names = spec.layers[spec.find(name)].names();
    valid.push_back(names.size() > 1 ? fmt::format("{} ({})", name, fmt::join(names.begin() + 1, names.end(), ", "))
                                     : name);
  }
  for (auto& [key, choices] : options.layers) {
    auto it = std::find_if(scalable.begin(), scalable.end(), [&](const std::string& name) {
      const auto names = spec.layers[spec.find(name)].names();
      return std::find(names.begin(), names.end(), key) != names.end();
    });
    NNC_CHECK(it != scalable.end(), "width search: '{}' is not a layer of {} whose output can be "
              "widened (scalable: {})", key, spec.arch, fmt::join(valid, ", "));
  }
  for (auto& name : scalable)  // network order
    for (auto& key : spec.layers[spec.find(name)].names())
      if (auto c = options.layers.find(key); c != options.layers.end())
        out.emplace_back(name, options.mode == WidthMode::kUniform ? options.multipliers : c->second);
  return out;
}

void add_width_parameters(search::SearchSpace& space, const NetSpec& spec,
                          const WidthSearchOptions& options) {
  options.validate();
  if (options.mode == WidthMode::kNone) return;
  const auto layers = widened_layers(spec, options);
  if (options.mode == WidthMode::kUniform) {
    space.add("width", std::vector<search::Value>(options.multipliers.begin(), options.multipliers.end()));
    return;
  }
  for (auto& [name, choices] : layers)
    space.add("width." + name, std::vector<search::Value>(choices.begin(), choices.end()));
}

std::map<std::string, double> width_choice(const search::SearchSpace& space,
                                           const std::vector<search::Value>& params,
                                           const NetSpec& spec, const WidthSearchOptions& options) {
  std::map<std::string, double> m;
  if (options.mode == WidthMode::kNone) return m;
  for (auto& [name, choices] : widened_layers(spec, options)) {
    const std::string p = options.mode == WidthMode::kUniform ? "width" : "width." + name;
    m[name] = as_double(params.at(space.index_of(p)), p);
  }
  return m;
}

WidthCandidates::WidthCandidates(NetSpec base, const train::BatchSource& train_data,
                                 train::TrainOptions budget)
    : base_(std::move(base)), data_(train_data), budget_(std::move(budget)) {}

const QuantizedModel& WidthCandidates::get(const std::map<std::string, double>& multipliers) {
  std::string label;
  for (auto& [k, v] : multipliers) label += fmt::format("{}{}x{}", label.empty() ? "" : "_", k, v);
  if (label.empty()) label = "base";
  auto it = cache_.find(label);
  if (it != cache_.end()) return *it->second.model;
  auto t0 = std::chrono::steady_clock::now();
  torch::manual_seed(budget_.seed_);  // every candidate starts from the same random stream
  auto model = std::make_shared<QuantizedModel>(widen(base_, multipliers));
  train::Trainer(train::TrainOptions(budget_).label("width " + label)).fit(*model, data_);
  model->eval();
  seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return *cache_.emplace(label, WidthCandidate{multipliers, label, model}).first->second.model;
}

std::vector<WidthCandidate> WidthCandidates::candidates() const {
  std::vector<WidthCandidate> out;
  for (auto& [label, c] : cache_) out.push_back(c);
  return out;
}

}  // namespace nnc::quant
