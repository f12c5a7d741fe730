#pragma once
// Helpers shared by the data tests: a self-deleting temp folder and an error matcher.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <torch/types.h>

#include "core/error.h"
#include "support/expect_error.h"

namespace nnc::data::testing {

/// A fresh folder under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("nnc-data-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// Runs `f`, expects nnc::Error whose message contains every one of `parts`.
inline void expect_error(const std::function<void()>& f, const std::vector<std::string>& parts) {
  const std::string msg = nnc::testing::error_message(f);
  if (msg.empty()) {
    ADD_FAILURE() << "expected nnc::Error";
    return;
  }
  for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << "'" << p << "' not in: " << msg;
}

/// Mean of a uint8 tensor scaled to [0,1], without a widened copy of it.
inline double mean_pixel(const torch::Tensor& uint8_images) {
  auto x = uint8_images.contiguous();
  const uint8_t* p = x.data_ptr<uint8_t>();
  uint64_t sum = 0;
  for (int64_t i = 0; i < x.numel(); ++i) sum += p[i];
  return double(sum) / (double(x.numel()) * 255.0);
}

}  // namespace nnc::data::testing
