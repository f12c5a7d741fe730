#pragma once
// The IDX format of MNIST and Fashion-MNIST (yann.lecun.com/exdb/mnist), plain or gzip.
//
// Header: magic 0x000008DD (0x08 = uint8, DD = number of dimensions), then one
// big-endian uint32 per dimension, then the data. The payload length is checked
// against the header while reading, so a lying header never causes a big allocation.
#include <torch/types.h>

#include <string>

namespace nnc::data {

inline constexpr uint32_t kIdxLabelsMagic = 0x00000801;  ///< uint8, 1 dimension
inline constexpr uint32_t kIdxImagesMagic = 0x00000803;  ///< uint8, 3 dimensions

/// uint8 [N,1,rows,cols] from an idx3-ubyte file (".gz" or plain: detected by content).
/// With max_records > 0 only the first min(max_records, N) images are read: a run that uses
/// 300 images of a file that inflates to gigabytes decompresses 300 images' bytes (the rest
/// is not checked). `declared`, when given, receives the header's N.
torch::Tensor read_idx_images(const std::string& path, int64_t max_records = 0,
                              uint32_t* declared = nullptr);
/// int64 [N] from an idx1-ubyte file; max_records and declared as for the images.
torch::Tensor read_idx_labels(const std::string& path, int64_t max_records = 0,
                              uint32_t* declared = nullptr);

}  // namespace nnc::data
