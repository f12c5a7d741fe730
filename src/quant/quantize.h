#pragma once
// Post-training quantization and quantization-aware fine-tuning of a trained zoo model.
//
// PTQ is MASE's: fixed formats from the config, no calibration; the weights are quantized in
// every forward pass. QAT fine-tunes the QuantizedModel's float "shadow" weights with the one
// Trainer; gradients flow through the quantizers unchanged (straight-through estimator).
//
// Example:
//   auto q = post_training_quantize(*trained, {1, 28, 28}, load_quant_toml("int8.toml"));
//   quantization_aware_finetune(*q, train_data, train::TrainOptions().epochs(1).lr(1e-4));
#include <memory>
#include <vector>

#include "models/model.h"
#include "quant/quantized_model.h"
#include "train/batch_source.h"
#include "train/trainer.h"

namespace nnc::quant {

/// A quantized copy of `trained` (which is left untouched), in eval mode.
QuantizedModelPtr post_training_quantize(const models::Model& trained,
                                         std::vector<int64_t> input_shape,
                                         const QuantConfig& config);

/// Fine-tunes `model` in place with its quantizers active; returns the Trainer's log.
/// The model is left in eval mode.
train::TrainResult quantization_aware_finetune(QuantizedModel& model,
                                               const train::BatchSource& data,
                                               const train::TrainOptions& options);

}  // namespace nnc::quant
