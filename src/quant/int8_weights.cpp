#include "quant/int8_weights.h"

#include <torch/torch.h>

#include <cstring>

#include "core/error.h"

namespace nnc::quant {

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

}  // namespace nnc::quant
