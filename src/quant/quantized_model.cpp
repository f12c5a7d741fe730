#include "quant/quantized_model.h"

#include <torch/torch.h>

#include <fmt/ranges.h>

#include "core/error.h"
#include "models/safetensors.h"
#include "quant/fixed_point.h"

namespace nnc::quant {
namespace {

torch::Tensor maybe_quantize(const torch::Tensor& t, const std::optional<FixedPoint>& f) {
  return f ? fixed_point_quantize(t, *f) : t;
}

}  // namespace

QuantizedModel::QuantizedModel(NetSpec spec) : spec_(std::move(spec)) {
  NNC_CHECK(!spec_.layers.empty(), "QuantizedModel: the network spec has no layers");
  for (auto& s : spec_.layers) {
    Layer l;
    l.spec = s;
    if (s.op == "linear") {
      l.linear = register_module(s.name, torch::nn::Linear(
                                             torch::nn::LinearOptions(s.in, s.out).bias(s.bias)));
    } else if (s.op == "conv2d") {
      l.conv = register_module(
          s.name, torch::nn::Conv2d(torch::nn::Conv2dOptions(s.in, s.out, s.kernel)
                                        .stride(s.stride).padding(s.padding).bias(s.bias)));
    } else if (s.op == "batch_norm1d") {
      l.bn = register_module(s.name, torch::nn::BatchNorm1d(s.in));
    } else if (s.op == "max_pool2d") {
      NNC_CHECK(s.kernel >= 1, "{}: max_pool2d needs a window >= 1", s.name);
    } else if (s.op == "relu" || s.op == "flatten") {
    } else {
      models::check_activation(s.op);  // tanh, sigmoid, identity
    }
    layers_.push_back(std::move(l));
  }
}

std::shared_ptr<QuantizedModel> QuantizedModel::from_model(const models::Model& trained,
                                                           std::vector<int64_t> input_shape,
                                                           const QuantConfig& config) {
  auto q = std::make_shared<QuantizedModel>(net_spec_of(trained, std::move(input_shape)));
  models::load_into(*q, models::module_state(trained), /*strict=*/true, trained.describe());
  if (!trained.is_training()) q->eval();
  q->apply(config);
  return q;
}

std::shared_ptr<QuantizedModel> QuantizedModel::copy() const {
  auto q = std::make_shared<QuantizedModel>(spec_);
  models::load_into(*q, models::module_state(*this), /*strict=*/true, "quantized model copy");
  for (size_t i = 0; i < layers_.size(); ++i) {
    q->layers_[i].config = layers_[i].config;
    q->layers_[i].config_key = layers_[i].config_key;
  }
  q->train(is_training());
  return q;
}

void QuantizedModel::apply(const QuantConfig& config) {
  std::vector<std::pair<std::vector<std::string>, std::string>> names;
  for (auto& l : layers_) names.emplace_back(l.spec.names(), l.spec.op);
  config.check_against(names);
  for (auto& l : layers_) {
    auto r = config.resolve(l.spec.names(), l.spec.op);
    l.config = r.config;
    l.config_key = r.key;
    if (l.spec.op == "relu") {
      // ReLU quantizes only its input, unsigned (MASE's ReLUInteger).
      l.config.weight.reset();
      l.config.bias.reset();
      l.config.data_out.reset();
      if (l.config.data_in) l.config.data_in->is_signed = false;
    }
  }
}

torch::Tensor QuantizedModel::forward(torch::Tensor x) {
  for (auto& l : layers_) {
    const auto& c = l.config;
    const bool q = c.quantized();
    const std::string& op = l.spec.op;
    if (op == "linear" || op == "conv2d") {
      torch::Tensor w = op == "linear" ? l.linear->weight : l.conv->weight;
      torch::Tensor b = op == "linear" ? l.linear->bias : l.conv->bias;
      if (q) {
        x = maybe_quantize(x, c.data_in);
        w = maybe_quantize(w, c.weight);
        if (b.defined()) b = maybe_quantize(b, c.bias);
      }
      x = op == "linear" ? torch::linear(x, w, b)
                         : torch::conv2d(x, w, b, {l.spec.stride, l.spec.stride},
                                         {l.spec.padding, l.spec.padding});
      if (q) x = maybe_quantize(x, c.data_out);
    } else if (op == "relu") {
      if (q) x = maybe_quantize(x, c.data_in);
      x = torch::relu(x);
    } else if (op == "batch_norm1d") {
      x = l.bn->forward(x);
    } else if (op == "max_pool2d") {
      x = torch::max_pool2d(x, l.spec.kernel);
    } else if (op == "flatten") {
      x = x.flatten(1);
    } else {
      x = models::apply_activation(op, x);
    }
  }
  return x;
}

std::string QuantizedModel::describe() const {
  std::string s = "Quantized(" + spec_.arch + ":";
  for (auto& l : layers_)
    if (l.spec.weighted())
      s += fmt::format(" {}({}->{})={}", l.spec.name, l.spec.in, l.spec.out, l.config.describe());
    else if (is_quantizable(l.spec.op))
      s += " " + l.spec.name + "=" + l.config.describe();
  return s + ")";
}

std::vector<std::vector<int64_t>> QuantizedModel::output_shapes() const {
  // Shapes from the spec alone (no forward pass): cheap and independent of the weights.
  std::vector<std::vector<int64_t>> out;
  std::vector<int64_t> shape = spec_.input_shape;
  for (auto& l : layers_) {
    const auto& s = l.spec;
    if (s.op == "linear") {
      NNC_CHECK(!shape.empty() && shape.back() == s.in, "{}: expects {} input features, gets "
                "shape {}", s.name, s.in, fmt::join(shape, "x"));
      shape.back() = s.out;
    } else if (s.op == "conv2d") {
      NNC_CHECK(shape.size() == 3 && shape[0] == s.in, "{}: expects {} input channels [C,H,W], "
                "gets shape {}", s.name, s.in, fmt::join(shape, "x"));
      auto o = [&](int64_t n) { return (n + 2 * s.padding - s.kernel) / s.stride + 1; };
      shape = {s.out, o(shape[1]), o(shape[2])};
    } else if (s.op == "max_pool2d") {
      NNC_CHECK(shape.size() == 3, "{}: max_pool2d expects [C,H,W]", s.name);
      shape = {shape[0], shape[1] / s.kernel, shape[2] / s.kernel};
    } else if (s.op == "flatten") {
      int64_t n = 1;
      for (auto d : shape) n *= d;
      shape = {n};
    }
    out.push_back(shape);
  }
  return out;
}

}  // namespace nnc::quant
