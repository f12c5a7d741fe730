#include "replay/protocol.h"

#include <torch/torch.h>


#include "core/error.h"
#include "core/seed.h"
#include "models/resnet.h"
#include "core/stopwatch.h"
#include "models/resnet_gdumb.h"
#include "replay/memory_source.h"
#include "train/evaluate.h"

namespace nnc::replay {
namespace {

/// Encodes images on the CPU and puts them on `device`; for compress_test, compresses them
/// there and decompresses them straight onto `device`.
torch::Tensor to_storage(const torch::Tensor& images, const Encoder& encoder,
                         const Compressor* compressor, const torch::Device& device) {
  if (!compressor) return encode_in_chunks(encoder, images).to(device);
  return encode_in_chunks(encoder, images, [&](const torch::Tensor& z) {
    auto packed = compressor->compress(z);
    std::vector<const Packed*> ptrs;
    for (auto& p : packed) ptrs.push_back(&p);
    return compressor->decompress(ptrs, device);
  });
}

/// Fills the slot-mode placeholders: encodes and compresses only the samples that stayed.
int64_t fill_pending(ReplayMemory& memory, const data::Dataset& train, const Encoder& encoder,
                     const Compressor& compressor) {
  auto pending = memory.pending();
  for (size_t s = 0; s < pending.size(); s += 256) {
    size_t e = std::min(pending.size(), s + 256);
    std::vector<int64_t> ids;
    for (size_t i = s; i < e; ++i) ids.push_back(pending[i].sample_id);
    auto images = train.inputs.index_select(0, torch::tensor(ids, torch::kInt64));
    auto packed = compressor.compress(encoder.encode(images));
    for (size_t i = s; i < e; ++i) memory.fill(pending[i], std::move(packed[i - s]));
  }
  return static_cast<int64_t>(pending.size());
}

}  // namespace

double class_incremental_accuracy(const torch::Tensor& logits, const torch::Tensor& targets) {
  return logits.argmax(1).eq(targets).to(torch::kFloat64).mean().item<double>();
}

double task_accuracy(const torch::Tensor& logits, const torch::Tensor& targets, int64_t classes_per_task) {
  // Outputs of other tasks' classes are set to -inf, so the argmax stays inside the task.
  auto task_of = torch::div(targets, classes_per_task, "floor");
  auto cls = torch::arange(logits.size(1), torch::kInt64).unsqueeze(0);
  auto in_task = torch::div(cls, classes_per_task, "floor").eq(task_of.unsqueeze(1));
  auto masked = logits.masked_fill(in_task.logical_not(), -std::numeric_limits<float>::infinity());
  return masked.argmax(1).eq(targets).to(torch::kFloat64).mean().item<double>();
}

double average_accuracy(const std::vector<TaskResult>& tasks) {
  NNC_CHECK(!tasks.empty(), "replay: no task results to average");
  double sum = 0;
  for (auto& t : tasks) sum += t.accuracy;
  return sum / static_cast<double>(tasks.size());
}

void ReplayOptions::validate(const data::Dataset& train) const {
  NNC_CHECK(protocol == "stream" || protocol == "per-task",
            "option 'protocol': '{}' is not one of stream, per-task", protocol);
  NNC_CHECK(num_tasks >= 1 && classes_per_task >= 1,
            "num_tasks and num_classes_per_task must be >= 1 (got {} and {})", num_tasks, classes_per_task);
  NNC_CHECK(num_tasks * classes_per_task <= train.num_classes,
            "{} tasks x {} classes need {} classes but {} has {}", num_tasks, classes_per_task,
            num_tasks * classes_per_task, train.name, train.num_classes);
  NNC_CHECK(stream_batch >= 1, "stream batch size must be >= 1");
  NNC_CHECK(backbone == "resnet" || backbone == "resnet34",
            "option 'backbone': '{}' is not one of resnet, resnet34", backbone);
  NNC_CHECK(train.is_image(), "replay needs an image dataset; '{}' has no images", train.name);
  training.validate();
}

std::shared_ptr<torch::nn::Module> make_backbone(const ReplayOptions& o, const Representation& rep,
                                                 int64_t num_classes,
                                                 std::function<torch::Tensor(const torch::Tensor&)>* forward) {
  NNC_CHECK(rep.shape.size() == 3, "the backbone needs [C,H,W] inputs, got a {}-d representation",
            rep.shape.size());
  int64_t channels = rep.shape[0];
  auto mopts = models::ModelOptions()
                   .input(channels, rep.shape[1], rep.shape[2])
                   .num_classes(num_classes)
                   .backbone_block(o.backbone_block)
                   .width(o.backbone_width);
  if (rep.raw_pixels) {
    // resnet34 at block 0 is the whole torchvision network (7x7 stem) with GDumb's head.
    NNC_CHECK(o.backbone_block == 0,
              "raw images need --backbone-block 0 (got {} block {})", o.backbone, o.backbone_block);
  } else {
    NNC_CHECK(o.backbone_block > 0, "encoded features need --backbone-block = the encoding block");
    int64_t expect = models::resnet_channels_after(o.backbone_block);
    NNC_CHECK(expect == channels,
              "backbone_block {} expects {} input channels but the stored representation has {}: "
              "set --backbone-block to the encoding block",
              o.backbone_block, expect, channels);
  }
  std::shared_ptr<models::Model> model;
  if (o.backbone == "resnet") model = std::make_shared<models::GDumbResNet>(mopts);
  else model = models::make_resnet_remainder(models::ModelOptions(mopts).depth(34), o.backbone_block);
  *forward = [model](const torch::Tensor& x) { return model->forward(x); };
  return model;
}

ReplayResult run_replay(const data::Dataset& train_all, const data::Dataset& test_all,
                        const Encoder& encoder, const Compressor& compressor, ReplayMemory& memory,
                        const ReplayOptions& o, const ReplayObserver& observer) {
  o.validate(train_all);
  const int64_t num_classes = o.num_tasks * o.classes_per_task;
  std::vector<int64_t> classes(static_cast<size_t>(num_classes));
  std::iota(classes.begin(), classes.end(), 0);
  auto train = train_all.filter_classes(classes);
  auto test = test_all.filter_classes(classes);
  NNC_CHECK(train.size() > 0 && test.size() > 0, "replay: no samples of classes 0..{} in {}",
            num_classes - 1, train.name);
  Representation in_rep{train.sample_shape(), true};
  Representation rep = encoder.output(in_rep);
  torch::Device device(o.device);
  ReplayResult result;

  // The test set in the stored representation, once.
  const Stopwatch t_test;
  // On the device once: every task's test pass slices it there.
  auto test_storage = to_storage(test.inputs, encoder, o.compress_test ? &compressor : nullptr, device);
  auto test_inputs = to_model_input(test_storage, rep, train.mean, train.std);
  result.test_seconds += t_test.seconds();

  // Stream order: one shuffled pass (stream) or task by task (per-task).
  auto labels = train.targets.contiguous();
  const int64_t* y = labels.data_ptr<int64_t>();
  auto order = data::permutation(train.size(), derive_seed(o.seed, "stream"));
  std::vector<std::vector<int64_t>> segments;
  if (o.protocol == "stream") {
    segments.push_back(order);
  } else {
    segments.resize(static_cast<size_t>(o.num_tasks));
    for (int64_t i : order) segments[static_cast<size_t>(y[i] / o.classes_per_task)].push_back(i);
  }

  for (size_t seg = 0; seg < segments.size(); ++seg) {
    const Stopwatch t_stream;
    const auto& ids = segments[seg];
    if (!memory.byte_mode()) {
      // Admission depends on labels only: compress just the samples that stay.
      for (int64_t i : ids) memory.offer_unfilled(y[i], i);
      result.compressed_items += fill_pending(memory, train, encoder, compressor);
    } else {
      for (size_t s = 0; s < ids.size(); s += static_cast<size_t>(o.stream_batch)) {
        size_t e = std::min(ids.size(), s + static_cast<size_t>(o.stream_batch));
        std::vector<int64_t> batch(ids.begin() + static_cast<std::ptrdiff_t>(s),
                                   ids.begin() + static_cast<std::ptrdiff_t>(e));
        auto images = train.inputs.index_select(0, torch::tensor(batch, torch::kInt64));
        auto packed = compressor.compress(encoder.encode(images));
        result.compressed_items += static_cast<int64_t>(batch.size());
        for (size_t k = 0; k < batch.size(); ++k) memory.offer(y[batch[k]], batch[k], std::move(packed[k]));
      }
    }
    result.stream_seconds += t_stream.seconds();

    // Train a FRESH backbone on the decompressed memory, then test on the classes seen.
    int64_t task = o.protocol == "stream" ? o.num_tasks - 1 : static_cast<int64_t>(seg);
    MemorySource source(memory, compressor, rep, train.mean, train.std, device);
    torch::manual_seed(derive_seed(o.seed, "backbone-" + std::to_string(task)));
    std::function<torch::Tensor(const torch::Tensor&)> forward;
    auto backbone = make_backbone(o, rep, num_classes, &forward);
    if (observer.on_backbone) observer.on_backbone(task, backbone);
    auto topts = o.training;
    topts.label(fmt::format("replay task {}/{}", task + 1, o.num_tasks)).device(o.device);
    auto fit = train::Trainer(topts).fit(*backbone, forward, source);
    if (observer.on_epoch)
      for (auto& h : fit.history) observer.on_epoch(task, h);

    const Stopwatch t_eval;
    int64_t seen_classes = (task + 1) * o.classes_per_task;
    auto mask = test.targets.lt(seen_classes);
    auto idx = mask.nonzero().view(-1);
    train::TensorSource eval_source(test_inputs.index_select(0, idx.to(device)),
                                    test.targets.index_select(0, idx));
    backbone->eval();
    auto logits = train::predict(forward, eval_source, train::default_eval_batch(device), topts.execution());
    auto targets = eval_source.targets();
    TaskResult tr;
    tr.task = task;
    tr.test_samples = targets.size(0);
    tr.accuracy = class_incremental_accuracy(logits, targets);
    tr.task_accuracy = task_accuracy(logits, targets, o.classes_per_task);
    tr.test_loss = torch::nn::functional::cross_entropy(logits, targets).item<double>();
    tr.memory_items = memory.size();
    tr.memory_bytes = memory.bytes_used();
    tr.history = fit.history;
    tr.train_seconds = fit.seconds;
    result.train_seconds += fit.seconds;
    tr.test_seconds = t_eval.seconds();
    result.test_seconds += tr.test_seconds;
    if (observer.on_task) observer.on_task(tr);
    result.tasks.push_back(tr);
  }
  result.final_accuracy = result.tasks.back().accuracy;
  result.final_task_accuracy = result.tasks.back().task_accuracy;
  result.average_accuracy = average_accuracy(result.tasks);
  result.items_per_class = memory.count_per_class();
  result.bytes_per_class = memory.bytes_per_class();
  return result;
}

}  // namespace nnc::replay
