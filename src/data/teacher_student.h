#pragma once
// Teacher-student regression (docs/pruning.md#teacher-student).
//
// Teacher MLP [2,5,8,1], activations tanh, tanh, identity. Init as Flux's Dense default
// (the original is Julia/Flux): Glorot-uniform weights, zero biases; then W1 = 2*W1 + 1,
// W2 = 2*W2 (weights only). x ~ U[-1,1]^2, y = teacher(x) + N(0, 0.08^2), 0.08 being the
// noise STANDARD DEVIATION. Sets: train 300, val 1000, test 5000.
// Seeds (torch CPU generators): teacher seed+35, train seed+1, val seed+2, test seed+3
// (the original reused seed+2 for test, so test x equalled val x; fixed here).
// The student model (seed+43) belongs to the models pillar: kStudentSeedOffset.
#include <torch/types.h>

#include <vector>

#include "data/dataset.h"

namespace nnc::data {

inline constexpr uint64_t kTeacherSeedOffset = 35;
inline constexpr uint64_t kStudentSeedOffset = 43;

/// One dense layer y = x W^T + b (weight [out,in], bias [out]), float32.
struct DenseLayer {
  torch::Tensor weight, bias;
};

struct TeacherStudentOptions {
  std::vector<int64_t> teacher_sizes = {2, 5, 8, 1};  ///< widths, input first
  int64_t n_train = 300;
  int64_t n_val = 1000;
  int64_t n_test = 5000;
  double noise_std = 0.08;  ///< standard deviation of the label noise
  void validate() const;
};

struct TeacherStudentData {
  Dataset train, val, test;          ///< inputs float32 [N,2], targets float32 [N,1]
  std::vector<DenseLayer> teacher;   ///< the generating network
};

/// The teacher network for `seed` (uses seed + kTeacherSeedOffset).
std::vector<DenseLayer> make_teacher(uint64_t seed, const TeacherStudentOptions& options = {});
/// tanh on hidden layers, identity on the last: [N,in] -> [N,out].
torch::Tensor teacher_forward(const std::vector<DenseLayer>& teacher, const torch::Tensor& x);
/// Weights + biases (72 for the default teacher).
int64_t parameter_count(const std::vector<DenseLayer>& net);
/// All three sets and the teacher.
TeacherStudentData make_teacher_student(uint64_t seed, const TeacherStudentOptions& options = {});

}  // namespace nnc::data
