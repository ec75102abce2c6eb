// The distance-based selection strategies on one process (engine/selection/): CoreSet's
// k-center greedy, BADGE's k-means++ seeding on gradient embeddings, and Cluster-Margin's
// average-linkage clustering of a sample. Embeddings are Gaussian, d = 512 (ResNet-18's
// pooled features), C = 4 sigmoid probabilities; batches of B = 100 from a pool without
// labels. bench/baselines/selection_baselines.py times the same computations in numpy and
// scipy (the way the single-process peers compute them). Items are candidates.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "engine/selection/badge.h"
#include "engine/selection/cluster_margin.h"
#include "engine/selection/k_center.h"

namespace {

using namespace salient::selection;

constexpr std::int64_t kDim = 512;
constexpr std::int64_t kClasses = 4;
constexpr std::int64_t kBatch = 100;

std::vector<float> gaussian(std::int64_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<float> values(static_cast<std::size_t>(count));
  for (auto& v : values) v = normal(rng);
  return values;
}

std::vector<float> probabilities(std::int64_t n) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> uniform(0.01f, 0.99f);
  std::vector<float> values(static_cast<std::size_t>(n * kClasses));
  for (auto& v : values) v = uniform(rng);
  return values;
}

void BM_CoresetCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto embeddings = gaussian(n * kDim, 11);
  const std::vector<std::uint8_t> centers(static_cast<std::size_t>(n), 0), eligible(static_cast<std::size_t>(n), 1);
  for (auto _ : state) {
    auto picks = k_center_greedy({embeddings.data(), n, kDim}, centers, eligible, kBatch);
    benchmark::DoNotOptimize(picks.picked.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_CoresetCpu)->Arg(20'000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_BadgeCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto embeddings = gaussian(n * kDim, 12);
  const auto p = probabilities(n);
  const std::vector<std::uint8_t> eligible(static_cast<std::size_t>(n), 1);
  const BadgeInputs inputs{{embeddings.data(), n, kDim}, {p.data(), n, kClasses}, true, 3, 1};
  for (auto _ : state) {
    auto picks = badge_seeding(inputs, eligible, kBatch);
    benchmark::DoNotOptimize(picks.picked.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_BadgeCpu)->Arg(20'000)->UseRealTime()->Unit(benchmark::kMillisecond);

/// Average linkage of the whole sample (50 clusters); the assignment of the rest is cheap.
void BM_ClusterSampleCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto embeddings = gaussian(n * kDim, 13);
  std::vector<std::int64_t> index(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) index[static_cast<std::size_t>(i)] = i;
  for (auto _ : state) {
    auto clusters = cluster_embeddings({embeddings.data(), n, kDim}, index, 50, n, 5);
    benchmark::DoNotOptimize(clusters.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_ClusterSampleCpu)->Arg(2'000)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
