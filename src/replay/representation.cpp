#include "replay/representation.h"

#include <fmt/format.h>

namespace nnc::replay {

std::string Representation::describe() const {
  std::string dims;
  for (size_t i = 0; i < shape.size(); ++i) dims += (i ? "," : "") + std::to_string(shape[i]);
  return fmt::format("{} [{}] ({} {} values)", raw_pixels ? "raw pixels" : "features", dims,
                     numel(), raw_pixels ? "uint8" : "float32");
}

}  // namespace nnc::replay
