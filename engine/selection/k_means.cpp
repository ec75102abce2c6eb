#include "engine/selection/k_means.h"

#include <cmath>
#include <limits>

#include "engine/selection/across_ranks.h"
#include "engine/selection/d2_draw.h"
#include "engine/selection/embedding_math.h"
#include "engine/selection/exact_means.h"
#include "engine/selection/proposal.h"
#include "salient/check.h"

namespace salient::selection {
namespace {

/// The row this rank drew, gathered by every rank: true and @p center filled when some
/// rank drew one.
bool gather_drawn_row(const EmbeddingRows& rows, std::size_t drawn, RankGroup& group, std::vector<double>& center) {
  const auto dim = static_cast<std::size_t>(rows.dim);
  Message message;
  if (drawn < static_cast<std::size_t>(rows.n)) message.put_all(rows.values + drawn * dim, dim);
  std::vector<float> row(dim);
  for (const auto& sent : group.all_gather(message.bytes())) {
    if (sent.empty()) continue;
    MessageReader(sent).get_all(row.data(), dim);
    center.assign(row.begin(), row.end());
    return true;
  }
  return false;
}

/// The nearest of @p clusters centroids to @p row, the lower on a tie, and its squared distance.
std::pair<std::int32_t, double> nearest_centroid(const float* row, const std::vector<double>& centroids,
                                                 std::int32_t clusters, std::int64_t dim) {
  std::int32_t best = 0;
  double best_d2 = std::numeric_limits<double>::infinity();
  for (std::int32_t c = 0; c < clusters; ++c) {
    const double d2 = squared_distance(row, centroids.data() + c * dim, dim);
    if (d2 < best_d2) {
      best_d2 = d2;
      best = c;
    }
  }
  return {best, best_d2};
}

}  // namespace

KMeansResult k_means(const EmbeddingRows& rows, const std::vector<std::uint8_t>& eligible,
                     const KMeansOptions& options, const std::int64_t* global_index, RankGroup& group) {
  const auto n = static_cast<std::size_t>(rows.n);
  const auto dim = static_cast<std::size_t>(rows.dim);
  SALIENT_CHECK(options.clusters >= 1 && options.max_iterations >= 1,
                "k-means: {} clusters and {} iterations: expected at least 1 of each", options.clusters,
                options.max_iterations);
  SALIENT_CHECK(eligible.size() == n, "k-means: {} eligible flags for {} rows", eligible.size(), n);
  if (global_index != nullptr) check_rank_blocks(global_index, rows.n, group);
  const auto index_of = [&](std::size_t i) { return global_index != nullptr ? global_index[i] : std::int64_t(i); };
  const auto row = [&](std::size_t i) { return rows.values + i * dim; };
  std::vector<std::uint8_t> usable(n, 0);
  for (std::size_t i = 0; i < n; ++i) usable[i] = eligible[i] != 0 && all_finite(row(i), rows.dim) ? 1 : 0;

  // Greedy k-means++ seeding: the first center uniformly (every weight 1); then each step
  // draws `trials` candidates by D² and keeps the one of least potential.
  KMeansResult result;
  const kernels::RandomKey key{options.seed, options.round, kernels::RandomStream::k_means_seeding};
  const std::int32_t trials = 2 + static_cast<std::int32_t>(std::log(static_cast<double>(options.clusters)));
  std::vector<double> nearest(n, 1.0);
  std::vector<double> center, candidate_d2(n), best_d2(n);
  const auto distances_to = [&](const std::vector<double>& to, std::vector<double>& d2) {
    for (std::size_t i = 0; i < n; ++i) d2[i] = usable[i] != 0 ? squared_distance(row(i), to.data(), rows.dim) : 0.0;
  };
  const std::size_t first = d2_draw(nearest, usable, usable, key, 0, group);
  if (first != kNoWeight && gather_drawn_row(rows, first, group, center)) {
    result.centroids.insert(result.centroids.end(), center.begin(), center.end());
    distances_to(center, nearest);
  }
  for (std::int32_t step = 1; step < options.clusters && !result.centroids.empty(); ++step) {
    const double scale = d2_weight_scale(nearest, usable, usable, group);
    if (scale == 0.0) break;  // every row sits on a center: fewer distinct rows than K
    std::uint64_t best_potential = 0;
    std::vector<double> best_center;
    for (std::int32_t trial = 0; trial < trials; ++trial) {
      const std::size_t drawn = d2_draw(nearest, usable, usable, key, std::int64_t{step} * trials + trial, group);
      if (drawn == kNoWeight || !gather_drawn_row(rows, drawn, group, center)) break;
      distances_to(center, candidate_d2);
      // The potential Σ min(D², d²) in the draw's integer weights: exact for any split.
      std::uint64_t local = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (usable[i] != 0) local += static_cast<std::uint64_t>(std::min(nearest[i], candidate_d2[i]) * scale);
      std::uint64_t potential = 0;
      for (const auto part : all_gather_value(group, local)) potential += part;
      if (best_center.empty() || potential < best_potential) {
        best_potential = potential;
        best_center = center;
        best_d2.swap(candidate_d2);
      }
    }
    if (best_center.empty()) break;
    result.centroids.insert(result.centroids.end(), best_center.begin(), best_center.end());
    for (std::size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], best_d2[i]);
  }
  const auto clusters = static_cast<std::int32_t>(dim == 0 ? 0 : result.centroids.size() / dim);

  // Lloyd's iterations.
  result.cluster_of.assign(n, -1);
  while (clusters > 0 && result.iterations < options.max_iterations) {
    std::int64_t changed = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (usable[i] == 0) continue;
      const auto c = nearest_centroid(row(i), result.centroids, clusters, rows.dim).first;
      changed += c != result.cluster_of[i] ? 1 : 0;
      result.cluster_of[i] = c;
    }
    ++result.iterations;
    const auto means = exact_group_means(rows, result.cluster_of, clusters, group, "k-means");
    result.members = means.members;
    if (sum_over_ranks(group, changed) == 0) {
      result.converged = true;
      break;
    }
    for (std::int32_t c = 0; c < clusters; ++c) {
      if (means.members[c] == 0) continue;
      std::copy_n(means.means.begin() + c * rows.dim, rows.dim, result.centroids.begin() + c * rows.dim);
    }
  }
  if (clusters > 0 && !result.converged) {
    // The last centroids moved after the last assignment: assign once more, so that every
    // row is in its nearest centroid's cluster.
    for (std::size_t i = 0; i < n; ++i)
      if (usable[i] != 0) result.cluster_of[i] = nearest_centroid(row(i), result.centroids, clusters, rows.dim).first;
    result.members = exact_group_means(rows, result.cluster_of, clusters, group, "k-means").members;
  }

  // Representatives: each rank proposes its member nearest each centroid.
  std::vector<Proposal> mine(static_cast<std::size_t>(clusters));
  for (std::size_t i = 0; i < n; ++i) {
    if (result.cluster_of[i] < 0) continue;
    auto& proposal = mine[static_cast<std::size_t>(result.cluster_of[i])];
    const double d2 = squared_distance(row(i), result.centroids.data() + result.cluster_of[i] * rows.dim, rows.dim);
    if (proposal.kind == Proposal::none || d2 < proposal.value) proposal = {Proposal::usable, index_of(i), d2};
  }
  const auto all = all_gather_values(group, mine);
  for (std::int32_t c = 0; c < clusters; ++c) {
    std::vector<Proposal> proposals;
    for (std::size_t at = static_cast<std::size_t>(c); at < all.size(); at += static_cast<std::size_t>(clusters))
      proposals.push_back(all[at]);
    const auto from = winning_proposal(proposals, /*smallest_wins=*/true);
    result.representatives.push_back(from == proposals.size() ? -1 : proposals[from].global_index);
  }
  return result;
}

}  // namespace salient::selection
