#include "models/zoo.h"

#include "models/jsc_tiny.h"
#include "models/lenet5.h"
#include "models/lenet5_classic.h"
#include "models/mlp.h"
#include "models/mobilenet_v2.h"
#include "models/resnet.h"
#include "models/resnet_gdumb.h"
#include "models/vgg.h"

namespace nnc::models {
namespace {

void register_builtin_models(ModelRegistry& r) {
  r.add("lenet300100", make_lenet300100, "LeNet-300-100 MLP (266,610 params on MNIST)");
  r.add("lenet5", make_lenet5, "LeNet-5-Caffe (431,080 params on MNIST)");
  r.add("lenet5-classic", make_lenet5_classic,
        "LeNet-5 as LeCun drew it, 6/16 filters (44,426 params on MNIST; the CGP original's)");
  r.add("vgg16", make_vgg16, "VGG-16-BN for CIFAR");
  r.add("mlp", make_mlp, "MLP from `layers` and `activation`");
  r.add("jsc-tiny", make_jsc_tiny, "JSC-Tiny: BN1d(16), ReLU, Linear(16,5), ReLU");
  r.add("resnet18-gdumb", make_gdumb_resnet18, "GDumb ResNet-18 (SplitR via backbone_block)");
  r.add("resnet18", [](const ModelOptions& o) { return make_resnet(ModelOptions(o).depth(18)); },
        "torchvision ResNet-18");
  r.add("resnet34", [](const ModelOptions& o) { return make_resnet(ModelOptions(o).depth(34)); },
        "torchvision ResNet-34");
  r.add("mobilenetv2", make_mobilenet_v2,
        "MobileNetV2 for 32x32 inputs (CIFAR strides; 2,236,682 params for 10 classes; `width` scales channels)");
}

}  // namespace

ModelRegistry& model_registry() {
  static ModelRegistry registry = [] {
    ModelRegistry r("model");
    register_builtin_models(r);
    return r;
  }();
  return registry;
}

ModelPtr make_model(const std::string& name, const ModelOptions& options) {
  return model_registry().create(name, options);
}

}  // namespace nnc::models
