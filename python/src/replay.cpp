// nncompress.replay.Memory (C++ part): a replay memory under a byte (or slot) budget with
// any registered encoder and compressor, fed from a PyTorch loop. Tensors cross without
// copies (torch's own pybind11 casters); what is stored are the compressor's packed bytes,
// charged as in `nncompress replay` (replay::MemoryBudget).
#include <pybind11/stl.h>
#include <torch/extension.h>

#include <fmt/ranges.h>

#include <optional>
#include <random>
#include <variant>

#include "core/bytes.h"
#include "core/error.h"
#include "experiment/run_config.h"
#include "python/src/bindings.h"
#include "python/src/options.h"
#include "replay/budget.h"
#include "replay/compressor.h"
#include "replay/encoder.h"

namespace py = pybind11;

namespace nnc::python {
namespace {

/// The settings a Memory is made from (the Python keyword arguments, checked).
struct MemorySettings {
  OptionValues plugin_options;        ///< encoder, compressor and their options
  std::string budget;                 ///< "1.5MiB" (fixed costs included) ...
  int64_t slots = 0;                  ///< ... or a number of slots
  std::string accounting = "real";
  std::string device = "cpu";
  uint64_t seed = 0;
  std::vector<float> mean, std;       ///< the data's normalisation (CutR encoders only)
};

/// Every option the encoders and compressors own (the names `nncompress replay` takes).
std::vector<OptionSpec> plugin_specs() {
  auto specs = replay::encoder_registry().option_specs();
  merge_option_specs(specs, replay::compressor_registry().option_specs());
  return specs;
}

/// Keyword arguments as plug-in options: the CLI's names (jpeg_quality), or a compressor's
/// option without its prefix (quality= for jpeg).
OptionValues plugin_options(const std::string& encoder, const std::string& compressor, const py::dict& kwargs) {
  OptionValues v = keyword_options(plugin_specs(), compressor, kwargs, "replay.Memory",
                                   "nncompress replay --help");
  v["encoder"] = encoder;
  v["compressor"] = compressor;
  return v;
}

/// uint8 images [N,C,H,W] and int64 labels [N]: anything else is one error naming the argument.
void check_batch(const torch::Tensor& x, const torch::Tensor& y, const std::optional<replay::Representation>& shape) {
  NNC_CHECK(x.scalar_type() == torch::kUInt8 && x.dim() == 4,
            "replay.Memory.offer: x must be uint8 images [N, C, H, W] (raw pixels 0..255), got {} of shape {}",
            std::string(c10::toString(x.scalar_type())), fmt::format("{}", fmt::join(x.sizes(), "x")));
  NNC_CHECK(y.dim() == 1 && y.size(0) == x.size(0) && !y.is_floating_point() && y.scalar_type() != torch::kBool,
            "replay.Memory.offer: y must be integer labels [N] with N = {} (x's batch), got {} of shape {}",
            x.size(0), std::string(c10::toString(y.scalar_type())), fmt::format("{}", fmt::join(y.sizes(), "x")));
  if (shape) {
    std::vector<int64_t> got(x.sizes().begin() + 1, x.sizes().end());
    NNC_CHECK(got == shape->shape, "replay.Memory.offer: images of shape {} but this memory holds {}",
              fmt::format("{}", fmt::join(got, "x")), fmt::format("{}", fmt::join(shape->shape, "x")));
  }
}

class PyMemory {
 public:
  explicit PyMemory(MemorySettings s) : s_(std::move(s)) {
    replay::encoder_registry().validate(s_.plugin_options);
    replay::compressor_registry().validate(s_.plugin_options);
    NNC_CHECK(s_.budget.empty() != (s_.slots == 0), "replay.Memory: give either budget= (bytes, e.g. '1.5MiB') or slots=, not {}",
              s_.budget.empty() ? "neither" : "both");
    NNC_CHECK(s_.slots >= 0, "replay.Memory: slots must be >= 1, got {}", s_.slots);
  }

  /// Where a learning compressor's state comes from: fitted on images of ANOTHER data set
  /// (as `nncompress replay` does), or loaded from a state_dict; none for the others.
  using Learned = std::variant<std::monostate, torch::Tensor, replay::StateMap>;

  /// Builds the encoder, compressor and (empty) memory for images of this shape.
  void prepare(const std::vector<int64_t>& image_shape, const Learned& learned) {
    image_shape_ = replay::Representation{image_shape, true};
    encoder_ = replay::make_encoder(s_.plugin_options, {s_.mean, s_.std, s_.device});
    rep_ = encoder_->output(*image_shape_);
    auto design = replay::make_compressor(s_.plugin_options, {*rep_, s_.seed, s_.device});
    budget_ = s_.budget.empty() ? replay::plan_for_slots(s_.slots, design, 0)
                                : replay::plan_for_bytes(parse_bytes(s_.budget, "budget"), design, s_.accounting, 0);
    if (!design.needs_fit()) {
      compressor_ = std::move(design).ready();
    } else if (const auto* reference = std::get_if<torch::Tensor>(&learned)) {
      check_batch(*reference, torch::zeros({reference->size(0)}, torch::kLong), image_shape_);
      compressor_ = std::move(design).fit(replay::encode_in_chunks(*encoder_, reference->cpu()));
    } else if (const auto* state = std::get_if<replay::StateMap>(&learned)) {
      compressor_ = std::move(design).load(*state);
    } else {
      fail("replay.Memory: compressor '{}' learns from data: pass fit_on=uint8 images of another data set "
           "(or load_state_dict of a fitted memory)", design.name());
    }
    memory_ = budget_->make_memory(s_.seed);
    next_id_ = 0;
  }

  void offer(const torch::Tensor& x_in, const torch::Tensor& y_in) {
    check_batch(x_in, y_in, image_shape_);
    if (!memory_) prepare({x_in.sizes().begin() + 1, x_in.sizes().end()}, std::monostate{});
    py::gil_scoped_release release;
    auto x = x_in.cpu();
    auto y = y_in.cpu().to(torch::kLong).contiguous();
    const int64_t* labels = y.data_ptr<int64_t>();
    const int64_t first = next_id_;
    next_id_ += x.size(0);
    if (!memory_->byte_mode()) {  // admission depends on labels only: compress what stays
      for (int64_t i = 0; i < x.size(0); ++i) memory_->offer_unfilled(labels[i], first + i);
      auto pending = memory_->pending();
      if (pending.empty()) return;
      std::vector<int64_t> rows;
      for (auto& p : pending) rows.push_back(p.sample_id - first);
      auto packed = compressor_->compress(encoder_->encode(x.index_select(0, torch::tensor(rows))));
      for (size_t k = 0; k < pending.size(); ++k) memory_->fill(pending[k], std::move(packed[k]));
      return;
    }
    auto packed = compressor_->compress(replay::encode_in_chunks(*encoder_, x));
    for (int64_t i = 0; i < x.size(0); ++i) memory_->offer(labels[i], first + i, std::move(packed[static_cast<size_t>(i)]));
  }

  /// Every stored item, decompressed: (x, y) on the memory's device. Raw images come back
  /// as uint8 pixels, encoded ones as float32 features.
  std::pair<torch::Tensor, torch::Tensor> tensors() const { return decoded(all_indices()); }

  std::pair<torch::Tensor, torch::Tensor> sample(int64_t batch_size) {
    NNC_CHECK(batch_size >= 1, "replay.Memory.sample: batch_size must be >= 1, got {}", batch_size);
    NNC_CHECK(size() > 0, "replay.Memory.sample: the memory is empty (offer samples first)");
    std::uniform_int_distribution<int64_t> pick(0, size() - 1);
    std::vector<int64_t> idx(static_cast<size_t>(batch_size));
    for (auto& i : idx) i = pick(rng_);
    return decoded(idx);
  }

  int64_t size() const { return memory_ ? memory_->size() : 0; }
  uint64_t bytes_used() const { return memory_ ? budget_->used_bytes(*memory_) : 0; }
  std::map<int64_t, int64_t> items_per_class() const { return memory_ ? memory_->count_per_class() : std::map<int64_t, int64_t>{}; }
  std::string describe() const {
    if (!memory_) return "replay.Memory (empty: sizes known after the first offer)";
    return fmt::format("{}\n{}\n{}", encoder_->describe(), compressor_->describe(), budget_->describe());
  }

  /// Stored items (packed bytes), labels, the compressor's learned state and the image shape.
  py::dict state_dict() const {
    py::dict d;
    py::list items;
    std::vector<int64_t> labels;
    if (memory_)
      for (auto& [label, bytes] : memory_->all_items()) {
        items.append(torch::from_blob(const_cast<uint8_t*>(bytes->data()), {static_cast<int64_t>(bytes->size())},
                                      torch::kUInt8).clone());
        labels.push_back(label);
      }
    d["items"] = items;
    d["labels"] = torch::tensor(labels, torch::kLong);
    d["image_shape"] = image_shape_ ? image_shape_->shape : std::vector<int64_t>{};
    py::dict state;
    if (compressor_)
      for (auto& [k, t] : compressor_->state()) state[py::str(k)] = t;
    d["compressor_state"] = state;
    return d;
  }

  void load_state_dict(const py::dict& d) {
    auto shape = d["image_shape"].cast<std::vector<int64_t>>();
    NNC_CHECK(!shape.empty(), "replay.Memory.load_state_dict: the state holds no image shape (an empty memory's)");
    replay::StateMap state;
    for (auto& [k, t] : d["compressor_state"].cast<py::dict>()) state[py::str(k)] = t.cast<torch::Tensor>();
    prepare(shape, state);
    auto labels = d["labels"].cast<torch::Tensor>().to(torch::kLong).contiguous();
    auto items = d["items"].cast<py::list>();
    NNC_CHECK(static_cast<int64_t>(items.size()) == labels.numel(), "replay.Memory.load_state_dict: {} items but {} labels",
              items.size(), labels.numel());
    for (size_t i = 0; i < items.size(); ++i) {
      auto t = items[i].cast<torch::Tensor>().contiguous().to(torch::kUInt8);
      replay::Packed bytes(t.data_ptr<uint8_t>(), t.data_ptr<uint8_t>() + t.numel());
      memory_->offer(labels[static_cast<int64_t>(i)].item<int64_t>(), next_id_++, std::move(bytes));
    }
  }

  void fit(const torch::Tensor& reference) {
    check_batch(reference, torch::zeros({reference.size(0)}, torch::kLong), image_shape_);
    prepare({reference.sizes().begin() + 1, reference.sizes().end()}, reference);
  }

 private:
  std::vector<int64_t> all_indices() const {
    std::vector<int64_t> idx(static_cast<size_t>(size()));
    std::iota(idx.begin(), idx.end(), 0);
    return idx;
  }
  std::pair<torch::Tensor, torch::Tensor> decoded(const std::vector<int64_t>& idx) const {
    if (!memory_ || idx.empty()) return {torch::empty({0}), torch::empty({0}, torch::kLong)};
    auto all = memory_->all_items();
    std::vector<const replay::Packed*> ptrs;
    std::vector<int64_t> labels;
    for (int64_t i : idx) {
      ptrs.push_back(all[static_cast<size_t>(i)].second);
      labels.push_back(all[static_cast<size_t>(i)].first);
    }
    // Decompressed on the memory's device: the compact codes cross, the math runs there.
    const torch::Device device(s_.device);
    auto x = compressor_->decompress(ptrs, device);
    if (rep_->raw_pixels) x = x.round().clamp(0, 255).to(torch::kUInt8);
    return {x, torch::tensor(labels, torch::kLong).to(device)};
  }

  MemorySettings s_;
  std::optional<replay::Representation> image_shape_, rep_;
  replay::EncoderPtr encoder_;
  replay::CompressorPtr compressor_;
  std::optional<replay::MemoryBudget> budget_;
  std::optional<replay::ReplayMemory> memory_;
  int64_t next_id_ = 0;
  std::mt19937_64 rng_{0};
};

}  // namespace

void bind_replay(py::module_& m) {
  py::class_<PyMemory>(m, "ReplayMemory")
      .def(py::init([](std::string budget, int64_t slots, std::string compressor, std::string encoder, std::string device,
                       uint64_t seed, std::string accounting, std::vector<float> mean, std::vector<float> std,
                       const py::dict& options) {
             MemorySettings s;
             s.plugin_options = plugin_options(encoder, compressor, options);
             s.budget = budget;
             s.slots = slots;
             s.accounting = accounting;
             s.device = device;
             s.seed = seed;
             s.mean = mean;
             s.std = std;
             return PyMemory(std::move(s));
           }),
           py::arg("budget"), py::arg("slots"), py::arg("compressor"), py::arg("encoder"), py::arg("device"),
           py::arg("seed"), py::arg("accounting"), py::arg("mean"), py::arg("std"), py::arg("options"))
      .def("fit", &PyMemory::fit, py::arg("reference"))
      .def("offer", &PyMemory::offer, py::arg("x"), py::arg("y"))
      .def("sample", &PyMemory::sample, py::arg("batch_size"))
      .def("tensors", &PyMemory::tensors)
      .def("__len__", &PyMemory::size)
      .def_property_readonly("bytes_used", &PyMemory::bytes_used)
      .def_property_readonly("items_per_class", &PyMemory::items_per_class)
      .def("describe", &PyMemory::describe)
      .def("state_dict", &PyMemory::state_dict)
      .def("load_state_dict", &PyMemory::load_state_dict, py::arg("state"));
  m.def("compressors", [] { return replay::compressor_registry().names(); });
  m.def("encoders", [] { return replay::encoder_registry().names(); });
}

}  // namespace nnc::python
