#include <gtest/gtest.h>

#include <random>

#include "core/error.h"
#include "replay/memory.h"

using nnc::replay::Packed;
using nnc::replay::ReplayMemory;

TEST(GreedyMemory, NewClassAlwaysAddedAndBalanced) {
  auto m = ReplayMemory::with_slots(10, 1);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(m.offer(0, i, Packed(4)));
  EXPECT_EQ(m.size(), 10);
  EXPECT_FALSE(m.offer(0, 99, Packed(4)));  // class 0 holds 10 >= 10 // 1
  EXPECT_TRUE(m.offer(1, 10, Packed(4)));   // a new class is always added, evicting from class 0
  EXPECT_EQ(m.size(), 10);
  auto counts = m.count_per_class();
  EXPECT_EQ(counts[0], 9);
  EXPECT_EQ(counts[1], 1);
  for (int i = 0; i < 10; ++i) m.offer(1, 20 + i, Packed(4));
  counts = m.count_per_class();
  EXPECT_EQ(counts[0], 5);  // 10 slots // 2 classes
  EXPECT_EQ(counts[1], 5);
}

TEST(GreedyMemory, TiesEvictFromTheFirstSeenClass) {
  auto m = ReplayMemory::with_slots(4, 2);
  m.offer(3, 0, Packed(1));
  m.offer(3, 1, Packed(1));
  m.offer(5, 2, Packed(1));
  m.offer(5, 3, Packed(1));  // 2 + 2, full
  m.offer(7, 4, Packed(1));  // tie between 3 and 5: evict from 3 (first seen)
  auto c = m.count_per_class();
  EXPECT_EQ(c[3], 1);
  EXPECT_EQ(c[5], 2);
  EXPECT_EQ(c[7], 1);
}

TEST(GreedyMemory, UnfilledSlotsAreFilledLater) {
  auto m = ReplayMemory::with_slots(6, 3);
  for (int i = 0; i < 30; ++i) m.offer_unfilled(i % 3, i);
  auto pending = m.pending();
  ASSERT_EQ(pending.size(), 6u);
  for (auto& p : pending) {
    EXPECT_EQ(p.sample_id % 3, p.label);
    m.fill(p, Packed(5, static_cast<uint8_t>(p.sample_id)));
  }
  EXPECT_TRUE(m.pending().empty());
  EXPECT_EQ(m.bytes_used(), 30u);
  EXPECT_EQ(m.all_items().size(), 6u);
}

TEST(GreedyMemory, SameSeedSameContent) {
  auto run = [](uint64_t seed) {
    auto m = ReplayMemory::with_slots(20, seed);
    // Classes arrive one after another, so each new class evicts random older items.
    for (int i = 0; i < 500; ++i) m.offer(i / 100, i, Packed(1));
    std::vector<int64_t> ids;
    for (auto c : m.classes())
      for (auto& it : m.items_of(c)) ids.push_back(it.sample_id);
    return ids;
  };
  EXPECT_EQ(run(1), run(1));
  EXPECT_NE(run(1), run(2));
}

TEST(ByteMemory, NeverExceedsBudgetAndStaysBalanced) {
  // Property test over random streams of variable-size items.
  for (uint64_t seed = 0; seed < 20; ++seed) {
    const uint64_t budget = 5000, header = 4;
    auto m = ReplayMemory::with_bytes(budget, header, seed);
    std::mt19937 rng(static_cast<uint32_t>(seed));
    uint64_t max_item = 0;
    for (int i = 0; i < 2000; ++i) {
      uint64_t size = 20 + rng() % 200;
      max_item = std::max(max_item, size + header);
      m.offer(static_cast<int64_t>(rng() % 5), i, Packed(size));
      ASSERT_LE(m.bytes_used(), budget) << "seed " << seed << " item " << i;
    }
    auto bytes = m.bytes_per_class();
    uint64_t lo = UINT64_MAX, hi = 0;
    for (auto& [c, b] : bytes) lo = std::min(lo, b), hi = std::max(hi, b);
    // Balanced within about one item's worth (plus the share rounding).
    EXPECT_LE(hi - lo, 2 * max_item) << "seed " << seed;
    EXPECT_GT(m.bytes_used(), budget - 2 * max_item);
  }
}

TEST(ByteMemory, ItemLargerThanBudgetIsAClearError) {
  auto m = ReplayMemory::with_bytes(100, 4, 0);
  EXPECT_THROW(m.offer(0, 0, Packed(200)), nnc::Error);
  EXPECT_THROW(ReplayMemory::with_slots(0, 0), nnc::Error);
}
