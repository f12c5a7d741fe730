// `nncompress cgp`'s round trip across pillars: a model's int8 weights (quant/) through each
// CGP experiment's dataset and its inverse (cgp/) back into the model change nothing.
#include <gtest/gtest.h>

#include <torch/torch.h>

#include "cgp/cgp.h"
#include "cgp/weight_experiment.h"
#include "models/zoo.h"
#include "quant/int8_weights.h"

namespace cgp = nnc::cgp;
namespace quant = nnc::quant;

TEST(CgpKind, SubstitutingPerfectCircuitOutputsChangesNothing) {
  torch::manual_seed(0);
  auto model = nnc::models::make_model("lenet5-classic", nnc::models::ModelOptions().input(1, 28, 28).num_classes(10));
  model->eval();
  torch::NoGradGuard ng;
  auto x = torch::randn({8, 1, 28, 28});
  for (const auto& name : cgp::weight_experiment_registry().names()) {
    auto e = cgp::make_weight_experiment(name);
    auto int8 = quant::quantize_model_weights(*model, {"conv1.weight", "conv2.weight"});
    auto y_ref = model->forward(x);
    std::vector<cgp::WeightLayer> layers;
    for (auto& w : int8) layers.push_back({w.name, w.shape, w.q});
    auto d = e->dataset(layers);
    std::vector<int8_t> perfect;
    for (auto& o : d.out) perfect.insert(perfect.end(), o.begin(), o.end());
    auto back = e->decode(layers, perfect, d.outputs);
    for (size_t i = 0; i < int8.size(); ++i) int8[i].q = back[i].q;
    quant::substitute(*model, int8);
    EXPECT_TRUE(torch::equal(model->forward(x), y_ref)) << name;
  }
}
