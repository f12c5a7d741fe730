#include <gtest/gtest.h>

#include "core/error.h"
#include "train/schedule.h"

using namespace nnc::train;

TEST(Schedule, GDumbSequenceFromReference) {
  ScheduleOptions o;
  o.name = "cosine-warm-restarts";
  o.lr = 0.05;
  o.eta_min = 0.0005;
  o.first_epoch_scale = 0.1;
  const double expected[] = {0.005, 0.05, 0.05, 0.02525, 0.05, 0.04275, 0.02525, 0.00775, 0.05};
  for (int e = 0; e < 9; ++e) EXPECT_NEAR(learning_rate(o, e), expected[e], 5e-6) << "epoch " << e;
  // Restarts at epochs 1, 2, 4, 8, 16, 32, 64.
  for (int e : {16, 32, 64}) EXPECT_NEAR(learning_rate(o, e), 0.05, 1e-12);
}

TEST(Schedule, CosineAndStep) {
  ScheduleOptions o;
  o.name = "cosine";
  o.lr = 1.0;
  o.epochs = 10;
  EXPECT_DOUBLE_EQ(learning_rate(o, 0), 1.0);
  EXPECT_NEAR(learning_rate(o, 5), 0.5, 1e-12);
  o.name = "step";
  o.step_size = 2;
  o.gamma = 0.5;
  EXPECT_DOUBLE_EQ(learning_rate(o, 3), 0.5);
  o.name = "linear";
  EXPECT_THROW(validate(o), nnc::Error);
}
