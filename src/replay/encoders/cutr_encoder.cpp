// `cutr` / `cutr34`: a frozen torchvision ResNet cut after block k. Weights come from a
// safetensors file with torchvision names (converted ImageNet weights, or a network
// trained by `nncompress pretrain-encoder` on a different dataset).
#include <torch/torch.h>

#include <filesystem>

#include "core/error.h"
#include "models/resnet.h"
#include "models/safetensors.h"
#include "replay/encoders/encoders.h"

namespace nnc::replay {
namespace {

class CutREncoder : public Encoder {
 public:
  explicit CutREncoder(const EncoderOptions& o) : o_(o), device_(o.device) {
    NNC_CHECK(!o.weights.empty(),
              "encoder '{}' needs weights: pass --encoder-weights FILE.safetensors (torchvision "
              "names), or train one with `nncompress pretrain-encoder`",
              o.name);
    NNC_CHECK(std::filesystem::exists(o.weights),
              "encoder weights '{}' not found (train them with `nncompress pretrain-encoder` or "
              "convert torchvision weights to safetensors)",
              o.weights);
    NNC_CHECK(!o.mean.empty() && o.mean.size() == o.std.size(),
              "encoder '{}': the dataset's normalisation constants are missing", o.name);
    auto mopts = models::ModelOptions()
                     .input(static_cast<int64_t>(o.mean.size()), 32, 32)
                     .depth(cutr_depth(o.name));
    net_ = models::make_resnet_encoder(mopts, o.block);
    auto tensors = models::load_safetensors(o.weights);
    models::check_resnet_depth(tensors, mopts.depth_, o.weights);
    auto report = models::load_into(*net_, tensors, false, o.weights);
    NNC_CHECK(report.missing.empty(),
              "{}: {} tensors of the encoder are missing, e.g. '{}' (encoder {} needs ResNet-{} "
              "weights with torchvision names)",
              o.weights, report.missing.size(), report.missing.empty() ? "" : report.missing[0],
              o.name, mopts.depth_);
    net_->eval();
    net_->to(device_);
    for (auto& p : net_->parameters()) p.set_requires_grad(false);
    mean_ = torch::tensor(o.mean).view({1, -1, 1, 1});
    std_ = torch::tensor(o.std).view({1, -1, 1, 1});
  }
  std::string name() const override { return o_.name; }
  Representation output(const Representation& in) const override {
    NNC_CHECK(in.shape.size() == 3 && in.shape[0] == static_cast<int64_t>(o_.mean.size()),
              "encoder '{}' expects images with {} channels", o_.name, o_.mean.size());
    torch::NoGradGuard no_grad;
    auto probe = net_->forward(torch::zeros({1, in.shape[0], in.shape[1], in.shape[2]}).to(device_));
    Representation out;
    out.shape = probe.sizes().slice(1).vec();
    out.raw_pixels = false;
    return out;
  }
  torch::Tensor encode(const torch::Tensor& images) const override {
    torch::NoGradGuard no_grad;
    auto x = (images.to(torch::kFloat32) / 255.0 - mean_) / std_;
    std::vector<torch::Tensor> outs;
    for (int64_t s = 0; s < x.size(0); s += 256)
      outs.push_back(net_->forward(x.slice(0, s, std::min(x.size(0), s + 256)).to(device_)).to(torch::kCPU));
    return torch::cat(outs);
  }
  std::string describe() const override {
    return fmt::format("encoder {} (ResNet-{} cut after block {}, frozen, weights {})", o_.name,
                       cutr_depth(o_.name), o_.block, o_.weights);
  }

 private:
  EncoderOptions o_;
  torch::Device device_;
  std::shared_ptr<models::TVResNet> net_;
  torch::Tensor mean_, std_;
};

}  // namespace

EncoderPtr make_cutr_encoder(const EncoderOptions& o) { return std::make_shared<CutREncoder>(o); }

}  // namespace nnc::replay
