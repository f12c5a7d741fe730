#include "replay/memory.h"

#include <algorithm>

#include "core/error.h"
#include "core/seed.h"

namespace nnc::replay {

ReplayMemory ReplayMemory::with_slots(int64_t slots, uint64_t seed) {
  NNC_CHECK(slots >= 1, "replay memory: needs at least one slot, got {}", slots);
  ReplayMemory m;
  m.slots_ = slots;
  m.rng_.seed(derive_seed(seed, "memory"));
  return m;
}

ReplayMemory ReplayMemory::with_bytes(uint64_t budget_bytes, uint64_t per_item_header, uint64_t seed) {
  NNC_CHECK(budget_bytes >= 1, "replay memory: the byte budget must be positive");
  ReplayMemory m;
  m.byte_mode_ = true;
  m.budget_ = budget_bytes;
  m.header_ = per_item_header;
  m.rng_.seed(derive_seed(seed, "memory"));
  return m;
}

bool ReplayMemory::would_admit(int64_t label) const {
  NNC_CHECK(!byte_mode_, "would_admit is only defined for slot-mode memories");
  auto it = items_.find(label);
  if (it == items_.end()) return true;  // a new class is always added
  int64_t seen = static_cast<int64_t>(order_.size());
  return static_cast<int64_t>(it->second.size()) < slots_ / seen;
}

int64_t ReplayMemory::largest_class() const {
  int64_t best = order_.front();
  for (int64_t c : order_) {
    bool larger = byte_mode_ ? class_bytes_.at(c) > class_bytes_.at(best)
                             : items_.at(c).size() > items_.at(best).size();
    if (larger) best = c;  // strict: ties keep the first-seen class
  }
  return best;
}

void ReplayMemory::evict_random(int64_t label) {
  auto& list = items_.at(label);
  std::uniform_int_distribution<size_t> pick(0, list.size() - 1);
  size_t i = pick(rng_);
  uint64_t c = list[i].filled ? cost(list[i]) : 0;
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
  class_bytes_[label] -= c;
  bytes_ -= c;
  --count_;
}

bool ReplayMemory::offer(int64_t label, int64_t sample_id, Packed bytes) {
  return insert(label, MemoryItem{sample_id, std::move(bytes), true});
}

bool ReplayMemory::offer_unfilled(int64_t label, int64_t sample_id) {
  NNC_CHECK(!byte_mode_, "a byte-budget memory needs each item's bytes when it is offered");
  return insert(label, MemoryItem{sample_id, {}, false});
}

bool ReplayMemory::insert(int64_t label, MemoryItem item) {
  bool new_class = items_.find(label) == items_.end();
  uint64_t c = cost(item);
  if (!byte_mode_) {
    if (!would_admit(label)) return false;
    if (new_class) order_.push_back(label);
    items_[label].push_back(std::move(item));
    class_bytes_[label] += c;
    bytes_ += c;
    ++count_;
    while (count_ > slots_) evict_random(largest_class());
    return true;
  }
  NNC_CHECK(c <= budget_, "replay memory: one item needs {} bytes but the whole budget is {} bytes",
            c, budget_);
  if (!new_class) {
    // Admitted only while the class holds less than its share of the budget.
    uint64_t share = budget_ / order_.size();
    if (class_bytes_.at(label) >= share) return false;
  } else {
    order_.push_back(label);
    items_[label];
    class_bytes_[label] = 0;
  }
  // Make room first, so the budget holds at every moment.
  while (bytes_ + c > budget_) evict_random(largest_class());
  items_[label].push_back(std::move(item));
  class_bytes_[label] += c;
  bytes_ += c;
  ++count_;
  return true;
}

std::vector<ReplayMemory::PendingRef> ReplayMemory::pending() const {
  std::vector<PendingRef> out;
  for (int64_t c : order_) {
    const auto& list = items_.at(c);
    for (size_t i = 0; i < list.size(); ++i)
      if (!list[i].filled) out.push_back({c, i, list[i].sample_id});
  }
  return out;
}

void ReplayMemory::fill(const PendingRef& ref, Packed bytes) {
  auto& item = items_.at(ref.label).at(ref.index);
  NNC_CHECK(!item.filled && item.sample_id == ref.sample_id, "replay memory: stale pending reference");
  uint64_t c = bytes.size();
  item.bytes = std::move(bytes);
  item.filled = true;
  class_bytes_[ref.label] += c;
  bytes_ += c;
}

std::map<int64_t, int64_t> ReplayMemory::count_per_class() const {
  std::map<int64_t, int64_t> out;
  for (auto& [c, list] : items_) out[c] = static_cast<int64_t>(list.size());
  return out;
}

std::map<int64_t, uint64_t> ReplayMemory::bytes_per_class() const { return class_bytes_; }

std::vector<std::pair<int64_t, const Packed*>> ReplayMemory::all_items() const {
  std::vector<std::pair<int64_t, const Packed*>> out;
  out.reserve(static_cast<size_t>(count_));
  for (int64_t c : order_)
    for (auto& it : items_.at(c)) {
      NNC_CHECK(it.filled, "replay memory: item of sample {} was never filled", it.sample_id);
      out.emplace_back(c, &it.bytes);
    }
  return out;
}

}  // namespace nnc::replay
