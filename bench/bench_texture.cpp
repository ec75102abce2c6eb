// The texture families GLRLM, GLSZM, GLDM and NGTDM on batches of 320×320 float32 saliency
// maps (three Gaussian blobs plus noise, as in bench_map_features.cpp), binCount 32, all
// features. CPU twin: one thread per core, maps_per_core_s = items_per_second / cores. CUDA
// twin: checks its first 8 maps against the CPU twin first ("wrong", fails when any), then
// times with CUDA events. Baseline on the same kind of maps: bench/baselines/texture_baselines.py
// (PyRadiomics 3.0.1's classes, one core).
#include <benchmark/benchmark.h>

#include <cmath>
#include <thread>
#include <vector>

#include "bench_cuda_support.h"
#include "bench_saliency_maps.h"
#include "salient/kernels/gldm.h"
#include "salient/kernels/glrlm.h"
#include "salient/kernels/glszm.h"
#include "salient/kernels/ngtdm.h"

namespace {

using salient::bench::saliency_maps;
using namespace salient::kernels;

constexpr std::int64_t kSide = 320;
constexpr int kBins = 32;

/// One family: its column count and a call on a batch in memory of @p ctx's backend.
struct TextureFamily {
  int columns;
  void (*compute)(const MapBatch& batch, double* features, FeatureReason* reasons, const ExecutionContext& ctx);
};

const TextureFamily kFamilies[] = {
    {glrlm::kColumns,
     [](const MapBatch& b, double* f, FeatureReason* r, const ExecutionContext& c) {
       compute_glrlm(b, GlrlmParams{BinSpec::bin_count(kBins)}, f, r, c);
     }},
    {glszm::kColumns,
     [](const MapBatch& b, double* f, FeatureReason* r, const ExecutionContext& c) {
       compute_glszm(b, GlszmParams{BinSpec::bin_count(kBins)}, f, r, c);
     }},
    {gldm::kColumns,
     [](const MapBatch& b, double* f, FeatureReason* r, const ExecutionContext& c) {
       compute_gldm(b, GldmParams{BinSpec::bin_count(kBins)}, f, r, c);
     }},
    {ngtdm::kColumns,
     [](const MapBatch& b, double* f, FeatureReason* r, const ExecutionContext& c) {
       compute_ngtdm(b, NgtdmParams{BinSpec::bin_count(kBins)}, f, r, c);
     }},
};
const char* const kNames[] = {"glrlm", "glszm", "gldm", "ngtdm"};

void BM_TextureCpu(benchmark::State& state) {
  const TextureFamily& family = kFamilies[state.range(0)];
  state.SetLabel(kNames[state.range(0)]);
  const std::int64_t n = 16;
  const auto maps = saliency_maps(n, kSide);
  std::vector<double> features(n * family.columns);
  std::vector<FeatureReason> reasons(features.size());
  for (auto _ : state) {
    family.compute({maps.data(), nullptr, n, kSide, kSide}, features.data(), reasons.data(), {});
    benchmark::DoNotOptimize(features.data());
  }
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * kSide * kSide * 4);
  state.counters["maps_per_core_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n) / cores, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TextureCpu)->ArgName("family")->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TextureCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!salient::bench::cuda_usable(state)) return;
  const TextureFamily& family = kFamilies[state.range(0)];
  state.SetLabel(kNames[state.range(0)]);
  const std::int64_t n = state.range(1);
  const auto maps = saliency_maps(n, kSide);
  const salient::bench::DeviceArray<float> device_maps(maps);
  const std::int64_t checked = 8;
  std::vector<double> cpu(checked * family.columns);
  std::vector<FeatureReason> cpu_reasons(cpu.size());
  family.compute({maps.data(), nullptr, checked, kSide, kSide}, cpu.data(), cpu_reasons.data(), {});
  salient::bench::DeviceArray<double> features(static_cast<std::size_t>(n * family.columns));
  salient::bench::DeviceArray<FeatureReason> reasons(static_cast<std::size_t>(n * family.columns));
  const auto run = [&] {
    family.compute({device_maps.get(), nullptr, n, kSide, kSide}, features.get(), reasons.get(),
                   {Backend::cuda, nullptr});
  };
  salient::bench::check_and_time_map_twin(state, features, cpu, 1e-6, n, kSide, run);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_TextureCuda)
    ->ArgNames({"family", "maps"})
    ->ArgsProduct({{0, 1, 2, 3}, {1024}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
