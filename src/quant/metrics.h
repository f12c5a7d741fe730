#pragma once
// Metrics of one (model, quantization config): cost from the real bit widths, quality on a
// data set, latency. Metrics compute; the search runner and the kinds report.
//
// Cost, per sample, per layer (see LayerCost) and in total:
//  - FLOPs as MASE's estimator: Linear in*out (MACs, bias not counted); Conv2d
//    out_elements * kh * kw * C_in; BatchNorm 4 per element (subtract mean, divide by std,
//    scale, shift); ReLU 1 per element (a comparison); nncompress's own: max-pool
//    (k*k - 1) comparisons per output, tanh/sigmoid 1 per element, flatten 0.
//  - BitOPs (nncompress, not MASE): MACs * weight_bits * input_bits over Linear/Conv2d
//    (float = 32 bits); elementwise layers have no multiply-accumulates and add none.
//  - Size (nncompress): weights * weight_bits + biases * bias_bits (float = 32) plus
//    BatchNorm's weight, bias, running_mean and running_var as float32 (num_batches_tracked
//    is a training counter, not needed for inference, and not counted).
//  - average_bitwidth (MASE): sum(n_w * weight_bits) / sum(n_w) over the Linear/Conv2d
//    layers whose weights are quantized (32 when none is); memory_density = 32 / it.
//    average_bitwidth_all counts float weights at 32 bits too: use it when a search may
//    leave layers in float (MASE's version then rewards quantizing only a small layer).
// Quality: accuracy = micro (correct / samples), macro_accuracy = mean per-class recall
// (MASE's "accuracy", torchmetrics' default), loss = mean cross-entropy.
// Latency: median wall time of one forward pass on one batch, after warm-up passes.
//
// MetricFormulas::kLab swaps in the quantization lab report's (seed 004) definitions of three
// of them, for comparing with its numbers (docs/quantization.md has both side by side):
//  - Size: Linear/Conv2d as above; a BatchNorm's weight at the weight width, its bias at the
//    bias width and its running statistics as (C + 1) values at the data width (the lab's
//    `data_bit_width*(1*16+1)` for BN1d(16)). The lab had one width per model; nncompress
//    takes those of the weighted layer after the BatchNorm (else the one before; else 32).
//  - BitOPs: additions count too: each output element costs K multiplications and K - 1
//    additions at input_bits * weight_bits, plus one bias addition at bias_bits (K = in
//    for Linear, kh*kw*C_in for Conv2d). Per sample (the lab multiplied by its batch size).
//  - Latency: the mean wall time of one forward pass over every evaluation batch, no warm-up.
#include <torch/types.h>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/options.h"
#include "quant/quantized_model.h"
#include "train/batch_source.h"
#include "train/execution.h"

namespace nnc::quant {

/// Whose definitions of model size, BitOPs and latency (see the header comment).
enum class MetricFormulas { kNncompress, kLab };
/// "nncompress" | "lab"; `where` names the option in errors.
MetricFormulas parse_metric_formulas(std::string_view text, const std::string& where);
std::string to_string(MetricFormulas f);
/// The `metric_formulas` option of the kinds that measure (quantize, search). Left out of the
/// run id at its default, so runs recorded before it keep their ids.
OptionSpec metric_formulas_option();

struct LayerCost {
  std::string name, op;
  std::string config;               ///< LayerQuantConfig::describe() ("float", "-" never quantized)
  std::vector<int64_t> out_shape;   ///< per sample
  int64_t weights = 0, biases = 0;  ///< Linear/Conv2d parameter counts
  int64_t bn_values = 0;            ///< BatchNorm weight + bias + running mean + running var
  int weight_bits = 32, bias_bits = 32, input_bits = 32;
  int64_t macs = 0, flops = 0, bitops = 0;  ///< per sample
  int64_t size_bits = 0;
};

struct CostReport {
  std::vector<LayerCost> layers;
  int64_t macs = 0, flops = 0, bitops = 0, size_bits = 0;  ///< totals, per sample
  double average_bitwidth = 32, average_bitwidth_all = 32, memory_density = 1;

  double size_bytes() const { return static_cast<double>(size_bits) / 8.0; }
  /// The per-layer table (`nncompress quantize --report`), then the totals.
  void print_table(std::ostream& os) const;
  /// One CSV row per layer (`nncompress quantize`'s layers.csv), with a header.
  void write_csv(std::ostream& os) const;
};

CostReport model_cost(const QuantizedModel& model,
                      MetricFormulas formulas = MetricFormulas::kNncompress);

struct MeasureOptions {
  int64_t batch_size = 512;      ///< evaluation batches and the latency batch
  int64_t latency_warmup = 3;    ///< forward passes before timing
  int64_t latency_repeats = 10;  ///< timed passes; the median is reported (0 = skip latency)
  /// kLab: the lab's size and BitOPs, and latency = mean over the evaluation batches
  /// (warm-up and repeats unused then, except latency_repeats = 0 still skips it).
  MetricFormulas formulas = MetricFormulas::kNncompress;
  /// Where the model is measured (moved there by measure). Precision stays fp32: autocast
  /// would round the fixed-point values this measures.
  torch::Device device = torch::kCPU;
  void validate() const;
};

/// Everything the search can optimize. Freshly computed on each call (never accumulated).
struct QuantMetrics {
  double accuracy = 0, macro_accuracy = 0, loss = 0;
  double latency_ms = 0;
  CostReport cost;
  int64_t samples = 0;

  /// A metric by name; fails listing metric_names() when unknown.
  double get(const std::string& name) const;
};

/// accuracy, macro_accuracy, loss, latency (ms), model_size (bytes), flops, bitops,
/// average_bitwidth, average_bitwidth_all, memory_density.
const std::vector<std::string>& metric_names();
/// Fails naming `where` and listing the metric names when `name` is not one.
void check_metric_name(const std::string& name, const std::string& where);

/// Median wall time (ms) of model.forward(batch) after `warmup` passes, in eval mode, no grad.
double median_latency_ms(QuantizedModel& model, const torch::Tensor& batch, int64_t warmup,
                         int64_t repeats);

/// Mean wall time (ms) of model.forward over every batch of `data` (the lab's latency), in
/// eval mode, no grad, no warm-up.
double mean_batch_latency_ms(QuantizedModel& model, const train::BatchSource& data, int64_t batch_size,
                             const train::ExecutionOptions& exec);

/// Quality on `data` (eval mode, no grad), cost, and latency on the first batch of `data`
/// (kLab: over all of its batches).
QuantMetrics measure(QuantizedModel& model, const train::BatchSource& data, int64_t num_classes,
                     const MeasureOptions& options = {});

}  // namespace nnc::quant
