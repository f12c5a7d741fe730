#pragma once
// Byte budget -> memory capacity. Byte accounting lives here and in the compressors:
// a compressor states fixed_bytes() and item_bytes(); the memory charges both.
//
// accounting "real" (default): slots = floor((budget - fixed) / item), packed sizes.
// accounting "notebook": the seed notebooks' arithmetic, reproduced exactly (including
// their quirks), to rerun their sweeps unchanged; it only converts bytes to slots.
#include <cstdint>
#include <string>

#include "replay/compressor.h"
#include "replay/representation.h"

namespace nnc::replay {

struct BudgetPlan {
  std::string accounting;      ///< real | notebook
  uint64_t budget_bytes = 0;   ///< 0 when the capacity was given in slots
  uint64_t fixed_bytes = 0;
  uint64_t item_bytes = 0;     ///< 0 = variable size (byte-mode memory)
  int64_t slots = 0;           ///< 0 in byte mode
  bool byte_mode() const { return item_bytes == 0; }
  std::string describe() const;
};

/// Capacity for `budget_bytes`. Errors when the budget fits no sample, or holds more
/// samples than the stream has (`stream_size`; 0 = unchecked).
BudgetPlan plan_for_bytes(uint64_t budget_bytes, const Compressor& compressor,
                          const CompressorOptions& options, const Representation& rep,
                          const std::string& accounting, int64_t stream_size);
/// Capacity given directly in slots (the seeds' --memory_size).
BudgetPlan plan_for_slots(int64_t slots, const Compressor& compressor, int64_t stream_size);

/// The notebook's bytes per sample and fixed bytes, exactly as seeds 000/001 compute them.
int64_t notebook_slots(uint64_t budget_bytes, const Compressor& compressor,
                       const CompressorOptions& options, const Representation& rep);

}  // namespace nnc::replay
