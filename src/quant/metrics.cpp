#include "quant/metrics.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <ostream>

#include "core/error.h"
#include "train/evaluate.h"

namespace nnc::quant {
namespace {

int64_t elements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

int bits_of(const LayerQuantConfig& c, const std::optional<FixedPoint>& f) {
  return c.quantized() && f ? f->width : 32;
}

/// The widths a BatchNorm is counted at under the lab's formulas: those of the weighted layer
/// after it (else before it); 32 bits when the model has none.
struct LabWidths {
  int weight = 32, bias = 32, data = 32;
};
LabWidths lab_bn_widths(const QuantizedModel& model, size_t bn) {
  const auto& layers = model.layers();
  auto widths_of = [&](size_t i) {
    const auto& c = layers[i].config;
    return LabWidths{bits_of(c, c.weight), bits_of(c, c.bias), bits_of(c, c.data_in)};
  };
  for (size_t i = bn + 1; i < layers.size(); ++i)
    if (layers[i].spec.weighted()) return widths_of(i);
  for (size_t i = bn; i-- > 0;)
    if (layers[i].spec.weighted()) return widths_of(i);
  return {};
}

/// The lab's BitOPs of a weighted layer: per output element, K products and K - 1 sums at
/// input_bits * weight_bits, and the bias addition at bias_bits.
int64_t lab_bitops(const LayerCost& c, int64_t out_elements, int64_t k) {
  const int64_t product = static_cast<int64_t>(c.input_bits) * c.weight_bits;
  return out_elements * (k * product + (k - 1) * product + (c.biases > 0 ? c.bias_bits : 0));
}

}  // namespace

MetricFormulas parse_metric_formulas(std::string_view text, const std::string& where) {
  if (text == "nncompress") return MetricFormulas::kNncompress;
  if (text == "lab") return MetricFormulas::kLab;
  fail("{}: unknown metric formulas '{}': expected nncompress (nncompress's own) or lab (the "
       "quantization lab report's, seed 004)", where, text);
}

std::string to_string(MetricFormulas f) { return f == MetricFormulas::kLab ? "lab" : "nncompress"; }

OptionSpec metric_formulas_option() {
  OptionSpec o{"metric_formulas", std::string("nncompress"),
               "model size, BitOPs and latency as nncompress defines them, or as the lab report "
               "did (BN statistics at data width, additions counted, mean latency over batches; "
               "docs/quantization.md)",
               {"nncompress", "lab"}};
  o.hashed_at_default = false;  // runs recorded before the option keep their ids
  return o;
}

CostReport model_cost(const QuantizedModel& model, MetricFormulas formulas) {
  CostReport r;
  const auto shapes = model.output_shapes();
  std::vector<int64_t> in_shape = model.spec().input_shape;
  double wbits_q = 0, n_q = 0, wbits_all = 0, n_all = 0;
  for (size_t i = 0; i < model.layers().size(); ++i) {
    const auto& l = model.layers()[i];
    const auto& s = l.spec;
    LayerCost c;
    c.name = s.name;
    c.op = s.op;
    c.config = is_quantizable(s.op) ? l.config.describe() : "-";
    c.out_shape = shapes[i];
    const int64_t out_n = elements(c.out_shape), in_n = elements(in_shape);
    if (s.weighted()) {
      const int64_t k2 = s.op == "conv2d" ? s.kernel * s.kernel : 1;
      c.weights = s.in * s.out * k2;
      c.biases = s.bias ? s.out : 0;
      c.weight_bits = bits_of(l.config, l.config.weight);
      c.bias_bits = bits_of(l.config, l.config.bias);
      c.input_bits = bits_of(l.config, l.config.data_in);
      // Linear: in*out; Conv2d: out_elements * kh*kw*C_in (one MAC per weight use).
      c.macs = s.op == "linear" ? s.in * s.out : out_n * k2 * s.in;
      c.flops = c.macs;
      c.bitops = formulas == MetricFormulas::kLab
                     ? lab_bitops(c, s.op == "linear" ? s.out : out_n, k2 * s.in)
                     : c.macs * c.weight_bits * c.input_bits;
      c.size_bits = c.weights * c.weight_bits + c.biases * c.bias_bits;
      wbits_all += static_cast<double>(c.weights) * c.weight_bits;
      n_all += static_cast<double>(c.weights);
      if (l.config.quantized() && l.config.weight) {
        wbits_q += static_cast<double>(c.weights) * c.weight_bits;
        n_q += static_cast<double>(c.weights);
      }
    } else if (s.op == "batch_norm1d") {
      c.bn_values = 4 * s.in;
      c.size_bits = c.bn_values * 32;
      if (formulas == MetricFormulas::kLab) {
        const auto w = lab_bn_widths(model, i);
        c.size_bits = s.in * w.weight + s.in * w.bias + (s.in + 1) * w.data;
      }
      c.flops = 4 * in_n;
    } else if (s.op == "relu") {
      c.input_bits = bits_of(l.config, l.config.data_in);
      c.flops = in_n;
    } else if (s.op == "max_pool2d") {
      c.flops = out_n * (s.kernel * s.kernel - 1);
    } else if (s.op == "tanh" || s.op == "sigmoid") {
      c.flops = in_n;
    }
    r.macs += c.macs;
    r.flops += c.flops;
    r.bitops += c.bitops;
    r.size_bits += c.size_bits;
    r.layers.push_back(std::move(c));
    in_shape = shapes[i];
  }
  r.average_bitwidth = n_q > 0 ? wbits_q / n_q : 32.0;
  r.average_bitwidth_all = n_all > 0 ? wbits_all / n_all : 32.0;
  r.memory_density = 32.0 / r.average_bitwidth;
  return r;
}

void CostReport::write_csv(std::ostream& os) const {
  os << "layer,op,format,out_shape,weights,biases,bn_values,weight_bits,bias_bits,input_bits,"
        "macs,flops,bitops,size_bits\n";
  for (auto& l : layers) {
    std::string shape;
    for (size_t i = 0; i < l.out_shape.size(); ++i) shape += (i ? "x" : "") + std::to_string(l.out_shape[i]);
    os << fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", l.name, l.op, l.config, shape,
                      l.weights, l.biases, l.bn_values, l.weight_bits, l.bias_bits, l.input_bits,
                      l.macs, l.flops, l.bitops, l.size_bits);
  }
}

void CostReport::print_table(std::ostream& os) const {
  os << fmt::format("{:<10} {:<13} {:<38} {:>11} {:>9} {:>11} {:>12} {:>12} {:>15}\n", "layer",
                    "op", "format", "out", "params", "bytes", "MACs", "FLOPs", "BitOPs");
  for (auto& c : layers) {
    std::string shape;
    for (size_t i = 0; i < c.out_shape.size(); ++i) shape += (i ? "x" : "") + std::to_string(c.out_shape[i]);
    os << fmt::format("{:<10} {:<13} {:<38} {:>11} {:>9} {:>11.1f} {:>12} {:>12} {:>15}\n",
                      c.name, c.op, c.config, shape, c.weights + c.biases + c.bn_values,
                      c.size_bits / 8.0, c.macs, c.flops, c.bitops);
  }
  os << fmt::format("total: {:.1f} bytes, {} MACs, {} FLOPs, {} BitOPs per sample; "
                    "average_bitwidth {:.3f} (all weights {:.3f}), memory_density {:.3f}\n",
                    size_bytes(), macs, flops, bitops, average_bitwidth, average_bitwidth_all,
                    memory_density);
}

void MeasureOptions::validate() const {
  NNC_CHECK(batch_size >= 1, "measure: batch_size must be >= 1, got {}", batch_size);
  NNC_CHECK(latency_warmup >= 0 && latency_repeats >= 0,
            "measure: latency_warmup and latency_repeats must be >= 0");
}

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {
      "accuracy", "macro_accuracy",   "loss",          "latency",
      "model_size", "flops",          "bitops",        "average_bitwidth",
      "average_bitwidth_all",         "memory_density"};
  return names;
}

void check_metric_name(const std::string& name, const std::string& where) {
  const auto& n = metric_names();
  if (std::find(n.begin(), n.end(), name) != n.end()) return;
  std::string all;
  for (auto& x : n) all += (all.empty() ? "" : ", ") + x;
  fail("{}: unknown metric '{}': expected one of {}", where, name, all);
}

double QuantMetrics::get(const std::string& name) const {
  if (name == "accuracy") return accuracy;
  if (name == "macro_accuracy") return macro_accuracy;
  if (name == "loss") return loss;
  if (name == "latency") return latency_ms;
  if (name == "model_size") return cost.size_bytes();
  if (name == "flops") return static_cast<double>(cost.flops);
  if (name == "bitops") return static_cast<double>(cost.bitops);
  if (name == "average_bitwidth") return cost.average_bitwidth;
  if (name == "average_bitwidth_all") return cost.average_bitwidth_all;
  if (name == "memory_density") return cost.memory_density;
  check_metric_name(name, "metric");
  return 0;
}

double median_latency_ms(QuantizedModel& model, const torch::Tensor& batch, int64_t warmup,
                         int64_t repeats) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  // A GPU runs kernels asynchronously: the clock stops when the device has finished.
  auto forward = [&] {
    model.forward(batch);
    if (batch.is_cuda()) torch::cuda::synchronize();
  };
  for (int64_t i = 0; i < warmup; ++i) forward();
  std::vector<double> ms;
  for (int64_t i = 0; i < repeats; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    forward();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                     .count());
  }
  model.train(was_training);
  if (ms.empty()) return 0;
  std::sort(ms.begin(), ms.end());
  const size_t n = ms.size();
  return n % 2 ? ms[n / 2] : 0.5 * (ms[n / 2 - 1] + ms[n / 2]);
}

double mean_batch_latency_ms(QuantizedModel& model, const train::BatchSource& data, int64_t batch_size,
                             const train::ExecutionOptions& exec) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  auto index_options = torch::TensorOptions().dtype(torch::kInt64).device(data.index_device(exec.device));
  double total = 0;
  int64_t batches = 0;
  for (int64_t s = 0; s < data.size(); s += batch_size, ++batches) {
    auto x = exec.prepare_input(data.get(torch::arange(s, std::min(data.size(), s + batch_size), index_options)).inputs);
    auto t0 = std::chrono::steady_clock::now();
    model.forward(x);
    if (x.is_cuda()) torch::cuda::synchronize();  // the clock stops when the device is done
    total += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
  model.train(was_training);
  return batches > 0 ? total / static_cast<double>(batches) : 0;
}

QuantMetrics measure(QuantizedModel& model, const train::BatchSource& data, int64_t num_classes,
                     const MeasureOptions& options) {
  options.validate();
  NNC_CHECK(data.size() > 0, "measure: the evaluation set is empty");
  QuantMetrics m;  // fresh every call: nothing carries over from an earlier configuration
  m.cost = model_cost(model, options.formulas);
  const bool was_training = model.is_training();
  model.eval();
  model.to(options.device);
  const train::ExecutionOptions exec(options.device);
  auto e = train::evaluate(model, data, num_classes, options.batch_size, exec);
  m.samples = e.samples;
  m.loss = e.loss;
  m.accuracy = e.accuracy;
  m.macro_accuracy = e.macro_accuracy;
  if (options.latency_repeats > 0 && options.formulas == MetricFormulas::kLab) {
    m.latency_ms = mean_batch_latency_ms(model, data, options.batch_size, exec);
  } else if (options.latency_repeats > 0) {
    auto index = torch::arange(0, std::min(data.size(), options.batch_size), torch::kInt64);
    m.latency_ms = median_latency_ms(model, exec.prepare_input(data.get(index).inputs), options.latency_warmup,
                                     options.latency_repeats);
  }
  model.train(was_training);
  return m;
}

}  // namespace nnc::quant
