// The compressor registry: one line per compressor in register_builtin_compressors. Each
// compressor brings its own options (its Options struct), owned by it. The lines' order is
// the order reports list compressors in (the seed notebooks' order; new ones at the end).
#include <torch/torch.h>

#include "core/error.h"
#include "replay/compressor.h"
#include "replay/compressors/convae.h"
#include "replay/compressors/fcae.h"
#include "replay/compressors/half.h"
#include "replay/compressors/jpeg.h"
#include "replay/compressors/none.h"
#include "replay/compressors/pq.h"
#include "replay/compressors/quantization.h"
#include "replay/compressors/resize.h"
#include "replay/compressors/sparse.h"
#include "replay/compressors/thinning.h"

namespace nnc::replay {

namespace {
void register_builtin_compressors(CompressorRegistry& r) {
  r.add<NoneCompressor>("none", "stored as is: uint8 pixels or float32 features");
  r.add<ThinningCompressor>("thinning", "keeps the largest-magnitude values + coordinates (compression_factor)");
  r.add<QuantizationCompressor>("quantization", "n_states equal-width bins, bit-packed (strategy local | transfer)");
  // The CIFAR-10 seed notebook writes --compressor autoencoder for it (and parses its logs so).
  r.add<ConvaeCompressor>("convae", "convolutional autoencoder on raw images (latent_channels, n_blocks)", {"autoencoder"});
  r.add<FcaeCompressor>("fcae", "fully connected autoencoder, float32 bottleneck (bottleneck_neurons)");
  r.add<SparseCompressor>("sparse", "sparse coding: learned dictionary + OMP (atoms, nonzeros, coefficient_bits)");
  r.add<ResizeCompressor>("resize", "area downsampling, bilinear back (resize_factor | resize_to, resize_bits)");
  r.add<JpegCompressor>("jpeg", "libjpeg-turbo JPEG of raw images, variable size (jpeg_quality; jpeg_tables shared | per_item)");
  r.add<PqCompressor>("pq", "product quantisation of feature maps, k-means codebooks (pq_subvectors, pq_bits)");
  r.add<HalfCompressor>("half", "every value as float16 (2 bytes; raw pixels exact)");
}
}  // namespace

CompressorRegistry& compressor_registry() {
  static CompressorRegistry registry = [] {
    CompressorRegistry r("compressor", "compressor");
    register_builtin_compressors(r);
    return r;
  }();
  return registry;
}

CompressorDesign make_compressor(const OptionValues& values, const CompressorContext& ctx) {
  const std::string name = compressor_registry().selected(values);
  NNC_CHECK(!ctx.rep.shape.empty() && ctx.rep.numel() > 0,
            "compressor '{}': the representation has no values (shape {})", name, ctx.rep.describe());
  return CompressorDesign(compressor_registry().create(values, ctx));
}

}  // namespace nnc::replay
