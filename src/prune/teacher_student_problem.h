#pragma once
// The teacher-student task as a pruning problem (docs/pruning.md#teacher-student): the data
// of data/teacher_student.h and a wider student MLP initialised as Flux's Dense default (the
// original is Julia): Glorot-uniform weights, zero biases. After the run, how the pruned
// student compares with the teacher that generated the data.
#include <cstdint>
#include <string>
#include <vector>

#include "core/options.h"
#include "prune/problem.h"

namespace nnc::prune {

struct TeacherStudentSetup {
  std::string teacher = "2,5,8,1";    ///< teacher widths, input first
  std::string student = "2,25,25,1";  ///< student widths, input first
  std::string student_activation = "tanh";
  int64_t n_train = 300;              ///< one batch with the default batch size
  int64_t n_val = 1000;
  int64_t n_test = 5000;
  double noise = 0.08;                ///< label noise STANDARD DEVIATION

  static const OptionFields<TeacherStudentSetup>& fields();
};

/// The data (seed as data/teacher_student.h says), the student (torch seed
/// seed + kStudentSeedOffset), both on `device`. Errors name the option.
PruneProblem teacher_student_problem(const TeacherStudentSetup& setup, uint64_t seed, const torch::Device& device);

struct TeacherComparison {
  std::vector<int64_t> alive_widths;  ///< the student's, input first
  std::vector<int64_t> teacher_widths;
  int64_t nonzeros = 0, teacher_parameters = 0;
  bool reached_nonzeros = false;      ///< nonzeros <= the teacher's parameters
  bool reached_neurons = false;       ///< every hidden layer no wider than the teacher's
  double nonzeros_over_teacher = 0;

  /// "student nonzeros N vs teacher M (reached), alive widths a-b-c vs teacher ... (not reached)".
  std::string describe() const;
};

/// How the pruned student (`problem.model`, an MLP) with `nonzeros` compares with its teacher.
TeacherComparison compare_with_teacher(const PruneProblem& problem, int64_t nonzeros);

}  // namespace nnc::prune
