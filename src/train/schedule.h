#pragma once
// Learning rate per epoch, as a pure function (testable against GDumb's sequence, docs/replay.md#training).
#include <cstdint>
#include <string>

namespace nnc::train {

struct ScheduleOptions {
  std::string name = "none";       ///< none | cosine | cosine-warm-restarts | step
  double lr = 0.05;
  double eta_min = 0.0;
  int64_t epochs = 1;              ///< for cosine
  int64_t t0 = 1, t_mult = 2;      ///< for cosine-warm-restarts
  int64_t step_size = 30;          ///< for step
  double gamma = 0.1;              ///< for step
  /// Epoch 0 runs at lr * this (GDumb: 0.1); the schedule then starts at epoch 1.
  double first_epoch_scale = 1.0;
};

void validate(const ScheduleOptions& o);
double learning_rate(const ScheduleOptions& o, int64_t epoch);

}  // namespace nnc::train
