#include "experiment/kinds/trained_model.h"

#include <torch/torch.h>

#include "experiment/kinds/common.h"
#include "models/safetensors.h"
#include "models/zoo.h"

namespace nnc::experiment {

models::ModelPtr trained_model(RunContext& ctx, const models::ModelOptions& options,
                               const train::BatchSource& fit, const std::string& what) {
  const auto& c = ctx.config;
  const std::string& name = c.get_string("model");
  torch::manual_seed(static_cast<uint64_t>(c.get_int("seed")));
  auto model = models::make_model(name, options);
  const std::string& ckpt = c.get_string("checkpoint");
  if (!ckpt.empty()) {
    models::load_into(*model, models::load_safetensors(ckpt), /*strict=*/true, ckpt);
    fmt::print(stderr, "[{}] {} loaded from {}\n", what, model->describe(), ckpt);
  } else {
    fmt::print(stderr, "[{}] no checkpoint: training {} on {} samples for {} epoch(s)\n", what,
               model->describe(), fit.size(), c.get_int("epochs"));
    auto result = train::Trainer(training_from(c).label("train " + name)).fit(*model, fit);
    record_history(ctx, result);
  }
  model->eval();
  return model;
}

}  // namespace nnc::experiment
