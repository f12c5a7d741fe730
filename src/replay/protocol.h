#pragma once
// The class-incremental replay protocol (GDumb / FETCH):
//   stream   - one shuffled pass over all classes, memory filled greedily, a fresh
//              backbone trained once at the end (the seeds' protocol);
//   per-task - classes in task order; after each task a FRESH backbone is trained on
//              the decompressed memory and tested on every class seen so far.
// The reported accuracy is always the FINAL model's (no epoch selection on test data).
#include <functional>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "replay/budget.h"
#include "replay/compressor.h"
#include "replay/encoder.h"
#include "replay/memory.h"
#include "train/trainer.h"

namespace nnc::replay {

struct ReplayOptions {
  std::string protocol = "stream";  ///< stream | per-task
  int64_t num_tasks = 5;
  int64_t classes_per_task = 2;
  int64_t stream_batch = 16;
  bool compress_test = false;       ///< test on compressed samples too (the original: no)
  uint64_t seed = 0;
  std::string backbone = "resnet";  ///< resnet (GDumb ResNet-18) | resnet34 (torchvision remainder; block 0 = whole)
  double backbone_block = 0;        ///< SplitR cut; must match the encoder's block
  double backbone_width = 1.0;
  std::string device = "cpu";
  train::TrainOptions training;
  void validate(const data::Dataset& train) const;
};

struct TaskResult {
  int64_t task = 0;
  double accuracy = 0;       ///< class-incremental: argmax over all outputs
  double task_accuracy = 0;  ///< softmax restricted to the sample's task classes
  double test_loss = 0;      ///< mean cross-entropy over the test samples of the seen classes
  double test_seconds = 0;   ///< that test pass
  int64_t test_samples = 0;
  int64_t memory_items = 0;
  uint64_t memory_bytes = 0;
  std::vector<train::EpochLog> history;
  double train_seconds = 0;
};

struct ReplayResult {
  std::vector<TaskResult> tasks;
  double final_accuracy = 0, final_task_accuracy = 0, average_accuracy = 0;
  double stream_seconds = 0, train_seconds = 0, test_seconds = 0;
  int64_t compressed_items = 0;  ///< samples actually compressed (slot mode skips refused ones)
  std::map<int64_t, int64_t> items_per_class;
  std::map<int64_t, uint64_t> bytes_per_class;
};

/// What a caller may watch during a run (each hook optional).
struct ReplayObserver {
  /// Each task's backbone right after it is built, before it is trained (tests observe that
  /// every task starts from a fresh network; training then changes it in place).
  std::function<void(int64_t task, std::shared_ptr<torch::nn::Module>)> on_backbone;
  /// Every epoch of a task's training, in order, once the task is trained (checkpoint.log).
  std::function<void(int64_t task, const train::EpochLog&)> on_epoch;
  /// A task's result, right after its test pass.
  std::function<void(const TaskResult&)> on_task;
};

ReplayResult run_replay(const data::Dataset& train, const data::Dataset& test, const Encoder& encoder,
                        const Compressor& compressor, ReplayMemory& memory,
                        const ReplayOptions& options, const ReplayObserver& observer = {});

/// Class-incremental accuracy: the argmax over all outputs is the sample's class.
double class_incremental_accuracy(const torch::Tensor& logits, const torch::Tensor& targets);
/// Task accuracy: the argmax over the classes of the sample's own task (classes
/// [t * classes_per_task, (t + 1) * classes_per_task) for task t) is the sample's class.
double task_accuracy(const torch::Tensor& logits, const torch::Tensor& targets, int64_t classes_per_task);
/// The mean of the tasks' class-incremental accuracies.
double average_accuracy(const std::vector<TaskResult>& tasks);

/// Builds the SplitR backbone for a representation (raw images or encoder output).
std::shared_ptr<torch::nn::Module> make_backbone(const ReplayOptions& o, const Representation& rep,
                                                 int64_t num_classes,
                                                 std::function<torch::Tensor(const torch::Tensor&)>* forward);

}  // namespace nnc::replay
