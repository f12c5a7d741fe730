// `nncompress prune`: the pruning procedures of docs/pruning.md (rl1, drr, pmmp,
// layerwise, and the magnitude baseline) on any zoo model, or on the teacher-student task.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/error.h"
#include "core/file_io.h"
#include "core/seed.h"
#include "data/dataset.h"
#include "data/teacher_student.h"
#include "experiment/kinds/common.h"
#include "experiment/kinds/kinds.h"
#include "models/mlp.h"
#include "models/safetensors.h"
#include "models/zoo.h"
#include "prune/neuron_deletion.h"
#include "prune/procedure.h"
#include "prune/pruner.h"
#include "prune/runs_csv.h"
#include "train/runtime.h"

namespace nnc::experiment {
namespace {

prune::PruneOptions prune_options_from(const RunConfig& c) {
  prune::PruneOptions o;
  o.procedure = c.get_string("procedure");
  o.alpha = c.get_double("alpha");
  o.beta = c.get_double("beta");
  o.rho = c.get_double("rho");
  o.l1_alpha = c.get_double("l1_alpha");
  o.norm = c.get_bool("norm");
  o.layer_norm = c.get_bool("layer_norm");
  o.initial_p_value = c.get_double("initial_p_value");
  o.initial_u_value = c.get_double("initial_u_value");
  o.u_value_multiply_factor = c.get_double("u_value_multiply_factor");
  o.optimizer = c.get_string("optimizer");
  o.lr = c.get_double("lr");
  o.train_batch_size = c.get_int("train_batch_size");
  o.val_batch_size = c.get_int("val_batch_size");
  o.min_epochs = c.get_int("min_epochs");
  o.max_epochs = c.get_int("max_epochs");
  o.prune_window = c.get_int("prune_window");
  o.smoothing_window = c.get_int("smoothing_window");
  o.shrinking = c.get_bool("shrinking");
  o.shrinking_from_deviation_of = c.get_double("shrinking_from_deviation_of");
  o.converge_val_loss = c.get_bool("converge_val_loss");
  o.finetuning_min_epochs = c.get_int("finetuning_min_epochs");
  o.finetuning_max_epochs = c.get_int("finetuning_max_epochs");
  o.finetuning_shrinking = c.get_bool("finetuning_shrinking");
  o.finetuning_converge_val_loss = c.get_bool("finetuning_converge_val_loss");
  o.layerwise_pruning = c.get_bool("layerwise_pruning");
  o.finetuning_layerwise_pruning = c.get_bool("finetuning_layerwise_pruning");
  o.layerwise_pruning_alpha = c.get_double("layerwise_pruning_alpha");
  o.layerwise_pruning_lr = c.get_double("layerwise_pruning_lr");
  o.layerwise_pruning_mask_start_value = c.get_double("layerwise_pruning_mask_start_value");
  o.layerwise_pruning_max_epochs = c.get_int("layerwise_pruning_max_epochs");
  o.random_gradient_pruning = c.get_bool("random_gradient_pruning");
  o.delete_neurons = c.get_bool("delete_neurons");
  o.multiply_mask_after_each_batch = c.get_bool("multiply_mask_after_each_batch");
  o.gauss_loss = c.get_bool("gauss_loss");
  o.binary_search_resolution = c.get_double("binary_search_resolution");
  o.tolerated_relative_loss_increase = c.get_double("tolerated_relative_loss_increase");
  o.tolerated_accuracy_drop = c.get_double("tolerated_accuracy_drop");
  o.magnitude_compression = c.get_double("magnitude_compression");
  o.fused = c.get_string("fused");
  o.seed = static_cast<uint64_t>(c.get_int("seed"));
  o.validate();
  return o;
}

std::shared_ptr<train::TensorSource> source(const data::Dataset& d) {
  return std::make_shared<train::TensorSource>(d);
}

/// Flux's Dense default (the original is Julia): Glorot-uniform weights, zero biases.
void glorot_init(models::MLP& mlp) {
  torch::NoGradGuard g;
  for (auto& lin : mlp.linears()) {
    double limit = std::sqrt(6.0 / static_cast<double>(lin->weight.size(0) + lin->weight.size(1)));
    lin->weight.uniform_(-limit, limit);
    lin->bias.zero_();
  }
}

void run_prune(RunContext& ctx) {
  const auto& c = ctx.config;
  auto exec = prepare_runtime(c);
  // The regularisers and the fused MLP engine work on fp32 CPU tensors in place.
  NNC_CHECK(exec.precision == train::Precision::fp32 && !exec.channels_last,
            "prune: options 'precision' and 'channels_last': pruning runs in fp32, contiguous "
            "(got {}{})", train::to_string(exec.precision), exec.channels_last ? ", channels-last" : "");
  auto o = prune_options_from(c);
  const uint64_t seed = static_cast<uint64_t>(c.get_int("seed"));
  const bool teacher_student = c.get_string("dataset") == "teacher-student";
  models::ModelPtr model;
  prune::PruneData pd;
  std::vector<int64_t> teacher_sizes;
  int64_t teacher_params = 0;
  if (teacher_student) {
    teacher_sizes = prune::parse_layer_list(c.get_string("teacher"), "teacher");
    auto student = prune::parse_layer_list(c.get_string("student"), "student");
    NNC_CHECK(student.front() == teacher_sizes.front() && student.back() == teacher_sizes.back(),
              "option 'student': {} must have the teacher's input and output widths ({} and {})",
              c.get_string("student"), teacher_sizes.front(), teacher_sizes.back());
    data::TeacherStudentOptions to;
    to.teacher_sizes = teacher_sizes;
    to.n_train = c.get_int("n_train");
    to.n_val = c.get_int("n_val");
    to.n_test = c.get_int("n_test");
    to.noise_std = c.get_double("noise");
    auto d = data::make_teacher_student(seed, to);
    teacher_params = data::parameter_count(d.teacher);
    pd.train = source(d.train), pd.val = source(d.val), pd.test = source(d.test);
    torch::manual_seed(seed + data::kStudentSeedOffset);
    auto mlp = std::make_shared<models::MLP>(student, std::vector<std::string>{c.get_string("student_activation")});
    glorot_init(*mlp);
    model = mlp;
    if (c.get_int("threads") == 0)
      fmt::print(stderr, "[runtime] teacher-student: tiny ops, {}\n", train::configure_threads(1));
  } else {
    auto [train_set, test_set] = load_data(c);
    NNC_CHECK(train_set.is_classification(), "prune: dataset '{}' is not a classification set; use teacher-student "
              "for regression", train_set.name);
    // The validation split uses its own seed stream, unlike the original whose val and test
    // seeds collided.
    auto splits = data::split_train_val(train_set, test_set, c.get_double("val_fraction"),
                                        derive_seed(seed, "prune-val-split"));
    NNC_CHECK(splits.val.size() > 0, "option 'val_fraction': {} leaves no validation samples", c.get_double("val_fraction"));
    auto mopts = model_options_for(splits.train).activation(c.get_string("activation"));
    torch::manual_seed(seed);
    model = models::make_model(c.get_string("model"), mopts);
    pd.train = source(splits.train), pd.val = source(splits.val), pd.test = source(splits.test);
    pd.num_classes = train_set.num_classes;
  }
  fmt::print(stderr, "[prune] {} on {} ({} train / {} val / {} test)\n", model->describe(), c.get_string("dataset"),
             pd.train->size(), pd.val->size(), pd.test->size());
  prune::Procedure procedure(model, pd, o);
  auto out = procedure.run();

  // Per-epoch CSV and series.
  {
    std::string csv = "phase,epoch,train_loss,train_accuracy,val_loss,val_accuracy,l0\n";
    for (const auto& e : out.epochs) {
      csv += fmt::format("{},{},{},{},{},{},{}\n", e.phase, e.epoch, e.train_loss, e.train_accuracy, e.val_loss,
                         e.val_accuracy, e.l0);
      ctx.record.series["epoch_loss"].push_back(e.train_loss);
      ctx.record.series["val_loss"].push_back(e.val_loss);
      ctx.record.series["l0"].push_back(static_cast<double>(e.l0));
    }
    write_file(ctx.artifact("epochs", "epochs.csv"), csv);
  }
  auto& m = ctx.record.metrics;
  const bool cls = pd.num_classes > 0;
  for (auto [name, ev] : {std::pair{"train", &out.train}, std::pair{"val", &out.val}, std::pair{"test", &out.test}}) {
    m[std::string(name) + "_loss"] = ev->loss;
    if (cls) m[std::string(name) + "_accuracy"] = ev->accuracy;
  }
  m["parameters"] = static_cast<double>(out.parameters);
  m["l0_norm"] = static_cast<double>(out.l0);
  m["nonzeros"] = static_cast<double>(out.nonzeros);
  m["compression_ratio"] = out.compression_ratio;
  m["phase1_epochs"] = static_cast<double>(out.phase1_epochs);
  m["finetune_epochs"] = static_cast<double>(out.phase3_epochs);
  m["prune_seconds"] = out.seconds;
  if (o.gauss_loss) m["sigma"] = out.sigma;
  ctx.record.tags["engine"] = out.engine;
  ctx.record.tags["procedure"] = o.procedure;
  if (teacher_student) {
    auto* mlp = dynamic_cast<models::MLP*>(model.get());
    auto alive = prune::alive_widths(*mlp);
    bool neurons_ok = alive.size() == teacher_sizes.size();
    for (size_t i = 1; neurons_ok && i + 1 < alive.size(); ++i) neurons_ok = alive[i] <= teacher_sizes[i];
    m["teacher_parameters"] = static_cast<double>(teacher_params);
    m["reached_teacher_nonzeros"] = out.nonzeros <= teacher_params;
    m["reached_teacher_neurons"] = neurons_ok;
    m["nonzeros_over_teacher"] = static_cast<double>(out.nonzeros) / static_cast<double>(teacher_params);
    ctx.record.tags["alive_widths"] = fmt::format("{}", fmt::join(alive, ","));
    fmt::print(stderr,
               "[prune] teacher-student: student nonzeros {} vs teacher {} ({}), alive widths {} vs teacher {} ({})\n",
               out.nonzeros, teacher_params, out.nonzeros <= teacher_params ? "reached" : "not reached",
               fmt::join(alive, "-"), fmt::join(teacher_sizes, "-"), neurons_ok ? "reached" : "not reached");
  }
  if (c.get_bool("save_weights"))
    models::save_safetensors(models::module_state(*model), ctx.artifact("weights", "pruned.safetensors"),
                             {{"procedure", o.procedure}, {"dataset", c.get_string("dataset")},
                              {"nonzeros", std::to_string(out.nonzeros)}});
  // runs.csv: every argument, then the original's result columns (+ nonzeros, compression_ratio).
  std::vector<std::pair<std::string, std::string>> row;
  // Options first, then the result columns; an option that is also a result column
  // (experiment_name) is written once, among the results (pandas renames a repeated column).
  const auto& result_columns = prune::runs_csv_result_columns();
  for (const auto& spec : c.specs())
    if (std::find(result_columns.begin(), result_columns.end(), spec.key) == result_columns.end())
      row.emplace_back(spec.key, value_to_string(c.values().at(spec.key)));
  auto num = [](double v) { return fmt::format("{}", v); };
  row.emplace_back("run_id", ctx.record.id);
  row.emplace_back("experiment_name", c.get_string("experiment_name"));
  row.emplace_back("timestamp", now_iso8601());
  row.emplace_back("run_time", num(out.seconds));
  row.emplace_back("final_accuracy_trainset", cls ? num(out.train.accuracy) : "");
  row.emplace_back("final_accuracy_valset", cls ? num(out.val.accuracy) : "");
  row.emplace_back("final_accuracy_testset", cls ? num(out.test.accuracy) : "");
  row.emplace_back("final_loss_trainset", num(out.train.loss));
  row.emplace_back("final_loss_valset", num(out.val.loss));
  row.emplace_back("final_loss_testset", num(out.test.loss));
  row.emplace_back("final_l0_loss", "");
  row.emplace_back("final_sigma", o.gauss_loss ? num(out.sigma) : "");
  row.emplace_back("l0_norm", std::to_string(out.l0));
  row.emplace_back("nonzeros", std::to_string(out.nonzeros));
  row.emplace_back("compression_ratio", num(out.compression_ratio));
  std::filesystem::create_directories(ctx.out_dir);
  auto csv_path = (std::filesystem::path(ctx.out_dir) / "runs.csv").string();
  prune::append_runs_csv(csv_path, row);
  ctx.record.artifacts["runs_csv"] = "runs.csv";
}

}  // namespace

ExperimentKind prune_kind() {
  ExperimentKind k;
  k.name = "prune";
  k.help = "Prune a network: rl1 | drr | pmmp | layerwise | magnitude (docs/pruning.md)";
  k.options = data_options("fashion-mnist");
  prune::PruneOptions d;
  auto add = [&](OptionSpec s) { k.options.push_back(std::move(s)); };
  add({"val_fraction", 0.1, "fraction of the training set held out for validation (pruning data)"});
  add({"model", std::string("lenet300100"),
       "zoo model (classification datasets): " + models::model_registry().joined_names()});
  add({"activation", std::string("relu"), "MLP activation for zoo MLPs"});
  add({"teacher", std::string("2,5,8,1"), "teacher-student: teacher widths, input first"});
  add({"student", std::string("2,25,25,1"), "teacher-student: student widths, input first"});
  add({"student_activation", std::string("tanh"), "teacher-student: student hidden activation"});
  add({"n_train", int64_t{300}, "teacher-student: training samples (one batch)"});
  add({"n_val", int64_t{1000}, "teacher-student: validation samples"});
  add({"n_test", int64_t{5000}, "teacher-student: test samples"});
  add({"noise", 0.08, "teacher-student: label noise STANDARD DEVIATION"});
  add({"procedure", d.procedure, "rl1 | drr | pmmp | layerwise | magnitude", prune::pruner_registry().names()});
  add({"alpha", d.alpha, "regularisation weight (alpha)"});
  add({"beta", d.beta, "DRR sharpness (the original's default 0 disables DRR)"});
  add({"rho", d.rho, "L2 weight (RL1, DRR, PMMP)"});
  add({"l1_alpha", d.l1_alpha, "PMMP: extra L1 weight (L1_alpha)"});
  add({"norm", d.norm, "DRR: layerwise normalisation of alpha and rho (NORM)"});
  add({"layer_norm", d.layer_norm, "DRR NORM by layer (true) or by conv block (false) (layer_NORM)"});
  add({"initial_p_value", d.initial_p_value, "PMMP: initial pi"});
  add({"initial_u_value", d.initial_u_value, "PMMP: initial u"});
  add({"u_value_multiply_factor", d.u_value_multiply_factor, "PMMP: coupling factor c"});
  add({"optimizer", d.optimizer, "adam | adamw | sgd", {"adam", "adamw", "sgd"}});
  add({"lr", d.lr, "learning rate"});
  add({"train_batch_size", d.train_batch_size, "training batch size"});
  add({"val_batch_size", d.val_batch_size, "evaluation batch size (0 = whole set)"});
  add({"min_epochs", d.min_epochs, "phase 1: minimum epochs"});
  add({"max_epochs", d.max_epochs, "phase 1: maximum epochs"});
  add({"prune_window", d.prune_window, "epochs between saturation checks / shrinking"});
  add({"smoothing_window", d.smoothing_window, "saturation test window W"});
  add({"shrinking", d.shrinking, "prune_and_shrink during phase 1 when the train loss saturates"});
  add({"shrinking_from_deviation_of", d.shrinking_from_deviation_of, "saturation tolerance of the shrinking trigger"});
  add({"converge_val_loss", d.converge_val_loss, "phase 1 converges on the validation (else training) loss"});
  add({"finetuning_min_epochs", d.finetuning_min_epochs, "phase 3: minimum epochs"});
  add({"finetuning_max_epochs", d.finetuning_max_epochs, "phase 3: maximum epochs (0 = no fine-tuning)"});
  add({"finetuning_shrinking", d.finetuning_shrinking, "shrinking during fine-tuning"});
  add({"finetuning_converge_val_loss", d.finetuning_converge_val_loss, "phase 3 converges on the validation loss"});
  add({"layerwise_pruning", d.layerwise_pruning, "layerwise pruning with each shrink and in phase 2 (MLPs)"});
  add({"finetuning_layerwise_pruning", d.finetuning_layerwise_pruning, "layerwise pruning with fine-tuning shrinks"});
  add({"layerwise_pruning_alpha", d.layerwise_pruning_alpha, "layerwise: weight of sum(pi)"});
  add({"layerwise_pruning_lr", d.layerwise_pruning_lr, "layerwise: Adam learning rate"});
  add({"layerwise_pruning_mask_start_value", d.layerwise_pruning_mask_start_value, "layerwise: initial pi"});
  add({"layerwise_pruning_max_epochs", d.layerwise_pruning_max_epochs, "layerwise: maximum refit epochs per layer"});
  add({"random_gradient_pruning", d.random_gradient_pruning, "random gradient pruning before and after TAMADE"});
  add({"delete_neurons", d.delete_neurons, "delete dead neurons after each prune (MLPs)"});
  add({"multiply_mask_after_each_batch", d.multiply_mask_after_each_batch, "re-apply masks after every batch"});
  add({"gauss_loss", d.gauss_loss, "Gaussian loss with trainable sigma (teacher-student)"});
  add({"binary_search_resolution", d.binary_search_resolution, "TAMADE: absolute threshold resolution"});
  add({"tolerated_relative_loss_increase", d.tolerated_relative_loss_increase, "TAMADE delta"});
  add({"tolerated_accuracy_drop", d.tolerated_accuracy_drop,
       "TAMADE variant: absolute validation-accuracy drop allowed (< 0 = off; takes precedence)"});
  add({"magnitude_compression", d.magnitude_compression, "magnitude baseline: target parameters / nonzeros"});
  add({"fused", d.fused, "fused small-MLP training path: auto | on | off", {"auto", "on", "off"}});
  add({"experiment_name", std::string("prune"), "runs.csv experiment_name column", {}, false});
  add({"save_weights", true, "write the final masked weights as safetensors", {}, false});
  k.run = run_prune;
  return k;
}

}  // namespace nnc::experiment
