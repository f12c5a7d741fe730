// `nncompress cgp`: weight approximation by Cartesian Genetic Programming on a trained
// LeNet-5 (docs/cgp.md). Train (or load) the model, int8-quantize its weights
// (symmetric, per tensor), build the CGP dataset of the experiment from the int8 weights,
// evolve a circuit, decode its outputs back into weights, substitute them into the int8
// model and measure top-1 / top-5 / loss against the int8 reference.
#include "experiment/kinds/cgp_kind.h"

#include <torch/torch.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "cgp/cgp.h"
#include "core/error.h"
#include "core/file_io.h"
#include "data/paths.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "models/safetensors.h"
#include "models/zoo.h"

namespace nnc::experiment {
namespace cgpw {

torch::Tensor Int8Weights::dequantize() const {
  auto t = torch::empty(shape, torch::kInt8);
  NNC_CHECK(size_t(t.numel()) == q.size(), "{}: {} int8 values for shape of {} elements", name,
            q.size(), t.numel());
  std::memcpy(t.data_ptr<int8_t>(), q.data(), q.size());
  return t.to(torch::kFloat) * static_cast<float>(scale);
}

Int8Weights quantize_int8(const torch::Tensor& w, const std::string& name) {
  torch::NoGradGuard ng;
  Int8Weights r;
  r.name = name;
  r.shape = w.sizes().vec();
  auto x = w.detach().to(torch::kCPU, torch::kFloat).contiguous();
  const double amax = x.numel() ? x.abs().max().item<double>() : 0.0;
  r.scale = amax > 0 ? amax / 127.0 : 1.0;
  auto q = torch::round(x / static_cast<float>(r.scale)).clamp(-128, 127).to(torch::kInt8).contiguous();
  r.q.assign(q.data_ptr<int8_t>(), q.data_ptr<int8_t>() + q.numel());
  return r;
}

Experiment parse_experiment(const std::string& name) {
  if (name == "layer-bypass") return Experiment::LayerBypass;
  if (name == "no-input") return Experiment::NoInput;
  if (name == "all-layers") return Experiment::AllLayers;
  fail("option 'experiment': unknown experiment '{}' (expected layer-bypass, no-input or all-layers)",
       name);
}

std::string experiment_name(Experiment e) {
  switch (e) {
    case Experiment::LayerBypass: return "layer-bypass";
    case Experiment::NoInput: return "no-input";
    case Experiment::AllLayers: return "all-layers";
  }
  return "?";
}

namespace {
void check_two(const std::vector<Int8Weights>& layers, const char* what) {
  NNC_CHECK(layers.size() == 2, "cgp {}: expected 2 layers (conv1, conv2), got {}", what,
            layers.size());
}
void check_5x5(const Int8Weights& w) {
  NNC_CHECK(w.shape.size() == 4 && w.shape[2] == 5 && w.shape[3] == 5,
            "cgp all-layers: {} must hold 5x5 kernels (shape [out, in, 5, 5])", w.name);
}
bool inner_3x3(int r, int c) { return r >= 1 && r <= 3 && c >= 1 && c <= 3; }
}  // namespace

cgp::Dataset make_dataset(Experiment e, const std::vector<Int8Weights>& layers) {
  check_two(layers, experiment_name(e).c_str());
  switch (e) {
    case Experiment::LayerBypass:
      return cgp::layer_bypass(layers[0].q, layers[1].q);
    case Experiment::NoInput: {
      std::vector<int8_t> all(layers[0].q);
      all.insert(all.end(), layers[1].q.begin(), layers[1].q.end());
      return cgp::no_input({all});
    }
    case Experiment::AllLayers:
      for (auto& l : layers) check_5x5(l);
      return cgp::all_layers({layers[0].q, layers[1].q});
  }
  fail("cgp: unknown experiment");
}

std::vector<Int8Weights> decode_outputs(Experiment e, const std::vector<Int8Weights>& layers,
                                        const std::vector<int8_t>& outputs, int O) {
  check_two(layers, experiment_name(e).c_str());
  std::vector<Int8Weights> r = layers;
  auto need = [&](size_t n) {
    NNC_CHECK(outputs.size() >= n, "cgp {}: the circuit gave {} outputs, {} needed",
              experiment_name(e), outputs.size(), n);
  };
  switch (e) {
    case Experiment::LayerBypass:
      need(r[1].q.size());
      std::copy_n(outputs.begin(), r[1].q.size(), r[1].q.begin());
      break;
    case Experiment::NoInput: {
      need(r[0].q.size() + r[1].q.size());
      std::copy_n(outputs.begin(), r[0].q.size(), r[0].q.begin());
      std::copy_n(outputs.begin() + std::ptrdiff_t(r[0].q.size()), r[1].q.size(), r[1].q.begin());
      break;
    }
    case Experiment::AllLayers:
      for (size_t l = 0; l < r.size(); ++l) {
        check_5x5(r[l]);
        const size_t kernels = r[l].q.size() / 25;
        NNC_CHECK(kernels * 16 <= size_t(O), "cgp all-layers: {} needs {} outputs per item, got {}",
                  r[l].name, kernels * 16, O);
        need((l + 1) * size_t(O));
        const int8_t* out = outputs.data() + l * size_t(O);
        for (size_t k = 0; k < kernels; ++k) {
          int8_t* kern = r[l].q.data() + k * 25;
          int j = 0;
          for (int row = 0; row < 5; ++row)
            for (int col = 0; col < 5; ++col)
              if (!inner_3x3(row, col)) kern[row * 5 + col] = out[k * 16 + size_t(j++)];
        }
      }
      break;
  }
  return r;
}

void substitute(torch::nn::Module& model, const std::vector<Int8Weights>& layers) {
  torch::NoGradGuard ng;
  auto params = model.named_parameters(/*recurse=*/true);
  for (auto& l : layers) {
    auto* p = params.find(l.name);
    NNC_CHECK(p, "cgp: the model has no parameter '{}'", l.name);
    auto w = l.dequantize();
    NNC_CHECK(p->sizes() == w.sizes(), "cgp: parameter '{}' has shape {}, the weights {}", l.name,
              c10::str(p->sizes()), c10::str(w.sizes()));
    p->copy_(w.to(p->device(), p->scalar_type()));
  }
}

std::vector<Int8Weights> quantize_model_weights(torch::nn::Module& model,
                                                const std::vector<std::string>& layer_names) {
  torch::NoGradGuard ng;
  std::vector<Int8Weights> chosen(layer_names.size());
  std::vector<bool> found(layer_names.size(), false);
  for (auto& item : model.named_parameters(true)) {
    if (item.value().dim() < 2) continue;  // biases stay float
    auto w = quantize_int8(item.value(), item.key());
    item.value().copy_(w.dequantize().to(item.value().device(), item.value().scalar_type()));
    for (size_t i = 0; i < layer_names.size(); ++i)
      if (layer_names[i] == item.key()) {
        chosen[i] = w;
        found[i] = true;
      }
  }
  for (size_t i = 0; i < layer_names.size(); ++i)
    NNC_CHECK(found[i], "cgp: the model has no weight parameter '{}'", layer_names[i]);
  return chosen;
}


}  // namespace cgpw

namespace {

using cgpw::Experiment;

models::ModelPtr trained_model(RunContext& ctx, const data::Dataset& train_set) {
  const auto& c = ctx.config;
  auto mopts = model_options_for(train_set);
  torch::manual_seed(static_cast<uint64_t>(c.get_int("seed")));
  const std::string& name = c.get_string("model");
  auto model = models::make_model(name, mopts);
  const std::string& ckpt = c.get_string("checkpoint");
  if (!ckpt.empty()) {
    models::load_into(*model, models::load_safetensors(ckpt), /*strict=*/true, ckpt);
    fmt::print(stderr, "[cgp] {} loaded from {}\n", model->describe(), ckpt);
  } else {
    fmt::print(stderr, "[cgp] training {} on {} samples for {} epoch(s)\n", model->describe(),
               train_set.size(), c.get_int("epochs"));
    train::TensorSource data(train_set);
    auto result = train::Trainer(training_from(c).label("train " + name)).fit(*model, data);
    record_history(ctx, result);
  }
  model->eval();
  return model;
}

std::string resolve_costs(const std::string& path) {
  if (path.empty() || std::filesystem::exists(path)) return path;
  auto in_source = std::filesystem::path(data::source_dir()) / path;
  if (std::filesystem::path(path).is_relative() && std::filesystem::exists(in_source))
    return in_source.string();
  return path;  // CostTable::load names the missing file
}

void record_eval3(RunRecord& r, const std::string& prefix, const train::EvalResult& e) {
  r.metrics[prefix + "_top1"] = e.accuracy;
  r.metrics[prefix + "_top5"] = e.top5;
  r.metrics[prefix + "_loss"] = e.loss;
}

void run_cgp(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  const Experiment exp = cgpw::parse_experiment(c.get_string("experiment"));
  const auto cost_table = [&] {
    const std::string p = resolve_costs(c.get_string("costs"));
    return p.empty() ? cgp::CostTable::unit_default() : cgp::CostTable::load(p);
  }();
  auto [train_set, test_set] = load_data(c);
  auto model = trained_model(ctx, train_set);
  model->to(exec.device);
  train::TensorSource test_data(test_set, exec.device);  // evaluated after every CGP stage
  const int64_t classes = test_set.num_classes, bs = c.get_int("eval_batch_size");
  auto eval = [&] { return train::evaluate(*model, test_data, classes, bs, exec); };

  const auto fl = eval();
  record_eval3(ctx.record, "float", fl);
  auto layers = cgpw::quantize_model_weights(*model, {"conv1.weight", "conv2.weight"});
  const auto ref = eval();
  record_eval3(ctx.record, "ref", ref);
  fmt::print(stderr, "[cgp] test top-1 float {:.4f}, int8 weights {:.4f} (top-5 {:.4f}, loss {:.4f})\n",
             fl.accuracy, ref.accuracy, ref.top5, ref.loss);

  const cgp::Dataset data = cgpw::make_dataset(exp, layers);
  {
    std::ostringstream text;
    cgp::write_dataset(text, data);
    write_file(ctx.artifact("dataset", "dataset.txt"), text.str());
  }
  int64_t scored = 0;
  for (int s : data.scored) scored += s;

  // Grid: the original's sizes unless given.
  int rows = int(c.get_int("rows")), cols = int(c.get_int("cols"));
  if (exp == Experiment::AllLayers) {  // original: rows = cols = 5 x max(out channels)
    const int side = int(5 * std::max(layers[0].shape[0], layers[1].shape[0]));
    if (rows <= 0) rows = side;
    if (cols <= 0) cols = side;
  }
  if (rows <= 0) rows = 256;
  if (cols <= 0) cols = 31;
  const std::string mx = c.get_string("multiplex");
  const bool multiplex = mx == "on" || (mx == "auto" && exp == Experiment::NoInput);
  const auto metric = cgp::parse_metric(c.get_string("metric"));
  int64_t threshold = c.get_int("threshold");
  const double rms = c.get_double("rms_threshold");
  if (rms >= 0) {  // the original's driver: RMS per weight m -> int(m^2 * O) (SE units)
    NNC_CHECK(metric == cgp::Metric::SE, "option rms_threshold converts to SE units: use metric SE");
    threshold = int64_t(rms * rms * double(scored));
  }
  const int threads = capped_threads(c, "cgp_threads");
  auto opts = cgp::Options(rows, cols)
                  .lookback(int(c.get_int("lookback")))
                  .lambda(int(c.get_int("lambda")))
                  .mutation_max(c.get_double("mutation_max"))
                  .metric(metric)
                  .threshold(threshold)
                  .patience(c.get_int("patience"))
                  .generations(c.get_int("generations"))
                  .seed(uint64_t(c.get_int("seed")))
                  .threads(threads)
                  .multiplex(multiplex)
                  .dynamic_threshold(c.get_bool("dynamic_threshold"))
                  .outputs_read_inputs(c.get_bool("outputs_read_inputs"))
                  .progress(true);
  fmt::print(stderr, "[cgp] {}: {} item(s), {} inputs -> {} outputs ({} scored)\n[cgp] {}\n",
             cgpw::experiment_name(exp), data.size(), data.inputs, data.outputs, scored,
             opts.describe());
  const cgp::Result res = cgp::evolve(data, cost_table, opts);

  // Circuit outputs -> int8 weights -> the substituted model.
  const auto outputs = cgp::naive_outputs(res.genome, data.in);
  const auto approx = cgpw::decode_outputs(exp, layers, outputs, data.outputs);
  int64_t changed = 0, inferred = 0;
  double se = 0;
  for (size_t l = 0; l < layers.size(); ++l)
    for (size_t i = 0; i < layers[l].q.size(); ++i) {
      const int d = int(approx[l].q[i]) - int(layers[l].q[i]);
      changed += d != 0;
      se += double(d) * d;
    }
  for (int s : data.scored) inferred += s;
  cgpw::substitute(*model, approx);
  const auto sub = eval();
  record_eval3(ctx.record, "cgp", sub);

  auto& m = ctx.record.metrics;
  m["delta_top1"] = sub.accuracy - ref.accuracy;
  m["delta_top5"] = sub.top5 - ref.top5;
  m["delta_loss"] = sub.loss - ref.loss;
  m["generations"] = double(res.generations);
  m["error"] = double(res.error);
  m["energy"] = res.costs.energy;
  m["quantized_energy"] = double(res.costs.q_energy);
  m["area"] = res.costs.area;
  m["delay"] = res.costs.delay;
  m["depth"] = res.costs.depth;
  m["gate_count"] = res.costs.gate_count;
  m["threshold"] = double(res.threshold);
  m["reached_threshold"] = res.reached_threshold ? 1 : 0;
  m["cgp_seconds"] = res.seconds;
  m["generations_per_s"] = res.seconds > 0 ? double(res.generations) / res.seconds : 0;
  m["neutral_fraction"] = res.children ? double(res.neutral_children) / double(res.children) : 0;
  m["weights_inferred"] = double(inferred);
  m["weights_changed"] = double(changed);
  m["weight_rmse_int8"] = inferred ? std::sqrt(se / double(inferred)) : 0;
  m["grid_rows"] = rows;
  m["grid_cols"] = cols;
  for (auto& row : res.stats) {
    ctx.record.series["generation"].push_back(double(row.generation));
    ctx.record.series["error"].push_back(double(row.error));
    ctx.record.series["energy"].push_back(row.costs.energy);
  }
  ctx.record.tags["label"] = fmt::format("{} {} {}x{}", cgpw::experiment_name(exp),
                                         c.get_string("model"), rows, cols);
  ctx.record.tags["stop_reason"] = res.stop_reason;
  ctx.record.tags["gates"] = cgp::format_gate_statistics(res.gate_stats);

  write_file(ctx.artifact("genome", "genome.txt"), res.genome.to_string() + "\n");
  cgp::write_stats_csv(ctx.artifact("stats", "stats.csv"), res.stats);
  if (const std::string& extra = c.get_string("stats_file"); !extra.empty())
    cgp::write_stats_csv(extra, res.stats);
  if (c.get_bool("save_weights"))
    models::save_safetensors(models::module_state(*model), ctx.artifact("weights", "cgp.safetensors"),
                             {{"model", c.get_string("model")}, {"experiment", cgpw::experiment_name(exp)}});

  fmt::print(stderr,
             "[cgp] {} generations in {:.1f} s ({:.0f} gens/s), stop: {}; error {} (threshold {}), "
             "energy {:.4g}, area {:.4g}, delay {:.4g}, {} gates; {} of {} weights differ (RMSE "
             "{:.3g} int8 steps)\n",
             res.generations, res.seconds, m["generations_per_s"], res.stop_reason, res.error,
             res.threshold, res.costs.energy, res.costs.area, res.costs.delay, res.costs.gate_count,
             changed, inferred, m["weight_rmse_int8"]);
  fmt::print(stderr,
             "[cgp] test top-1 {:.4f} -> {:.4f} ({:+.2f} pt), top-5 {:.4f} -> {:.4f} ({:+.2f} pt), "
             "loss {:.4f} -> {:.4f} ({:+.4f})\n",
             ref.accuracy, sub.accuracy, 100 * m["delta_top1"], ref.top5, sub.top5,
             100 * m["delta_top5"], ref.loss, sub.loss, m["delta_loss"]);
}

}  // namespace

ExperimentKind cgp_kind() {
  ExperimentKind k;
  k.name = "cgp";
  k.help = "Approximate LeNet-5 int8 weights by an evolved circuit (CGP): layer-bypass, no-input "
           "or all-layers; top-1/top-5/loss of the substituted model and the circuit's costs";
  k.options = data_options("mnist-digits");
  k.options.push_back({"model", std::string("lenet5-classic"),
                       "lenet5-classic (the original's 6/16 filters: 150 -> 2400 weights) | lenet5 "
                       "(the zoo's Caffe variant, 20/50 filters: 500 -> 25000)",
                       {"lenet5-classic", "lenet5"}});
  k.options.push_back({"checkpoint", std::string(""),
                       "safetensors of the trained model (empty = train one first with `epochs`)"});
  k.options.push_back({"experiment", std::string("layer-bypass"),
                       "layer-bypass (conv1 -> conv2) | no-input (conv1+conv2 from nothing, "
                       "multiplexed) | all-layers (inner 3x3 -> outer ring, per layer)",
                       {"layer-bypass", "no-input", "all-layers"}});
  k.options.push_back({"rows", int64_t{0}, "grid rows (0 = the original's: 256, all-layers 5 x max out channels)"});
  k.options.push_back({"cols", int64_t{0}, "grid columns (0 = the original's: 31, all-layers 5 x max out channels)"});
  k.options.push_back({"lookback", int64_t{0}, "look-back in columns (0 = cols)"});
  k.options.push_back({"lambda", int64_t{4}, "offspring per generation"});
  k.options.push_back({"mutation_max", 0.01, "a child changes up to ceil(genes x this) genes"});
  k.options.push_back({"generations", int64_t{200000},
                       "generation cap over both phases (the original: patience 500000 - 2000000, "
                       "caps of 1e7 - 9e7)"});
  k.options.push_back({"patience", int64_t{100000},
                       "generations without strict improvement before a phase ends"});
  k.options.push_back({"cgp_threads", int64_t{1},
                       "OpenMP threads evaluating the offspring (0 = all; the result does not "
                       "depend on it; 1 is fastest for lambda 4 on a busy 2-core machine)", {}, false});
  k.options.push_back({"metric", std::string("SE"), "error metric: SE | MSE | AE", {"SE", "MSE", "AE"}});
  k.options.push_back({"threshold", int64_t{0}, "error threshold in the metric's units"});
  k.options.push_back({"rms_threshold", -1.0,
                       "if >= 0: threshold = int(m^2 x scored weights) (the original's driver, SE)"});
  k.options.push_back({"dynamic_threshold", true,
                       "raise the threshold to the best error when patience runs out above it"});
  k.options.push_back({"multiplex", std::string("auto"), "value-table multiplexing: auto (on for "
                       "no-input) | on | off", {"auto", "on", "off"}});
  k.options.push_back({"outputs_read_inputs", true,
                       "outputs may read primary inputs (false: gates only, as the original)"});
  k.options.push_back({"costs", std::string("data/cgp/default_costs.txt"),
                       "cost table (relative paths also tried in the source tree; empty = built-in unit table)"});
  k.options.push_back({"stats_file", std::string(""),
                       "also write the statistics CSV here (it is always a run artifact)", {}, false});
  k.options.push_back({"eval_batch_size", int64_t{512}, "evaluation batch size"});
  k.options.push_back({"save_weights", false, "write the substituted model as safetensors"});
  auto t = training_options(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(2).batch_size(128));
  k.options.insert(k.options.end(), t.begin(), t.end());
  k.run = run_cgp;
  return k;
}

}  // namespace nnc::experiment
