// `nncompress replay`: class-incremental learning with a replay memory of fixed size in
// bytes. Accepts the seeds' flag names, so their generated command lines run with
// `python3 src/main.py` replaced by `nncompress replay`.
#include <torch/torch.h>

#include <algorithm>
#include <filesystem>

#include "core/bytes.h"
#include "core/error.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "experiment/kinds/replay_setup.h"
#include "replay/budget.h"
#include "replay/checkpoint_log.h"
#include "replay/protocol.h"

namespace nnc::experiment {
namespace {

/// The original's argparse order (general, encoder, compressor, backbone, sampler); the
/// selected compressor's own options that the original lacks follow its compressor options.
const char* kOriginalGeneral[] = {"data_dir", "log_dir", "exp_name", "dataset", "num_classes_per_task",
                                  "num_tasks", "seed", "memory_size", "num_passes", "encoder",
                                  "encoding_block", "compressor", "compression_factor", "strategy",
                                  "n_states", "latent_channels", "n_blocks", "bottleneck_neurons"};
const char* kOriginalBackbone[] = {"backbone", "backbone_block", "sampler"};

/// checkpoint.log's Namespace(...): the original's keys, with the memory in slots and the
/// passes under the original's names.
std::vector<std::pair<std::string, OptionValue>> log_namespace(const RunConfig& c,
                                                               const replay::MemoryBudget& budget) {
  std::vector<std::pair<std::string, OptionValue>> ns;
  auto add = [&](const std::string& key) {
    if (key == "memory_size") ns.emplace_back(key, OptionValue(budget.slots));
    else if (key == "num_passes") ns.emplace_back(key, c.values().at("epochs"));
    else ns.emplace_back(key, c.values().at(key));
  };
  for (auto* key : kOriginalGeneral) add(key);
  const auto& registry = replay::compressor_registry();
  for (auto& spec : registry.option_specs(registry.selected(c.values())))
    if (std::find_if(ns.begin(), ns.end(), [&](auto& kv) { return kv.first == spec.key; }) == ns.end())
      add(spec.key);
  for (auto* key : kOriginalBackbone) add(key);
  return ns;
}

replay::BudgetRequest budget_request(const RunConfig& c) {
  return {c.get_int("memory_size"), c.get_string("memory_bytes"), c.get_string("accounting")};
}

/// `replay --plan-only`: the budget a run would use (the data are read for the sample
/// shape and stream size; nothing is fitted or written).
void print_budget_plan(const RunConfig& c) {
  auto [train_set, test_set] = load_data(c);
  auto setup = build_replay_setup(c, std::move(train_set), std::move(test_set));
  fmt::print("{}\n{}\n{}\n", setup.encoder->describe(), setup.design->describe(),
             replay::plan_budget(budget_request(c), *setup.design, setup.stream_size).describe());
}

std::string checkpoint_log_path(RunContext& ctx) {
  const auto& c = ctx.config;
  if (c.get_string("log_dir").empty()) return ctx.artifact("checkpoint_log", "checkpoint.log");
  return (std::filesystem::path(c.get_string("log_dir")) /
          (c.get_string("exp_name").empty() ? ctx.record.id : c.get_string("exp_name")) / "checkpoint.log")
      .string();
}

void record_metrics(RunContext& ctx, const replay::MemoryBudget& plan, const replay::ReplayMemory& memory,
                    const replay::ReplayResult& result) {
  auto& m = ctx.record.metrics;
  m["final_accuracy"] = result.final_accuracy;
  m["final_task_accuracy"] = result.final_task_accuracy;
  m["average_accuracy"] = result.average_accuracy;
  for (auto& t : result.tasks) {
    m[fmt::format("accuracy_after_task_{}", t.task + 1)] = t.accuracy;
    ctx.record.series["task_accuracy"].push_back(t.accuracy);
    for (auto& h : t.history) ctx.record.series["epoch_loss"].push_back(h.loss);
  }
  uint64_t used = plan.used_bytes(memory);
  m["memory_slots"] = static_cast<double>(plan.slots);
  m["memory_items"] = static_cast<double>(memory.size());
  m["memory_budget_bytes"] = static_cast<double>(plan.budget_bytes);
  m["memory_used_bytes"] = static_cast<double>(used);
  m["memory_used_mib"] = static_cast<double>(used) / (1024.0 * 1024.0);
  m["fixed_bytes"] = static_cast<double>(plan.fixed_bytes);
  m["item_bytes"] = static_cast<double>(plan.item_bytes.value_or(0));  // 0: variable size
  m["compressed_items"] = static_cast<double>(result.compressed_items);
  m["stream_seconds"] = result.stream_seconds;
  m["train_seconds"] = result.train_seconds;
  m["test_seconds"] = result.test_seconds;
  m["num_passes"] = static_cast<double>(ctx.config.get_int("epochs"));
}

void record_tags(RunContext& ctx, const ReplaySetup& setup, const replay::ReplayResult& result) {
  auto& tags = ctx.record.tags;
  tags["encoder"] = setup.encoder_label;
  tags["compressor"] = setup.compressor_label;
  tags["method"] = setup.encoder_label + " + " + setup.compressor_label;
  std::string per_class;
  for (auto& [cls, n] : result.items_per_class)
    per_class += fmt::format("{}{}:{}/{}B", per_class.empty() ? "" : " ", cls, n, result.bytes_per_class.at(cls));
  tags["memory_per_class"] = per_class;
  fmt::print(stderr, "[replay] memory per class (items/bytes): {}\n", per_class);
}

/// The report's panel (encoder) and line (compressor) of a run, from their own options.
std::map<std::string, std::string> replay_report_tags(const RunConfig& c) {
  auto tags = replay::encoder_registry().run_tags(c.values(), "encoder");
  tags.merge(replay::compressor_registry().run_tags(c.values(), "compressor"));
  return tags;
}

void run_replay_kind(RunContext& ctx) {
  const auto& c = ctx.config;
  prepare_runtime(c);
  auto [train_set, test_set] = load_data(c);
  auto setup = build_replay_setup(c, std::move(train_set), std::move(test_set));
  // The budget needs only the compressor's sizes: an impossible one fails before fitting.
  const auto plan = replay::plan_budget(budget_request(c), *setup.design, setup.stream_size);
  const auto compressor = fit_replay_compressor(c, setup, ctx.out_dir);
  auto memory = plan.make_memory(c.get_int("seed"));
  fmt::print(stderr, "[replay] {}\n[replay] {}\n[replay] {}\n", setup.encoder->describe(),
             compressor->describe(), plan.describe());
  // checkpoint.log in the original format (log_dir/exp_name, or the run directory).
  replay::CheckpointLog log(checkpoint_log_path(ctx));
  log.options(log_namespace(c, plan));
  auto result = replay::run_replay(setup.train, setup.test, *setup.encoder, *compressor, memory,
                                   setup.options, log.observer());
  log.completed(result.final_accuracy);
  record_metrics(ctx, plan, memory, result);
  record_tags(ctx, setup, result);
}

}  // namespace

ExperimentKind replay_kind() {
  ExperimentKind k;
  k.name = "replay";
  k.help = "Class-incremental learning with a replay memory under a byte budget";
  k.options = data_options();
  auto more = replay_options();
  k.options.insert(k.options.end(), more.begin(), more.end());
  k.run = run_replay_kind;
  k.plan = print_budget_plan;
  k.report_tags = replay_report_tags;
  k.check = [](const RunConfig& c) {  // what a run refuses at its start, without data
    replay::encoder_registry().validate(c.values());
    replay::compressor_registry().validate(c.values());
    replay::check_budget_request(budget_request(c));
    check_training(c);
  };
  return k;
}

}  // namespace nnc::experiment
