#pragma once
// What a pruning run prunes: a model and its three data sets, on the run's device. Built
// here for a zoo model on a classification set (classification_problem) or for the
// teacher-student task (teacher_student_problem.h), so that a kind only parses and records.
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/options.h"
#include "data/dataset.h"
#include "models/model.h"
#include "prune/procedure.h"

namespace nnc::prune {

struct PruneProblem {
  models::ModelPtr model;           ///< on the device
  PruneData data;                   ///< resident on the device
  std::vector<int64_t> teacher_sizes;  ///< teacher-student only: the teacher's widths
  int64_t teacher_parameters = 0;      ///< teacher-student only
};

/// The options of a classification problem (a zoo model on a labelled data set).
struct ClassificationSetup {
  double val_fraction = 0.1;  ///< of the training set, held out for validation
  std::string model = "lenet300100";
  std::string activation = "relu";  ///< zoo MLPs' activation

  static const OptionFields<ClassificationSetup>& fields();
};

/// Splits validation rows off `train` (their own seed stream, unlike the original whose val
/// and test seeds collided), builds the model (torch seed `seed`) and moves both to `device`.
/// `model_options` describe the data's shape and classes.
PruneProblem classification_problem(const data::Dataset& train, const data::Dataset& test,
                                     const ClassificationSetup& setup, models::ModelOptions model_options,
                                     uint64_t seed, const torch::Device& device);

}  // namespace nnc::prune
