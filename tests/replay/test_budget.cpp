#include <gtest/gtest.h>

#include "core/error.h"
#include "replay/budget.h"
#include "replay/compressor.h"
#include "compressor_fixtures.h"

using namespace nnc::replay;
using namespace nnc::replay::testing;

namespace {
const uint64_t kTenMiB = 10ull * 1024 * 1024;
Representation cutr3() { return {{256, 2, 2}, false}; }
Representation cifar_raw() { return {{3, 32, 32}, true}; }

int64_t notebook(const CompressorSpec& o, const Representation& rep) {
  return plan_for_bytes(kTenMiB, design(o, rep), "notebook", 0).slots;
}
}  // namespace

// The seed notebooks' slot counts for CIFAR-10 at 10 MiB (issue text / seed 000).
TEST(NotebookAccounting, ReproducesSeedNumbers) {
  CompressorSpec none;
  EXPECT_EQ(notebook(none, cutr3()), 2560);
  EXPECT_EQ(notebook(none, cifar_raw()), 3413);
  CompressorSpec thin;
  thin.name = "thinning";
  thin.set("compression_factor", 0.9);
  EXPECT_EQ(notebook(thin, cutr3()), 17133);
  CompressorSpec q;
  q.name = "quantization";
  q.set("n_states", 8);
  q.set("strategy", "local");
  EXPECT_EQ(notebook(q, cutr3()), 25206);
  q.set("strategy", "transfer");
  EXPECT_EQ(notebook(q, cutr3()), 27306);
}

TEST(RealAccounting, UsesPackedSizes) {
  CompressorSpec q;
  q.name = "quantization";
  q.set("n_states", 8);
  auto plan = plan_for_bytes(kTenMiB, design(q, cutr3()), "real", 0);
  // 1024 values x 3 bits = 384 B + the per-sample range (2 floats), not 8 centres.
  EXPECT_EQ(plan.item_bytes.value_or(0), 392u);
  EXPECT_EQ(plan.slots, static_cast<int64_t>(kTenMiB / 392));
}

TEST(Budget, ImpossibleBudgetsAreRefused) {
  CompressorSpec none;
  auto c = design(none, cifar_raw());
  try {
    plan_for_bytes(1000, c, "real", 0);
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("fits no sample"), std::string::npos) << e.what();
  }
  try {
    plan_for_bytes(kTenMiB, c, "real", 1000);
    FAIL();
  } catch (const nnc::Error& e) {
    EXPECT_NE(std::string(e.what()).find("only 1000 samples"), std::string::npos) << e.what();
  }
  EXPECT_THROW(plan_for_slots(0, c, 0), nnc::Error);
  EXPECT_THROW(plan_for_bytes(kTenMiB, c, "napkin", 0), nnc::Error);
}
