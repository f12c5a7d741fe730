#include "replay/encoders/cutr_encoder.h"

#include <torch/torch.h>

#include <filesystem>

#include "core/error.h"
#include "models/resnet.h"
#include "models/safetensors.h"

namespace nnc::replay {

template <int Depth>
const OptionFields<CutROptions<Depth>>& CutROptions<Depth>::fields() {
  static const auto f =
      OptionFields<CutROptions>()
          .add("encoding_block", &CutROptions::encoding_block, "CutR cut after block k (1..4, 2.5, 3.5)")
          .add("encoder_weights", &CutROptions::encoder_weights,
               "safetensors weights of the CutR network (torchvision names)");
  return f;
}

template <int Depth>
std::map<std::string, std::string> CutROptions<Depth>::tags() const {
  return {{"line", Depth == 18 ? "cutr" : fmt::format("cutr{}", Depth)},
          {"display", fmt::format("CutR{}({})", Depth, encoding_block)}};
}

template struct CutROptions<18>;
template struct CutROptions<34>;

CutREncoder::CutREncoder(int64_t depth, double block, std::string weights, const EncoderContext& ctx,
                         std::string name)
    : depth_(depth),
      block_(block),
      weights_(std::move(weights)),
      name_(std::move(name)),
      mean_values_(ctx.mean),
      device_(ctx.device) {
  NNC_CHECK(!weights_.empty(),
            "encoder '{}' needs weights: pass --encoder-weights FILE.safetensors (torchvision "
            "names), or train one with `nncompress pretrain-encoder`",
            name_);
  NNC_CHECK(std::filesystem::exists(weights_),
            "encoder weights '{}' not found (train them with `nncompress pretrain-encoder` or "
            "convert torchvision weights to safetensors)",
            weights_);
  NNC_CHECK(!ctx.mean.empty() && ctx.mean.size() == ctx.std.size(),
            "encoder '{}': the dataset's normalisation constants are missing", name_);
  auto mopts = models::ModelOptions()
                   .input(static_cast<int64_t>(ctx.mean.size()), 32, 32)
                   .depth(depth_);
  net_ = models::make_resnet_encoder(mopts, block_);
  auto tensors = models::load_safetensors(weights_);
  models::check_resnet_depth(tensors, mopts.depth_, weights_);
  auto report = models::load_into(*net_, tensors, false, weights_);
  NNC_CHECK(report.missing.empty(),
            "{}: {} tensors of the encoder are missing, e.g. '{}' (encoder {} needs ResNet-{} "
            "weights with torchvision names)",
            weights_, report.missing.size(), report.missing.empty() ? "" : report.missing[0],
            name_, mopts.depth_);
  net_->eval();
  net_->to(device_);
  for (auto& p : net_->parameters()) p.set_requires_grad(false);
  mean_ = torch::tensor(ctx.mean).view({1, -1, 1, 1});
  std_ = torch::tensor(ctx.std).view({1, -1, 1, 1});
}

Representation CutREncoder::output(const Representation& in) const {
  NNC_CHECK(in.shape.size() == 3 && in.shape[0] == static_cast<int64_t>(mean_values_.size()),
            "encoder '{}' expects images with {} channels", name_, mean_values_.size());
  torch::NoGradGuard no_grad;
  auto probe = net_->forward(torch::zeros({1, in.shape[0], in.shape[1], in.shape[2]}).to(device_));
  Representation out;
  out.shape = probe.sizes().slice(1).vec();
  out.raw_pixels = false;
  return out;
}

torch::Tensor CutREncoder::encode(const torch::Tensor& images) const {
  torch::NoGradGuard no_grad;
  auto x = (images.to(torch::kFloat32) / 255.0 - mean_) / std_;
  std::vector<torch::Tensor> outs;
  for (int64_t s = 0; s < x.size(0); s += 256)
    outs.push_back(net_->forward(x.slice(0, s, std::min(x.size(0), s + 256)).to(device_)).to(torch::kCPU));
  return torch::cat(outs);
}

std::string CutREncoder::describe() const {
  return fmt::format("encoder {} (ResNet-{} cut after block {}, frozen, weights {})", name_, depth_,
                     block_, weights_);
}

}  // namespace nnc::replay
