#pragma once
// Factories of the built-in encoders (one file each), for encoder_registry.cpp.
#include "replay/encoder.h"

namespace nnc::replay {

EncoderPtr make_none_encoder(const EncoderOptions& o);
EncoderPtr make_cutr_encoder(const EncoderOptions& o);  ///< cutr (ResNet-18) and cutr34

}  // namespace nnc::replay
