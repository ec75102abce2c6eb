// Data-parallel training over MPI on 2 and 3 ranks: each rank computes every rank's
// gradients itself (the batches derive from the rank), so the averaged gradients have an
// expected value on every rank; after Adam steps the replicas hold the same bits.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "engine/comm/communicator.h"
#include "engine/comm/mpi_session.h"
#include "engine/training/gradient_averager.h"
#include "engine/training/replica_checksum.h"
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

}  // namespace
}  // namespace salient::training
