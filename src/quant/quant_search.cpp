#include "quant/quant_search.h"

#include <torch/torch.h>

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "core/error.h"

namespace nnc::quant {
namespace {

std::string csv_escape(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}

nlohmann::json value_json(const search::Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  return std::get<std::string>(v);
}

nlohmann::json trial_json(const QuantSearchResult& r, size_t i) {
  const auto& t = r.study.trials[i];
  nlohmann::json j;
  j["number"] = t.number;
  j["state"] = search::to_string(t.state);
  nlohmann::json params = nlohmann::json::object();
  for (size_t p = 0; p < r.space.size(); ++p) params[r.space[p].name] = value_json(t.params[p]);
  j["params"] = params;
  if (r.metrics[i]) {
    nlohmann::json m = nlohmann::json::object();
    for (auto& name : metric_names()) m[name] = r.metrics[i]->get(name);
    m["samples"] = r.metrics[i]->samples;
    j["metrics"] = m;
  }
  nlohmann::json scaled = nlohmann::json::object();
  for (size_t k = 0; k < t.scaled.size(); ++k) scaled[r.study.spec.metrics[k].name] = t.scaled[k];
  j["scaled_metrics"] = scaled;
  j["objectives"] = t.objectives;
  j["seconds"] = t.objective_seconds;
  if (t.duplicate_of >= 0) j["duplicate_of"] = t.duplicate_of;
  if (!t.error.empty()) j["error"] = t.error;
  return j;
}

}  // namespace

SearchData split_search_data(const data::Dataset& train, const data::Dataset& test,
                             const std::string& data_loader, double val_fraction,
                             int64_t num_samples, uint64_t seed) {
  NNC_CHECK(num_samples >= 0, "num_samples must be >= 0 (0 = all), got {}", num_samples);
  SearchData d;
  if (data_loader == "val_dataloader") {
    NNC_CHECK(val_fraction > 0 && val_fraction < 1,
              "val_fraction must be in (0, 1) for data_loader = val_dataloader, got {}",
              val_fraction);
    auto s = data::split_train_val(train, test, val_fraction, seed);
    d.fit = std::move(s.train);
    d.eval = std::move(s.val);
  } else if (data_loader == "test_dataloader") {
    d.fit = train;
    d.eval = test;
  } else if (data_loader == "train_dataloader") {
    d.fit = train;
    d.eval = train;
  } else {
    fail("unknown data_loader '{}': expected val_dataloader, test_dataloader or "
         "train_dataloader", data_loader);
  }
  if (num_samples > 0 && num_samples < d.eval.size())
    d.eval = d.eval.subset(torch::arange(num_samples, torch::kInt64));
  NNC_CHECK(d.eval.size() > 0, "the evaluation set ({}) is empty", data_loader);
  d.description = fmt::format("{}: fit on {} samples, trials scored on {} samples{}", data_loader,
                              d.fit.size(), d.eval.size(),
                              data_loader == "train_dataloader"
                                  ? " (the training data: optimistic, the original's defect)"
                                  : "");
  return d;
}

namespace {

/// The plan's seed entries: key -> (field, choices), keys in file order.
struct SeedTable {
  std::vector<std::string> keys;
  std::map<std::string, std::vector<std::pair<std::string, std::vector<search::Value>>>> fields;
};

SeedTable seed_table(const search::SearchConfig& cfg) {
  SeedTable seed;
  for (size_t i = 0; i < cfg.seed_params.size(); ++i) {
    const auto& sp = cfg.seed_params[i];
    if (!seed.fields.count(sp.key)) seed.keys.push_back(sp.key);
    seed.fields[sp.key].emplace_back(sp.field, cfg.space[i].choices);
  }
  return seed;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

std::vector<std::string> quantizable_layer_names(const NetSpec& spec) {
  std::vector<std::string> names;
  for (auto& l : spec.layers)
    if (is_quantizable(l.op)) names.push_back(l.name);
  return names;
}

/// Every seed key must be able to apply (the original silently quantized nothing). Returns
/// notes on keys that apply only with the other `by`.
std::vector<std::string> check_seed_keys(const SeedTable& seed, const NetSpec& spec, const SearchPlan& plan) {
  std::vector<std::string> notes;
  for (auto& key : seed.keys) {
    if (key == "default") continue;
    const std::string at = plan.source + ": search.search_space.seed." + key;
    const int idx = spec.find(key);
    const bool is_layer = idx >= 0 && is_quantizable(spec.layers[idx].op);
    if (plan.by == ConfigBy::kType) {
      NNC_CHECK(is_quantizable(key) || is_layer,
                "{}: '{}' is not a quantizable op type with by = \"type\" (expected one of {}; "
                "or set search.search_space.setup.by = \"name\")", at, key,
                joined(quantizable_op_types()));
      if (!is_quantizable(key))
        notes.push_back("seed." + key + " is a layer name: unused with by = \"type\"");
    } else {
      NNC_CHECK(is_layer || is_quantizable(key),
                "{}: no quantizable layer named '{}' in {} (layers: {}; or set "
                "search.search_space.setup.by = \"type\")", at, key, spec.arch,
                joined(quantizable_layer_names(spec)));
      if (!is_layer)
        notes.push_back("seed." + key + " is an op type: unused with by = \"name\"");
    }
  }
  return notes;
}

/// One target per op type present (by type) or per quantizable layer (by name), its
/// parameters added to `space`; layers no seed entry applies to stay float.
std::vector<QuantTarget> add_targets(const SeedTable& seed, const NetSpec& spec, ConfigBy by,
                                     search::SearchSpace& space) {
  std::vector<QuantTarget> targets;
  auto add_target = [&](const std::string& key, const std::vector<std::string>& candidates) {
    std::string seed_key;
    for (auto& c : candidates)
      if (seed.fields.count(c)) { seed_key = c; break; }
    if (seed_key.empty()) {
      if (!seed.fields.count("default")) return;  // no seed applies: the layer stays float
      seed_key = "default";
    }
    QuantTarget t{key, seed_key, {}, {}};
    for (auto& [field, choices] : seed.fields.at(seed_key)) {
      t.fields.push_back(field);
      t.params.push_back(space.size());
      space.add(key + "." + field, choices);
    }
    targets.push_back(std::move(t));
  };
  if (by == ConfigBy::kType) {
    std::vector<std::string> present_ops;
    for (auto& l : spec.layers)
      if (is_quantizable(l.op) && std::find(present_ops.begin(), present_ops.end(), l.op) == present_ops.end())
        present_ops.push_back(l.op);
    for (auto& op : present_ops) add_target(op, {op});
  } else {
    for (auto& l : spec.layers)
      if (is_quantizable(l.op)) add_target(l.name, l.names());
  }
  return targets;
}

/// Every choice must make a valid config: try each one (others at their first choice) now,
/// so a bad seed fails before training or evaluating anything.
void check_every_choice(const std::vector<QuantTarget>& targets, const search::SearchSpace& space,
                        const std::string& source) {
  for (auto& t : targets) {
    std::vector<std::pair<std::string, FieldValue>> fields;
    for (size_t f = 0; f < t.fields.size(); ++f)
      fields.emplace_back(t.fields[f], space[t.params[f]].choices.front());
    const std::string where = source + ": search.search_space.seed." + t.seed_key + ".config";
    for (size_t f = 0; f < t.fields.size(); ++f) {
      auto trial = fields;
      for (auto& choice : space[t.params[f]].choices) {
        trial[f].second = choice;
        layer_config_from_fields(trial, where);
      }
    }
  }
}

}  // namespace

QuantSearch::QuantSearch(QuantizedModelPtr base, const train::BatchSource& train_data,
                         const train::BatchSource& eval_data, int64_t num_classes,
                         QuantSearchOptions options)
    : base_(std::move(base)),
      eval_(eval_data),
      num_classes_(num_classes),
      options_(std::move(options)),
      widths_(base_->spec(), train_data, options_.plan.width.budget) {
  NNC_CHECK(base_ != nullptr, "QuantSearch: no base model");
  options_.measure.validate();
  const auto& plan = options_.plan;
  const auto& spec = base_->spec();
  const SeedTable seed = seed_table(plan.search);
  notes_ = check_seed_keys(seed, spec, plan);
  targets_ = add_targets(seed, spec, plan.by, space_);
  add_width_parameters(space_, spec, plan.width);
  NNC_CHECK(!space_.empty(), "{}: the search space is empty for {} (no seed entry applies to its "
            "layers {})", plan.source, spec.arch, joined(quantizable_layer_names(spec)));
  check_every_choice(targets_, space_, plan.source);
}

QuantConfig QuantSearch::config_of(const std::vector<search::Value>& params) const {
  NNC_CHECK(params.size() == space_.size(), "QuantSearch: {} parameter values for a space of {}",
            params.size(), space_.size());
  QuantConfig c;
  c.by = options_.plan.by;
  c.source = options_.plan.source;
  for (auto& t : targets_) {
    std::vector<std::pair<std::string, FieldValue>> fields;
    for (size_t f = 0; f < t.fields.size(); ++f) fields.emplace_back(t.fields[f], params[t.params[f]]);
    c.set(t.key, layer_config_from_fields(
                     fields, c.source + ": search.search_space.seed." + t.seed_key + ".config"));
  }
  return c;
}

QuantizedModelPtr QuantSearch::model_of(const std::vector<search::Value>& params) {
  const auto mode = options_.plan.width.mode;
  QuantizedModelPtr model =
      mode == WidthMode::kNone
          ? base_->copy()
          : widths_.get(width_choice(space_, params, base_->spec(), options_.plan.width)).copy();
  model->apply(config_of(params));
  model->eval();
  return model;
}

QuantMetrics QuantSearch::evaluate(const std::vector<search::Value>& params) {
  auto model = model_of(params);
  return measure(*model, eval_, num_classes_, options_.measure);
}

std::vector<TestedTrial> QuantSearch::test_best(const QuantSearchResult& result,
                                                const train::BatchSource& held_out) {
  std::vector<TestedTrial> out;
  for (size_t number : result.best) {
    const search::Trial& t = result.study.trials[number];
    auto m = model_of(t.params);
    out.push_back({&t, m->describe(), measure(*m, held_out, num_classes_, options_.measure)});
  }
  return out;
}

QuantSearchResult QuantSearch::run(std::function<void(const search::StudyProgress&)> on_trial) {
  QuantSearchResult r;
  r.space = space_;
  const auto& spec = options_.plan.search.objective;
  auto study = options_.study;
  if (on_trial) study.on_trial = std::move(on_trial);
  r.study = search::optimize(
      space_, spec,
      [&](const search::Trial& t) {
        QuantMetrics m = evaluate(t.params);
        if (r.metrics.size() <= static_cast<size_t>(t.number)) r.metrics.resize(t.number + 1);
        std::vector<double> values;
        for (auto& metric : spec.metrics) values.push_back(m.get(metric.name));
        r.metrics[t.number] = std::move(m);
        return values;
      },
      study);
  r.metrics.resize(r.study.trials.size());
  for (auto& t : r.study.trials)  // dedup = cache: a duplicate shares its original's metrics
    if (t.duplicate_of >= 0 && !r.metrics[t.number]) r.metrics[t.number] = r.metrics[t.duplicate_of];
  if (r.study.n_complete() > 0) {
    if (spec.multi_objective()) {
      r.best = r.study.pareto_front();
    } else {
      r.best = {static_cast<size_t>(r.study.best().number)};
    }
  }
  r.widths_trained = widths_.trained();
  r.width_train_seconds = widths_.train_seconds();
  return r;
}

void QuantSearch::describe(std::ostream& os) const {
  os << "quantization search on " << base_->spec().describe() << "\n";
  os << "plan " << options_.plan.source << ": by " << to_string(options_.plan.by)
     << ", evaluation data " << options_.plan.data_loader << "\n";
  for (auto& n : notes_) os << "  note: " << n << "\n";
  for (auto& t : targets_) os << "  target " << t.key << " <- seed." << t.seed_key << "\n";
  options_.plan.width.describe(os);
  space_.describe(os);
  options_.plan.search.objective.describe(os);
  options_.study.describe(os);
}

void write_trials_csv(const QuantSearchResult& r, std::ostream& os) {
  os << "number,state";
  for (auto& p : r.space.parameters()) os << "," << csv_escape(p.name);
  for (auto& m : metric_names()) os << "," << m;
  for (auto& m : r.study.spec.metrics) os << ",scaled_" << m.name;
  const size_t n_obj = r.study.spec.n_objectives();
  for (size_t k = 0; k < n_obj; ++k) os << ",objective_" << k;
  os << ",seconds,error\n";
  for (size_t i = 0; i < r.study.trials.size(); ++i) {
    const auto& t = r.study.trials[i];
    os << t.number << "," << search::to_string(t.state);
    for (auto& v : t.params) os << "," << csv_escape(search::to_string(v));
    for (auto& m : metric_names())
      os << "," << (r.metrics[i] ? fmt::format("{}", r.metrics[i]->get(m)) : std::string());
    for (size_t k = 0; k < r.study.spec.metrics.size(); ++k)
      os << "," << (k < t.scaled.size() ? fmt::format("{}", t.scaled[k]) : std::string());
    for (size_t k = 0; k < n_obj; ++k)
      os << "," << (k < t.objectives.size() ? fmt::format("{}", t.objectives[k]) : std::string());
    os << "," << t.objective_seconds << "," << csv_escape(t.error) << "\n";
  }
}

std::string trials_json(const QuantSearchResult& r) {
  nlohmann::json a = nlohmann::json::array();
  for (size_t i = 0; i < r.study.trials.size(); ++i) a.push_back(trial_json(r, i));
  return a.dump(2);
}

std::string best_json(const QuantSearchResult& r) {
  nlohmann::json j;
  j["mode"] = r.study.spec.multi_objective() ? "pareto" : "single";
  nlohmann::json a = nlohmann::json::array();
  for (size_t i : r.best) a.push_back(trial_json(r, i));
  j["trials"] = a;
  return j.dump(2);
}

}  // namespace nnc::quant
