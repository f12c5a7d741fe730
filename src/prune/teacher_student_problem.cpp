#include "prune/teacher_student_problem.h"

#include <fmt/format.h>
#include <fmt/ranges.h>  // fmt::join (its home since fmt 11)
#include <torch/torch.h>

#include <cmath>

#include "core/error.h"
#include "data/teacher_student.h"
#include "models/mlp.h"
#include "prune/neuron_deletion.h"
#include "prune/prune_options.h"

namespace nnc::prune {
namespace {

/// Flux's Dense default: Glorot-uniform weights, zero biases.
void glorot_init(models::MLP& mlp) {
  torch::NoGradGuard g;
  for (auto& lin : mlp.linears()) {
    double limit = std::sqrt(6.0 / static_cast<double>(lin->weight.size(0) + lin->weight.size(1)));
    lin->weight.uniform_(-limit, limit);
    lin->bias.zero_();
  }
}

}  // namespace

const OptionFields<TeacherStudentSetup>& TeacherStudentSetup::fields() {
  using O = TeacherStudentSetup;
  static const auto f = OptionFields<O>()
      .add("teacher", &O::teacher, "teacher-student: teacher widths, input first")
      .add("student", &O::student, "teacher-student: student widths, input first")
      .add("student_activation", &O::student_activation, "teacher-student: student hidden activation")
      .add("n_train", &O::n_train, "teacher-student: training samples (one batch)")
      .add("n_val", &O::n_val, "teacher-student: validation samples")
      .add("n_test", &O::n_test, "teacher-student: test samples")
      .add("noise", &O::noise, "teacher-student: label noise STANDARD DEVIATION");
  return f;
}

PruneProblem teacher_student_problem(const TeacherStudentSetup& setup, uint64_t seed, const torch::Device& device) {
  PruneProblem p;
  p.teacher_sizes = parse_layer_list(setup.teacher, "teacher");
  auto student = parse_layer_list(setup.student, "student");
  NNC_CHECK(student.front() == p.teacher_sizes.front() && student.back() == p.teacher_sizes.back(),
            "option 'student': {} must have the teacher's input and output widths ({} and {})", setup.student,
            p.teacher_sizes.front(), p.teacher_sizes.back());
  data::TeacherStudentOptions to;
  to.teacher_sizes = p.teacher_sizes;
  to.n_train = setup.n_train;
  to.n_val = setup.n_val;
  to.n_test = setup.n_test;
  to.noise_std = setup.noise;
  auto d = data::make_teacher_student(seed, to);
  p.teacher_parameters = data::parameter_count(d.teacher);
  auto source = [&](const data::Dataset& s) { return std::make_shared<train::TensorSource>(s, device); };
  p.data.train = source(d.train), p.data.val = source(d.val), p.data.test = source(d.test);
  torch::manual_seed(seed + data::kStudentSeedOffset);
  auto mlp = std::make_shared<models::MLP>(student, std::vector<std::string>{setup.student_activation});
  glorot_init(*mlp);
  mlp->to(device);
  p.model = mlp;
  return p;
}

TeacherComparison compare_with_teacher(const PruneProblem& problem, int64_t nonzeros) {
  auto* mlp = dynamic_cast<const models::MLP*>(problem.model.get());
  NNC_CHECK(mlp && !problem.teacher_sizes.empty(), "prune: a teacher comparison needs a teacher-student problem");
  TeacherComparison c;
  c.alive_widths = alive_widths(*mlp);
  c.teacher_widths = problem.teacher_sizes;
  c.nonzeros = nonzeros;
  c.teacher_parameters = problem.teacher_parameters;
  const auto& teacher = problem.teacher_sizes;
  c.reached_neurons = c.alive_widths.size() == teacher.size();
  for (size_t i = 1; c.reached_neurons && i + 1 < teacher.size(); ++i)
    c.reached_neurons = c.alive_widths[i] <= teacher[i];
  c.reached_nonzeros = nonzeros <= problem.teacher_parameters;
  c.nonzeros_over_teacher = static_cast<double>(nonzeros) / static_cast<double>(problem.teacher_parameters);
  return c;
}

std::string TeacherComparison::describe() const {
  auto reached = [](bool r) { return r ? "reached" : "not reached"; };
  return fmt::format("student nonzeros {} vs teacher {} ({}), alive widths {} vs teacher {} ({})", nonzeros,
                     teacher_parameters, reached(reached_nonzeros), fmt::join(alive_widths, "-"),
                     fmt::join(teacher_widths, "-"), reached(reached_neurons));
}

}  // namespace nnc::prune
