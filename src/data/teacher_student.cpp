// Teacher-student data: everything drawn from explicit torch CPU generators so the
// global RNG (used by model init elsewhere) is never consumed.
#include "data/teacher_student.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"

namespace nnc::data {

void TeacherStudentOptions::validate() const {
  NNC_CHECK(teacher_sizes.size() >= 2, "teacher_sizes: expected at least input and output width");
  for (auto w : teacher_sizes) NNC_CHECK(w > 0, "teacher_sizes: width {} must be positive", w);
  NNC_CHECK(n_train > 0 && n_val >= 0 && n_test > 0,
            "teacher-student: set sizes must be positive (train {}, val {}, test {})", n_train,
            n_val, n_test);
  NNC_CHECK(noise_std >= 0, "teacher-student: noise_std {} must be >= 0", noise_std);
}

std::vector<DenseLayer> make_teacher(uint64_t seed, const TeacherStudentOptions& o) {
  o.validate();
  auto gen = at::detail::createCPUGenerator(seed + kTeacherSeedOffset);
  std::vector<DenseLayer> net;
  for (size_t l = 0; l + 1 < o.teacher_sizes.size(); ++l) {
    const int64_t in = o.teacher_sizes[l], out = o.teacher_sizes[l + 1];
    const double limit = std::sqrt(6.0 / static_cast<double>(in + out));  // Glorot uniform
    DenseLayer d;
    d.weight = torch::empty({out, in}, torch::kFloat32).uniform_(-limit, limit, gen);
    d.bias = torch::zeros({out}, torch::kFloat32);
    net.push_back(std::move(d));
  }
  // The original's rescaling makes the teacher non-trivial (docs/pruning.md#teacher-student).
  net[0].weight = 2 * net[0].weight + 1;
  if (net.size() > 1) net[1].weight = 2 * net[1].weight;
  return net;
}

torch::Tensor teacher_forward(const std::vector<DenseLayer>& teacher, const torch::Tensor& x) {
  torch::NoGradGuard no_grad;
  auto h = x;
  for (size_t l = 0; l < teacher.size(); ++l) {
    h = torch::nn::functional::linear(h, teacher[l].weight, teacher[l].bias);
    if (l + 1 < teacher.size()) h = torch::tanh(h);
  }
  return h;
}

int64_t parameter_count(const std::vector<DenseLayer>& net) {
  int64_t n = 0;
  for (const auto& d : net) n += d.weight.numel() + d.bias.numel();
  return n;
}

TeacherStudentData make_teacher_student(uint64_t seed, const TeacherStudentOptions& o) {
  TeacherStudentData data;
  data.teacher = make_teacher(seed, o);
  const int64_t in = o.teacher_sizes.front();
  auto make = [&](int64_t n, uint64_t set_seed) {
    auto gen = at::detail::createCPUGenerator(set_seed);
    Dataset d;
    d.name = "teacher-student";
    d.inputs = torch::empty({n, in}, torch::kFloat32).uniform_(-1.0, 1.0, gen);
    auto noise = torch::empty({n, o.teacher_sizes.back()}, torch::kFloat32).normal_(0.0, 1.0, gen);
    d.targets = teacher_forward(data.teacher, d.inputs) + o.noise_std * noise;
    return d;
  };
  data.train = make(o.n_train, seed + 1);
  data.val = make(o.n_val, seed + 2);
  data.test = make(o.n_test, seed + 3);
  return data;
}

}  // namespace nnc::data
