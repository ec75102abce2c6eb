// GLCM on batches of 320×320 float32 saliency maps (three Gaussian blobs plus noise, as in
// bench_map_features.cpp), binCount 32 and 64, distance 1 (four offsets), all 24 features.
// CPU twin: one thread per core, maps_per_core_s = items_per_second / cores. CUDA twin: checks
// its first 8 maps against the CPU twin first ("wrong", fails when any), then times with CUDA
// events. Baselines on the same kind of maps: bench/baselines/glcm_baselines.py (scikit-image
// graycomatrix + graycoprops, one core) and glcm_torch_baseline.py (PyTorch ops on a GPU).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "bench_cuda_support.h"
#include "bench_saliency_maps.h"
#include "salient/kernels/glcm.h"

namespace {

using salient::bench::saliency_maps;

using namespace salient::kernels;

constexpr std::int64_t kSide = 320;

GlcmParams params_for(int bins) {
  GlcmParams params;
  params.bins = BinSpec::bin_count(bins);
  return params;
}

void BM_GlcmCpu(benchmark::State& state) {
  const std::int64_t n = 16;
  const GlcmParams params = params_for(static_cast<int>(state.range(0)));
  const auto maps = saliency_maps(n, kSide);
  std::vector<double> features(n * glcm::kColumns);
  std::vector<FeatureReason> reasons(features.size());
  for (auto _ : state) {
    compute_glcm({maps.data(), nullptr, n, kSide, kSide}, params, features.data(), reasons.data(), {});
    benchmark::DoNotOptimize(features.data());
  }
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * kSide * kSide * 4);
  state.counters["maps_per_core_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n) / cores, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_GlcmCpu)->ArgName("bins")->Arg(32)->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_GlcmCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!salient::bench::cuda_usable(state)) return;
  const std::int64_t n = state.range(1);
  const GlcmParams params = params_for(static_cast<int>(state.range(0)));
  const auto maps = saliency_maps(n, kSide);
  const salient::bench::DeviceArray<float> device_maps(maps);
  const std::int64_t checked = 8;
  std::vector<double> cpu(checked * glcm::kColumns);
  std::vector<FeatureReason> cpu_reasons(cpu.size());
  compute_glcm({maps.data(), nullptr, checked, kSide, kSide}, params, cpu.data(), cpu_reasons.data(), {});
  salient::bench::DeviceArray<double> features(static_cast<std::size_t>(n * glcm::kColumns));
  salient::bench::DeviceArray<FeatureReason> reasons(static_cast<std::size_t>(n * glcm::kColumns));
  const auto run = [&] {
    compute_glcm({device_maps.get(), nullptr, n, kSide, kSide}, params, features.get(), reasons.get(),
                 {Backend::cuda, nullptr});
  };
  salient::bench::check_and_time_map_twin(state, features, cpu, 1e-4, n, kSide, run);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_GlcmCuda)
    ->ArgNames({"bins", "maps"})
    ->ArgsProduct({{32, 64}, {1024, 8192}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
