// The collectives of engine/comm/mpi_collectives.h on 2 and 3 ranks, with values each rank
// derives from its rank, so every expected result is a closed form.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/comm/mpi_collectives.h"
#include "engine/comm/mpi_session.h"

extern salient::comm::MpiSession* g_mpi;

namespace salient::comm {
namespace {

TEST(MpiCollectives, AllreduceSumAddsEveryRank) {
  // Σ_{r=0}^{R-1} 10·(r+1) = 5·R·(R+1).
  const int R = g_mpi->size();
  EXPECT_EQ(allreduce_sum(10 * (g_mpi->rank() + 1)), 5 * R * (R + 1));
}

TEST(MpiCollectives, AllreduceAnyIsTrueWhenOneRankIs) {
  EXPECT_FALSE(allreduce_any(false));
  EXPECT_TRUE(allreduce_any(g_mpi->rank() == g_mpi->size() - 1));
  EXPECT_TRUE(allreduce_any(true));
  barrier();
}

TEST(MpiCollectives, GatherDoublesIsRankMajorOnTheRootOnly) {
  const int r = g_mpi->rank();
  for (const int root : {0, g_mpi->size() - 1}) {
    const auto all = gather_doubles({double(r), r + 0.5, -double(r)}, root);
    if (r != root) {
      EXPECT_TRUE(all.empty());
      continue;
    }
    std::vector<double> expected;
    for (int q = 0; q < g_mpi->size(); ++q) expected.insert(expected.end(), {double(q), q + 0.5, -double(q)});
    EXPECT_EQ(all, expected);
  }
}

TEST(MpiCollectives, GatherDoublesOfDifferentLengthsFailsOnEveryRank) {
  // Rank r passes r + 1 values: ranks 1… differ from rank 0, and every rank must say so.
  const std::vector<double> mine(static_cast<std::size_t>(g_mpi->rank() + 1), 1.0);
  try {
    gather_doubles(mine, 0);
    FAIL() << "lengths 1, 2, … must be refused";
  } catch (const Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("rank 0 passes 1 values and rank(s) 1"), std::string::npos) << message;
  }
  // Nobody was left inside the gather: the next collective completes.
  EXPECT_EQ(allreduce_sum(1), g_mpi->size());
}

TEST(MpiCollectives, GatherStringsKeepsEachRanksTextWhole) {
  // Rank r sends r copies of 'a' + r (rank 0 an empty text) and a NUL in the middle.
  const int r = g_mpi->rank();
  const auto text_of = [](int q) { return std::string(static_cast<std::size_t>(q), char('a' + q)) + '\0' + "|"; };
  const int root = g_mpi->size() - 1;
  const auto all = gather_strings(r == 0 ? std::string() : text_of(r), root);
  if (r != root) {
    EXPECT_TRUE(all.empty());
    return;
  }
  std::vector<std::string> expected{std::string()};
  for (int q = 1; q < g_mpi->size(); ++q) expected.push_back(text_of(q));
  EXPECT_EQ(all, expected);
}

TEST(MpiCollectives, BroadcastStringGivesEveryRankTheRootsText) {
  const std::string from_root = std::string("rank 1 says: ünïcode") + '\0' + "and more";
  const std::string mine = g_mpi->rank() == 1 ? from_root : "something else of rank " + std::to_string(g_mpi->rank());
  EXPECT_EQ(broadcast_string(mine, 1), from_root);
  EXPECT_EQ(broadcast_string(g_mpi->rank() == 0 ? "" : "not empty", 0), "");
}

}  // namespace
}  // namespace salient::comm
