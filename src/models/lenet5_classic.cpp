#include "models/lenet5_classic.h"

#include <torch/torch.h>

#include "core/error.h"

namespace nnc::models {

LeNet5Classic::LeNet5Classic(const ModelOptions& o) : options_(o) {
  // Spatial size after conv5 -> pool2 -> conv5 -> pool2.
  auto after = [](int64_t s) { return ((s - 4) / 2 - 4) / 2; };
  const int64_t h = after(o.in_height_), w = after(o.in_width_);
  NNC_CHECK(h > 0 && w > 0, "lenet5-classic: input {}x{} is too small (needs at least 16x16)",
            o.in_height_, o.in_width_);
  conv1 = register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(o.in_channels_, 6, 5)));
  conv2 = register_module("conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(6, 16, 5)));
  fc1 = register_module("fc1", torch::nn::Linear(16 * h * w, 120));
  fc2 = register_module("fc2", torch::nn::Linear(120, 84));
  fc3 = register_module("fc3", torch::nn::Linear(84, o.num_classes_));
}

torch::Tensor LeNet5Classic::forward(torch::Tensor x) {
  x = torch::max_pool2d(torch::relu(conv1->forward(x)), 2);
  x = torch::max_pool2d(torch::relu(conv2->forward(x)), 2);
  x = torch::relu(fc1->forward(x.flatten(1)));
  x = torch::relu(fc2->forward(x));
  return fc3->forward(x);
}

std::string LeNet5Classic::describe() const {
  return fmt::format("LeNet-5-classic(input {}x{}x{}, classes {})", options_.in_channels_,
                     options_.in_height_, options_.in_width_, options_.num_classes_);
}

ModelPtr make_lenet5_classic(const ModelOptions& o) { return std::make_shared<LeNet5Classic>(o); }

}  // namespace nnc::models
