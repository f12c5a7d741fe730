// The report tests' replay runs carry report tags written as fixture data (test-report stays
// torch-free). Here every spec those tests use is checked against what the real encoder and
// compressor plug-ins give for the same options, as the replay kind records them.
#include <gtest/gtest.h>

#include "fake_runs.h"
#include "replay/compressor.h"
#include "replay/encoder.h"

using namespace nnc;
using nnc::report::testing::ReplaySpec;

namespace {

OptionValues options_of(const ReplaySpec& s) {
  OptionValues values{{"encoder", s.encoder}, {"encoding_block", s.block},
                      {"compressor", s.compressor}, {"strategy", s.strategy}};
  if (s.param_key == "compression_factor") values[s.param_key] = s.param;
  else if (!s.param_key.empty()) values[s.param_key] = static_cast<int64_t>(s.param);
  return values;
}

}  // namespace

TEST(ReportFixtures, RecordedTagsAreWhatThePlugInsGive) {
  const auto specs = report::testing::replay_specs_in_use();
  ASSERT_GT(specs.size(), 20u);
  for (const auto& s : specs) {
    const auto values = options_of(s);
    auto real = replay::encoder_registry().run_tags(values, "encoder");
    real.merge(replay::compressor_registry().run_tags(values, "compressor"));
    EXPECT_EQ(report::testing::recorded_plugin_tags(s), real)
        << s.encoder << " + " << s.compressor << " " << s.param_key << "=" << s.param;
  }
}
