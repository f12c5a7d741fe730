#include "replay/compressors/convae.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include "core/error.h"
#include "core/seed.h"
#include "train/trainer.h"

namespace nnc::replay {

namespace {
constexpr int64_t kConvaeImagesPerPass = 1024;  // images per forward pass in compress/decompress
constexpr int64_t kMaxBlocks = 8;
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

ConvaeNet::ConvaeNet(int64_t in, int64_t mid, int64_t lc, int64_t n, int64_t height,
                     int64_t width)
    : height_(height), width_(width) {
  int64_t f = int64_t{1} << n;
  pad_h_ = ceil_div(height, f) * f - height;
  pad_w_ = ceil_div(width, f) * f - width;
  torch::nn::Sequential enc, dec;
  for (int64_t i = 0; i < n; ++i) {
    int64_t cin = i == 0 ? in : mid, cout = i == n - 1 ? lc : mid;
    enc->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(cin, cout, 3).padding(1)));
    enc->push_back(torch::nn::ReLU());
    enc->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)));
  }
  for (int64_t i = 0; i < n; ++i) {
    int64_t cin = i == 0 ? lc : mid, cout = i == n - 1 ? in : mid;
    dec->push_back(
        torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(cin, cout, 2).stride(2)));
    if (i < n - 1) dec->push_back(torch::nn::ReLU());
  }
  encoder_ = register_module("encoder", enc);
  decoder_ = register_module("decoder", dec);
}

torch::Tensor ConvaeNet::encode(const torch::Tensor& x) {
  auto in = x;
  if (pad_h_ > 0 || pad_w_ > 0)
    in = torch::nn::functional::pad(
        x, torch::nn::functional::PadFuncOptions({0, pad_w_, 0, pad_h_}).mode(torch::kReplicate));
  return encoder_->forward(in);
}

torch::Tensor ConvaeNet::decode(const torch::Tensor& z) {
  auto y = decoder_->forward(z);
  if (pad_h_ > 0 || pad_w_ > 0) y = y.slice(2, 0, height_).slice(3, 0, width_);
  return y;
}

const OptionFields<ConvaeOptions>& ConvaeOptions::fields() {
  static const auto f =
      OptionFields<ConvaeOptions>()
          .add("latent_channels", &ConvaeOptions::latent_channels, "convae latent channels")
          .add("n_blocks", &ConvaeOptions::n_blocks, "convae blocks")
          .add("pretrain_epochs", &ConvaeOptions::pretrain_epochs,
               "epochs/iterations fitting autoencoders and dictionaries");
  return f;
}

void ConvaeOptions::validate() const {
  NNC_CHECK(latent_channels >= 1, "compressor 'convae': latent_channels must be >= 1, got {}",
            latent_channels);
  NNC_CHECK(n_blocks >= 1 && n_blocks <= kMaxBlocks,
            "compressor 'convae': n_blocks must be in [1, {}], got {}", kMaxBlocks, n_blocks);
  NNC_CHECK(pretrain_epochs >= 1, "compressor 'convae': pretrain_epochs must be >= 1, got {}",
            pretrain_epochs);
}

std::string ConvaeOptions::label() const {
  return fmt::format("convae {}x{}", latent_channels, n_blocks);
}

std::map<std::string, std::string> ConvaeOptions::tags() const {
  // The notebooks' parameter is the latent channels (their autoencoders have 2 blocks).
  return {{"line", "convae"}, {"display", "Conv. Autoencoder"},
          {"parameter", n_blocks == 2 ? std::to_string(latent_channels)
                                      : fmt::format("{}x{}", latent_channels, n_blocks)}};
}

ConvaeCompressor::ConvaeCompressor(const Options& o, const CompressorContext& ctx)
    : Compressor(ctx), lc_(o.latent_channels), blocks_(o.n_blocks), epochs_(o.pretrain_epochs),
      seed_(ctx.seed), device_(ctx.device) {
  NNC_CHECK(rep_.raw_pixels,
            "compressor 'convae' works on raw images only, not on encoded features ({}); use "
            "encoder none, or compressor fcae / quantization / thinning / sparse",
            rep_.describe());
  NNC_CHECK(rep_.shape.size() == 3, "compressor 'convae': expected images [C,H,W], got {}",
            detail::shape_str(rep_.shape));
  o.validate();
  c_ = rep_.shape[0];
  h_ = rep_.shape[1];
  w_ = rep_.shape[2];
  mid_ = std::max<int64_t>((lc_ + c_) / 2, 16);
  int64_t f = int64_t{1} << blocks_;
  lat_h_ = ceil_div(h_, f);
  lat_w_ = ceil_div(w_, f);
  norm_.offset = 0.f;
  norm_.scale = 255.f;
  norm_.stored = false;
}

int64_t ConvaeCompressor::parameters() const {
  int64_t p = 0;
  for (int64_t i = 0; i < blocks_; ++i) {
    int64_t cin = i == 0 ? c_ : mid_, cout = i == blocks_ - 1 ? lc_ : mid_;
    p += cin * cout * 9 + cout;  // encoder conv 3x3
    int64_t din = i == 0 ? lc_ : mid_, dout = i == blocks_ - 1 ? c_ : mid_;
    p += din * dout * 4 + dout;  // decoder transposed conv 2x2
  }
  return p;
}

std::optional<uint64_t> ConvaeCompressor::item_bytes() const {
  return 4 * static_cast<uint64_t>(lc_ * lat_h_ * lat_w_);
}

std::optional<int64_t> ConvaeCompressor::notebook_slots(uint64_t budget_bytes) const {
  const double latent = static_cast<double>(*item_bytes()) / 4.0;
  return detail::floor_div(
      static_cast<double>(budget_bytes) - static_cast<double>(fixed_bytes()) / (1024.0 * 1024.0),
      latent * 4.0);
}

std::shared_ptr<ConvaeNet> ConvaeCompressor::make_net() const {
  return std::make_shared<ConvaeNet>(c_, mid_, lc_, blocks_, h_, w_);
}

void ConvaeCompressor::learn(const torch::Tensor& reference) {
  detail::check_reference(name(), reference, rep_, 2);
  detail::ReconstructionSource source(reference.to(torch::kFloat32).contiguous(), norm_,
                                      /*flatten=*/false);
  auto options = detail::pretrain_options(name(), epochs_, seed_, device_);
  // The original's bottleneck ends in a ReLU: with few latent channels it can die (every
  // latent 0 for every image, seen for latent_channels 1-2 with some seeds), and the memory
  // then holds identical images. A dead bottleneck is detected on the reference set and
  // the network re-initialised from the next derived seed.
  constexpr int kAttempts = 5;
  auto probe = reference.slice(0, 0, std::min<int64_t>(reference.size(0), 1024)).to(torch::kFloat32);
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    torch::manual_seed(derive_seed(seed_, attempt == 0 ? std::string("convae")
                                                       : fmt::format("convae-retry-{}", attempt)));
    net_ = make_net();
    train::Trainer(options).fit(
        *net_, [this](const torch::Tensor& x) { return net_->forward(x); }, source);
    net_->to(torch::kCPU);  // the memory's items are packed on the CPU (and decoded anywhere)
    device_nets_.clear();
    net_->eval();
    torch::NoGradGuard no_grad;
    const bool alive = net_->encode(norm_.to_model(probe)).gt(0).any().item<bool>();
    if (alive) break;
    NNC_CHECK(attempt + 1 < kAttempts,
              "compressor 'convae': the bottleneck ReLU died in {} initialisations (every latent "
              "is 0); raise latent_channels or pretrain_epochs",
              kAttempts);
    fmt::print(stderr, "[convae] dead bottleneck (all latents 0) after pre-training: re-initialising ({}/{})\n",
               attempt + 1, kAttempts - 1);
  }
}

std::vector<Packed> ConvaeCompressor::pack(const torch::Tensor& batch) const {
  int64_t n = batch.size(0);
  auto out = empty_items(n);
  torch::NoGradGuard no_grad;
  auto z = detail::chunked(batch, kConvaeImagesPerPass, [&](const torch::Tensor& x) {
    return net_->encode(norm_.to_model(x)).flatten(1);
  });
  detail::append_floats(out, z, 4);
  return out;
}

ParsedItems ConvaeCompressor::parse(const std::vector<const Packed*>& items) const {
  ParsedItems p;
  p.values = detail::read_stored(items, 0, lc_ * lat_h_ * lat_w_, torch::kFloat32);
  return p;
}

torch::Tensor ConvaeCompressor::reconstruct(const ParsedItems& p) const {
  auto net = device_nets_.of(name(), net_, p.values.device(), [&] { return make_net(); });
  auto z = p.values.view({p.n, lc_, lat_h_, lat_w_});
  return detail::chunked(z, kConvaeImagesPerPass, [&](const torch::Tensor& zz) {
    return norm_.to_storage(net->decode(zz), /*raw_pixels=*/true);
  });
}

std::string ConvaeCompressor::describe() const {
  return fmt::format(
      "convae(latent_channels={}, n_blocks={}, mid channels {}, latent [{},{},{}]{}, {} "
      "parameters, pretrain_epochs={}, seed={}; {}; item {} = {} x float32; fixed {} = {} "
      "parameters x 4 B)",
      lc_, blocks_, mid_, lc_, lat_h_, lat_w_,
      (lat_h_ << blocks_) != h_ || (lat_w_ << blocks_) != w_
          ? fmt::format(" (input padded to {}x{})", lat_h_ << blocks_, lat_w_ << blocks_)
          : std::string(),
      parameters(), epochs_, seed_, rep_.describe(),
      detail::bytes_str(*item_bytes()), lc_ * lat_h_ * lat_w_, detail::bytes_str(fixed_bytes()),
      parameters());
}

std::map<std::string, torch::Tensor> ConvaeCompressor::state() const {
  return detail::module_state(*net_);
}

void ConvaeCompressor::restore(const StateMap& state) {
  auto net = make_net();
  detail::load_module_state(name(), *net, state);
  net->eval();
  net_ = net;
  device_nets_.clear();
}

}  // namespace nnc::replay
