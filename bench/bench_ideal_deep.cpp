// IDEAL's deep saliency features, piece by piece: the saliency autoencoder's training step
// and encoding (LibTorch, every CPU thread; 64×64 maps, l = 32, batches of 64), k-means of
// 10⁵ codes (l = 32, K = 10, one core) and the on-line random forest's update (1 and 2
// threads) and prediction (one core) over 10⁵ codes (K = 10 levels, 50 trees).
// bench/baselines/ideal_deep_baselines.py times the same work in PyTorch eager and
// scikit-learn; bench/run_ideal_deep_benchmark.sh runs both in one run. Items are maps or codes.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <cmath>
#include <vector>

#include "engine/comm/communicator.h"
#include "engine/models/saliency_autoencoder.h"
#include "engine/runtime/heap.h"
#include "engine/runtime/threads.h"
#include "engine/selection/k_means.h"
#include "engine/selection/online_forest.h"
#include "engine/training/autoencoder_training.h"
#include "salient/kernels/counter_random.h"

namespace {

using namespace salient;

constexpr std::int64_t kMapSize = 64, kLatent = 32, kBatch = 64, kCodes = 100'000;
constexpr std::int32_t kLevels = 10;

/// 10⁵ codes around 10 well-apart centers, and each one's center as its level.
struct Codes {
  std::vector<float> x;
  std::vector<std::int32_t> level;
};

const Codes& codes() {
  static const Codes data = [] {
    Codes c;
    for (std::int64_t i = 0; i < kCodes; ++i) {
      const auto level = static_cast<std::int32_t>(i % kLevels);
      c.level.push_back(level);
      for (std::int64_t j = 0; j < kLatent; ++j) {
        const double u = kernels::counter_uniform({1, 0, kernels::RandomStream::uniform_scores}, i * kLatent + j);
        c.x.push_back(static_cast<float>((j % kLevels == level ? 3.0 : 0.0) + 2.0 * (u - 0.5)));
      }
    }
    return c;
  }();
  return data;
}

at::Tensor maps() {
  return torch::rand({kBatch, 1, kMapSize, kMapSize}, torch::TensorOptions().dtype(torch::kFloat));
}

void BM_AutoencoderTrainStep(benchmark::State& state) {
  runtime::use_all_cpu_threads(1);
  models::SaliencyAutoencoder autoencoder({kMapSize, kLatent}, 0);
  const auto batch = maps();
  auto communicators = comm::make_in_process_communicators(1);
  training::AutoencoderTrainingOptions options;
  options.epochs = 1;
  options.batch_size = kBatch;
  training::train_autoencoder(autoencoder, batch, *communicators[0], options);  // warm-up
  for (auto _ : state) training::train_autoencoder(autoencoder, batch, *communicators[0], options);
  state.counters["maps/s"] = benchmark::Counter(static_cast<double>(kBatch), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_AutoencoderTrainStep)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);

void BM_AutoencoderEncode(benchmark::State& state) {
  runtime::use_all_cpu_threads(1);
  models::SaliencyAutoencoder autoencoder({kMapSize, kLatent}, 0);
  const auto batch = maps();
  benchmark::DoNotOptimize(training::encode_maps(autoencoder, batch, kBatch));
  for (auto _ : state) benchmark::DoNotOptimize(training::encode_maps(autoencoder, batch, kBatch));
  state.counters["maps/s"] = benchmark::Counter(static_cast<double>(kBatch), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_AutoencoderEncode)->UseRealTime()->Unit(benchmark::kMillisecond)->MinTime(1.0);

void BM_KMeans(benchmark::State& state) {
  const auto& c = codes();
  const std::vector<std::uint8_t> eligible(static_cast<std::size_t>(kCodes), 1);
  selection::KMeansOptions options;
  options.clusters = kLevels;
  for (auto _ : state) {
    const auto result = selection::k_means({c.x.data(), kCodes, kLatent}, eligible, options);
    benchmark::DoNotOptimize(result.centroids.data());
    state.counters["iterations"] = result.iterations;
  }
  state.SetItemsProcessed(state.iterations() * kCodes);
}
BENCHMARK(BM_KMeans)->UseRealTime()->Unit(benchmark::kMillisecond);

selection::OnlineForestParams forest_params() {
  selection::OnlineForestParams params;
  params.trees = 50;
  params.discard_interval = 0;
  return params;
}

void BM_OnlineForestUpdate(benchmark::State& state) {
  const auto& c = codes();
  const auto ranges = selection::feature_ranges(c.x.data(), kCodes, kLatent);
  for (auto _ : state) {
    selection::OnlineForest forest(forest_params(), kLevels, ranges);
    forest.update(c.x.data(), c.level.data(), kCodes, static_cast<std::int32_t>(state.range(0)));
    benchmark::DoNotOptimize(forest.samples_seen());
  }
  state.SetItemsProcessed(state.iterations() * kCodes);
}
BENCHMARK(BM_OnlineForestUpdate)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_OnlineForestPredict(benchmark::State& state) {
  const auto& c = codes();
  selection::OnlineForest forest(forest_params(), kLevels, selection::feature_ranges(c.x.data(), kCodes, kLatent));
  forest.update(c.x.data(), c.level.data(), kCodes);
  std::vector<double> p(static_cast<std::size_t>(kCodes * kLevels));
  for (auto _ : state) forest.predict(c.x.data(), kCodes, p.data());
  std::int64_t right = 0;
  const auto predicted = forest.classify(c.x.data(), kCodes);
  for (std::int64_t i = 0; i < kCodes; ++i) right += predicted[i] == c.level[i] ? 1 : 0;
  state.counters["train_accuracy"] = static_cast<double>(right) / kCodes;
  state.SetItemsProcessed(state.iterations() * kCodes);
}
BENCHMARK(BM_OnlineForestPredict)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

// As salient's main() does (runtime/heap.h), so that the figures are the product's.
int main(int argc, char** argv) {
  salient::runtime::keep_freed_memory_in_heap();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
