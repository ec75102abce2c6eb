// Reference twin of the ranking primitives: std::sort of (shared key, position) pairs, so
// ties are ordered by position.
#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include "detail/ranking_keys.h"
#include "salient/kernels/ranking.h"

namespace salient::kernels::cpu_impl {
namespace {

/// (key, position) of every candidate; ordering the pairs is the ranking order.
template <typename Score>
using KeyedPosition = std::pair<detail::RankKey<Score>, std::int64_t>;

/// The first min(k, n) (key, position) pairs of the pool in ranking order.
template <typename Score>
std::vector<KeyedPosition<Score>> sort_by_key(const Score* scores, Direction direction, const PoolView& pool,
                                              std::int64_t k) {
  std::vector<KeyedPosition<Score>> sorted(pool.n);
  for (std::int64_t i = 0; i < pool.n; ++i) {
    sorted[i] = {detail::rank_key(scores[i], direction, pool.labeled && pool.labeled[i]), i};
  }
  if (k < pool.n) {
    std::nth_element(sorted.begin(), sorted.begin() + k, sorted.end());
    sorted.resize(k);
  }
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

template <typename Score>
std::int64_t top_k_of(const Score* scores, Direction direction, const PoolView& pool, std::int64_t k,
                      std::int64_t* selected) {
  const auto sorted = sort_by_key(scores, direction, pool, k);
  std::int64_t count = 0;
  for (const auto& [key, position] : sorted) {
    if (key == detail::labeled_rank_key<Score>()) break;
    selected[count++] = position;
  }
  return count;
}

}  // namespace

RankSummary rank_scores(const float* scores, Direction direction, const PoolView& pool, double* ranks) {
  const auto sorted = sort_by_key(scores, direction, pool, pool.n);
  RankSummary summary;
  for (std::int64_t first = 0; first < pool.n;) {
    const auto key = sorted[first].first;
    std::int64_t last = first + 1;
    while (last < pool.n && sorted[last].first == key) ++last;
    const bool labeled = key == detail::labeled_rank_key<float>();
    const double rank = labeled ? std::numeric_limits<double>::quiet_NaN() : detail::average_rank(first, last);
    for (std::int64_t place = first; place < last; ++place) ranks[sorted[place].second] = rank;
    if (!labeled) summary.ranked += last - first;
    if (key == detail::nan_rank_key<float>()) summary.nan_count += last - first;
    first = last;
  }
  return summary;
}

std::vector<RankSummary> borda_sums(const std::vector<BordaCriterion>& criteria, const PoolView& pool, double* sums) {
  std::vector<RankSummary> summaries;
  std::vector<double> ranks(pool.n);
  std::fill(sums, sums + pool.n, 0.0);
  for (const auto& criterion : criteria) {
    summaries.push_back(rank_scores(criterion.scores, criterion.direction, pool, ranks.data()));
    for (std::int64_t i = 0; i < pool.n; ++i) sums[i] += ranks[i];
  }
  return summaries;
}

std::int64_t top_k(const float* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected) {
  return top_k_of(scores, direction, pool, k, selected);
}

std::int64_t top_k(const double* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected) {
  return top_k_of(scores, direction, pool, k, selected);
}

}  // namespace salient::kernels::cpu_impl
