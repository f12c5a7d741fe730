#include "replay/budget.h"

#include <cmath>

#include "core/bytes.h"
#include "core/error.h"

namespace nnc::replay {

std::string BudgetPlan::describe() const {
  if (byte_mode())
    return fmt::format("budget {} ({} bytes, {} accounting): variable-size items, {} fixed",
                       format_bytes(budget_bytes), budget_bytes, accounting, format_bytes(fixed_bytes));
  return fmt::format("{} slots x {} B/item + {} B fixed = {} used of {} ({} accounting)", slots,
                     item_bytes, fixed_bytes, format_bytes(slots * item_bytes + fixed_bytes),
                     budget_bytes ? format_bytes(budget_bytes) : std::string("slot budget"), accounting);
}

int64_t notebook_slots(uint64_t budget_bytes, const Compressor& c, const CompressorOptions& o,
                       const Representation& rep) {
  const double B = static_cast<double>(budget_bytes);
  const int64_t N = rep.numel();
  const int64_t vb = rep.raw_pixels ? 1 : 4;  // notebook: 1-byte uints for raw, 4-byte floats
  const std::string& name = c.name();
  auto floor_div = [](double a, double b) { return static_cast<int64_t>(std::floor(a / b)); };
  if (name == "none") return floor_div(B, static_cast<double>(N * vb));
  if (name == "thinning") {
    auto k = static_cast<int64_t>(std::floor(N * (1.0 - o.compression_factor)));
    return floor_div(B, static_cast<double>(k * vb + k * 2));
  }
  if (name == "quantization") {
    int bits = static_cast<int>(std::ceil(std::log2(static_cast<double>(o.n_states))));
    double packed = std::ceil(N * bits / 8.0);
    if (o.strategy == "local")  // n centres per sample: floats for features, bytes for raw
      return floor_div(B, packed + static_cast<double>(o.n_states) * (rep.raw_pixels ? 1 : 4));
    return floor_div(B - 4.0 * o.n_states, packed);
  }
  if (name == "fcae") return floor_div(B - static_cast<double>(c.fixed_bytes()), 4.0 * o.bottleneck_neurons);
  if (name == "convae") {
    // Seed 000 subtracts the autoencoder size in MiB from a budget in bytes (a quirk kept here).
    double latent = static_cast<double>(c.item_bytes()) / 4.0;
    return floor_div(B - static_cast<double>(c.fixed_bytes()) / (1024.0 * 1024.0), latent * 4.0);
  }
  fail("accounting 'notebook' has no formula for compressor '{}' (the seeds never used it): use "
       "accounting 'real'", name);
}

namespace {
void check_stream(int64_t slots, int64_t stream_size, const std::string& why) {
  NNC_CHECK(stream_size <= 0 || slots <= stream_size,
            "{} gives {} slots but the stream has only {} samples: the memory would hold "
            "everything, so there is nothing to compress (lower the budget)",
            why, slots, stream_size);
}
}  // namespace

BudgetPlan plan_for_bytes(uint64_t budget, const Compressor& c, const CompressorOptions& o,
                          const Representation& rep, const std::string& accounting,
                          int64_t stream_size) {
  NNC_CHECK(accounting == "real" || accounting == "notebook",
            "option 'accounting': '{}' is not one of real, notebook", accounting);
  BudgetPlan p;
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
  p.slots = accounting == "notebook" ? notebook_slots(budget, c, o, rep)
                                     : static_cast<int64_t>((budget - p.fixed_bytes) / p.item_bytes);
  NNC_CHECK(p.slots >= 1,
            "memory budget {} fits no sample: compressor '{}' needs {} bytes per sample + {} fixed",
            format_bytes(budget), c.name(), p.item_bytes, p.fixed_bytes);
  check_stream(p.slots, stream_size, fmt::format("memory budget {}", format_bytes(budget)));
  return p;
}

BudgetPlan plan_for_slots(int64_t slots, const Compressor& c, int64_t stream_size) {
  NNC_CHECK(slots >= 1, "option 'memory_size': needs at least 1 slot, got {}", slots);
  NNC_CHECK(c.item_bytes() > 0,
            "compressor '{}' has variable-size items: give the budget in bytes (--memory-bytes)", c.name());
  check_stream(slots, stream_size, fmt::format("memory_size {}", slots));
  BudgetPlan p;
  p.accounting = "slots";
  p.fixed_bytes = c.fixed_bytes();
  p.item_bytes = c.item_bytes();
  p.slots = slots;
  return p;
}

}  // namespace nnc::replay
