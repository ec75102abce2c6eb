// Job-wide progress from non-blocking reductions on 2 and 3 ranks: ranks with different
// shares (one with none) and different paces start the same ticks; the values that come
// back never decrease and end at the job's total, and no rank hangs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

#include "engine/comm/mpi_collectives.h"
#include "engine/comm/mpi_session.h"
#include "engine/comm/progress_reduction.h"

extern salient::comm::MpiSession* g_mpi;

namespace salient::comm {
namespace {

/// Runs a rank's share of @p my_total images, @p pause_ms per image, and returns every value
/// the progress reported (update's, then finish's), in order.
std::vector<std::int64_t> run_share(ProgressReduction& progress, std::int64_t my_total, int pause_ms) {
  std::vector<std::int64_t> values;
  if (const auto global = progress.update(0)) values.push_back(*global);
  for (std::int64_t done = 1; done <= my_total; ++done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    if (const auto global = progress.update(done)) values.push_back(*global);
  }
  const auto total = progress.finish([&](std::int64_t global) { values.push_back(global); });
  EXPECT_EQ(total, progress.global_total());
  return values;
}

void expect_rising_to(const std::vector<std::int64_t>& values, std::int64_t total, int ticks) {
  ASSERT_FALSE(values.empty());
  EXPECT_LE(values.size(), static_cast<std::size_t>(ticks));
  EXPECT_GE(values.front(), 0);
  for (std::size_t i = 1; i < values.size(); ++i) EXPECT_LE(values[i - 1], values[i]) << "value " << i;
  EXPECT_EQ(values.back(), total);
}

TEST(ProgressReduction, TickValuesSumEachRanksCountAtItsStart) {
  // Rank r has 2(r+1) images and K = 2 ticks. At r+1 done it starts tick 1 with r+1:
  // tick 1 = Σ (r+1) = R(R+1)/2, tick 2 = Σ 2(r+1) = R(R+1).
  const std::int64_t R = g_mpi->size();
  const std::int64_t r = g_mpi->rank();
  ProgressReduction progress(2 * (r + 1), /*ticks=*/2);
  EXPECT_EQ(progress.global_total(), R * (R + 1));
  auto first = progress.update(r + 1);
  barrier();  // every rank has started tick 1, so testing it must eventually complete it
  while (!first) first = progress.update(r + 1);
  EXPECT_EQ(*first, R * (R + 1) / 2);
  std::vector<std::int64_t> rest;
  EXPECT_EQ(progress.finish([&](std::int64_t global) { rest.push_back(global); }), R * (R + 1));
  EXPECT_EQ(rest, std::vector<std::int64_t>{R * (R + 1)});
}

TEST(ProgressReduction, RanksOfDifferentSharesAndPacesReachTheTotal) {
  // Shares 0, 13, 23, …: Σ_{r=1}^{R-1} (10r + 3) = 5R(R−1) + 3(R−1). Rank r pauses r+1 ms per image.
  const int R = g_mpi->size();
  const int r = g_mpi->rank();
  const std::int64_t my_total = r == 0 ? 0 : 10 * r + 3;
  for (const int ticks : {100, 5, 1}) {
    ProgressReduction progress(my_total, ticks);
    EXPECT_EQ(progress.global_total(), 5 * R * (R - 1) + 3 * (R - 1));
    expect_rising_to(run_share(progress, my_total, r + 1), progress.global_total(), ticks);
  }
}

TEST(ProgressReduction, TheLastRankWithNothingToDoStillTakesPart) {
  // Shares 4, 3, 0 (np 3) or 4, 0 (np 2); the fastest rank has the most.
  const int R = g_mpi->size();
  const int r = g_mpi->rank();
  const std::int64_t my_total = r == R - 1 ? 0 : 4 - r;
  ProgressReduction progress(my_total, 10);
  expect_rising_to(run_share(progress, my_total, 3 * r), progress.global_total(), 10);
  EXPECT_EQ(progress.global_total(), R == 2 ? 4 : 7);
}

}  // namespace
}  // namespace salient::comm
