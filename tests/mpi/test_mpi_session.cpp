#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "engine/comm/mpi_session.h"

extern salient::comm::MpiSession* g_mpi;

namespace salient::comm {
namespace {

TEST(MpiSession, AllreduceSumsEveryRank) {
  // Σ_{r=0}^{R-1} (r+1) = R(R+1)/2.
  double contribution = g_mpi->rank() + 1.0;
  double total = 0.0;
  SALIENT_MPI_CHECK(MPI_Allreduce(&contribution, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD));
  EXPECT_EQ(total, g_mpi->size() * (g_mpi->size() + 1) / 2.0);
}

TEST(MpiSession, RanksOnOneHostHaveDistinctLocalRanks) {
  const int local = g_mpi->local_rank();
  std::vector<int> all(static_cast<std::size_t>(g_mpi->size()));
  SALIENT_MPI_CHECK(MPI_Allgather(&local, 1, MPI_INT, all.data(), 1, MPI_INT, MPI_COMM_WORLD));
  std::vector<int> sorted = all;
  std::sort(sorted.begin(), sorted.end());
  std::vector<int> expected(all.size());
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(sorted, expected) << "the tests run on one host, so local ranks are 0..R-1";
}

TEST(MpiSession, AnMpiErrorNamesHostRankAndCall) {
  int value = 0;
  try {
    SALIENT_MPI_CHECK(MPI_Bcast(&value, 1, MPI_INT, /*root=*/g_mpi->size() + 5, MPI_COMM_WORLD));
    FAIL() << "a broadcast from a rank that does not exist must fail";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("rank " + std::to_string(g_mpi->rank())), std::string::npos) << message;
    EXPECT_NE(message.find(g_mpi->host()), std::string::npos) << message;
    EXPECT_NE(message.find("MPI_Bcast"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace salient::comm
