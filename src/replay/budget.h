#pragma once
// replay::MemoryBudget: all byte accounting of a replay memory. A compressor states
// fixed_bytes() and item_bytes() (before fitting: they do not depend on the fit); the
// budget turns them and the asked capacity into the memory's capacity, the per-item header
// and the bytes a run used.
//
// accounting "real" (default): slots = floor((budget - fixed) / item), packed sizes.
// accounting "notebook": the seed notebooks' arithmetic, reproduced exactly (including
// their quirks; each compressor knows its own formula, Compressor::notebook_slots), to rerun
// their sweeps unchanged; it only converts bytes to slots.
// Variable-size items (JPEG): the memory counts bytes, each item charged its payload plus
// a 4-byte length header.
#include <cstdint>
#include <optional>
#include <string>

#include "replay/compressor.h"
#include "replay/memory.h"

namespace nnc::replay {

/// The capacity a run asks for, as given (options memory_size, memory_bytes, accounting).
struct BudgetRequest {
  int64_t memory_size = 0;   ///< slots (the seeds' --memory_size); 0 = use memory_bytes
  std::string memory_bytes;  ///< e.g. "10MiB" (fixed costs included)
  std::string accounting = "real";
};

struct MemoryBudget {
  /// Bytes charged per variable-size item besides its payload (its length).
  static constexpr uint64_t kVariableItemHeader = 4;

  std::string accounting;               ///< real | notebook | slots
  uint64_t budget_bytes = 0;            ///< 0 when the capacity was given in slots
  uint64_t fixed_bytes = 0;
  std::optional<uint64_t> item_bytes;   ///< nullopt = variable size (byte-mode memory)
  int64_t slots = 0;                    ///< 0 in byte mode
  bool byte_mode() const { return !item_bytes; }
  uint64_t per_item_header() const { return byte_mode() ? kVariableItemHeader : 0; }
  /// An empty memory of this capacity.
  ReplayMemory make_memory(uint64_t seed) const;
  /// What a memory's items and the fixed costs take together.
  uint64_t used_bytes(const ReplayMemory& memory) const { return memory.bytes_used() + fixed_bytes; }
  std::string describe() const;
};

/// The checks of a request that need no compressor (given once, in slots or in parseable
/// bytes); plan_budget does them too. Errors name the option.
void check_budget_request(const BudgetRequest& request);
/// The budget a request gives for `compressor` (its sizes only: it need not be fitted).
/// Errors name the option: no budget, both given, a budget that fits no sample, or one that
/// holds more samples than the stream has (`stream_size`; 0 = unchecked).
MemoryBudget plan_budget(const BudgetRequest& request, const CompressorDesign& compressor, int64_t stream_size);
/// Capacity for `budget_bytes`.
MemoryBudget plan_for_bytes(uint64_t budget_bytes, const CompressorDesign& compressor,
                            const std::string& accounting, int64_t stream_size);
/// Capacity given directly in slots (the seeds' --memory_size).
MemoryBudget plan_for_slots(int64_t slots, const CompressorDesign& compressor, int64_t stream_size);

}  // namespace nnc::replay
