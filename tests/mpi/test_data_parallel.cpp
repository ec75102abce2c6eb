// Data-parallel training over MPI on 2 and 3 ranks: each rank computes every rank's
// gradients itself (the batches derive from the rank), so the averaged gradients have an
// expected value on every rank; after Adam steps the replicas hold the same bits. The
// trainer, on a phantom pool with augmentation, keeps its replicas' parameters and batch-norm
// buffers bit-identical epoch after epoch.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "engine/comm/communicator.h"
#include "engine/comm/mpi_session.h"
#include "engine/models/builtin_classifier.h"
#include "engine/models/model_factory.h"
#include "engine/training/gradient_averager.h"
#include "engine/training/replica_checksum.h"
#include "engine/training/trainer.h"
#include "salient/io/synth_pool.h"
#include "support/flat_temp_dir.h"
#include "support/tiny_network.h"

extern salient::comm::MpiSession* g_mpi;

namespace salient::training {
namespace {

using testing::batch_loss;
using testing::rank_batch;
using testing::tiny_network;

TEST(DataParallelMpi, AveragedGradientsAreTheMeanAndReplicasStayIdentical) {
  const auto communicator = comm::make_mpi_communicator(*g_mpi);
  const int size = communicator->size();
  std::vector<torch::Tensor> mean;
  for (int r = 0; r < size; ++r) {
    auto network = tiny_network(4);
    batch_loss(network, rank_batch(r)).backward();
    const auto parameters = network->parameters();
    for (std::size_t p = 0; p < parameters.size(); ++p) {
      if (r == 0) mean.push_back(parameters[p].grad().clone() / size);
      else mean[p] += parameters[p].grad() / size;
    }
  }
  auto network = tiny_network(4);
  GradientAverager averager(network->parameters(), *communicator, 160);
  torch::optim::Adam adam(network->parameters(), torch::optim::AdamOptions(1e-2).betas({0.93, 0.999}));
  batch_loss(network, rank_batch(communicator->rank())).backward();
  averager.average();
  const auto parameters = network->parameters();
  for (std::size_t p = 0; p < parameters.size(); ++p) {
    EXPECT_TRUE(torch::allclose(parameters[p].grad(), mean[p], 1e-5, 1e-7)) << "parameter " << p;
  }
  adam.step();
  for (int step = 1; step < 3; ++step) {
    adam.zero_grad();
    batch_loss(network, rank_batch(communicator->rank() + size * step)).backward();
    averager.average();
    adam.step();
  }
  EXPECT_NO_THROW(check_replicas_identical(network->parameters(), *communicator));
  EXPECT_EQ(averager.bucket_count(), 3u);
  EXPECT_GT(averager.seconds(), 0.0);
}

TEST(DataParallelMpi, TheTrainerKeepsReplicasBitIdenticalEveryEpoch) {
  const auto communicator = comm::make_mpi_communicator(*g_mpi);
  const testing::FlatTempDir pool_dir;  // every rank draws the same phantoms into its own
  io::SynthOptions synth;
  synth.phantom.seed = 6;
  synth.phantom.size = 64;
  synth.count = 20;
  synth.threads = 1;
  io::synthesize_pool(pool_dir.path(), synth);
  const auto pool = io::Pool::open(pool_dir.path());
  std::vector<std::int64_t> indices(20);
  for (std::int64_t i = 0; i < 20; ++i) indices[static_cast<std::size_t>(i)] = i;
  const auto examples = ExampleStore::read(pool, indices, pool_labels(pool, indices));
  models::ModelSpec spec;
  spec.architecture = models::Architecture::small_cnn;
  spec.classes = 4;
  spec.input_size = 32;
  auto model = models::make_classifier(spec, 2);
  auto& builtin = dynamic_cast<models::BuiltinClassifier&>(*model);
  TrainingOptions options;
  options.batch_size = 7;  // batches of 7, 7 and 6 images: unequal rank shares
  options.learning_rate = 1e-3;
  DataParallelTrainer trainer(builtin, *communicator, options);
  for (std::int64_t epoch = 0; epoch < 3; ++epoch) {
    const auto report = trainer.train_epoch(examples, epoch);  // throws if a replica drifted
    EXPECT_EQ(report.steps, 3);
    EXPECT_EQ(report.images, 20);
  }
  std::vector<at::Tensor> state = builtin.parameters();
  for (const auto& buffer : builtin.network().buffers()) state.push_back(buffer);
  EXPECT_NO_THROW(check_replicas_identical(state, *communicator));
}

}  // namespace
}  // namespace salient::training
