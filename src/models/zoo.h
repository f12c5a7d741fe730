#pragma once
// The model zoo by name: lenet300100, lenet5, vgg16, mlp, jsc-tiny,
// resnet18-gdumb (SplitR backbone), resnet18, resnet34 (torchvision),
// mobilenetv2 (CIFAR strides).
#include "core/registry.h"
#include "models/model.h"

namespace nnc::models {

using ModelRegistry = Registry<ModelPtr, const ModelOptions&>;
/// The registry with every built-in model (register_builtin_models called once).
ModelRegistry& model_registry();
ModelPtr make_model(const std::string& name, const ModelOptions& options);

}  // namespace nnc::models
