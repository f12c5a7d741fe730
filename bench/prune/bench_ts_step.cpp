// Teacher-student training step: fused Eigen path vs the LibTorch path vs PyTorch Python.
// Usage: bench-prune-ts-step [--steps N] [--threads T] [--no-python]
// The same step everywhere: [2,25,25,1] tanh student, 300 samples (one batch), MSE at
// theta*m, DRR gradient, Adam, theta *= m.
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/progress.h"
#include "data/teacher_student.h"
#include "models/mlp.h"
#include "prune/drr.h"
#include "prune/fused_mlp.h"
#include "prune/torch_engine.h"
#include "train/runtime.h"

using namespace nnc::prune;

namespace {
double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

struct Setup {
  std::shared_ptr<nnc::models::MLP> net;
  std::unique_ptr<Masks> masks;
  std::unique_ptr<DrrRegularizer> reg;
  DataLoss loss;
  Setup() {
    torch::manual_seed(0);
    net = std::make_shared<nnc::models::MLP>(std::vector<int64_t>{2, 25, 25, 1}, std::vector<std::string>{"tanh"});
    masks = std::make_unique<Masks>(*net);
    reg = std::make_unique<DrrRegularizer>(*masks, DrrOptions{1e-3, 5, 0, false, true});
  }
};

double python_step_us(int steps, int threads) {
  std::string cmd = fmt::format("OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 {}/ts_step.py --steps {} --threads {} 2>&1",
                                NNC_BENCH_DIR, steps, threads);
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[512];
  double us = -1;
  while (fgets(buf, sizeof buf, p))
    if (std::strncmp(buf, "step_us=", 8) == 0) us = std::atof(buf + 8);
    else fmt::print(stderr, "[python] {}", buf);
  pclose(p);
  return us;
}
}  // namespace

int main(int argc, char** argv) {
  int steps = 3000, threads = 1;
  bool python = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--steps" && i + 1 < argc) steps = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (a == "--no-python") python = false;
    else {
      fmt::print(stderr, "usage: bench-prune-ts-step [--steps N] [--threads T] [--no-python]\n");
      return 2;
    }
  }
  nnc::Progress::set_quiet(true);
  fmt::print("threads: {}\n", nnc::train::configure_threads(threads));
  auto data = nnc::data::make_teacher_student(0);
  nnc::train::TensorSource train(data.train.inputs, data.train.targets);

  // Fused path: the step alone.
  Setup f;
  FusedMlpOptions fo;
  fo.batch_size = 300;
  FusedMlpEngine fused(*f.net, *f.masks, f.reg.get(), f.loss, train, fo);
  auto x = data.train.inputs.contiguous(), y = data.train.targets.contiguous();
  for (int i = 0; i < 200; ++i) fused.step(x, y);
  double t0 = now();
  for (int i = 0; i < steps; ++i) fused.step(x, y);
  double fused_us = (now() - t0) / steps * 1e6;
  // Fused path: a whole epoch as the procedure runs it (step + callback; no eval).
  double t1 = now();
  fused.fit(steps, [](const EpochReport&) { return false; });
  double fused_epoch_us = (now() - t1) / steps * 1e6;

  // LibTorch path: the raw loop (forward, backward, masks, DRR, Adam) without the Trainer.
  Setup t;
  torch::optim::Adam adam(t.net->parameters(), torch::optim::AdamOptions(1e-3));
  auto raw_step = [&] {
    auto out = t.net->forward(x);
    auto loss = torch::mse_loss(out, y);
    adam.zero_grad();
    loss.backward();
    t.masks->mask_gradients();
    t.reg->add_gradients();
    adam.step();
    t.masks->apply();
    return loss.item<double>();
  };
  for (int i = 0; i < 200; ++i) raw_step();
  double t2 = now();
  for (int i = 0; i < steps; ++i) raw_step();
  double torch_raw_us = (now() - t2) / steps * 1e6;
  // LibTorch path through the Trainer (what `fused = off` runs): one epoch = one step.
  Setup t3;
  nnc::train::TrainOptions to;
  to.optimizer("adam").lr(1e-3).batch_size(300).label("bench");
  TorchEngine engine(*t3.net, *t3.masks, t3.reg.get(), t3.loss, train, to, true, 0);
  double t4 = now();
  engine.fit(steps, [](const EpochReport&) { return false; });
  double torch_trainer_us = (now() - t4) / steps * 1e6;

  fmt::print("teacher-student step ([2,25,25,1] tanh, 300 samples, DRR, Adam), {} steps:\n", steps);
  fmt::print("  fused (Eigen, {}) step   {:9.1f} us\n", FusedMlpEngine::isa(), fused_us);
  fmt::print("  fused epoch (procedure loop) {:9.1f} us\n", fused_epoch_us);
  fmt::print("  LibTorch raw loop            {:9.1f} us   ({:.1f}x slower than fused)\n", torch_raw_us,
             torch_raw_us / fused_us);
  fmt::print("  LibTorch Trainer epoch       {:9.1f} us   ({:.1f}x slower than fused)\n", torch_trainer_us,
             torch_trainer_us / fused_us);
  if (python) {
    double py = python_step_us(steps, threads);
    if (py > 0) {
      fmt::print("  PyTorch Python loop          {:9.1f} us\n", py);
      fmt::print("ratio PyTorch Python / fused step: {:.1f}x (target >= 5x)\n", py / fused_us);
      fmt::print("ratio PyTorch Python / LibTorch raw: {:.2f}x\n", py / torch_raw_us);
    } else {
      fmt::print("  PyTorch Python: /usr/bin/python3 with torch not available\n");
    }
  }
  return 0;
}
