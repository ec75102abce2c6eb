// The MPI communicator (engine/comm/communicator.h) on 2 and 3 ranks, with values each rank
// derives from its rank, so every expected result is a closed form; random tensors check that
// every rank receives the same bits. The NCCL communicator runs where each rank has its own
// GPU (a job of R ranks on a machine with at least R GPUs) and is skipped elsewhere.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>

#include "engine/comm/communicator.h"
#include "engine/comm/mpi_session.h"
#include "salient/kernels/execution.h"
#include "support/expect_error.h"

extern salient::comm::MpiSession* g_mpi;

namespace salient::comm {
namespace {

/// Checks that every rank holds the same bits as rank 0 (gathered there).
void expect_the_same_on_every_rank(Communicator& communicator, const at::Tensor& mine) {
  const auto all = communicator.gather(mine.cpu().contiguous(), 0);
  if (communicator.rank() != 0) return;
  for (int r = 1; r < communicator.size(); ++r) EXPECT_TRUE(all[r].equal(all[0])) << "rank " << r;
}

/// The closed-form collectives, on @p device.
void check_collectives(Communicator& communicator, const c10::Device& device) {
  const int R = communicator.size();
  const double r = communicator.rank();
  auto sum = torch::tensor({r + 1, 10 * (r + 1), 0.5}, torch::dtype(torch::kFloat64).device(device));
  auto mean = sum.clone();
  communicator.all_reduce(sum, ReduceOp::sum);
  communicator.all_reduce(mean, ReduceOp::mean);
  // Σ_{r<R} (r+1) = R(R+1)/2.
  const double triangle = R * (R + 1) / 2.0;
  EXPECT_TRUE(sum.cpu().equal(torch::tensor({triangle, 10 * triangle, 0.5 * R}, torch::kFloat64))) << sum;
  EXPECT_TRUE(torch::allclose(mean.cpu(), torch::tensor({triangle / R, 10 * triangle / R, 0.5}, torch::kFloat64)));

  auto value = torch::full({2, 3}, 7 * communicator.rank(), torch::dtype(torch::kInt64).device(device));
  communicator.broadcast(value, R - 1);
  EXPECT_TRUE(value.cpu().equal(torch::full({2, 3}, 7 * (R - 1), torch::kInt64)));

  const auto gathered = communicator.gather(torch::full({2}, r, torch::dtype(torch::kFloat32).device(device)), 0);
  if (communicator.rank() == 0) {
    ASSERT_EQ(gathered.sizes(), (std::vector<std::int64_t>{R, 2}));
    for (int q = 0; q < R; ++q) EXPECT_TRUE(gathered[q].cpu().equal(torch::full({2}, q, torch::kFloat32)));
  } else {
    EXPECT_FALSE(gathered.defined());
  }

  torch::manual_seed(11 + communicator.rank());
  auto random = (torch::randn({1000}) * std::pow(10.0, communicator.rank())).to(device);
  communicator.all_reduce(random, ReduceOp::sum);
  expect_the_same_on_every_rank(communicator, random);
  communicator.barrier();
}

TEST(MpiCommunicator, SumsMeansBroadcastsAndGathersCpuTensors) {
  const auto communicator = make_mpi_communicator(*g_mpi);
  EXPECT_EQ(communicator->backend(), "mpi");
  EXPECT_EQ(communicator->size(), g_mpi->size());
  EXPECT_EQ(communicator->rank(), g_mpi->rank());
  check_collectives(*communicator, c10::Device(c10::kCPU));
}

TEST(MpiCommunicator, TensorsThatDifferAcrossRanksFailOnEveryRankNamingThem) {
  const auto communicator = make_mpi_communicator(*g_mpi);
  auto tensor = torch::zeros({g_mpi->rank() == 1 ? 4 : 3}, torch::kFloat32);
  testing::expect_error_naming([&] { communicator->all_reduce(tensor, ReduceOp::sum); },
                               {"all_reduce: the ranks' tensors differ", "rank 0: 3 × Float", "rank 1: 4 × Float"});
  auto half = torch::zeros({3}, torch::kHalf);
  testing::expect_error_naming([&] { communicator->broadcast(half, 0); }, {"broadcast", "Half"});
  communicator->barrier();
}

TEST(NcclCommunicator, SumsMeansBroadcastsAndGathersCudaTensors) {
  if (kernels::cuda_device_count() < g_mpi->size())
    GTEST_SKIP() << "NCCL needs a GPU per rank: " << kernels::cuda_device_count() << " GPU(s) for " << g_mpi->size()
                 << " ranks";
  const c10::Device device(c10::kCUDA, static_cast<c10::DeviceIndex>(g_mpi->local_rank()));
  const auto communicator = make_communicator(*g_mpi, device);
  EXPECT_EQ(communicator->backend(), "nccl");
  check_collectives(*communicator, device);
}

}  // namespace
}  // namespace salient::comm
