#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

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

namespace {
std::vector<int64_t> ids_of(const ReplayMemory& m, int64_t label) {
  std::vector<int64_t> ids;
  for (auto& it : m.items_of(label)) ids.push_back(it.sample_id);
  return ids;
}
bool holds_one_of(const ReplayMemory& m, int64_t label, std::vector<int64_t> candidates) {
  auto ids = ids_of(m, label);
  return ids.size() == 1 && std::count(candidates.begin(), candidates.end(), ids[0]) == 1;
}
}  // namespace

// A 12-sample stream through 4 slots, worked out by hand from GDumb's greedy rule as FETCH's
// GreedySampler implements it (the rule the seeds ran):
//   - a sample of a class never seen is always stored;
//   - a sample of a seen class is stored only while its class holds < slots // seen classes
//     (integer division, counted over every class ever seen, even one evicted to zero);
//   - then, while more than `slots` items are held, a random item of the largest class is
//     evicted (ties: the class seen first).
// Every eviction below either hits a class of one item (no randomness) or is checked as
// "exactly one of the class's candidates survives".
TEST(GreedyMemory, TinyStreamKeepsTheHandWorkedSamples) {
  for (uint64_t seed : {0, 1, 2, 3}) {
    auto m = ReplayMemory::with_slots(4, seed);
    // A = 10, B = 20, C = 30, D = 40, E = 50; sample ids 0..11 in arrival order.
    EXPECT_TRUE(m.offer(10, 0, Packed(1)));   // A new                          A{0}
    EXPECT_TRUE(m.offer(10, 1, Packed(1)));   // A: 1 < 4 // 1                   A{0,1}
    EXPECT_TRUE(m.offer(10, 2, Packed(1)));   // A: 2 < 4                        A{0,1,2}
    EXPECT_TRUE(m.offer(20, 3, Packed(1)));   // B new; 4 items, full           A{0,1,2} B{3}
    EXPECT_EQ(ids_of(m, 10), (std::vector<int64_t>{0, 1, 2}));
    EXPECT_FALSE(m.offer(10, 4, Packed(1)));  // A: 3 < 4 // 2 = 2? no
    EXPECT_TRUE(m.offer(20, 5, Packed(1)));   // B: 1 < 2; 5 > 4: evict from A (3 items)
    EXPECT_EQ(m.count_per_class()[10], 2);
    EXPECT_EQ(ids_of(m, 20), (std::vector<int64_t>{3, 5}));
    EXPECT_FALSE(m.offer(20, 6, Packed(1)));  // B: 2 < 2? no
    EXPECT_TRUE(m.offer(30, 7, Packed(1)));   // C new; 5 > 4: A and B tie at 2, A seen first
    EXPECT_EQ(m.count_per_class()[10], 1);
    EXPECT_TRUE(holds_one_of(m, 10, {0, 1, 2})) << "seed " << seed;
    EXPECT_FALSE(m.offer(30, 8, Packed(1)));  // C: 1 < 4 // 3 = 1? no
    EXPECT_TRUE(m.offer(40, 9, Packed(1)));   // D new; 5 > 4: B is largest (2): evict 3 or 5
    EXPECT_TRUE(holds_one_of(m, 20, {3, 5})) << "seed " << seed;
    EXPECT_TRUE(m.offer(50, 10, Packed(1)));  // E new; 5 > 4: all hold 1, A seen first: A empty
    EXPECT_TRUE(ids_of(m, 10).empty());
    EXPECT_FALSE(m.offer(10, 11, Packed(1))); // A (seen, empty): 0 < 4 // 5 = 0? no
    EXPECT_EQ(m.classes(), (std::vector<int64_t>{10, 20, 30, 40, 50}));
    EXPECT_EQ(ids_of(m, 30), (std::vector<int64_t>{7}));
    EXPECT_EQ(ids_of(m, 40), (std::vector<int64_t>{9}));
    EXPECT_EQ(ids_of(m, 50), (std::vector<int64_t>{10}));
    EXPECT_EQ(m.size(), 4);
    EXPECT_EQ(m.bytes_used(), 4u);
  }
}

// Byte mode on a hand-worked stream: budget 30 B, 2 B header per item (cost = payload + 2).
// A seen class is refused once it holds >= budget // seen classes bytes; a new class is
// always stored. Room is made BEFORE storing (the budget holds at every moment) by
// evicting from the class with the most bytes (ties: seen first). Sizes are chosen so that
// the one eviction hits a class of one item.
TEST(ByteMemory, TinyStreamKeepsTheHandWorkedSamples) {
  auto m = ReplayMemory::with_bytes(30, 2, 0);
  EXPECT_TRUE(m.offer(1, 0, Packed(4)));    // new, cost 6                          1{0} = 6
  EXPECT_TRUE(m.offer(1, 1, Packed(4)));    // 6 < 30 // 1                           1{0,1} = 12
  EXPECT_TRUE(m.offer(2, 2, Packed(14)));   // new, cost 16: 28 <= 30                2{2} = 16
  EXPECT_FALSE(m.offer(2, 3, Packed(1)));   // 16 >= 30 // 2 = 15
  EXPECT_TRUE(m.offer(1, 4, Packed(0)));    // 12 < 15, cost 2: 30 <= 30, exactly full
  EXPECT_EQ(m.bytes_used(), 30u);
  EXPECT_TRUE(m.offer(3, 5, Packed(2)));    // new, cost 4: 34 > 30, evict 2's only item (16 B)
  EXPECT_TRUE(m.items_of(2).empty());
  EXPECT_EQ(m.bytes_used(), 18u);           // 14 + 4
  EXPECT_TRUE(m.offer(2, 6, Packed(6)));    // 0 < 30 // 3 = 10, cost 8: 26 <= 30
  EXPECT_FALSE(m.offer(1, 7, Packed(0)));   // 14 >= 10
  EXPECT_EQ(ids_of(m, 1), (std::vector<int64_t>{0, 1, 4}));
  EXPECT_EQ(ids_of(m, 2), (std::vector<int64_t>{6}));
  EXPECT_EQ(ids_of(m, 3), (std::vector<int64_t>{5}));
  EXPECT_EQ(m.classes(), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(m.bytes_per_class(), (std::map<int64_t, uint64_t>{{1, 14}, {2, 8}, {3, 4}}));
  EXPECT_EQ(m.bytes_used(), 26u);
  EXPECT_EQ(m.size(), 5);
}
