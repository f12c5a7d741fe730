#pragma once
// The replay memory: packed items per class under a budget, filled by GDumb's greedy
// class-balanced rule (docs/replay.md#greedy-memory).
//
// Slot mode (fixed-size items): capacity in items, exactly the original rule.
// Byte mode (variable-size items, e.g. JPEG): capacity in bytes; each item costs its
// payload plus a per-item header; the budget is never exceeded at any moment.
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "replay/packed.h"

namespace nnc::replay {

struct MemoryItem {
  int64_t sample_id;   ///< index of the sample in the stream's dataset
  Packed bytes;
  bool filled = true;  ///< false: admitted, bytes still to be computed (see pending())
};

class ReplayMemory {
 public:
  /// Slot mode: at most `slots` items.
  static ReplayMemory with_slots(int64_t slots, uint64_t seed);
  /// Byte mode: items' bytes + per_item_header each must fit in `budget_bytes`.
  static ReplayMemory with_bytes(uint64_t budget_bytes, uint64_t per_item_header, uint64_t seed);

  bool byte_mode() const { return byte_mode_; }
  /// Slot mode only: whether offer() of this label would store the item (the rule
  /// depends on labels only, so callers can skip compressing samples that are refused).
  bool would_admit(int64_t label) const;
  /// Offers one item; returns whether it was stored (it may evict others).
  bool offer(int64_t label, int64_t sample_id, Packed bytes);
  /// Slot mode: stores a place for the sample without its bytes (admission and eviction
  /// do not depend on content there); fill it later through pending()/fill().
  bool offer_unfilled(int64_t label, int64_t sample_id);
  struct PendingRef {
    int64_t label;
    size_t index;  ///< position in items_of(label)
    int64_t sample_id;
  };
  std::vector<PendingRef> pending() const;
  void fill(const PendingRef& ref, Packed bytes);

  int64_t size() const { return count_; }
  uint64_t bytes_used() const { return bytes_; }  ///< payload + headers
  int64_t capacity_slots() const { return slots_; }
  uint64_t capacity_bytes() const { return budget_; }
  uint64_t per_item_header() const { return header_; }
  /// Classes in first-seen order with their items.
  const std::vector<int64_t>& classes() const { return order_; }
  const std::vector<MemoryItem>& items_of(int64_t label) const { return items_.at(label); }
  std::map<int64_t, int64_t> count_per_class() const;
  std::map<int64_t, uint64_t> bytes_per_class() const;
  /// Every item with its label, classes in first-seen order.
  std::vector<std::pair<int64_t, const Packed*>> all_items() const;

 private:
  ReplayMemory() = default;
  int64_t largest_class() const;  ///< by count (slot mode) or bytes (byte mode); ties: first seen
  void evict_random(int64_t label);
  uint64_t cost(const MemoryItem& it) const { return it.bytes.size() + header_; }
  bool insert(int64_t label, MemoryItem item);

  bool byte_mode_ = false;
  int64_t slots_ = 0;
  uint64_t budget_ = 0, header_ = 0;
  std::map<int64_t, std::vector<MemoryItem>> items_;
  std::map<int64_t, uint64_t> class_bytes_;
  std::vector<int64_t> order_;
  int64_t count_ = 0;
  uint64_t bytes_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace nnc::replay
