#include "replay/budget.h"

#include "core/bytes.h"
#include "core/error.h"

namespace nnc::replay {

std::string MemoryBudget::describe() const {
  if (byte_mode())
    return fmt::format("budget {} ({} bytes, {} accounting): variable-size items, {} fixed",
                       format_bytes(budget_bytes), budget_bytes, accounting, format_bytes(fixed_bytes));
  return fmt::format("{} slots x {} B/item + {} B fixed = {} used of {} ({} accounting)", slots,
                     *item_bytes, fixed_bytes, format_bytes(slots * *item_bytes + fixed_bytes),
                     budget_bytes ? format_bytes(budget_bytes) : std::string("slot budget"), accounting);
}

ReplayMemory MemoryBudget::make_memory(uint64_t seed) const {
  if (byte_mode()) return ReplayMemory::with_bytes(budget_bytes - fixed_bytes, per_item_header(), seed);
  return ReplayMemory::with_slots(slots, seed);
}

namespace {
void check_stream(int64_t slots, int64_t stream_size, const std::string& why) {
  NNC_CHECK(stream_size <= 0 || slots <= stream_size,
            "{} gives {} slots but the stream has only {} samples: the memory would hold "
            "everything, so there is nothing to compress (lower the budget)",
            why, slots, stream_size);
}

int64_t notebook_slots(uint64_t budget, const CompressorDesign& c) {
  auto slots = c.notebook_slots(budget);
  NNC_CHECK(slots.has_value(),
            "accounting 'notebook' has no formula for compressor '{}' (the seeds never used it): use "
            "accounting 'real'", c.name());
  return *slots;
}
}  // namespace

void check_budget_request(const BudgetRequest& r) {
  NNC_CHECK(r.memory_size >= 0,
            "option 'memory_size': expected a number of slots >= 1 (or 0 to give the budget with "
            "--memory-bytes), got {}", r.memory_size);
  if (r.memory_size > 0) {
    NNC_CHECK(r.memory_bytes.empty(), "give either --memory-size (slots) or --memory-bytes, not both");
    return;
  }
  NNC_CHECK(!r.memory_bytes.empty(),
            "no memory budget: pass --memory-bytes (e.g. 10MiB) or --memory-size (slots)");
  parse_bytes(r.memory_bytes, "memory_bytes");
}

MemoryBudget plan_budget(const BudgetRequest& r, const CompressorDesign& compressor, int64_t stream_size) {
  check_budget_request(r);
  if (r.memory_size > 0) return plan_for_slots(r.memory_size, compressor, stream_size);
  return plan_for_bytes(parse_bytes(r.memory_bytes, "memory_bytes"), compressor, r.accounting,
                        stream_size);
}

MemoryBudget plan_for_bytes(uint64_t budget, const CompressorDesign& c, const std::string& accounting,
                            int64_t stream_size) {
  NNC_CHECK(accounting == "real" || accounting == "notebook",
            "option 'accounting': '{}' is not one of real, notebook", accounting);
  MemoryBudget p;
  p.accounting = accounting;
  p.budget_bytes = budget;
  p.fixed_bytes = c.fixed_bytes();
  p.item_bytes = c.item_bytes();
  NNC_CHECK(budget > 0, "option 'memory_bytes': a budget of 0 B holds no sample: give a positive "
            "size such as 100KiB (or --memory-size in slots)");
  NNC_CHECK(p.fixed_bytes <= budget,
            "memory budget {} is smaller than compressor '{}''s fixed cost {} (weights, dictionary "
            "or codebooks): raise --memory-bytes or pick a smaller compressor",
            format_bytes(budget), c.name(), format_bytes(p.fixed_bytes));
  NNC_CHECK(p.fixed_bytes < budget,
            "memory budget {} leaves nothing for samples: compressor '{}''s fixed cost (weights, "
            "dictionary or codebooks) takes all {} bytes; raise --memory-bytes",
            format_bytes(budget), c.name(), budget);
  if (p.byte_mode()) {
    NNC_CHECK(accounting == "real", "accounting 'notebook' needs a fixed-size compressor");
    return p;
  }
  p.slots = accounting == "notebook" ? notebook_slots(budget, c)
                                     : static_cast<int64_t>((budget - p.fixed_bytes) / *p.item_bytes);
  NNC_CHECK(p.slots >= 1,
            "memory budget {} fits no sample: compressor '{}' needs {} bytes per sample + {} fixed",
            format_bytes(budget), c.name(), *p.item_bytes, p.fixed_bytes);
  check_stream(p.slots, stream_size, fmt::format("memory budget {}", format_bytes(budget)));
  return p;
}

MemoryBudget plan_for_slots(int64_t slots, const CompressorDesign& c, int64_t stream_size) {
  NNC_CHECK(slots >= 1, "option 'memory_size': needs at least 1 slot, got {}", slots);
  NNC_CHECK(c.item_bytes().has_value(),
            "compressor '{}' has variable-size items: give the budget in bytes (--memory-bytes)", c.name());
  check_stream(slots, stream_size, fmt::format("memory_size {}", slots));
  MemoryBudget p;
  p.accounting = "slots";
  p.fixed_bytes = c.fixed_bytes();
  p.item_bytes = c.item_bytes();
  p.slots = slots;
  return p;
}

}  // namespace nnc::replay
