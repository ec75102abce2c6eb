// Data-parallel fine-tuning (DESIGN.md "Distribution"): one replica of the model per rank,
// the same Adam step everywhere.
//
// Each epoch the examples are shuffled by a permutation keyed by (seed, round, epoch), the
// same on every rank, and cut into global batches of batch_size; rank r of R trains on the
// r-th contiguous part of each batch (balanced to within one image). Its loss is the sum of
// its images' losses (losses.h) times R / (images in the batch), so that the gradients'
// mean over the ranks (GradientAverager) is the gradient of the batch's mean loss whatever
// the number of ranks. Each image gets IDEAL's augmentation of that epoch (augmentation.h),
// its ROI and expert marks transformed with it. At the end of each epoch batch norm's
// running statistics are taken from rank 0 (as PyTorch's DistributedDataParallel does)
// and the replicas are checked bit for bit (replica_checksum.h).
#pragma once

#include <torch/optim/adam.h>

#include <cstdint>
#include <memory>

#include "engine/comm/communicator.h"
#include "engine/models/builtin_classifier.h"
#include "engine/training/example_store.h"
#include "engine/training/training_options.h"

namespace salient::training {

struct EpochReport {
  std::int64_t epoch = 0;
  std::int64_t images = 0;          ///< over all ranks
  std::int64_t steps = 0;
  double mean_loss = 0.0;           ///< the mean over the epoch's images (all ranks)
  double seconds = 0.0;
  double all_reduce_seconds = 0.0;  ///< this rank's time in the gradient all-reduce
};

class DataParallelTrainer {
 public:
  /// Every rank passes its replica, identical to the others' (same seed or checkpoint).
  DataParallelTrainer(models::BuiltinClassifier& model, comm::Communicator& communicator,
                      const TrainingOptions& options);

  /// One epoch over @p examples (the same store on every rank). A collective.
  EpochReport train_epoch(const ExampleStore& examples, std::int64_t epoch);

  /// Adam's moments and step counts, for checkpoints that resume training bit for bit.
  torch::optim::Adam& optimizer() { return *optimizer_; }

 private:
  at::Tensor rank_loss(const ExampleStore& examples, const std::vector<std::int64_t>& positions,
                       std::int64_t epoch);
  void share_buffers_and_check();

  models::BuiltinClassifier& model_;
  comm::Communicator& communicator_;
  TrainingOptions options_;
  std::vector<at::Tensor> parameters_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
};

/// The epoch's order of @p count examples: a permutation keyed by (seed, round, epoch).
std::vector<std::int64_t> epoch_permutation(std::int64_t count, std::uint64_t seed, std::uint32_t round,
                                            std::int64_t epoch);

/// Rank @p rank's part [first, last) of a batch of @p count images over @p ranks ranks.
std::pair<std::int64_t, std::int64_t> rank_share(std::int64_t count, int rank, int ranks);

}  // namespace salient::training
