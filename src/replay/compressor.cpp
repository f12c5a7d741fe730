#include "replay/compressor.h"

#include <torch/torch.h>

#include "core/error.h"
#include "replay/compressors/util.h"

namespace nnc::replay {

std::vector<Packed> Compressor::compress(const torch::Tensor& batch) const {
  detail::check_input(name(), batch, rep_);
  if (batch.size(0) == 0) return {};
  return pack(batch);
}

ParsedItems ParsedItems::to(const torch::Device& device) const {
  auto move = [&](const torch::Tensor& t) { return t.defined() ? t.to(device) : t; };
  return {n, move(values), move(index), move(range)};
}

torch::Tensor Compressor::decompress(const std::vector<const Packed*>& items,
                                     const torch::Device& device) const {
  if (auto bytes = item_bytes()) {
    detail::check_items(name(), items, *bytes);
  } else {
    for (size_t i = 0; i < items.size(); ++i)
      NNC_CHECK(items[i] != nullptr && !items[i]->empty(), "compressor '{}': item {} is empty", name(), i);
  }
  if (items.empty()) return torch::zeros(rep_.batch_shape(0), torch::TensorOptions().device(device));
  torch::NoGradGuard no_grad;
  ParsedItems parsed = parse(items);
  parsed.n = static_cast<int64_t>(items.size());
  return reconstruct(parsed.to(device));
}

std::vector<Packed> Compressor::empty_items(int64_t n) const {
  return detail::empty_items(n, item_bytes().value_or(0));
}

std::string CompressorDesign::describe() const {
  return blank_->describe() + (needs_fit() ? " (not fitted)" : "");
}

CompressorPtr CompressorDesign::fit(const torch::Tensor& reference) && {
  if (needs_fit()) blank_->learn(reference);
  return std::move(blank_);
}

CompressorPtr CompressorDesign::load(const StateMap& state) && {
  if (needs_fit()) blank_->restore(state);
  return std::move(blank_);
}

CompressorPtr CompressorDesign::ready() && {
  NNC_CHECK(!needs_fit(),
            "compressor '{}' is not fitted: fit it on another dataset first, or load a "
            "pre-trained state (option compressor_weights)",
            name());
  return std::move(blank_);
}

}  // namespace nnc::replay
