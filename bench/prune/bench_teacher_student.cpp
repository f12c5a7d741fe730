// Teacher-student quality: does pruning the [2,25,25,1] student recover the [2,5,8,1]
// teacher's size (72 parameters)? Runs the procedure on the seed's data
// (docs/pruning.md#teacher-student) over a few seeds and prints nonzeros and alive neurons vs the teacher.
// Usage: bench-prune-teacher-student [--procedure drr|pmmp|rl1|layerwise] [--alpha A]
//        [--beta B] [--max-epochs N] [--min-epochs N] [--finetune N] [--window W]
//        [--delta D] [--seeds K] [--gauss 0|1] [--lr LR] [--delete 0|1]
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <string>

#include "core/progress.h"
#include "data/teacher_student.h"
#include "models/mlp.h"
#include "prune/neuron_deletion.h"
#include "prune/procedure.h"
#include "train/runtime.h"

using namespace nnc;

int main(int argc, char** argv) {
  OptionValues v{{"procedure", std::string("drr")}, {"alpha", 1e-2}, {"beta", 5.0}, {"gauss_loss", true},
                 {"lr", 5e-4}, {"max_epochs", int64_t{20000}}, {"min_epochs", int64_t{2000}},
                 {"prune_window", int64_t{50}}, {"smoothing_window", int64_t{500}},
                 {"finetuning_max_epochs", int64_t{5000}}, {"train_batch_size", int64_t{300}},
                 {"val_batch_size", int64_t{0}}, {"delete_neurons", true}};
  int seeds = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return std::string(i + 1 < argc ? argv[++i] : "0"); };
    if (a == "--procedure") v["procedure"] = next();
    else if (a == "--alpha") v["alpha"] = std::stod(next());
    else if (a == "--beta") v["beta"] = std::stod(next());
    else if (a == "--lr") v["lr"] = std::stod(next());
    else if (a == "--max-epochs") v["max_epochs"] = static_cast<int64_t>(std::stoll(next()));
    else if (a == "--min-epochs") v["min_epochs"] = static_cast<int64_t>(std::stoll(next()));
    else if (a == "--finetune") v["finetuning_max_epochs"] = static_cast<int64_t>(std::stoll(next()));
    else if (a == "--window") v["smoothing_window"] = static_cast<int64_t>(std::stoll(next()));
    else if (a == "--delta") v["tolerated_relative_loss_increase"] = std::stod(next());
    else if (a == "--gauss") v["gauss_loss"] = next() == "1";
    else if (a == "--delete") v["delete_neurons"] = next() == "1";
    else if (a == "--shrinking") v["shrinking"] = next() == "1";
    else if (a == "--seeds") seeds = std::stoi(next());
    else {
      fmt::print(stderr, "unknown argument {}\n", a);
      return 2;
    }
  }
  fmt::print("threads: {}\n", train::configure_threads(1));
  Progress::set_quiet(true);
  int reached_2x = 0;
  for (int s = 0; s < seeds; ++s) {
    auto t0 = std::chrono::steady_clock::now();
    auto d = data::make_teacher_student(static_cast<uint64_t>(s));
    prune::PruneData pd;
    pd.train = std::make_shared<train::TensorSource>(d.train.inputs, d.train.targets);
    pd.val = std::make_shared<train::TensorSource>(d.val.inputs, d.val.targets);
    pd.test = std::make_shared<train::TensorSource>(d.test.inputs, d.test.targets);
    torch::manual_seed(static_cast<uint64_t>(s) + data::kStudentSeedOffset);
    auto mlp = std::make_shared<models::MLP>(std::vector<int64_t>{2, 25, 25, 1}, std::vector<std::string>{"tanh"});
    {
      torch::NoGradGuard g;  // Flux's default init: Glorot uniform, zero bias
      for (auto& lin : mlp->linears()) {
        double limit = std::sqrt(6.0 / static_cast<double>(lin->weight.size(0) + lin->weight.size(1)));
        torch::Tensor(lin->weight).uniform_(-limit, limit);
        torch::Tensor(lin->bias).zero_();
      }
    }
    auto out = prune::run_pruning(mlp, pd, prune::prune_setup_from(v, static_cast<uint64_t>(s)));
    auto alive = prune::alive_widths(*mlp);
    // Test MSE of the teacher itself (the noise floor): 0.08^2 = 0.0064.
    torch::NoGradGuard g;
    double student_mse = torch::mse_loss(mlp->forward(d.test.inputs), d.test.targets).item<double>();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bool ok = out.nonzeros <= 2 * 72;
    reached_2x += ok;
    fmt::print("seed {}: {} nonzeros ({:.2f}x the teacher's 72), alive widths {} (teacher 2-5-8-1), test MSE {:.5f} "
               "(noise floor 0.0064), epochs {}+{}, {:.1f} s [{}]\n",
               s, out.nonzeros, out.nonzeros / 72.0, fmt::join(alive, "-"), student_mse, out.phase1_epochs,
               out.phase3_epochs, secs, out.engine);
  }
  auto shown = [&](const char* key) { return value_to_string(v.at(key)); };
  fmt::print("{} {} alpha={} beta={}: {}/{} seeds within 2x of the teacher's 72 parameters\n", shown("procedure"),
             std::get<bool>(v.at("gauss_loss")) ? "gauss" : "mse", shown("alpha"), shown("beta"), reached_2x, seeds);
  return 0;
}
