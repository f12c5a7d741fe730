// Training throughput: the C++ loop vs the identical loop in PyTorch Python (train_peer.py).
// Usage: bench-train [--model lenet5|resnet18-gdumb|replay-backbone|all] [--steps N] [--threads T]
//                    [--channels-last] [--precision fp32|bf16|fp16] [--eval] [--device D]
//                    [--repeats R] [--no-python]
// LeNet-5-Caffe on real Fashion-MNIST batches of 128, the GDumb ResNet-18 on 32x32x3 batches
// of 16; SGD(0.05, momentum 0.9, wd 1e-6); a loss.item() per step in both. --eval times
// inference instead (batch 256, inference mode). Both sides run at the same precision
// (autocast) and layout. Each repeat runs C++ then Python and the ratio is taken pair by pair
// (the machine's speed drifts); the median ratio is printed. The Python peer runs under BOTH
// OpenMP wait policies each repeat and its faster one counts (its best settings, not ours).
// Target: >= 1.0 on every line.
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/progress.h"
#include "data/loader.h"
#include "models/zoo.h"
#include "train/evaluate.h"
#include "train/precision.h"
#include "train/runtime.h"
#include "train/trainer.h"

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Bench {
  std::string model;
  int64_t batch;
  double width = 1.0;      ///< GDumb ResNet channel multiplier
  int64_t channels = 3, side = 32;
};

struct Settings {
  bool channels_last = false, eval = false;
  nnc::train::Precision precision = nnc::train::Precision::fp32;
  std::string device = "cpu";
};

double cpp_samples_per_s(const Bench& b, int steps, int warmup, const Settings& set) {
  const bool channels_last = set.channels_last;
  const torch::Device device(set.device);
  torch::manual_seed(0);
  torch::Tensor x_all, y_all;
  nnc::models::ModelOptions mo;
  if (b.model == "lenet5") {
    nnc::data::DataOptions d;
    d.name = "fashion-mnist";
    d.limit_train = b.batch * 32;
    d.limit_test = 1;
    auto [train, test] = nnc::data::load_dataset(d);
    x_all = train.normalized();
    y_all = train.targets;
    mo.input(1, 28, 28);
  } else {
    const int64_t n = b.batch * 8;
    x_all = torch::randn({n, b.channels, b.side, b.side});
    y_all = torch::randint(0, 10, {n}, torch::kLong);
    mo.input(b.channels, b.side, b.side).width(b.width);
  }
  if (set.eval) {
    x_all = torch::randn({512, x_all.size(1), x_all.size(2), x_all.size(3)});
    y_all = torch::randint(0, 10, {512}, torch::kLong);
  }
  const int64_t batch = set.eval ? 256 : b.batch;
  auto net = nnc::models::make_model(b.model, mo);
  net->to(device);
  if (channels_last) nnc::train::to_channels_last(*net);
  // The Trainer's own input preparation: device, then NHWC for images when channels-last.
  x_all = nnc::train::ExecutionOptions(device, set.precision, channels_last).prepare_input(x_all);
  y_all = y_all.to(device);
  std::vector<std::pair<torch::Tensor, torch::Tensor>> batches;
  for (int64_t i = 0; i < x_all.size(0); i += batch)
    batches.emplace_back(x_all.narrow(0, i, batch), y_all.narrow(0, i, batch));
  torch::optim::SGD opt(net->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-6));
  if (set.eval) net->eval();
  else net->train();
  auto step = [&](int i) {
    const auto& [x, y] = batches[i % batches.size()];
    if (set.eval) {
      c10::InferenceMode inference;
      nnc::train::AutocastScope autocast(set.precision, device);
      return static_cast<double>(net->forward(x).to(torch::kFloat32).argmax(1).sum().item<int64_t>());
    }
    torch::Tensor out;
    {
      nnc::train::AutocastScope autocast(set.precision, device);
      out = net->forward(x);
    }
    auto loss = torch::nn::functional::cross_entropy(out.to(torch::kFloat32), y);
    opt.zero_grad();
    loss.backward();
    opt.step();
    return loss.item<double>();
  };
  for (int i = 0; i < warmup; ++i) step(i);
  double t0 = now();
  for (int i = 0; i < steps; ++i) step(i);
  return steps * batch / (now() - t0);
}

double python_samples_per_s(const Bench& b, int steps, int warmup, int threads, const Settings& set,
                            const char* wait_policy) {
  std::string cmd = fmt::format(
      "OMP_WAIT_POLICY={} /usr/bin/python3 {}/train_peer.py --model {} --steps {} --warmup {} "
      "--threads {} --width {} --channels {} --side {} --precision {} --device {}{}{} 2>&1",
      wait_policy, NNC_BENCH_DIR, b.model, steps, warmup, threads, b.width, b.channels, b.side,
      nnc::train::to_string(set.precision), set.device, set.channels_last ? " --channels-last" : "",
      set.eval ? " --eval" : "");
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[512];
  double v = -1;
  while (fgets(buf, sizeof buf, p))
    if (std::strncmp(buf, "samples_per_s=", 14) == 0) v = std::atof(buf + 14);
    else fmt::print(stderr, "[python] {}", buf);
  pclose(p);
  return v;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  const size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : 0.5 * (v[h - 1] + v[h]);
}
}  // namespace

int main(int argc, char** argv) {
  std::string which = "all";
  int steps = 0, threads = 0, repeats = 3;
  bool python = true;
  Settings set;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--model" && i + 1 < argc) which = argv[++i];
    else if (a == "--steps" && i + 1 < argc) steps = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (a == "--repeats" && i + 1 < argc) repeats = std::max(1, std::atoi(argv[++i]));
    else if (a == "--channels-last") set.channels_last = true;
    else if (a == "--eval") set.eval = true;
    else if (a == "--precision" && i + 1 < argc) set.precision = nnc::train::parse_precision(argv[++i]);
    else if (a == "--device" && i + 1 < argc) set.device = argv[++i];
    else if (a == "--no-python") python = false;
    else {
      fmt::print(stderr,
                 "usage: bench-train [--model lenet5|resnet18-gdumb|replay-backbone|all] [--steps N] [--threads T] "
                 "[--channels-last] [--precision fp32|bf16|fp16] [--eval] [--device D] [--repeats R] [--no-python]\n");
      return 2;
    }
  }
  nnc::Progress::set_quiet(true);
  nnc::train::check_precision(set.precision, torch::Device(set.device));
  fmt::print("threads: {}\n", nnc::train::configure_threads(threads));
  const int nthreads = torch::get_num_threads();
  std::vector<Bench> benches;
  // The two lines, then the replay backbone the main job trains (x0.125 on 28x28x1).
  for (Bench b : {Bench{"lenet5", 128}, Bench{"resnet18-gdumb", 16},
                  Bench{"resnet18-gdumb", 16, 0.125, 1, 28}})
    if (which == "all" || which == b.model || (which == "replay-backbone" && b.width < 1))
      if (which != "resnet18-gdumb" || b.width == 1) benches.push_back(b);
  if (benches.empty()) {
    fmt::print(stderr, "bench-train: unknown --model '{}' (lenet5, resnet18-gdumb, all)\n", which);
    return 2;
  }
  for (const auto& b : benches) {
    const int n = steps > 0 ? steps : (b.model == "lenet5" ? 200 : b.width < 1 ? 150 : 30);
    const int warmup = std::max(3, n / 10);
    std::vector<double> cpp, py, ratio;
    for (int r = 0; r < repeats; ++r) {
      cpp.push_back(cpp_samples_per_s(b, n, warmup, set));
      if (python) {
        py.push_back(std::max(python_samples_per_s(b, n, warmup, nthreads, set, "PASSIVE"),
                              python_samples_per_s(b, n, warmup, nthreads, set, "ACTIVE")));
        ratio.push_back(py.back() > 0 ? cpp.back() / py.back() : 0);
      }
    }
    const std::string label =
        b.model == "lenet5" ? b.model
                            : fmt::format("{} x{} {}x{}x{}", b.model, b.width, b.side, b.side, b.channels);
    fmt::print("{:<33} {} batch {:>3}, {} steps, {} {}, {} repeats: C++ {:8.1f} samples/s", label,
               set.eval ? "eval" : "train", set.eval ? 256 : b.batch, n,
               set.channels_last ? "channels-last" : "contiguous", nnc::train::to_string(set.precision),
               repeats, median(cpp));
    if (python)
      fmt::print("   PyTorch Python {:8.1f} samples/s   ratio C++/Python {:.2f} (min {:.2f}, max {:.2f})",
                 median(py), median(ratio), *std::min_element(ratio.begin(), ratio.end()),
                 *std::max_element(ratio.begin(), ratio.end()));
    fmt::print("\n");
  }
  return 0;
}
