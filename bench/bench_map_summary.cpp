// Map summary (masked count/min/max/sum), CPU twin and CUDA twin, over batches of
// 320×320 saliency maps. Bytes processed = maps (4 B/pixel) + masks (1 B/pixel).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "salient/kernels/map_summary.h"

#ifdef SALIENT_WITH_CUDA
#include <cuda_runtime.h>

#include "salient/kernels/cuda_check.h"
#endif

namespace {

using namespace salient::kernels;

struct RandomBatch {
  RandomBatch(std::int64_t count, std::int64_t side_length)
      : n(count), side(side_length), maps(count * side_length * side_length), masks(maps.size()) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> value(0.0f, 1.0f);
    for (auto& v : maps) v = value(rng);
    for (auto& m : masks) m = value(rng) < 0.8f;
  }
  std::int64_t bytes() const { return n * side * side * (sizeof(float) + 1); }
  std::int64_t n, side;
  std::vector<float> maps;
  std::vector<std::uint8_t> masks;
};

void BM_MapSummaryCpu(benchmark::State& state) {
  RandomBatch batch(state.range(0), 320);
  std::vector<MapSummary> out(batch.n);
  for (auto _ : state) {
    summarize_maps({batch.maps.data(), batch.masks.data(), batch.n, batch.side, batch.side}, out.data(), {});
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * batch.n);
  state.SetBytesProcessed(state.iterations() * batch.bytes());
}
BENCHMARK(BM_MapSummaryCpu)->Arg(16)->Arg(64)->Unit(benchmark::kMillisecond);

void BM_MapSummaryCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  int devices = 0;
  if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
    state.SkipWithError("no CUDA device on this machine");
    return;
  }
  RandomBatch batch(state.range(0), 320);
  float* maps = nullptr;
  std::uint8_t* masks = nullptr;
  MapSummary* out = nullptr;
  SALIENT_CUDA_CHECK(cudaMalloc(&maps, batch.maps.size() * sizeof(float)));
  SALIENT_CUDA_CHECK(cudaMalloc(&masks, batch.masks.size()));
  SALIENT_CUDA_CHECK(cudaMalloc(&out, batch.n * sizeof(MapSummary)));
  SALIENT_CUDA_CHECK(cudaMemcpy(maps, batch.maps.data(), batch.maps.size() * sizeof(float), cudaMemcpyHostToDevice));
  SALIENT_CUDA_CHECK(cudaMemcpy(masks, batch.masks.data(), batch.masks.size(), cudaMemcpyHostToDevice));
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  for (auto _ : state) {
    cudaEventRecord(start);
    summarize_maps({maps, masks, batch.n, batch.side, batch.side}, out, {Backend::cuda, nullptr});
    cudaEventRecord(stop);
    cudaEventSynchronize(stop);
    float ms = 0;
    cudaEventElapsedTime(&ms, start, stop);
    state.SetIterationTime(ms / 1e3);
  }
  state.SetItemsProcessed(state.iterations() * batch.n);
  state.SetBytesProcessed(state.iterations() * batch.bytes());
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  cudaFree(maps);
  cudaFree(masks);
  cudaFree(out);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_MapSummaryCuda)->Arg(64)->Arg(1024)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace
