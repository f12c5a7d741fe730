#include "prune/mask.h"

#include <torch/torch.h>

#include <map>
#include <set>

#include "core/error.h"

namespace nnc::prune {

const char* to_string(ParamRole role) {
  switch (role) {
    case ParamRole::Weight: return "weight";
    case ParamRole::Bias: return "bias";
    case ParamRole::BnScale: return "bn_scale";
    case ParamRole::BnShift: return "bn_shift";
  }
  return "?";
}

namespace {
bool is_batchnorm(const torch::nn::Module& m) {
  return m.as<torch::nn::BatchNorm1dImpl>() != nullptr || m.as<torch::nn::BatchNorm2dImpl>() != nullptr ||
         m.as<torch::nn::BatchNorm3dImpl>() != nullptr;
}
}  // namespace

Masks::Masks(torch::nn::Module& model) {
  std::string block;  // the last conv/linear layer seen (BatchNorms join its block)
  std::map<std::string, int64_t> block_sizes;
  std::vector<std::string> entry_blocks;
  // The root's own parameters, then every submodule's (named_modules with include_self
  // needs the root in a shared_ptr; a stack-built module must work too).
  std::vector<std::pair<std::string, const torch::nn::Module*>> modules{{"", &model}};
  for (const auto& item : model.named_modules("", /*include_self=*/false))
    modules.emplace_back(item.key(), item.value().get());
  for (const auto& [key, ptr] : modules) {
    const auto& module = *ptr;
    struct {
      const std::string& key() const { return k; }
      const std::string& k;
    } item{key};
    auto direct = module.named_parameters(/*recurse=*/false);
    if (direct.size() == 0) continue;
    bool bn = is_batchnorm(module);
    int64_t numel = 0;
    for (const auto& p : direct) numel += p.value().numel();
    if (!bn || block.empty()) block = item.key();
    block_sizes[block] += numel;
    for (const auto& p : direct) {
      ParamEntry e;
      e.name = item.key().empty() ? p.key() : item.key() + "." + p.key();
      e.param = p.value();
      NNC_CHECK(e.param.scalar_type() == torch::kFloat32,
                "pruning: parameter '{}' is {}, expected float32", e.name,
                std::string(c10::toString(e.param.scalar_type())));
      e.mask = torch::ones_like(e.param, torch::TensorOptions().requires_grad(false));
      bool is_bias = p.key() == "bias";
      e.role = bn ? (is_bias ? ParamRole::BnShift : ParamRole::BnScale)
                  : (is_bias ? ParamRole::Bias : ParamRole::Weight);
      e.layer = item.key();
      e.layer_numel = numel;
      entries_.push_back(std::move(e));
      entry_blocks.push_back(block);
    }
  }
  for (size_t i = 0; i < entries_.size(); ++i) entries_[i].block_numel = block_sizes[entry_blocks[i]];
}

void Masks::apply() {
  torch::NoGradGuard g;
  for (auto& e : entries_) e.param.mul_(e.mask);
}

void Masks::mask_gradients() {
  for (auto& e : entries_)
    if (e.param.grad().defined()) e.param.mutable_grad().mul_(e.mask);
}

void Masks::update_from_nonzero() {
  torch::NoGradGuard g;
  for (auto& e : entries_) e.mask.copy_(e.param.ne(0).to(torch::kFloat32));
}

int64_t Masks::l0() const {
  double s = 0;
  for (const auto& e : entries_) s += e.mask.sum().item<double>();
  return static_cast<int64_t>(s);
}

int64_t Masks::nonzeros() const {
  int64_t s = 0;
  for (const auto& e : entries_) s += e.param.ne(0).sum().item<int64_t>();
  return s;
}

int64_t Masks::total() const {
  int64_t s = 0;
  for (const auto& e : entries_) s += e.param.numel();
  return s;
}

int64_t Masks::num_layers() const {
  std::set<std::string> layers;
  for (const auto& e : entries_) layers.insert(e.layer);
  return static_cast<int64_t>(layers.size());
}

int64_t Masks::num_weight_arrays() const {
  int64_t n = 0;
  for (const auto& e : entries_) n += e.role == ParamRole::Weight;
  return std::max<int64_t>(n, 1);
}

std::vector<torch::Tensor> Masks::parameters() const {
  std::vector<torch::Tensor> out;
  for (const auto& e : entries_) out.push_back(e.param);
  return out;
}

float* float_data(const torch::Tensor& t, const char* what) {
  NNC_CHECK(t.defined() && t.scalar_type() == torch::kFloat32 && t.is_contiguous() && t.device().is_cpu(),
            "pruning: {} must be a contiguous float32 CPU tensor", what);
  return t.data_ptr<float>();
}

torch::Tensor& ensure_grad(torch::Tensor& p) {
  if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
  return p.mutable_grad();
}

}  // namespace nnc::prune
