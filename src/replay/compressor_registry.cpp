// The compressor registry: one line per compressor in register_builtin_compressors.
#include <torch/torch.h>

#include "core/error.h"
#include "models/safetensors.h"
#include "replay/compressor.h"
#include "replay/compressors/convae.h"
#include "replay/compressors/fcae.h"
#include "replay/compressors/jpeg.h"
#include "replay/compressors/none.h"
#include "replay/compressors/pq.h"
#include "replay/compressors/quantization.h"
#include "replay/compressors/resize.h"
#include "replay/compressors/sparse.h"
#include "replay/compressors/thinning.h"

namespace nnc::replay {

namespace {
template <typename T>
CompressorRegistry::Factory factory() {
  return [](const CompressorOptions& o, const Representation& rep) -> CompressorPtr {
    return std::make_unique<T>(o, rep);
  };
}

void register_builtin_compressors(CompressorRegistry& r) {
  r.add("none", factory<NoneCompressor>(), "stored as is: uint8 pixels or float32 features");
  r.add("thinning", factory<ThinningCompressor>(),
        "keeps the largest-magnitude values + coordinates (compression_factor)");
  r.add("quantization", factory<QuantizationCompressor>(),
        "n_states equal-width bins, bit-packed (strategy local | transfer)");
  r.add("fcae", factory<FcaeCompressor>(),
        "fully connected autoencoder, float32 bottleneck (bottleneck_neurons)");
  // The CIFAR-10 seed notebook writes --compressor autoencoder for it (and parses its logs so).
  r.add("convae", factory<ConvaeCompressor>(),
        "convolutional autoencoder on raw images (latent_channels, n_blocks)", {"autoencoder"});
  r.add("sparse", factory<SparseCompressor>(),
        "sparse coding: learned dictionary + OMP (atoms, nonzeros, coefficient_bits)");
  r.add("resize", factory<ResizeCompressor>(),
        "area downsampling, bilinear back (resize_factor | resize_to, resize_bits)");
  r.add("jpeg", factory<JpegCompressor>(),
        "libjpeg-turbo JPEG of raw images, variable size (jpeg_quality; jpeg_tables shared | per_item)");
  r.add("pq", factory<PqCompressor>(),
        "product quantisation of feature maps, k-means codebooks (pq_subvectors, pq_bits)");
}
}  // namespace

CompressorRegistry& compressor_registry() {
  static CompressorRegistry registry = [] {
    CompressorRegistry r("compressor");
    register_builtin_compressors(r);
    return r;
  }();
  return registry;
}

CompressorPtr make_compressor(const CompressorOptions& options, const Representation& rep) {
  NNC_CHECK(!rep.shape.empty() && rep.numel() > 0,
            "compressor '{}': the representation has no values (shape {})", options.name,
            rep.describe());
  auto c = compressor_registry().create(options.name, options, rep);
  if (!options.weights.empty()) {
    auto tensors = models::load_safetensors(options.weights);
    c->load_state(std::map<std::string, torch::Tensor>(tensors.begin(), tensors.end()));
  }
  return c;
}

}  // namespace nnc::replay
