#include "replay/compressors/fcae.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "core/seed.h"
#include "train/trainer.h"

namespace nnc::replay {

namespace {
constexpr int kLayersPerSide = 6;
constexpr int64_t kFcaeRowsPerPass = 4096;  // rows per forward pass in compress/decompress
}  // namespace

std::vector<int64_t> fcae_widths(int64_t n, int64_t b, int layers) {
  std::vector<int64_t> w;
  for (int i = 0; i <= layers; ++i) {
    double v = static_cast<double>(n) *
               std::pow(static_cast<double>(b) / static_cast<double>(n), double(i) / layers);
    w.push_back(i == 0 ? n : i == layers ? b : std::max<int64_t>(1, std::llround(v)));
  }
  return w;
}

FcaeNet::FcaeNet(const std::vector<int64_t>& widths) {
  torch::nn::Sequential enc, dec;
  size_t layers = widths.size() - 1;
  for (size_t i = 0; i < layers; ++i) {
    enc->push_back(torch::nn::Linear(widths[i], widths[i + 1]));
    enc->push_back(torch::nn::ReLU());  // the bottleneck is ReLU too
  }
  for (size_t i = layers; i > 0; --i) {
    dec->push_back(torch::nn::Linear(widths[i], widths[i - 1]));
    if (i > 1) dec->push_back(torch::nn::ReLU());  // the last layer is linear
  }
  encoder_ = register_module("encoder", enc);
  decoder_ = register_module("decoder", dec);
  // He init (see fcae.h): PyTorch's default shrinks the signal ~6x per ReLU layer.
  torch::NoGradGuard no_grad;
  for (auto& p : named_parameters()) {
    if (p.key().find("weight") != std::string::npos)
      torch::nn::init::kaiming_normal_(p.value(), 0.0, torch::kFanIn, torch::kReLU);
    else
      p.value().zero_();
  }
}

torch::Tensor FcaeNet::encode(const torch::Tensor& x) { return encoder_->forward(x); }
torch::Tensor FcaeNet::decode(const torch::Tensor& z) { return decoder_->forward(z); }

const OptionFields<FcaeOptions>& FcaeOptions::fields() {
  static const auto f =
      OptionFields<FcaeOptions>()
          .add("bottleneck_neurons", &FcaeOptions::bottleneck_neurons, "fcae bottleneck")
          .add("pretrain_epochs", &FcaeOptions::pretrain_epochs,
               "epochs/iterations fitting autoencoders and dictionaries");
  return f;
}

void FcaeOptions::validate() const {
  NNC_CHECK(pretrain_epochs >= 1, "compressor 'fcae': pretrain_epochs must be >= 1, got {}",
            pretrain_epochs);
}

std::string FcaeOptions::label() const { return fmt::format("fcae {}", bottleneck_neurons); }

std::map<std::string, std::string> FcaeOptions::tags() const {
  return {{"line", "fcae"}, {"display", "FC Autoencoder"}, {"parameter", std::to_string(bottleneck_neurons)}};
}

FcaeCompressor::FcaeCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), b_(o.bottleneck_neurons), epochs_(o.pretrain_epochs), seed_(ctx.seed),
      device_(ctx.device) {
  int64_t n = rep_.numel();
  NNC_CHECK(b_ >= 1 && b_ <= n,
            "compressor 'fcae': bottleneck_neurons must be in [1, {}] (values per sample of {}), "
            "got {}",
            n, rep_.describe(), b_);
  o.validate();
  widths_ = fcae_widths(n, b_, kLayersPerSide);
  norm_.stored = !rep_.raw_pixels;  // the size is known before fit()
}

int64_t FcaeCompressor::parameters() const {
  int64_t p = 0;
  for (size_t i = 0; i + 1 < widths_.size(); ++i)
    p += widths_[i] * widths_[i + 1] + widths_[i + 1]    // encoder layer
         + widths_[i + 1] * widths_[i] + widths_[i];     // mirrored decoder layer
  return p;
}

uint64_t FcaeCompressor::fixed_bytes() const {
  return 4 * static_cast<uint64_t>(parameters()) + norm_.bytes();
}

std::optional<int64_t> FcaeCompressor::notebook_slots(uint64_t budget_bytes) const {
  return detail::floor_div(static_cast<double>(budget_bytes) - static_cast<double>(fixed_bytes()),
                           4.0 * static_cast<double>(b_));
}

void FcaeCompressor::learn(const torch::Tensor& reference) {
  detail::check_reference(name(), reference, rep_, 2);
  auto ref = reference.to(torch::kFloat32).contiguous();
  norm_ = detail::Normalizer::for_representation(rep_, ref);
  torch::manual_seed(derive_seed(seed_, "fcae"));
  net_ = std::make_shared<FcaeNet>(widths_);
  detail::ReconstructionSource source(ref, norm_, /*flatten=*/true);
  train::Trainer(detail::pretrain_options(name(), epochs_, seed_, device_)).fit(
      *net_, [this](const torch::Tensor& x) { return net_->forward(x); }, source);
  net_->to(torch::kCPU);  // the memory's items are packed on the CPU (and decoded anywhere)
  net_->eval();
  device_nets_.clear();
}

std::vector<Packed> FcaeCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0);
  auto out = empty_items(n);
  torch::NoGradGuard no_grad;
  auto z = detail::chunked(batch.reshape({n, -1}), kFcaeRowsPerPass, [&](const torch::Tensor& x) {
    return net_->encode(norm_.to_model(x));
  });
  detail::append_floats(out, z, 4);
  return out;
}

ParsedItems FcaeCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  p.values = detail::read_stored(items, 0, b_, torch::kFloat32);
  return p;
}

torch::Tensor FcaeCompressor::reconstruct(const ParsedItems& p) const {
  auto net = device_nets_.of(name(), net_, p.values.device(),
                             [&] { return std::make_shared<FcaeNet>(widths_); });
  auto x = detail::chunked(p.values, kFcaeRowsPerPass, [&](const torch::Tensor& zz) {
    return norm_.to_storage(net->decode(zz), rep_.raw_pixels);
  });
  return x.reshape(rep_.batch_shape(p.n));
}

std::string FcaeCompressor::describe() const {
  std::string widths;
  for (size_t i = 0; i < widths_.size(); ++i) widths += (i ? "-" : "") + std::to_string(widths_[i]);
  return fmt::format(
      "fcae(bottleneck_neurons={}, encoder {} + mirrored decoder, {} parameters, pretrain_epochs={}, "
      "seed={}; {}; item {} = {} x float32; fixed {} = {} parameters x 4 B{})",
      b_, widths, parameters(), epochs_, seed_, rep_.describe(),
      detail::bytes_str(*item_bytes()), b_, detail::bytes_str(fixed_bytes()), parameters(),
      norm_.stored ? " + 8 B mean/std" : "");
}

std::map<std::string, torch::Tensor> FcaeCompressor::state() const {
  auto s = detail::module_state(*net_);
  s["normalization"] = norm_.as_tensor();
  return s;
}

void FcaeCompressor::restore(const StateMap& state) {
  auto net = std::make_shared<FcaeNet>(widths_);
  detail::load_module_state(name(), *net, state);
  norm_.load(detail::state_tensor(name(), state, "normalization", {2}), rep_.raw_pixels);
  net->eval();
  net_ = net;
  device_nets_.clear();
}

}  // namespace nnc::replay
