// models-reference-writer OUT_DIR: the nncompress side of models-torch-reference.
// For each case below: a zoo model with its initial weights and random BatchNorm affine
// parameters and running statistics (eval-mode BN with default statistics is nearly the
// identity and would hide a wrong mapping), saved as nncompress saves weights
// (save_safetensors(module_state)) to CASE.safetensors; and CASE_io.safetensors with a fixed
// input batch, nncompress's eval-mode outputs and, as metadata, the model's settings and
// its parameter count. torch_reference.py rebuilds each model from its own Python
// definition, loads the weights with its own safetensors reader and compares.
#include <torch/torch.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "models/safetensors.h"
#include "models/zoo.h"

using namespace nnc;

namespace {

struct Case {
  std::string name, model;
  models::ModelOptions options;
  std::vector<int64_t> input;  // one sample's shape
};

void randomise_batchnorm(torch::nn::Module& model, torch::Generator& g) {
  torch::NoGradGuard no_grad;
  for (auto& m : model.modules(false)) {
    torch::Tensor w, b, mean, var;
    bool final_bn1d = false;
    if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
      w = bn->weight, b = bn->bias, mean = bn->running_mean, var = bn->running_var;
    } else if (auto* bn1 = m->as<torch::nn::BatchNorm1d>()) {
      w = bn1->weight, b = bn1->bias, mean = bn1->running_mean, var = bn1->running_var;
      final_bn1d = true;
    } else {
      continue;
    }
    int64_t n = w.size(0);
    w.copy_(torch::rand({n}, g) + 0.5);
    b.copy_(torch::randn({n}, g) * 0.2);
    mean.copy_(torch::randn({n}, g) * 0.2);
    // GDumb's BatchNorm eps (1e-6, the final BatchNorm1d's too) only shows where a running
    // variance is small; the head's outputs are ~1, so variances of 1e-4..1e-3 there make
    // an eps of 1e-5 instead change the logits by ~1%, far above the tolerance.
    var.copy_(final_bn1d ? torch::rand({n}, g) * 9e-4 + 1e-4 : torch::rand({n}, g) * 1.5 + 0.5);
  }
}

void write_case(const Case& c, const std::filesystem::path& dir, uint64_t seed) {
  torch::manual_seed(seed);
  auto g = at::detail::createCPUGenerator(seed);
  auto model = models::make_model(c.model, c.options);
  randomise_batchnorm(*model, g);
  model->eval();
  std::vector<int64_t> shape = {3};  // a batch of 3
  shape.insert(shape.end(), c.input.begin(), c.input.end());
  auto x = torch::randn(shape, g);
  torch::Tensor y;
  {
    torch::NoGradGuard no_grad;
    y = model->forward(x);
  }
  models::save_safetensors(models::module_state(*model), (dir / (c.name + ".safetensors")).string());
  auto fmt = [](double v) { return std::to_string(v); };
  models::save_safetensors({{"input", x}, {"output", y}}, (dir / (c.name + "_io.safetensors")).string(),
                           {{"model", c.model},
                            {"parameters", std::to_string(models::count_parameters(*model))},
                            {"classes", std::to_string(c.options.num_classes_)},
                            {"in_channels", std::to_string(c.options.in_channels_)},
                            {"backbone_block", fmt(c.options.backbone_block_)},
                            {"width", fmt(c.options.width_)}});
  std::printf("%s: %s, %lld parameters\n", c.name.c_str(), model->describe().c_str(),
              static_cast<long long>(models::count_parameters(*model)));
}

std::vector<Case> cases() {
  using models::ModelOptions;
  std::vector<Case> out = {
      {"lenet5_mnist", "lenet5", ModelOptions().input(1, 28, 28).num_classes(10), {1, 28, 28}},
      {"lenet5_cifar", "lenet5", ModelOptions().input(3, 32, 32).num_classes(100), {3, 32, 32}},
      {"gdumb_full", "resnet18-gdumb", ModelOptions().input(3, 32, 32).num_classes(10), {3, 32, 32}},
      {"gdumb_mnist_w0.25", "resnet18-gdumb", ModelOptions().input(1, 28, 28).num_classes(10).width(0.25),
       {1, 28, 28}},
  };
  // SplitR cuts (narrow, to keep the files small): the input is the encoder's output at the
  // cut, 32x32 CIFAR images halved per group after the first.
  struct Cut {
    double block;
    int64_t channels, side;
  };
  for (Cut cut : {Cut{1, 64, 32}, Cut{2, 128, 16}, Cut{2.5, 256, 8}, Cut{3, 256, 8}, Cut{3.5, 512, 4},
                  Cut{4, 512, 4}}) {
    char name[64];
    std::snprintf(name, sizeof name, "gdumb_cut%g_w0.25", cut.block);
    out.push_back({name, "resnet18-gdumb",
                   ModelOptions().input(cut.channels, cut.side, cut.side).num_classes(10)
                       .backbone_block(cut.block).width(0.25),
                   {cut.channels, cut.side, cut.side}});
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  std::filesystem::path dir(argv[1]);
  std::filesystem::create_directories(dir);
  torch::set_num_threads(1);  // one reduction order; the batches are small
  uint64_t seed = 100;
  for (const auto& c : cases()) write_case(c, dir, seed++);
  return 0;
}
