#include "quant/quantize.h"

#include <torch/torch.h>

namespace nnc::quant {

QuantizedModelPtr post_training_quantize(const models::Model& trained,
                                         std::vector<int64_t> input_shape,
                                         const QuantConfig& config) {
  auto q = QuantizedModel::from_model(trained, std::move(input_shape), config);
  q->eval();
  return q;
}

train::TrainResult quantization_aware_finetune(QuantizedModel& model,
                                               const train::BatchSource& data,
                                               const train::TrainOptions& options) {
  auto result = train::Trainer(options).fit(model, data);
  model.eval();
  return result;
}

}  // namespace nnc::quant
