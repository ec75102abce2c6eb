// The in-process communicator (engine/comm/communicator.h): ranks are threads. Values each
// rank derives from its rank give closed-form results; random tensors check that every rank
// gets the same bits, those of the sum in rank order.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "engine/comm/communicator.h"
#include "support/expect_error.h"

namespace salient::comm {
namespace {

/// Runs @p body(communicator) on one thread per rank of an in-process group of @p size.
void on_ranks(int size, const std::function<void(Communicator&)>& body) {
  auto communicators = make_in_process_communicators(size);
  std::vector<std::thread> threads;
  for (auto& communicator : communicators) threads.emplace_back([&body, &communicator] { body(*communicator); });
  for (auto& thread : threads) thread.join();
}

TEST(InProcessCommunicator, AllReduceSumsAndAveragesOverRanks) {
  const int size = 3;
  std::vector<at::Tensor> sums(size), means(size);
  on_ranks(size, [&](Communicator& communicator) {
    const double r = communicator.rank();
    auto sum = torch::tensor({r + 1, 10 * (r + 1), 0.5}, torch::kFloat64);
    auto mean = sum.clone();
    communicator.all_reduce(sum, ReduceOp::sum);
    communicator.all_reduce(mean, ReduceOp::mean);
    sums[static_cast<std::size_t>(communicator.rank())] = sum;
    means[static_cast<std::size_t>(communicator.rank())] = mean;
  });
  // Σ (r+1) = 6, Σ 10(r+1) = 60, Σ 0.5 = 1.5 over r = 0, 1, 2; the means are a third.
  for (int r = 0; r < size; ++r) {
    EXPECT_TRUE(sums[r].equal(torch::tensor({6.0, 60.0, 1.5}, torch::kFloat64))) << sums[r];
    EXPECT_TRUE(means[r].equal(torch::tensor({2.0, 20.0, 0.5}, torch::kFloat64))) << means[r];
  }
}

TEST(InProcessCommunicator, EveryRankGetsTheBitsOfTheSumInRankOrder) {
  const int size = 4;
  torch::manual_seed(3);
  std::vector<at::Tensor> inputs;
  for (int r = 0; r < size; ++r) inputs.push_back(torch::randn({257}) * std::pow(10.0, r));
  const auto expected = ((inputs[0] + inputs[1]) + inputs[2]) + inputs[3];
  std::vector<at::Tensor> results(size);
  on_ranks(size, [&](Communicator& communicator) {
    auto mine = inputs[static_cast<std::size_t>(communicator.rank())].clone();
    communicator.all_reduce(mine, ReduceOp::sum);
    results[static_cast<std::size_t>(communicator.rank())] = mine;
  });
  for (int r = 0; r < size; ++r) EXPECT_TRUE(results[r].equal(expected)) << "rank " << r;
}

TEST(InProcessCommunicator, BroadcastCopiesTheRootsTensorAndGatherStacksOnTheRootOnly) {
  const int size = 3;
  std::vector<at::Tensor> broadcasts(size), gathers(size);
  on_ranks(size, [&](Communicator& communicator) {
    const auto r = communicator.rank();
    auto value = torch::full({2, 2}, 7 * r, torch::kInt64);
    communicator.broadcast(value, 2);
    broadcasts[static_cast<std::size_t>(r)] = value;
    gathers[static_cast<std::size_t>(r)] = communicator.gather(torch::full({2}, r, torch::kFloat32), 1);
    communicator.barrier();
  });
  for (int r = 0; r < size; ++r) {
    EXPECT_TRUE(broadcasts[r].equal(torch::full({2, 2}, 14, torch::kInt64)));
    EXPECT_EQ(gathers[r].defined(), r == 1);
  }
  EXPECT_TRUE(gathers[1].equal(torch::tensor({{0.0f, 0.0f}, {1.0f, 1.0f}, {2.0f, 2.0f}})));
}

TEST(InProcessCommunicator, TensorsThatDifferAcrossRanksFailOnEveryRankNamingThem) {
  const int size = 3;
  std::vector<std::string> messages(size);
  on_ranks(size, [&](Communicator& communicator) {
    const auto r = communicator.rank();
    auto tensor = r == 1 ? torch::zeros({4}, torch::kFloat32) : torch::zeros({3}, torch::kFloat32);
    messages[static_cast<std::size_t>(r)] =
        testing::error_of([&] { communicator.all_reduce(tensor, ReduceOp::sum); });
  });
  for (int r = 0; r < size; ++r) {
    EXPECT_NE(messages[r].find("all_reduce: the ranks' tensors differ"), std::string::npos) << messages[r];
    EXPECT_NE(messages[r].find("rank 1: 4 × Float"), std::string::npos) << messages[r];
    EXPECT_NE(messages[r].find("rank 2: 3 × Float"), std::string::npos) << messages[r];
  }
}

TEST(InProcessCommunicator, NonContiguousTensorsAreRefused) {
  on_ranks(1, [&](Communicator& communicator) {
    auto strided = torch::zeros({4, 4}).t();
    testing::expect_error_naming([&] { communicator.broadcast(strided, 0); }, {"broadcast", "contiguous"});
    EXPECT_EQ(communicator.backend(), "in-process");
    EXPECT_EQ(communicator.size(), 1);
  });
}

}  // namespace
}  // namespace salient::comm
