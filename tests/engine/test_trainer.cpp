// The data-parallel trainer on a phantom pool, with ranks as threads: one step over two
// ranks equals the Adam step of the mean of each rank's own gradient, computed here one
// rank after another; replicas stay bit-identical; a run resumed from the training state
// after an epoch ends with the same bits as one that never stopped; training lowers the
// loss. And the validation split holds patients out whole.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <map>
#include <set>
#include <thread>

#include "engine/comm/communicator.h"
#include "engine/models/builtin_classifier.h"
#include "engine/models/model_factory.h"
#include "engine/training/losses.h"
#include "engine/training/replica_checksum.h"
#include "engine/training/trainer.h"
#include "engine/training/training_state.h"
#include "engine/training/validation_split.h"
#include "salient/io/synth_pool.h"
#include "support/flat_temp_dir.h"

namespace salient::training {
namespace {

using testing::FlatTempDir;

constexpr std::uint64_t kSeed = 5;

void on_ranks(int size, const std::function<void(int, comm::Communicator&)>& body) {
  auto communicators = comm::make_in_process_communicators(size);
  std::vector<std::thread> threads;
  for (int r = 0; r < size; ++r) threads.emplace_back([&, r] { body(r, *communicators[static_cast<std::size_t>(r)]); });
  for (auto& thread : threads) thread.join();
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    io::SynthOptions options;
    options.phantom.seed = 3;
    options.phantom.size = 64;
    options.count = 24;
    options.shard_size = 16;
    options.threads = 1;
    io::synthesize_pool(pool_dir_.path(), options);
  }

  io::Pool pool() const { return io::Pool::open(pool_dir_.path()); }

  ExampleStore examples(std::int64_t count) const {
    std::vector<std::int64_t> indices;
    for (std::int64_t i = 0; i < count; ++i) indices.push_back(i);
    const auto opened = pool();
    return ExampleStore::read(opened, indices, pool_labels(opened, indices));
  }

  static std::unique_ptr<models::BuiltinClassifier> model() {
    models::ModelSpec spec;
    spec.architecture = models::Architecture::small_cnn;
    spec.classes = 4;
    spec.input_size = 32;
    auto classifier = models::make_classifier(spec, kSeed);
    return std::unique_ptr<models::BuiltinClassifier>(dynamic_cast<models::BuiltinClassifier*>(classifier.release()));
  }

  static TrainingOptions options() {
    TrainingOptions options;
    options.batch_size = 8;
    options.learning_rate = 1e-3;
    options.augmentation.seed = kSeed;
    return options;
  }

  FlatTempDir pool_dir_;
};

TEST(EpochPermutation, IsAPermutationKeyedBySeedRoundAndEpoch) {
  const auto order = epoch_permutation(50, 1, 2, 3);
  EXPECT_EQ(std::set<std::int64_t>(order.begin(), order.end()).size(), 50u);
  EXPECT_EQ(*std::max_element(order.begin(), order.end()), 49);
  EXPECT_EQ(epoch_permutation(50, 1, 2, 3), order);
  EXPECT_NE(epoch_permutation(50, 1, 2, 4), order);
  EXPECT_NE(epoch_permutation(50, 1, 3, 3), order);
  EXPECT_NE(epoch_permutation(50, 2, 2, 3), order);
}

TEST(RankShare, CutsABatchIntoContiguousPartsBalancedToOneImage) {
  EXPECT_EQ(rank_share(7, 0, 3), std::make_pair(std::int64_t{0}, std::int64_t{2}));
  EXPECT_EQ(rank_share(7, 1, 3), std::make_pair(std::int64_t{2}, std::int64_t{4}));
  EXPECT_EQ(rank_share(7, 2, 3), std::make_pair(std::int64_t{4}, std::int64_t{7}));
  EXPECT_EQ(rank_share(1, 0, 2), std::make_pair(std::int64_t{0}, std::int64_t{0}));  // a rank may get nothing
}

TEST_F(TrainerTest, TwoRanksTakeTheAdamStepOfTheMeanOfTheirOwnGradients) {
  const auto store = examples(8);
  auto trainer_options = options();
  trainer_options.augment = false;
  // By hand: each rank's half of the one batch of 8, in the epoch's order, its loss sum
  // scaled by 2/8, backward on its own replica; the gradients' mean; one Adam step.
  const auto order = epoch_permutation(8, kSeed, 0, 0);
  std::vector<std::vector<torch::Tensor>> gradients(2);
  for (int r = 0; r < 2; ++r) {
    auto replica = model();
    replica->train(true);
    const std::vector<std::int64_t> half(order.begin() + 4 * r, order.begin() + 4 * r + 4);
    const auto logits = replica->logits(store.inputs(half, replica->spec(), torch::kCPU));
    (classification_loss(logits, store.labels_of(half, torch::kCPU), replica->spec().output).sum() * (2.0 / 8.0))
        .backward();
    for (const auto& parameter : replica->parameters()) gradients[r].push_back(parameter.grad().clone());
  }
  auto expected = model();
  torch::optim::Adam adam(expected->parameters(), torch::optim::AdamOptions(1e-3).betas(std::make_tuple(0.93, 0.999)));
  const auto parameters = expected->parameters();
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    parameters[p].mutable_grad() = (gradients[0][p] + gradients[1][p]) / 2.0;
  }
  adam.step();

  std::vector<std::unique_ptr<models::BuiltinClassifier>> replicas;
  replicas.push_back(model());
  replicas.push_back(model());
  on_ranks(2, [&](int r, comm::Communicator& communicator) {
    DataParallelTrainer trainer(*replicas[static_cast<std::size_t>(r)], communicator, trainer_options);
    EXPECT_EQ(trainer.train_epoch(store, 0).steps, 1);
  });
  EXPECT_EQ(parameter_checksum(replicas[0]->parameters()), parameter_checksum(replicas[1]->parameters()));
  const auto trained = replicas[0]->parameters();
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    EXPECT_TRUE(torch::allclose(trained[p], parameters[p], 1e-5, 1e-7)) << "parameter " << p;
  }
}

TEST_F(TrainerTest, AResumedRunEndsWithTheBitsOfAnUninterruptedOne) {
  const auto store = examples(12);
  const FlatTempDir states;
  auto straight = model();
  on_ranks(1, [&](int, comm::Communicator& communicator) {
    DataParallelTrainer trainer(*straight, communicator, options());
    trainer.train_epoch(store, 0);
    save_training_state(states / "state.pt", *straight, trainer.optimizer(), 1, "fingerprint");
    trainer.train_epoch(store, 1);
  });
  auto resumed = model();
  on_ranks(1, [&](int, comm::Communicator& communicator) {
    DataParallelTrainer trainer(*resumed, communicator, options());
    EXPECT_EQ(load_training_state(states / "state.pt", *resumed, trainer.optimizer(), "fingerprint"), 1);
    trainer.train_epoch(store, 1);
  });
  std::vector<torch::Tensor> a = straight->parameters();
  std::vector<torch::Tensor> b = resumed->parameters();
  for (const auto& buffer : straight->network().buffers()) a.push_back(buffer);
  for (const auto& buffer : resumed->network().buffers()) b.push_back(buffer);
  EXPECT_EQ(parameter_checksum(a), parameter_checksum(b));
  auto other = model();
  on_ranks(1, [&](int, comm::Communicator& communicator) {
    DataParallelTrainer trainer(*other, communicator, options());
    EXPECT_THROW(load_training_state(states / "state.pt", *other, trainer.optimizer(), "other labels"), Error);
  });
}

TEST_F(TrainerTest, EpochsLowerTheLossOnTwoRanksWithReplicasIdentical) {
  const auto store = examples(16);
  std::vector<std::unique_ptr<models::BuiltinClassifier>> replicas;
  replicas.push_back(model());
  replicas.push_back(model());
  std::vector<double> losses;
  on_ranks(2, [&](int r, comm::Communicator& communicator) {
    auto trainer_options = options();
    trainer_options.augment = false;
    DataParallelTrainer trainer(*replicas[static_cast<std::size_t>(r)], communicator, trainer_options);
    for (std::int64_t epoch = 0; epoch < 8; ++epoch) {
      const auto report = trainer.train_epoch(store, epoch);  // checks the replicas every epoch
      if (r == 0) losses.push_back(report.mean_loss);
    }
  });
  EXPECT_LT(losses.back(), 0.8 * losses.front());
}

TEST_F(TrainerTest, ExpertPenaltiesTrainWithAugmentedRois) {
  const auto store = examples(8);
  ASSERT_TRUE(store.has_roi());
  auto replica = model();
  on_ranks(1, [&](int, comm::Communicator& communicator) {
    auto trainer_options = options();
    trainer_options.rrr_lambda = 10.0;
    trainer_options.guidance_weight = 1.0;
    DataParallelTrainer trainer(*replica, communicator, trainer_options);
    const auto report = trainer.train_epoch(store, 0);
    EXPECT_TRUE(std::isfinite(report.mean_loss));
    EXPECT_GT(report.mean_loss, 0.0);
  });
}

TEST_F(TrainerTest, TheValidationSplitHoldsOutWholePatients) {
  const auto opened = pool();
  ValidationSplitOptions split;
  split.fraction = 0.5;
  split.seed = 9;
  const auto held_out = validation_split(opened, split);
  EXPECT_EQ(validation_split(opened, split), held_out);
  std::map<std::string, std::set<bool>> sides;  // patient → which sides its images are on
  const std::set<std::int64_t> held(held_out.begin(), held_out.end());
  for (std::int64_t shard = 0; shard < opened.shard_count(); ++shard) {
    const auto patients = opened.open_shard(shard).patient_ids();
    for (std::size_t row = 0; row < patients.size(); ++row) {
      const std::int64_t index = opened.first_index(shard) + static_cast<std::int64_t>(row);
      sides[patients[row]].insert(held.count(index) > 0);
      EXPECT_EQ(held.count(index) > 0, patient_draw(patients[row], 9) < 0.5);
    }
  }
  for (const auto& [patient, on] : sides) EXPECT_EQ(on.size(), 1u) << patient << " is on both sides";
  EXPECT_FALSE(held_out.empty());
  split.limit = 3;  // patients of 2 images each: one patient fits
  EXPECT_EQ(validation_split(opened, split).size(), 2u);
}

}  // namespace
}  // namespace salient::training
