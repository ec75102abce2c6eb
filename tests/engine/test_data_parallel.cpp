// Data-parallel training on an in-process group (ranks as threads): gradients averaged in
// buckets equal the mean of the ranks' own gradients, and replicas stepped with them stay
// bit-identical, which the checksum confirms and a perturbed replica fails.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "engine/comm/communicator.h"
#include "engine/training/gradient_averager.h"
#include "engine/training/replica_checksum.h"
#include "support/expect_error.h"
#include "support/tiny_network.h"

namespace salient::training {
namespace {

using testing::batch_loss;
using testing::rank_batch;
using testing::tiny_network;

/// Runs @p body(rank, communicator) on one thread per rank.
void on_ranks(int size, const std::function<void(int, comm::Communicator&)>& body) {
  auto communicators = comm::make_in_process_communicators(size);
  std::vector<std::thread> threads;
  for (int r = 0; r < size; ++r) threads.emplace_back([&, r] { body(r, *communicators[static_cast<std::size_t>(r)]); });
  for (auto& thread : threads) thread.join();
}

TEST(GradientAverager, BucketsFollowParameterOrderTypeAndSize) {
  auto network = tiny_network(1);
  auto communicators = comm::make_in_process_communicators(1);
  // 144 + 16 bytes fill a 160-byte bucket; the 1152-byte linear weight gets its own; the
  // 8-byte bias a third. One default (25 MiB) bucket holds them all.
  EXPECT_EQ(GradientAverager(network->parameters(), *communicators[0], 160).bucket_count(), 3u);
  EXPECT_EQ(GradientAverager(network->parameters(), *communicators[0]).bucket_count(), 1u);
}

TEST(GradientAverager, GradientsBecomeTheMeanOfTheRanksGradients) {
  const int size = 3;
  // Each rank's own gradients, computed here one after another.
  std::vector<std::vector<torch::Tensor>> own(size);
  for (int r = 0; r < size; ++r) {
    auto network = tiny_network(7);
    batch_loss(network, rank_batch(r)).backward();
    for (const auto& parameter : network->parameters()) own[r].push_back(parameter.grad().clone());
  }
  std::vector<std::vector<torch::Tensor>> averaged(size);
  std::vector<torch::nn::Sequential> networks;
  for (int r = 0; r < size; ++r) networks.push_back(tiny_network(7));
  on_ranks(size, [&](int r, comm::Communicator& communicator) {
    auto& network = networks[static_cast<std::size_t>(r)];
    GradientAverager averager(network->parameters(), communicator, 160);
    batch_loss(network, rank_batch(r)).backward();
    averager.average();
    for (const auto& parameter : network->parameters()) averaged[r].push_back(parameter.grad().clone());
  });
  for (std::size_t p = 0; p < own[0].size(); ++p) {
    const auto mean = (own[0][p] + own[1][p] + own[2][p]) / 3.0;
    EXPECT_TRUE(torch::allclose(averaged[0][p], mean, 1e-6, 1e-7)) << "parameter " << p;
    for (int r = 1; r < size; ++r) EXPECT_TRUE(averaged[r][p].equal(averaged[0][p])) << "rank " << r;
  }
}

TEST(ReplicaChecksum, AdamStepsOnAveragedGradientsKeepReplicasIdenticalAndADriftIsNamed) {
  const int size = 3;
  std::vector<torch::nn::Sequential> networks;
  for (int r = 0; r < size; ++r) networks.push_back(tiny_network(9));
  std::vector<std::string> errors(size);
  on_ranks(size, [&](int r, comm::Communicator& communicator) {
    auto& network = networks[static_cast<std::size_t>(r)];
    GradientAverager averager(network->parameters(), communicator);
    torch::optim::Adam adam(network->parameters(), torch::optim::AdamOptions(1e-2).betas({0.93, 0.999}));
    for (int step = 0; step < 3; ++step) {
      adam.zero_grad();
      batch_loss(network, rank_batch(r + size * step)).backward();
      averager.average();
      adam.step();
    }
    check_replicas_identical(network->parameters(), communicator);
    if (r == 2) {
      const torch::NoGradGuard no_gradient;
      network->parameters()[0].view(-1)[0].add_(1e-6);
    }
    errors[static_cast<std::size_t>(r)] =
        testing::error_of([&] { check_replicas_identical(network->parameters(), communicator); });
  });
  EXPECT_EQ(parameter_checksum(networks[0]->parameters()), parameter_checksum(networks[1]->parameters()));
  EXPECT_NE(parameter_checksum(networks[0]->parameters()), parameter_checksum(tiny_network(9)->parameters()));
  for (const auto& error : errors) {
    EXPECT_NE(error.find("replicas diverged: the parameters of rank(s) 2 differ"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace salient::training
