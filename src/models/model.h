#pragma once
// The model zoo's common base and options.
#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace nnc::models {

/// Every zoo model maps a float batch to logits (or regression outputs).
class Model : public torch::nn::Module {
 public:
  virtual torch::Tensor forward(torch::Tensor x) = 0;
  /// One line describing what was built (written into run logs).
  virtual std::string describe() const = 0;
};
using ModelPtr = std::shared_ptr<Model>;

/// Options shared by the zoo. Example:
///   ModelOptions().input(1, 28, 28).num_classes(10)
struct ModelOptions {
  ModelOptions& input(int64_t c, int64_t h, int64_t w) {
    in_channels_ = c, in_height_ = h, in_width_ = w;
    return *this;
  }
#define NNC_OPT(type, name, def)                        \
  ModelOptions& name(type v) { name##_ = std::move(v); return *this; } \
  type name##_ = def;
  NNC_OPT(int64_t, num_classes, 10)
  NNC_OPT(int64_t, in_channels, 1)
  NNC_OPT(int64_t, in_height, 28)
  NNC_OPT(int64_t, in_width, 28)
  /// MLP widths including input and output, e.g. {2,25,25,1}; empty = derived from input/classes.
  NNC_OPT(std::vector<int64_t>, layers, {})
  /// relu | tanh | sigmoid | identity; the last layer is always linear.
  NNC_OPT(std::string, activation, "relu")
  /// GDumb ResNet / SplitR: drop the stem and the first `backbone_block` groups (0, 1, 2, 2.5, 3, 3.5, 4).
  NNC_OPT(double, backbone_block, 0.0)
  /// Channel multiplier of the GDumb ResNet's groups (1 = 64/128/256/512); smaller is faster.
  NNC_OPT(double, width, 1.0)
  /// ResNet-18/34 depth for torchvision-style models (18 or 34).
  NNC_OPT(int64_t, depth, 18)
#undef NNC_OPT
};

/// Number of trainable parameters.
int64_t count_parameters(const torch::nn::Module& module);

/// Activation by name (clear error listing valid names).
torch::Tensor apply_activation(const std::string& name, const torch::Tensor& x);
void check_activation(const std::string& name);

}  // namespace nnc::models
