// Ranking over the whole pool, CPU twin and CUDA twin: per-criterion ranks, top-k
// (k = 1000), both together (the goal: 10⁷ candidates in under 20 ms on the GPU),
// and the ACFT draw (b = 1000, ω = 5). Items are candidates; bytes are the scores read
// (4 B each). Each CUDA run is checked against the CPU twin (counter "wrong", an error
// when > 0): ranks and selections must be identical.
#include <benchmark/benchmark.h>

#include <limits>
#include <random>
#include <vector>

#include "bench_cuda_support.h"
#include "salient/kernels/acft_draw.h"
#include "salient/kernels/ranking.h"

namespace {

using namespace salient::kernels;
#ifdef SALIENT_WITH_CUDA
using salient::bench::cuda_usable;
using salient::bench::DeviceArray;
using salient::bench::time_cuda;
#endif

constexpr std::int64_t kTopK = 1000;

/// Scores on a grid of 2²¹ levels (some ties) with 1 % NaN.
std::vector<float> random_scores(std::int64_t n) {
  std::mt19937 rng(23);
  std::uniform_int_distribution<int> level(0, 1 << 21);
  std::bernoulli_distribution nan(0.01);
  std::vector<float> scores(n);
  for (auto& s : scores)
    s = nan(rng) ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(level(rng)) / 1024.0f;
  return scores;
}

void set_throughput(benchmark::State& state, std::int64_t n) {
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * static_cast<std::int64_t>(sizeof(float)));
}

void BM_RankAndTopKCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto scores = random_scores(n);
  std::vector<double> ranks(n);
  std::vector<std::int64_t> selected(kTopK);
  for (auto _ : state) {
    rank_scores(scores.data(), Direction::descending, {n}, ranks.data(), {});
    top_k(scores.data(), Direction::descending, {n}, kTopK, selected.data(), {});
    benchmark::DoNotOptimize(selected.data());
  }
  set_throughput(state, n);
}
BENCHMARK(BM_RankAndTopKCpu)->Arg(1'000'000)->Arg(10'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

#ifdef SALIENT_WITH_CUDA
/// Counts CUDA ranks and top-k places that differ from the CPU twin's.
int count_wrong(const std::vector<float>& scores, const DeviceArray<double>* ranks,
                const DeviceArray<std::int64_t>* selected) {
  const auto n = static_cast<std::int64_t>(scores.size());
  int wrong = 0;
  if (ranks) {
    std::vector<double> expected(n);
    rank_scores(scores.data(), Direction::descending, {n}, expected.data(), {});
    const auto actual = ranks->to_host();
    for (std::int64_t i = 0; i < n; ++i) wrong += actual[i] != expected[i];
  }
  if (selected) {
    std::vector<std::int64_t> expected(kTopK);
    top_k(scores.data(), Direction::descending, {n}, kTopK, expected.data(), {});
    const auto actual = selected->to_host();
    for (std::int64_t i = 0; i < kTopK; ++i) wrong += actual[i] != expected[i];
  }
  return wrong;
}

enum class Work { rank, top_k, rank_and_top_k };

void run_ranking_cuda(benchmark::State& state, Work work) {
  if (!cuda_usable(state)) return;
  const std::int64_t n = state.range(0);
  const auto scores = random_scores(n);
  DeviceArray<float> device_scores(scores);
  DeviceArray<double> ranks(n);
  DeviceArray<std::int64_t> selected(kTopK);
  const ExecutionContext gpu{Backend::cuda, nullptr};
  time_cuda(state, [&] {
    if (work != Work::top_k) rank_scores(device_scores.get(), Direction::descending, {n}, ranks.get(), gpu);
    if (work != Work::rank) top_k(device_scores.get(), Direction::descending, {n}, kTopK, selected.get(), gpu);
  });
  const int wrong =
      count_wrong(scores, work != Work::top_k ? &ranks : nullptr, work != Work::rank ? &selected : nullptr);
  state.counters["wrong"] = wrong;
  if (wrong) state.SkipWithError("CUDA ranking differs from the CPU twin");
  set_throughput(state, n);
}
#endif

void BM_RankCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  run_ranking_cuda(state, Work::rank);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
void BM_TopKCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  run_ranking_cuda(state, Work::top_k);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
void BM_RankAndTopKCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  run_ranking_cuda(state, Work::rank_and_top_k);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_RankCuda)->Arg(1'000'000)->Arg(10'000'000)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TopKCuda)->Arg(1'000'000)->Arg(10'000'000)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RankAndTopKCuda)->Arg(1'000'000)->Arg(10'000'000)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_AcftDrawCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto scores = random_scores(n);
  std::vector<std::int64_t> selected(kTopK);
  for (auto _ : state) {
    acft_randomized_draw(scores.data(), {n}, {kTopK, 5, 1, 0}, selected.data(), {});
    benchmark::DoNotOptimize(selected.data());
  }
  set_throughput(state, n);
}
BENCHMARK(BM_AcftDrawCpu)->Arg(1'000'000)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_AcftDrawCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!cuda_usable(state)) return;
  const std::int64_t n = state.range(0);
  const auto scores = random_scores(n);
  DeviceArray<float> device_scores(scores);
  DeviceArray<std::int64_t> selected(kTopK);
  time_cuda(state, [&] {
    acft_randomized_draw(device_scores.get(), {n}, {kTopK, 5, 1, 0}, selected.get(), {Backend::cuda, nullptr});
  });
  std::vector<std::int64_t> expected(kTopK);
  acft_randomized_draw(scores.data(), {n}, {kTopK, 5, 1, 0}, expected.data(), {});
  const auto actual = selected.to_host();
  int wrong = 0;
  for (std::int64_t i = 0; i < kTopK; ++i) wrong += actual[i] != expected[i];
  state.counters["wrong"] = wrong;
  if (wrong) state.SkipWithError("CUDA ACFT draw differs from the CPU twin");
  set_throughput(state, n);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_AcftDrawCuda)->Arg(1'000'000)->Arg(10'000'000)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
