#pragma once
// Writers for tiny data files in the real on-disk formats, so tests in every pillar can
// exercise the real readers (load_dataset with data_dir = a temp folder).
//
// Example: write_cifar10_dir(tmp, train, test); load_dataset({.name="cifar10", .data_dir=tmp}).
#include <torch/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "data/dataset.h"

namespace nnc::data {

/// Raw bytes to `path` (gzip-compressed if `gzip`); creates parent folders.
void write_bytes(const std::string& path, std::string_view bytes, bool gzip = false);
/// IDX uint8 images from uint8 [N,1,H,W] or [N,H,W].
void write_idx_images(const std::string& path, const torch::Tensor& images, bool gzip = false);
/// IDX uint8 labels from integer [N] (values 0..255).
void write_idx_labels(const std::string& path, const torch::Tensor& labels, bool gzip = false);
/// The four MNIST-named IDX files (".gz" added when gzip) of two image datasets.
void write_mnist_idx_dir(const std::string& dir, const Dataset& train, const Dataset& test,
                         bool gzip = false);
/// One CIFAR-10 .bin file from uint8 [N,3,32,32] and labels [N].
void write_cifar10_bin(const std::string& path, const torch::Tensor& images,
                       const torch::Tensor& labels);
/// One CIFAR-100 .bin file (coarse, fine labels).
void write_cifar100_bin(const std::string& path, const torch::Tensor& images,
                        const torch::Tensor& coarse, const torch::Tensor& fine);
/// data_batch_1..5.bin (train split in 5 near-equal parts) + test_batch.bin.
void write_cifar10_dir(const std::string& dir, const Dataset& train, const Dataset& test);
/// train.bin + test.bin; coarse labels = fine / 5 unless the datasets carry coarse_targets.
void write_cifar100_dir(const std::string& dir, const Dataset& train, const Dataset& test);
/// <dir>/src/digits/{d}.json for d = 0..9 from uint8 images [n_d,1,28,28] per digit.
void write_mnist_digits_json(const std::string& dir, const std::vector<torch::Tensor>& per_digit);

}  // namespace nnc::data
