// CIFAR binary reader: a file is a plain array of fixed-size records, so its length
// alone tells whether it is complete.
#include "data/cifar.h"

#include <torch/torch.h>

#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "data/paths.h"

namespace fs = std::filesystem;

namespace nnc::data {
namespace {

struct CifarSpec {
  std::string name;
  CifarVariant variant;
  std::string subfolder;
  std::vector<std::string> train_files, test_files;
  std::string url;
  std::vector<float> mean, std;
  int64_t num_classes;
};

const CifarSpec& spec_of(CifarVariant v) {
  static const CifarSpec c10{"cifar10",
                             CifarVariant::kCifar10,
                             "cifar-10-batches-bin",
                             {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                              "data_batch_4.bin", "data_batch_5.bin"},
                             {"test_batch.bin"},
                             "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
                             {0.4914f, 0.4822f, 0.4465f},
                             {0.2023f, 0.1994f, 0.2010f},
                             10};
  static const CifarSpec c100{"cifar100",
                              CifarVariant::kCifar100,
                              "cifar-100-binary",
                              {"train.bin"},
                              {"test.bin"},
                              "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz",
                              {0.5071f, 0.4867f, 0.4408f},
                              {0.2675f, 0.2565f, 0.2761f},
                              100};
  return v == CifarVariant::kCifar10 ? c10 : c100;
}

Dataset concat(const std::vector<Dataset>& parts) {
  Dataset out = parts.front();
  if (parts.size() == 1) return out;
  std::vector<torch::Tensor> x, y, c;
  for (const auto& p : parts) {
    x.push_back(p.inputs);
    y.push_back(p.targets);
    if (p.coarse_targets.defined()) c.push_back(p.coarse_targets);
  }
  out.inputs = torch::cat(x);
  out.targets = torch::cat(y);
  if (!c.empty()) out.coarse_targets = torch::cat(c);
  return out;
}

std::pair<Dataset, Dataset> load_cifar(CifarVariant v, const std::string& dir_option) {
  const CifarSpec& s = spec_of(v);
  const std::string base = dir_or(dir_option, data_root());
  // The folder holding the files: `base` itself or its standard subfolder.
  std::string dir = base;
  if (!fs::exists(fs::path(base) / s.train_files.front()) &&
      fs::exists(fs::path(base) / s.subfolder / s.train_files.front()))
    dir = (fs::path(base) / s.subfolder).string();
  auto load_files = [&](const std::vector<std::string>& files) {
    std::vector<Dataset> parts;
    for (const auto& f : files) {
      const std::string path = (fs::path(dir) / f).string();
      NNC_CHECK(fs::exists(path),
                "{}: missing {} (also looked in {}/{}); download {} and extract it into {}, "
                "or set data_dir to the folder holding {}",
                s.name, path, base, s.subfolder, s.url, base, f);
      parts.push_back(read_cifar_bin(path, v));
    }
    Dataset d = concat(parts);
    d.name = s.name;
    d.num_classes = s.num_classes;
    d.mean = s.mean;
    d.std = s.std;
    return d;
  };
  return {load_files(s.train_files), load_files(s.test_files)};
}

}  // namespace

int64_t cifar_record_bytes(CifarVariant v) {
  return kCifarPixels + (v == CifarVariant::kCifar10 ? 1 : 2);
}

Dataset read_cifar_bin(const std::string& path, CifarVariant v) {
  const CifarSpec& s = spec_of(v);
  const int64_t rec = cifar_record_bytes(v);
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  NNC_CHECK(!ec, "{}: cannot read: {}", path, ec.message());
  NNC_CHECK(size % rec == 0,
            "{}: {} bytes is not a multiple of the {} record size {} ({} label byte(s) + 3072 "
            "pixels): truncated or not a {} binary file",
            path, size, s.name, rec, rec - kCifarPixels, s.name);
  // 1 GiB is 10x the largest real file: refuse anything bigger before reading it.
  const std::string bytes = read_file(path, size_t(1) << 30);
  const int64_t n = static_cast<int64_t>(size) / rec;
  Dataset d;
  d.name = s.name;
  d.num_classes = s.num_classes;
  d.mean = s.mean;
  d.std = s.std;
  d.inputs = torch::empty({n, 3, 32, 32}, torch::kUInt8);
  d.targets = torch::empty({n}, torch::kLong);
  if (v == CifarVariant::kCifar100) d.coarse_targets = torch::empty({n}, torch::kLong);
  auto* x = d.inputs.data_ptr<uint8_t>();
  auto* y = d.targets.data_ptr<int64_t>();
  const auto* src = reinterpret_cast<const uint8_t*>(bytes.data());
  for (int64_t i = 0; i < n; ++i) {
    const uint8_t* r = src + i * rec;
    const int64_t label = r[rec - kCifarPixels - 1];  // CIFAR-100: the fine label
    NNC_CHECK(label < s.num_classes, "{}: record {}: label {} out of range, expected 0..{}",
              path, i, label, s.num_classes - 1);
    y[i] = label;
    if (v == CifarVariant::kCifar100) {
      NNC_CHECK(r[0] < 20, "{}: record {}: coarse label {} out of range, expected 0..19", path,
                i, int(r[0]));
      d.coarse_targets.data_ptr<int64_t>()[i] = r[0];
    }
    std::memcpy(x + i * kCifarPixels, r + (rec - kCifarPixels), kCifarPixels);
  }
  return d;
}

std::pair<Dataset, Dataset> load_cifar10(const std::string& dir) {
  return load_cifar(CifarVariant::kCifar10, dir);
}

std::pair<Dataset, Dataset> load_cifar100(const std::string& dir) {
  return load_cifar(CifarVariant::kCifar100, dir);
}

}  // namespace nnc::data
