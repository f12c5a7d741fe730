#include "quant/net_spec.h"

#include <torch/torch.h>

#include <map>

#include "core/error.h"
#include "models/jsc_tiny.h"
#include "models/lenet5.h"
#include "models/mlp.h"

namespace nnc::quant {
namespace {

/// Numbers parameterless layers per kind: relu1, relu2, pool1, ...
struct Namer {
  std::map<std::string, int> count;
  std::string operator()(const std::string& stem) { return stem + std::to_string(++count[stem]); }
};

LayerSpec linear_spec(const std::string& name, const torch::nn::Linear& l) {
  LayerSpec s;
  s.name = name;
  s.op = "linear";
  s.in = l->options.in_features();
  s.out = l->options.out_features();
  s.bias = l->options.bias();
  return s;
}

LayerSpec conv_spec(const std::string& name, const torch::nn::Conv2d& c) {
  const auto& o = c->options;
  auto k = (*o.kernel_size()), st = (*o.stride());
  NNC_CHECK(k[0] == k[1] && st[0] == st[1] && o.groups() == 1 && (*o.dilation())[0] == 1,
            "{}: only square, ungrouped, undilated convolutions are supported", name);
  // Unqualified: argument-dependent lookup finds c10::get_if for LibTorch 1.x's c10::variant
  // and std::get_if for 2.x's std::variant.
  const auto* pad = get_if<torch::ExpandingArray<2>>(&o.padding());
  NNC_CHECK(pad != nullptr && (**pad)[0] == (**pad)[1], "{}: only symmetric numeric padding is "
            "supported", name);
  LayerSpec s;
  s.name = name;
  s.op = "conv2d";
  s.in = o.in_channels();
  s.out = o.out_channels();
  s.kernel = k[0];
  s.stride = st[0];
  s.padding = (**pad)[0];
  s.bias = o.bias();
  return s;
}

LayerSpec simple(const std::string& name, const std::string& op, int64_t kernel = 0) {
  LayerSpec s;
  s.name = name;
  s.op = op;
  s.kernel = kernel;
  return s;
}

}  // namespace

std::vector<std::string> LayerSpec::names() const {
  std::vector<std::string> n{name};
  n.insert(n.end(), aliases.begin(), aliases.end());
  return n;
}

std::string NetSpec::describe() const {
  std::string s = arch + ":";
  for (auto& l : layers) {
    s += " " + l.name + "=" + l.op;
    if (l.op == "linear") s += fmt::format("({}->{})", l.in, l.out);
    if (l.op == "conv2d") s += fmt::format("({}->{}, k{})", l.in, l.out, l.kernel);
    if (l.op == "batch_norm1d") s += fmt::format("({})", l.in);
  }
  return s;
}

int NetSpec::find(const std::string& name) const {
  for (size_t i = 0; i < layers.size(); ++i)
    for (auto& n : layers[i].names())
      if (n == name) return static_cast<int>(i);
  return -1;
}

NetSpec net_spec_of(const models::Model& model, std::vector<int64_t> input_shape) {
  NetSpec spec;
  spec.input_shape = std::move(input_shape);
  Namer namer;
  auto& L = spec.layers;
  if (auto* m = dynamic_cast<const models::LeNet5*>(&model)) {
    spec.arch = "lenet5";
    L.push_back(conv_spec("conv1", m->conv1));
    L.push_back(simple(namer("relu"), "relu"));
    L.push_back(simple(namer("pool"), "max_pool2d", 2));
    L.push_back(conv_spec("conv2", m->conv2));
    L.push_back(simple(namer("relu"), "relu"));
    L.push_back(simple(namer("pool"), "max_pool2d", 2));
    L.push_back(simple(namer("flatten"), "flatten"));
    L.push_back(linear_spec("fc1", m->fc1));
    L.push_back(simple(namer("relu"), "relu"));
    L.push_back(linear_spec("fc2", m->fc2));
  } else if (auto* m = dynamic_cast<const models::MLP*>(&model)) {
    spec.arch = "mlp";
    L.push_back(simple(namer("flatten"), "flatten"));
    const auto& lin = m->linears();
    for (size_t i = 0; i < lin.size(); ++i) {
      L.push_back(linear_spec("fc" + std::to_string(i + 1), lin[i]));
      if (i + 1 < lin.size()) {
        const std::string& act = m->activations()[i];
        L.push_back(simple(namer(act), act));
      }
    }
  } else if (auto* m = dynamic_cast<const models::JSCTiny*>(&model)) {
    spec.arch = "jsc-tiny";
    L.push_back(simple(namer("flatten"), "flatten"));
    LayerSpec bn = simple("bn", "batch_norm1d");
    bn.in = bn.out = m->bn->options.num_features();
    bn.aliases = {"seq_blocks_0"};
    L.push_back(bn);
    L.push_back(simple(namer("relu"), "relu"));
    L.back().aliases = {"seq_blocks_1"};
    L.push_back(linear_spec("fc", m->fc));
    L.back().aliases = {"seq_blocks_2"};
    L.push_back(simple(namer("relu"), "relu"));
    L.back().aliases = {"seq_blocks_3"};
  } else {
    fail("quantization supports the zoo models lenet5, mlp, lenet300100 and jsc-tiny; got {}",
         model.describe());
  }
  return spec;
}

}  // namespace nnc::quant
