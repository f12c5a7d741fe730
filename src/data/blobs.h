#pragma once
// Gaussian blobs: tiny synthetic classification sets for fast tests.
//
// `blobs`: float32 features [N,dims]; class c is N(center_c, spread^2 I), centers drawn
// from U[-center_scale, center_scale]^dims. `blobs-image`: uint8 images [N,C,H,W]; each
// class has a random binary prototype (pixels 200 or 55), samples add N(0, noise^2)
// pixel noise, so classes are visibly and easily separable (useful for replay tests).
// In both, sample i has class i % classes (every prefix is balanced) and everything is
// drawn from derive_seed(seed, "blobs-...") streams.
#include <utility>

#include "data/dataset.h"

namespace nnc::data {

struct BlobsOptions {
  int64_t classes = 4;
  int64_t dims = 8;
  int64_t n_per_class = 100;    ///< training samples per class
  int64_t test_per_class = 50;
  double spread = 1.0;          ///< per-dimension std of each blob
  double center_scale = 4.0;
  uint64_t seed = 0;
  void validate() const;
};

struct BlobsImageOptions {
  int64_t classes = 10;
  int64_t channels = 1;
  int64_t height = 8;
  int64_t width = 8;
  int64_t n_per_class = 50;
  int64_t test_per_class = 20;
  double noise = 25.0;          ///< pixel noise std, in 0..255 units
  uint64_t seed = 0;
  void validate() const;
};

/// {train, test}.
std::pair<Dataset, Dataset> make_blobs(const BlobsOptions& options);
/// {train, test}; normalisation mean 0.5, std 0.3 per channel.
std::pair<Dataset, Dataset> make_blobs_image(const BlobsImageOptions& options);

}  // namespace nnc::data
