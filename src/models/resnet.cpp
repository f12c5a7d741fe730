#include "models/resnet.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>

#include "core/error.h"

namespace nnc::models {
namespace {

struct TVBlockImpl : torch::nn::Module {
  TVBlockImpl(int64_t in, int64_t out, int64_t stride) {
    namespace nn = torch::nn;
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(out));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(out, out, 3).padding(1).bias(false)));
    bn2 = register_module("bn2", nn::BatchNorm2d(out));
    if (stride != 1 || in != out)
      downsample = register_module(
          "downsample", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(in, out, 1).stride(stride).bias(false)),
                                       nn::BatchNorm2d(out)));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto y = torch::relu(bn1->forward(conv1->forward(x)));
    y = bn2->forward(conv2->forward(y));
    return torch::relu(y + (downsample ? downsample->forward(x) : x));
  }
  torch::nn::Conv2d conv1{nullptr}, conv2{nullptr};
  torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr};
  torch::nn::Sequential downsample{nullptr};
};
TORCH_MODULE(TVBlock);

/// A layer whose blocks keep their torchvision indices even when the first is cut away.
struct TVLayerImpl : torch::nn::Module {
  void add(int64_t index, TVBlock block) {
    blocks.push_back(register_module(std::to_string(index), block));
  }
  torch::Tensor forward(torch::Tensor x) {
    for (auto& b : blocks) x = b->forward(x);
    return x;
  }
  std::vector<TVBlock> blocks;
};
TORCH_MODULE(TVLayer);

bool valid_cut(double c) {
  for (double v : {0.0, 1.0, 2.0, 2.5, 3.0, 3.5, 4.0})
    if (c == v) return true;
  return false;
}

}  // namespace

TVResNet::TVResNet(const ModelOptions& o, ResNetPart part, double cut)
    : options_(o), part_(part), cut_(cut) {
  namespace nn = torch::nn;
  NNC_CHECK(o.depth_ == 18 || o.depth_ == 34, "resnet depth must be 18 or 34, got {}", o.depth_);
  NNC_CHECK(valid_cut(cut), "resnet cut (encoding_block) {} is not one of 0, 1, 2, 2.5, 3, 3.5, 4", cut);
  NNC_CHECK(part == ResNetPart::Full || cut >= 1 || (part == ResNetPart::Remainder && cut == 0),
            "an encoder needs a cut in 1..4 (a remainder may have cut 0: the whole network)");
  const int64_t widths[] = {64, 128, 256, 512};
  const int64_t strides[] = {1, 2, 2, 2};
  auto counts = resnet_blocks_per_layer(o.depth_);
  // A remainder at cut 0 is the whole network with GDumb's head (the seeds' ResNet-34 on raw
  // images, --backbone_block 0): it keeps the 7x7 stem.
  bool with_stem = part != ResNetPart::Remainder || cut == 0;
  if (with_stem) {
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(o.in_channels_, 64, 7).stride(2).padding(3).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(64));
  }
  int64_t c = 64;
  for (int64_t g = 0; g < 4; ++g) {
    TVLayer layer;
    for (int64_t i = 0; i < counts[g]; ++i) {
      // Encoder side: whole layers up to floor(cut); a x.5 cut adds block 0 of the next.
      bool encoder_side = (g + 1 <= std::floor(cut)) ||
                          (i == 0 && cut != std::floor(cut) && g + 1 == std::ceil(cut));
      bool keep = part == ResNetPart::Full || (part == ResNetPart::Encoder) == encoder_side;
      int64_t in_c = (i == 0) ? c : widths[g];
      if (keep) layer->add(i, TVBlock(in_c, widths[g], i == 0 ? strides[g] : 1));
    }
    c = widths[g];
    if (!layer->blocks.empty())
      layers_.push_back(register_module("layer" + std::to_string(g + 1), layer.ptr()));
  }
  if (part == ResNetPart::Full) {
    fc = register_module("fc", nn::Linear(512, o.num_classes_));
  } else if (part == ResNetPart::Remainder) {
    final_linear = register_module("final_linear", nn::Linear(nn::LinearOptions(512, o.num_classes_).bias(false)));
    final_bn = register_module("final_bn", nn::BatchNorm1d(o.num_classes_));
  }
  for (auto& m : modules(false)) {
    if (auto* conv = m->as<nn::Conv2d>()) {
      nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
    } else if (auto* bn = m->as<nn::BatchNorm2d>()) {
      nn::init::ones_(bn->weight);
      nn::init::zeros_(bn->bias);
    }
  }
}

torch::Tensor TVResNet::forward(torch::Tensor x) {
  if (conv1) {
    x = torch::relu(bn1->forward(conv1->forward(x)));
    x = torch::max_pool2d(x, 3, 2, 1);
  }
  for (auto& l : layers_) x = std::static_pointer_cast<TVLayerImpl>(l)->forward(x);
  if (part_ == ResNetPart::Encoder) return x;
  x = torch::adaptive_avg_pool2d(x, {1, 1}).flatten(1);
  if (fc) return fc->forward(x);
  x = final_linear->forward(x);
  if (is_training() && x.size(0) == 1)  // see GDumbResNet::forward
    return torch::batch_norm(x, final_bn->weight, final_bn->bias, final_bn->running_mean,
                             final_bn->running_var, false, 0.1, 1e-5, false);
  return final_bn->forward(x);
}

std::string TVResNet::describe() const {
  const char* names[] = {"full", "encoder", "remainder"};
  return fmt::format("ResNet-{}({}, cut {}, input channels {}, classes {})", options_.depth_,
                     names[static_cast<int>(part_)], cut_, options_.in_channels_, options_.num_classes_);
}

std::vector<int64_t> resnet_blocks_per_layer(int64_t depth) {
  NNC_CHECK(depth == 18 || depth == 34, "resnet depth must be 18 or 34, got {}", depth);
  return depth == 18 ? std::vector<int64_t>{2, 2, 2, 2} : std::vector<int64_t>{3, 4, 6, 3};
}

void check_resnet_depth(const TensorMap& tensors, int64_t depth, const std::string& source) {
  auto counts = resnet_blocks_per_layer(depth);
  for (const auto& [name, tensor] : tensors) {
    int layer = 0, block = 0;
    if (std::sscanf(name.c_str(), "layer%d.%d.", &layer, &block) != 2 || layer < 1 || layer > 4) continue;
    NNC_CHECK(block < counts[layer - 1],
              "{}: tensor '{}' belongs to block layer{}.{}, but ResNet-{}'s layer{} has only "
              "blocks 0..{}: these are weights of a deeper ResNet (ResNet-34 weights need encoder "
              "cutr34 or model resnet34)",
              source, name, layer, block, depth, layer, counts[layer - 1] - 1);
  }
}

ModelPtr make_resnet(const ModelOptions& o) {
  return std::make_shared<TVResNet>(o, ResNetPart::Full, 0.0);
}
std::shared_ptr<TVResNet> make_resnet_encoder(const ModelOptions& o, double cut) {
  return std::make_shared<TVResNet>(o, ResNetPart::Encoder, cut);
}
ModelPtr make_resnet_remainder(const ModelOptions& o, double cut) {
  return std::make_shared<TVResNet>(o, ResNetPart::Remainder, cut);
}

}  // namespace nnc::models
