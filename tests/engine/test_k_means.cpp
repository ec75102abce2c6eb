// k-means with k-means++ seeding: scikit-learn's partition of well-separated blobs, a
// hand-derived partition, Lloyd's fixed point checked from the definition, fewer distinct
// rows than clusters, rows left out, and the same result for 1, 2 and 3 ranks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "engine/selection/k_means.h"
#include "salient/kernels/counter_random.h"

namespace salient::selection {
namespace {

KMeansResult cluster(const std::vector<float>& points, std::int64_t dim, const KMeansOptions& options,
                     std::vector<std::uint8_t> eligible = {}) {
  const auto n = static_cast<std::int64_t>(points.size()) / dim;
  if (eligible.empty()) eligible.assign(static_cast<std::size_t>(n), 1);
  return k_means({points.data(), n, dim}, eligible, options);
}

/// True when @p a and @p b put the same rows together (the clusters' numbering aside).
bool same_partition(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
  if (a.size() != b.size()) return false;
  std::map<std::int32_t, std::int32_t> a_to_b, b_to_a;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a_to_b.emplace(a[i], b[i]).first->second != b[i]) return false;
    if (b_to_a.emplace(b[i], a[i]).first->second != a[i]) return false;
  }
  return true;
}

TEST(KMeans, FindsScikitLearnsPartitionOfWellSeparatedBlobs) {
  std::ifstream file(SALIENT_K_MEANS_REFERENCE);
  ASSERT_TRUE(file) << SALIENT_K_MEANS_REFERENCE;
  for (const auto& c : nlohmann::json::parse(file)) {
    std::vector<float> points;
    for (const double v : c.at("points")) points.push_back(static_cast<float>(v));
    const std::int64_t dim = c.at("features");
    KMeansOptions options;
    options.clusters = c.at("clusters");
    options.seed = 1;
    const auto result = cluster(points, dim, options);
    const auto labels = c.at("labels").get<std::vector<std::int32_t>>();
    EXPECT_TRUE(result.converged);
    EXPECT_TRUE(same_partition(result.cluster_of, labels)) << options.clusters << " clusters";
    double inertia = 0.0;
    for (std::size_t i = 0; i < labels.size(); ++i)
      for (std::int64_t j = 0; j < dim; ++j) {
        const double d = points[i * dim + j] - result.centroids[result.cluster_of[i] * dim + j];
        inertia += d * d;
      }
    EXPECT_NEAR(inertia, c.at("inertia").get<double>(), 1e-9 * inertia);
  }
}

TEST(KMeans, GroupsPointsOnALineByHand) {
  // 0, 1 | 10, 11 | 20, 21: centroids 0.5, 10.5, 20.5; each member is 0.5 from its centroid,
  // so the representatives are the lower global indices, 0, 2 and 4. Seed 2's k-means++
  // draws land in three different pairs, and Lloyd's first assignment is already final.
  KMeansOptions options;
  options.clusters = 3;
  options.seed = 2;
  const auto result = cluster({0, 1, 10, 11, 20, 21}, 1, options);
  ASSERT_EQ(result.clusters(), 3);
  std::vector<double> centroids = result.centroids;
  std::sort(centroids.begin(), centroids.end());
  EXPECT_EQ(centroids, (std::vector<double>{0.5, 10.5, 20.5}));
  EXPECT_TRUE(same_partition(result.cluster_of, {0, 0, 1, 1, 2, 2}));
  std::vector<std::int64_t> representatives = result.representatives;
  std::sort(representatives.begin(), representatives.end());
  EXPECT_EQ(representatives, (std::vector<std::int64_t>{0, 2, 4}));
  EXPECT_EQ(result.members, (std::vector<std::int64_t>{2, 2, 2}));
  EXPECT_TRUE(result.converged);
}

TEST(KMeans, EndsAtLloydsFixedPoint) {
  // Uniform points, no structure: at convergence every row is in its nearest centroid's
  // cluster and every centroid is its members' mean (summed here in long double).
  const std::int64_t n = 500, dim = 4;
  std::vector<float> points;
  for (std::int64_t i = 0; i < n * dim; ++i)
    points.push_back(static_cast<float>(kernels::counter_uniform({3, 0, kernels::RandomStream::uniform_scores}, i)));
  KMeansOptions options;
  options.clusters = 7;
  const auto result = cluster(points, dim, options);
  ASSERT_TRUE(result.converged);
  ASSERT_EQ(result.clusters(), 7);
  std::vector<long double> sums(7 * dim, 0.0L);
  std::vector<std::int64_t> members(7, 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto c = result.cluster_of[i];
    ++members[c];
    for (std::int64_t j = 0; j < dim; ++j) sums[c * dim + j] += points[i * dim + j];
    for (std::int32_t other = 0; other < 7; ++other) {
      long double to_own = 0.0L, to_other = 0.0L;
      for (std::int64_t j = 0; j < dim; ++j) {
        to_own += std::pow(points[i * dim + j] - static_cast<long double>(result.centroids[c * dim + j]), 2);
        to_other += std::pow(points[i * dim + j] - static_cast<long double>(result.centroids[other * dim + j]), 2);
      }
      EXPECT_LE(to_own, to_other + 1e-12L) << "row " << i << " is nearer cluster " << other;
    }
  }
  EXPECT_EQ(result.members, members);
  for (std::int32_t c = 0; c < 7; ++c)
    for (std::int64_t j = 0; j < dim; ++j)
      EXPECT_NEAR(result.centroids[c * dim + j], static_cast<double>(sums[c * dim + j] / members[c]), 1e-15);
}

TEST(KMeans, MakesFewerClustersThanAskedWhenFewerRowsDiffer) {
  KMeansOptions options;
  options.clusters = 4;
  const auto result = cluster({1, 1, 5, 5, 5}, 1, options);
  EXPECT_EQ(result.clusters(), 2);
  EXPECT_TRUE(same_partition(result.cluster_of, {0, 0, 1, 1, 1}));
}

TEST(KMeans, LeavesOutRowsNotEligibleOrNotFinite) {
  KMeansOptions options;
  options.clusters = 2;
  const auto result = cluster({0, 100, std::nanf(""), 1, 101}, 1, options, {1, 0, 1, 1, 1});
  EXPECT_EQ(result.cluster_of[1], -1);
  EXPECT_EQ(result.cluster_of[2], -1);
  EXPECT_EQ(result.cluster_of[0], result.cluster_of[3]);
  EXPECT_NE(result.cluster_of[0], result.cluster_of[4]);
  EXPECT_EQ(result.members[result.cluster_of[4]], 1);
  EXPECT_EQ(result.representatives[result.cluster_of[4]], 4);
}

TEST(KMeans, IsTheSameForOneTwoAndThreeRanks) {
  const std::int64_t n = 301, dim = 3;
  std::vector<float> points;
  for (std::int64_t i = 0; i < n * dim; ++i)
    points.push_back(static_cast<float>(kernels::counter_uniform({8, 0, kernels::RandomStream::uniform_scores}, i)));
  std::vector<std::uint8_t> eligible(n, 1);
  eligible[17] = eligible[200] = 0;
  KMeansOptions options;
  options.clusters = 5;
  options.seed = 9;
  const auto one = k_means({points.data(), n, dim}, eligible, options);
  for (const int ranks : {2, 3}) {
    auto groups = make_in_process_rank_groups(ranks);
    std::vector<KMeansResult> results(ranks);
    std::vector<std::exception_ptr> failures(ranks);
    std::vector<std::thread> threads;
    for (int r = 0; r < ranks; ++r) {
      threads.emplace_back([&, r] {
        try {
          const std::int64_t first = n * r / ranks, last = n * (r + 1) / ranks;
          std::vector<std::int64_t> index(static_cast<std::size_t>(last - first));
          for (std::int64_t i = first; i < last; ++i) index[i - first] = i;
          const std::vector<std::uint8_t> mine(eligible.begin() + first, eligible.begin() + last);
          results[r] = k_means({points.data() + first * dim, last - first, dim}, mine, options, index.data(),
                               *groups[static_cast<std::size_t>(r)]);
        } catch (...) {
          failures[r] = std::current_exception();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& failure : failures)
      if (failure) std::rethrow_exception(failure);
    std::vector<std::int32_t> cluster_of;
    for (const auto& result : results) {
      EXPECT_EQ(result.centroids, one.centroids) << ranks << " ranks";
      EXPECT_EQ(result.members, one.members) << ranks << " ranks";
      EXPECT_EQ(result.representatives, one.representatives) << ranks << " ranks";
      EXPECT_EQ(result.iterations, one.iterations) << ranks << " ranks";
      cluster_of.insert(cluster_of.end(), result.cluster_of.begin(), result.cluster_of.end());
    }
    EXPECT_EQ(cluster_of, one.cluster_of) << ranks << " ranks";
  }
}

}  // namespace
}  // namespace salient::selection
