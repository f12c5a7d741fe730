// bench-quant: end-to-end quantization search on Fashion-MNIST (a subset), under ~2 minutes.
//   bench-quant [limit_train=6000] [limit_test=1000] [n_trials=20]
// For each of LeNet-5 (TPE over per-layer weight formats) and the default MLP 784-128-10
// (brute force over its by-type space, then a width + bits search): trains the float model
// on the fit split, searches on the validation split, prints trials/s, the sampler's share
// and the best configuration re-measured on the test set.
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "data/loader.h"
#include "models/zoo.h"
#include "quant/quant_search.h"
#include "train/runtime.h"

using namespace nnc;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void run_case(const std::string& title, const std::string& model_name, const std::string& plan_file,
              const data::Dataset& train, const data::Dataset& test, int n_trials,
              const std::string& sampler_override) {
  quant::QuantSearchOptions o;
  o.plan = quant::load_search_plan(std::string(NNC_SOURCE_DIR) + "/examples/quant/" + plan_file);
  o.plan.num_samples = 0;
  o.plan.width.budget.seed(0);
  o.study = o.plan.search.study_options(0);
  o.study.n_trials = n_trials;
  if (!sampler_override.empty()) o.study.sampler = sampler_override;
  o.measure.latency_repeats = 3;
  o.measure.latency_warmup = 1;
  auto d = quant::split_search_data(train, test, "val_dataloader", 0.1, 0, 0);
  train::TensorSource fit(d.fit), eval(d.eval), test_src(test);

  auto t0 = std::chrono::steady_clock::now();
  torch::manual_seed(0);
  auto shape = train.sample_shape();
  auto mo = models::ModelOptions().input(shape[0], shape[1], shape[2]).num_classes(10);
  auto model = models::make_model(model_name, mo);
  train::Trainer(train::TrainOptions().optimizer("adam").lr(1e-3).epochs(1).batch_size(64)
                     .label("train " + model_name))
      .fit(*model, fit);
  model->eval();
  const double train_s = seconds_since(t0);
  auto base = quant::QuantizedModel::from_model(*model, shape);
  base->eval();
  auto float_m = quant::measure(*base, eval, 10, o.measure);

  quant::QuantSearch qs(base, fit, eval, 10, o);
  auto r = qs.run();
  const double n = static_cast<double>(r.study.trials.size());
  std::printf("\n== %s (%s, %s) ==\n", title.c_str(), model_name.c_str(), plan_file.c_str());
  std::printf("float model: trained %.1f s on %lld samples; val accuracy %.4f\n", train_s,
              static_cast<long long>(d.fit.size()), float_m.accuracy);
  std::printf("search: %s, %d trials of a space of %llu in %.2f s = %.2f trials/s "
              "(sampler %.3f ms/trial; width candidates trained: %d in %.1f s)\n",
              r.study.sampler.c_str(), static_cast<int>(n),
              static_cast<unsigned long long>(r.space.cardinality()), r.study.seconds,
              n / r.study.seconds, 1e3 * r.study.sampler_seconds / n, r.widths_trained,
              r.width_train_seconds);
  for (size_t i : r.best) {
    const auto& t = r.study.trials[i];
    auto m = qs.model_of(t.params);
    auto tm = quant::measure(*m, test_src, 10, o.measure);
    std::printf("%s trial #%d: val accuracy %.4f, test accuracy %.4f (float %.4f), avg bits %.2f, "
                "size %.0f B (float %.0f B), BitOPs %.3g\n  %s\n",
                r.best.size() == 1 ? "best" : "pareto", t.number, r.metrics[i]->accuracy,
                tm.accuracy, quant::measure(*base, test_src, 10, o.measure).accuracy,
                tm.cost.average_bitwidth, tm.cost.size_bytes(), float_m.cost.size_bytes(),
                static_cast<double>(tm.cost.bitops), m->describe().c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    int64_t limit_train = argc > 1 ? std::stoll(argv[1]) : 6000;
    int64_t limit_test = argc > 2 ? std::stoll(argv[2]) : 1000;
    int n_trials = argc > 3 ? std::stoi(argv[3]) : 20;
    std::printf("bench-quant: %s\n", train::configure_threads(0).c_str());
    data::DataOptions dopt;
    dopt.name = "fashion-mnist";
    dopt.limit_train = limit_train;
    dopt.limit_test = limit_test;
    auto [train, test] = data::load_dataset(dopt);
    auto t0 = std::chrono::steady_clock::now();
    run_case("LeNet-5, per-layer formats", "lenet5", "lenet5_fmnist_search.toml", train, test,
             n_trials, "tpe");
    run_case("MLP, by type, every combination", "mlp", "mlp_fmnist_width_search.toml", train,
             test, 1000, "brute-force");
    std::printf("\ntotal %.1f s\n", seconds_since(t0));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench-quant: %s\n", e.what());
    return 1;
  }
  return 0;
}
