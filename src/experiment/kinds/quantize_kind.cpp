// `nncompress quantize`: post-training quantization of a trained zoo model (optionally
// followed by quantization-aware fine-tuning), with the cost/quality metrics of the float,
// PTQ and QAT models. --report true prints the per-layer cost table.
#include <torch/torch.h>

#include <iostream>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "experiment/kinds/trained_model.h"
#include "models/safetensors.h"
#include "quant/metrics.h"
#include "quant/quantize.h"

namespace nnc::experiment {
namespace {

void record_quant_metrics(RunRecord& r, const std::string& prefix, const quant::QuantMetrics& m) {
  for (auto& name : quant::metric_names()) {
    std::string key = name == "latency" ? "latency_ms" : name == "model_size" ? "model_size_bytes" : name;
    r.metrics[prefix + "_" + key] = m.get(name);
  }
}

/// The parsed --quant-config (also the kind's dry-run check).
quant::QuantConfig quant_config_of(const RunConfig& c) {
  const std::string& cfg_path = c.get_string("quant_config");
  NNC_CHECK(!cfg_path.empty(), "option quant_config: give a TOML file with a [passes.quantize] "
            "table (e.g. examples/quant/lenet5_int8_by_type.toml)");
  quant::parse_metric_formulas(c.get_string("metric_formulas"), "option metric_formulas");
  return quant::load_quant_toml(cfg_path);
}

void run_quantize(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  auto qconfig = quant_config_of(c);  // fail on a bad config before training
  auto [train_set, test_set] = load_data(c);
  auto mopts = model_options_for(train_set).activation(c.get_string("activation"));
  auto model = trained_model(ctx, mopts, train::TensorSource(train_set), "quantize");
  const auto shape = train_set.sample_shape();
  const int64_t classes = train_set.num_classes;
  train::TensorSource train_data(train_set, exec.device), test_data(test_set, exec.device);
  quant::MeasureOptions mo;
  mo.latency_repeats = c.get_int("latency_repeats");
  mo.batch_size = c.get_int("eval_batch_size");
  mo.device = exec.device;
  mo.formulas = quant::parse_metric_formulas(c.get_string("metric_formulas"), "option metric_formulas");

  auto fp = quant::QuantizedModel::from_model(*model, shape);
  fp->eval();
  auto float_m = quant::measure(*fp, test_data, classes, mo);
  record_quant_metrics(ctx.record, "float", float_m);

  std::ostringstream desc;
  qconfig.describe(desc);
  fmt::print(stderr, "[quantize] {}", desc.str());
  auto q = quant::post_training_quantize(*model, shape, qconfig);
  auto ptq_m = quant::measure(*q, test_data, classes, mo);
  record_quant_metrics(ctx.record, "ptq", ptq_m);
  fmt::print(stderr, "[quantize] test accuracy float {:.4f} -> PTQ {:.4f} (macro {:.4f} -> {:.4f})\n",
             float_m.accuracy, ptq_m.accuracy, float_m.macro_accuracy, ptq_m.macro_accuracy);
  auto final_m = ptq_m;
  if (c.get_int("qat_epochs") > 0) {
    auto opts = training_from(c).epochs(c.get_int("qat_epochs")).lr(c.get_double("qat_lr"))
                    .schedule("none").label("qat");
    auto result = quant::quantization_aware_finetune(*q, train_data, opts);
    ctx.record.metrics["qat_seconds"] = result.seconds;
    final_m = quant::measure(*q, test_data, classes, mo);
    record_quant_metrics(ctx.record, "qat", final_m);
    fmt::print(stderr, "[quantize] QAT {} epoch(s): test accuracy {:.4f}\n",
               c.get_int("qat_epochs"), final_m.accuracy);
  }
  ctx.record.tags["quant_config"] = q->describe();
  ctx.record.tags["metric_formulas"] = quant::to_string(mo.formulas);
  ctx.record.tags["accuracy_kind"] = "accuracy = micro (correct/samples); macro_accuracy = mean "
                                     "per-class recall (MASE's 'accuracy')";
  std::ostringstream layers_csv;
  final_m.cost.write_csv(layers_csv);
  write_file(ctx.artifact("layers", "layers.csv"), layers_csv.str());
  if (c.get_bool("report")) final_m.cost.print_table(std::cout);
  if (c.get_bool("save_weights"))
    models::save_safetensors(models::module_state(*q), ctx.artifact("weights", "quantized.safetensors"),
                             {{"model", c.get_string("model")}, {"quant_config", q->describe()}});
}

}  // namespace

ExperimentKind quantize_kind() {
  ExperimentKind k;
  k.name = "quantize";
  k.help = "Fixed-point post-training quantization (+ optional QAT) of a zoo model, with size, "
           "FLOPs, BitOPs, latency and accuracy";
  k.options = data_options();
  k.options.push_back({"model", std::string("lenet5"), "lenet5 | mlp | lenet300100 | jsc-tiny"});
  k.options.push_back({"activation", std::string("relu"), "MLP activation"});
  k.options.push_back({"checkpoint", std::string(""),
                       "safetensors of the trained model (empty = train one first with `epochs`)"});
  k.options.push_back({"quant_config", std::string(""),
                       "TOML with [passes.quantize] (see examples/quant/)"});
  k.options.push_back({"report", false, "print the per-layer cost table to stdout"});
  k.options.push_back({"qat_epochs", int64_t{0}, "quantization-aware fine-tuning epochs (0 = PTQ only)"});
  k.options.push_back({"qat_lr", 1e-4, "QAT learning rate"});
  k.options.push_back({"latency_repeats", int64_t{10}, "timed forward passes (median reported)"});
  k.options.push_back({"eval_batch_size", int64_t{512}, "evaluation and latency batch size"});
  k.options.push_back({"save_weights", false, "write the (fine-tuned) model as safetensors"});
  k.options.push_back(quant::metric_formulas_option());
  auto t = training_options(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(2).batch_size(128));
  k.options.insert(k.options.end(), t.begin(), t.end());
  k.run = run_quantize;
  k.check = [](const RunConfig& c) { quant_config_of(c); };
  return k;
}

}  // namespace nnc::experiment
