#include "engine/selection/across_ranks.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "salient/check.h"

namespace salient::selection {
namespace {

using kernels::Direction;
const kernels::ExecutionContext kCpu{};

bool ranks_before(const Pick& a, const Pick& b, Direction direction) {
  const bool a_nan = std::isnan(a.score), b_nan = std::isnan(b.score);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a.score != b.score) return direction == Direction::descending ? a.score > b.score : a.score < b.score;
  return a.global_index < b.global_index;
}

std::int64_t global_index_at(const kernels::PoolView& pool, std::int64_t position) {
  return pool.global_index != nullptr ? pool.global_index[position] : position;
}

template <typename Score>
std::vector<Pick> top_of(const Score* scores, Direction direction, const kernels::PoolView& pool, std::int64_t k,
                         RankGroup& group) {
  std::vector<std::int64_t> local(static_cast<std::size_t>(std::max<std::int64_t>(0, std::min(k, pool.n))));
  local.resize(static_cast<std::size_t>(kernels::top_k(scores, direction, pool, k, local.data(), kCpu)));
  std::vector<Pick> mine;
  for (const auto position : local) mine.push_back({global_index_at(pool, position), double(scores[position])});
  auto all = all_gather_values(group, mine);
  std::sort(all.begin(), all.end(), [&](const Pick& a, const Pick& b) { return ranks_before(a, b, direction); });
  if (static_cast<std::int64_t>(all.size()) > k) all.resize(static_cast<std::size_t>(k));
  return all;
}

}  // namespace

std::vector<Pick> top_across_ranks(const float* scores, Direction direction, const kernels::PoolView& pool,
                                   std::int64_t k, RankGroup& group) {
  return top_of(scores, direction, pool, k, group);
}

std::vector<Pick> top_across_ranks(const double* scores, Direction direction, const kernels::PoolView& pool,
                                   std::int64_t k, RankGroup& group) {
  return top_of(scores, direction, pool, k, group);
}

kernels::RankSummary rank_across_ranks(const float* scores, Direction direction, const kernels::PoolView& pool,
                                       double* ranks, RankGroup& group) {
  // Oriented so that ascending order is best first; this rank's numbers sorted, with their positions.
  const auto oriented = [&](float value) { return direction == Direction::descending ? -value : value; };
  std::vector<std::pair<float, std::int64_t>> mine;
  std::int64_t unlabeled = 0, nans = 0;
  for (std::int64_t i = 0; i < pool.n; ++i) {
    if (pool.labeled != nullptr && pool.labeled[i] != 0) continue;
    ++unlabeled;
    if (std::isnan(scores[i])) {
      ++nans;
    } else {
      mine.emplace_back(oriented(scores[i]), i);
    }
  }
  std::sort(mine.begin(), mine.end());
  std::vector<float> sorted;
  for (const auto& entry : mine) sorted.push_back(entry.first);
  // better[i], equal[i]: values of every rank below and equal to candidate i's (its own
  // included), counted by walking each rank's sorted block beside this rank's.
  std::vector<std::int64_t> better(static_cast<std::size_t>(pool.n), 0), equal(static_cast<std::size_t>(pool.n), 0);
  for (int source = 0; source < group.size(); ++source) {
    const auto block = all_gather_values(group, group.rank() == source ? sorted : std::vector<float>());
    std::size_t below = 0, through = 0;
    for (const auto& [value, position] : mine) {
      while (below < block.size() && block[below] < value) ++below;
      through = std::max(through, below);
      while (through < block.size() && !(value < block[through])) ++through;
      better[static_cast<std::size_t>(position)] += static_cast<std::int64_t>(below);
      equal[static_cast<std::size_t>(position)] += static_cast<std::int64_t>(through - below);
    }
  }
  const kernels::RankSummary summary{sum_over_ranks(group, unlabeled), sum_over_ranks(group, nans)};
  const auto numbers = static_cast<double>(summary.ranked - summary.nan_count);
  for (std::int64_t i = 0; i < pool.n; ++i) {
    const auto at = static_cast<std::size_t>(i);
    if (pool.labeled != nullptr && pool.labeled[i] != 0) {
      ranks[i] = std::numeric_limits<double>::quiet_NaN();
    } else if (std::isnan(scores[i])) {
      ranks[i] = numbers + (static_cast<double>(summary.nan_count) + 1.0) / 2.0;
    } else {
      ranks[i] = static_cast<double>(better[at]) + (static_cast<double>(equal[at]) + 1.0) / 2.0;
    }
  }
  return summary;
}

void check_rank_blocks(const std::int64_t* global_index, std::int64_t n, RankGroup& group) {
  struct Block {
    std::int64_t first, last, n;
  };
  const Block mine{n > 0 ? global_index[0] : 0, n > 0 ? global_index[n - 1] : 0, n};
  std::int64_t highest = -1;
  int rank = 0;
  for (const auto& block : all_gather_value(group, mine)) {
    SALIENT_CHECK(block.n == 0 || block.first > highest,
                  "selection across ranks: rank {} holds global index {}, not above an earlier rank's {}; each rank "
                  "must hold a block of ascending global indices",
                  rank, block.first, highest);
    if (block.n > 0) highest = block.last;
    ++rank;
  }
}

}  // namespace salient::selection
