#include "fake_runs.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <nlohmann/json.hpp>

namespace nnc::report::testing {

using experiment::RunRecord;
using experiment::RunStatus;

std::map<std::string, std::string> recorded_plugin_tags(const ReplaySpec& s) {
  std::map<std::string, std::string> t;
  const bool cutr = s.encoder == "cutr";
  t["encoder_line"] = s.encoder;
  t["encoder_display"] = cutr ? fmt::format("CutR18({})", s.block) : "no encoding";
  t["encoder_order"] = cutr ? "1" : "0";
  auto compressor = [&](const char* line, const char* display, int order, std::string parameter) {
    t["compressor_line"] = line;
    t["compressor_display"] = display;
    t["compressor_order"] = std::to_string(order);
    t["compressor_parameter"] = std::move(parameter);
  };
  const auto p = [&](const char* fallback) {
    return s.param_key.empty() ? std::string(fallback) : fmt::format("{}", s.param);
  };
  const std::string c = s.compressor;
  const bool transfer = s.strategy == "transfer" || s.strategy == "tiny_imagenet_transfer";
  if (c == "none") compressor("none", "No Compression", 0, "");
  else if (c == "thinning") compressor("thinning", "Thinning", 1, p("0.9"));
  else if (c == "quantization" && transfer) compressor("quantization transfer", "Quantization (transfer)", 2, p("8"));
  else if (c == "quantization") compressor("quantization local", "Quantization (local)", 2, p("8"));
  else if (c == "convae") compressor("convae", "Conv. Autoencoder", 3, p("8"));
  else if (c == "fcae") compressor("fcae", "FC Autoencoder", 4, p("32"));
  else if (c == "jpeg") compressor("jpeg", "JPEG", 7, "q" + p("50"));
  else if (c == "pq") compressor("pq", "Product Quantization", 8, "32x" + p("8") + "b");
  else if (c == "half") compressor("half", "Half Precision", 9, "");
  else throw std::invalid_argument("recorded_plugin_tags: no fixture tags for compressor " + c);
  return t;
}

RunRecord replay_run(const ReplaySpec& s) {
  RunRecord r;
  r.id = s.id;
  r.kind = "replay";
  r.status = RunStatus::Completed;
  nlohmann::json c = {{"dataset", s.dataset},        {"encoder", s.encoder},
                      {"encoding_block", s.block},   {"compressor", s.compressor},
                      {"strategy", s.strategy},      {"compression_factor", 0.9},
                      {"n_states", 8},               {"latent_channels", 8},
                      {"n_blocks", 2},               {"bottleneck_neurons", 32},
                      {"memory_bytes", s.memory_bytes}, {"memory_size", 0},
                      {"epochs", static_cast<int>(s.passes)}, {"seed", s.seed}};
  if (!s.param_key.empty()) {
    if (s.param_key == "compression_factor") c[s.param_key] = s.param;
    else c[s.param_key] = static_cast<int>(s.param);
  }
  r.config_json = c.dump();
  r.metrics = {{"final_accuracy", s.accuracy},
               {"final_task_accuracy", std::min(1.0, s.accuracy + 0.3)},
               {"average_accuracy", s.accuracy},
               {"memory_slots", s.slots},
               {"memory_items", s.slots},
               {"memory_used_mib", s.mib},
               {"memory_used_bytes", s.mib * 1024 * 1024},
               {"num_passes", s.passes}};
  r.tags = {{"encoder", s.encoder == "none" ? "none" : fmt::format("{}{}", s.encoder, s.block)},
            {"compressor", s.compressor}, {"method", s.compressor}};
  if (s.plugin_tags) r.tags.merge(recorded_plugin_tags(s));
  r.started_at = "2024-01-01T00:00:00Z";
  r.run_time_s = 60;
  return r;
}

namespace {

std::vector<ReplaySpec> fake_replay_specs() {
  std::vector<ReplaySpec> out;
  int n = 0;
  auto add = [&](ReplaySpec s) {
    s.id = fmt::format("rp{:02d}", n++);
    out.push_back(s);
  };
  constexpr double kMiB = 1048576;
  // Baselines and one quantization sweep at three budgets (raw images: 3072 B, CutR18(3)
  // features: 1024 floats).
  for (double b : {1.0, 4.0, 10.0}) {
    std::string mb = fmt::format("{}MiB", b);
    double g = std::log10(b * 10);  // 1..2
    add({.encoder = "none", .memory_bytes = mb, .accuracy = 0.30 + 0.15 * g, .mib = b * 0.999,
         .slots = std::floor(b * kMiB / 3072)});
    add({.encoder = "cutr", .memory_bytes = mb, .accuracy = 0.40 + 0.1 * g, .mib = b * 0.999,
         .slots = std::floor(b * kMiB / 4096)});
    for (int states : {2, 8})
      add({.encoder = "none", .compressor = "quantization", .param_key = "n_states", .param = double(states),
           .memory_bytes = mb, .accuracy = (states == 2 ? 0.33 : 0.36) + 0.14 * g,
           .mib = b * (states == 2 ? 0.99 : 0.995), .slots = std::floor(b * kMiB / (states == 2 ? 386 : 1160))});
    add({.encoder = "cutr", .compressor = "quantization", .param_key = "n_states", .param = 16,
         .memory_bytes = mb, .accuracy = 0.47 + 0.09 * g, .mib = b * 0.995,
         .slots = std::floor(b * kMiB / 576)});
  }
  // Parameter sweeps at 10 MiB (seed 000): the parameter moves the slot count.
  for (double cf : {0.5, 0.8, 0.9})
    add({.encoder = "none", .compressor = "thinning", .param_key = "compression_factor", .param = cf,
         .accuracy = 0.30 - 0.12 * cf, .mib = 9.99, .slots = std::floor(10 * kMiB / (3072 * (1 - cf) * 3))});
  add({.encoder = "none", .compressor = "convae", .param_key = "latent_channels", .param = 8,
       .accuracy = 0.31, .mib = 9.98, .slots = std::floor(10 * kMiB / 2048)});
  for (double cf : {0.9, 0.95})
    add({.encoder = "cutr", .compressor = "thinning", .param_key = "compression_factor", .param = cf,
         .accuracy = 0.62 - 0.2 * (cf - 0.9), .mib = 9.99, .slots = std::floor(10 * kMiB / (1024 * (1 - cf) * 6))});
  for (int states : {4, 8})
    add({.encoder = "cutr", .compressor = "quantization", .strategy = "transfer", .param_key = "n_states",
         .param = double(states), .accuracy = 0.55 + 0.01 * states, .mib = 9.99,
         .slots = std::floor(10 * kMiB / (1024 * (states == 4 ? 2 : 3) / 8))});
  for (int bn : {8, 32})
    add({.encoder = "cutr", .compressor = "fcae", .param_key = "bottleneck_neurons", .param = double(bn),
         .accuracy = bn == 8 ? 0.45 : 0.52, .mib = 9.98, .slots = std::floor((10 - (bn == 8 ? 4.45 : 6.56)) * kMiB / (4 * bn))});
  // A second seed of one setting: averaged into one point.
  ReplaySpec again{.encoder = "cutr", .compressor = "quantization", .param_key = "n_states", .param = 16,
                   .memory_bytes = "10MiB", .accuracy = 0.58, .mib = 10 * 0.995,
                   .slots = std::floor(10 * kMiB / 576), .seed = 1};
  again.id = "rp-seed1";
  out.push_back(again);
  return out;
}

}  // namespace

std::vector<RunRecord> fake_replay_runs() {
  std::vector<RunRecord> out;
  for (auto& s : fake_replay_specs()) out.push_back(replay_run(s));
  return out;
}

std::vector<ReplaySpec> replay_specs_in_use() {
  auto out = fake_replay_specs();
  // The settings test_report.cpp builds its own runs with.
  for (double q : {30, 90}) out.push_back({.compressor = "jpeg", .param_key = "jpeg_quality", .param = q});
  for (double bits : {4, 8}) out.push_back({.compressor = "pq", .param_key = "pq_bits", .param = bits});
  for (const char* strategy : {"tiny_imagenet_transfer", "local"})
    out.push_back({.compressor = "quantization", .strategy = strategy, .param_key = "n_states", .param = 4});
  out.push_back({.compressor = "thinning", .param_key = "compression_factor", .param = 0.5});
  out.push_back({.compressor = "half"});
  out.push_back({});
  return out;
}

std::vector<RunRecord> fake_prune_runs() {
  std::vector<RunRecord> out;
  int n = 0;
  for (std::string proc : {"rl1", "drr", "pmmp"})
    for (double alpha : {1.0, 10.0, 100.0}) {
      RunRecord r;
      r.id = fmt::format("pr{:02d}", n++);
      r.kind = "prune";
      r.status = RunStatus::Completed;
      r.config_json = nlohmann::json{{"procedure", proc}, {"model", "lenet300100"}, {"dataset", "mnist"},
                                     {"alpha", alpha}, {"seed", 0}}.dump();
      double nonzeros = 266610.0 / (alpha * (proc == "pmmp" ? 2.0 : 1.0) * 3);
      r.metrics = {{"test_accuracy", 0.985 - 0.004 * std::log10(alpha) - (proc == "rl1" ? 0.003 : 0)},
                   {"train_accuracy", 0.999}, {"val_accuracy", 0.984}, {"test_loss", 0.06},
                   {"train_loss", 0.01}, {"val_loss", 0.06}, {"l0_norm", nonzeros},
                   {"nonzeros", nonzeros}, {"parameters", 266610}};
      r.started_at = "2024-01-02T00:00:00Z";
      r.run_time_s = 120;
      out.push_back(r);
    }
  return out;
}

RunRecord fake_search_run() {
  RunRecord r;
  r.id = "sq01";
  r.kind = "quantize";
  r.status = RunStatus::Completed;
  r.config_json = nlohmann::json{{"sampler", "tpe"}, {"n_trials", 12}}.dump();
  for (int i = 0; i < 12; ++i) {
    double bits = 2 + (i * 7) % 15;
    r.series["trial_average_bitwidth"].push_back(bits);
    r.series["trial_accuracy"].push_back(0.7 - 0.5 / bits - 0.01 * (i % 3));
    r.series["trial_latency_ms"].push_back(1.0 + 0.05 * bits);
  }
  r.tags = {{"objectives", "accuracy,average_bitwidth"}, {"direction_accuracy", "maximize"},
            {"direction_average_bitwidth", "minimize"}, {"sampler", "tpe"}};
  return r;
}

namespace {

RunRecord search_study(const std::string& id, const std::string& sampler, int seed,
                       const std::string& model, const std::vector<double>& accuracy) {
  RunRecord r;
  r.id = id;
  r.kind = "search";
  r.status = RunStatus::Completed;
  nlohmann::json c = {{"model", model}, {"search_config", "examples/quant/lab.toml"},
                      {"sampler", sampler}, {"seed", seed}, {"n_trials", static_cast<int>(accuracy.size())},
                      {"tpe_n_startup_trials", sampler == "tpe" && seed == 1 ? 3 : 10}};
  r.config_json = c.dump();
  for (size_t i = 0; i < accuracy.size(); ++i) {
    r.series["trial_number"].push_back(static_cast<double>(i));
    r.series["trial_accuracy"].push_back(accuracy[i]);
    r.series["trial_model_size"].push_back(100.0 + 10.0 * static_cast<double>(i % 4));
    r.series["trial_bitops"].push_back(5000.0 * static_cast<double>(1 + i % 3));
  }
  r.tags = {{"objectives", "accuracy"}, {"direction_accuracy", "maximize"},
            {"direction_model_size", "minimize"}, {"sampler", sampler}};
  return r;
}

}  // namespace

std::vector<RunRecord> fake_sampler_group_runs() {
  return {search_study("bf0", "brute-force", 0, "jsc-tiny", {0.30, 0.42, 0.35, 0.44, 0.41, 0.47, 0.40, 0.45, 0.46}),
          search_study("tp0", "tpe", 0, "jsc-tiny", {0.33, 0.45, 0.40, 0.47, 0.46, 0.47}),
          search_study("tp1", "tpe", 1, "jsc-tiny", {0.41, 0.38, 0.46, 0.43, 0.44, 0.45}),
          search_study("tpx", "tpe", 0, "lenet5", {0.91, 0.95, 0.93})};
}

std::vector<RunRecord> fake_cgp_runs() {
  std::vector<RunRecord> out;
  for (int k = 0; k < 2; ++k) {
    RunRecord r;
    r.id = fmt::format("cg{}", k);
    r.kind = "cgp";
    r.status = RunStatus::Completed;
    r.config_json = nlohmann::json{{"seed", k}}.dump();
    for (int g = 0; g < 20; ++g) {
      r.series["generation"].push_back(g * 500.0);
      r.series["error"].push_back(std::max(0.0, 4000.0 * std::exp(-0.4 * g) - 20 * k));
      r.series["energy"].push_back(300.0 - 6 * g + 10 * k);
    }
    r.metrics = {{"error", r.series["error"].back()}, {"energy", r.series["energy"].back()},
                 {"gate_count", 40}, {"generations", 9500}};
    out.push_back(r);
  }
  return out;
}

namespace {

RunRecord sensitivity_run(const std::string& id, const std::string& model, const std::string& layer,
                          nlohmann::json config) {
  RunRecord r;
  r.id = id;
  r.kind = "cgp";
  r.status = RunStatus::Completed;
  config["model"] = model;
  config["layers"] = layer;
  config["experiment"] = "no-input";
  r.config_json = config.dump();
  r.tags["layers"] = layer + ".weight";
  return r;
}

}  // namespace

std::vector<RunRecord> fake_cgp_sensitivity_runs() {
  std::vector<RunRecord> out;
  const char* layers[] = {"conv1", "conv2", "fc1"};
  for (int l = 0; l < 3; ++l)
    for (double rms : {50.0, 15.0})
      for (int seed = 0; seed < 2; ++seed) {
        auto r = sensitivity_run(fmt::format("cs{}{}{}", l, int(rms), seed), "lenet5-classic", layers[l],
                                 {{"rms_threshold", rms}, {"rms_thresholds", ""}, {"seed", seed}, {"metric", "SE"}});
        r.metrics = {{"delta_top1", -(l + 1) * rms / 1000 - seed / 1000.0}, {"energy", 100 * rms + l}};
        out.push_back(r);
      }
  auto list = sensitivity_run("csfc2", "lenet5-classic", "fc2",
                              {{"rms_threshold", -1.0}, {"rms_thresholds", "50,15,0"}, {"seed", 0}});
  list.series["stage_delta_top1"] = {-0.01, -0.02, -0.03};
  list.series["stage_energy"] = {30, 20, 10};
  list.metrics = {{"delta_top1", -0.03}, {"energy", 10}};
  out.push_back(list);
  auto other = sensitivity_run("csmnv2", "mobilenetv2", "features.2.conv.1.0", {{"rms_threshold", 15.0}});
  other.metrics = {{"delta_top1", -0.2}};
  out.push_back(other);
  return out;
}

RunRecord fake_train_run() {
  RunRecord r;
  r.id = "tr01";
  r.kind = "train";
  r.status = RunStatus::Completed;
  r.config_json = nlohmann::json{{"dataset", "blobs"}, {"model", "mlp"}, {"epochs", 3}}.dump();
  r.metrics = {{"test_accuracy", 0.97}, {"train_accuracy", 0.98}, {"parameters", 1234}};
  return r;
}

RunRecord fake_failed_run() {
  RunRecord r;
  r.id = "rpfail";
  r.kind = "replay";
  r.status = RunStatus::Failed;
  r.config_json = "{}";
  r.error = "cannot read cifar10";
  return r;
}

std::vector<RunRecord> fake_all_runs() {
  auto out = fake_replay_runs();
  for (auto& r : fake_prune_runs()) out.push_back(r);
  out.push_back(fake_search_run());
  for (auto& r : fake_sampler_group_runs()) out.push_back(r);
  for (auto& r : fake_cgp_runs()) out.push_back(r);
  for (auto& r : fake_cgp_sensitivity_runs()) out.push_back(r);
  out.push_back(fake_train_run());
  out.push_back(fake_failed_run());
  return out;
}

}  // namespace nnc::report::testing
