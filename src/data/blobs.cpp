// Gaussian blobs (features and images).
#include "data/blobs.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include "core/error.h"
#include "core/seed.h"

namespace nnc::data {
namespace {

torch::Tensor interleaved_labels(int64_t per_class, int64_t classes) {
  return torch::arange(per_class * classes, torch::kLong).remainder(classes);
}

}  // namespace

void BlobsOptions::validate() const {
  NNC_CHECK(classes >= 1 && dims >= 1 && n_per_class >= 1 && test_per_class >= 0,
            "blobs: classes {}, dims {}, n_per_class {} must be >= 1 (test_per_class {} >= 0)",
            classes, dims, n_per_class, test_per_class);
  NNC_CHECK(spread >= 0 && center_scale >= 0, "blobs: spread {} and center_scale {} must be >= 0",
            spread, center_scale);
}

void BlobsImageOptions::validate() const {
  NNC_CHECK(classes >= 1 && channels >= 1 && height >= 1 && width >= 1 && n_per_class >= 1 &&
                test_per_class >= 0,
            "blobs-image: classes {}, channels {}, height {}, width {}, n_per_class {} must be "
            ">= 1 (test_per_class {} >= 0)",
            classes, channels, height, width, n_per_class, test_per_class);
  NNC_CHECK(noise >= 0, "blobs-image: noise {} must be >= 0", noise);
}

std::pair<Dataset, Dataset> make_blobs(const BlobsOptions& o) {
  o.validate();
  auto cgen = at::detail::createCPUGenerator(derive_seed(o.seed, "blobs-centers"));
  auto centers = torch::empty({o.classes, o.dims}).uniform_(-o.center_scale, o.center_scale, cgen);
  auto make = [&](int64_t per_class, const char* stream) {
    auto gen = at::detail::createCPUGenerator(derive_seed(o.seed, stream));
    Dataset d;
    d.name = "blobs";
    d.num_classes = o.classes;
    d.targets = interleaved_labels(per_class, o.classes);
    d.inputs = centers.index_select(0, d.targets) +
               o.spread * torch::empty({d.targets.size(0), o.dims}).normal_(0.0, 1.0, gen);
    return d;
  };
  return {make(o.n_per_class, "blobs-train"), make(o.test_per_class, "blobs-test")};
}

std::pair<Dataset, Dataset> make_blobs_image(const BlobsImageOptions& o) {
  o.validate();
  auto pgen = at::detail::createCPUGenerator(derive_seed(o.seed, "blobs-image-prototypes"));
  auto bits = torch::empty({o.classes, o.channels, o.height, o.width}).bernoulli_(0.5, pgen);
  auto prototypes = 55.0f + 145.0f * bits;
  auto make = [&](int64_t per_class, const char* stream) {
    auto gen = at::detail::createCPUGenerator(derive_seed(o.seed, stream));
    Dataset d;
    d.name = "blobs-image";
    d.num_classes = o.classes;
    d.targets = interleaved_labels(per_class, o.classes);
    auto x = prototypes.index_select(0, d.targets) +
             o.noise * torch::empty({d.targets.size(0), o.channels, o.height, o.width})
                           .normal_(0.0, 1.0, gen);
    d.inputs = x.round().clamp(0, 255).to(torch::kUInt8);
    d.mean.assign(static_cast<size_t>(o.channels), 0.5f);
    d.std.assign(static_cast<size_t>(o.channels), 0.3f);
    return d;
  };
  return {make(o.n_per_class, "blobs-image-train"), make(o.test_per_class, "blobs-image-test")};
}

}  // namespace nnc::data
