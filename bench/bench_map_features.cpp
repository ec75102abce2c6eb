// Map features on batches of 320×320 float32 saliency maps (IDEAL's input size): first-order
// (all 20 columns, binWidth 0.01), shape2D (0.7 quantile), alignment (14×14 Grad-CAM maps
// against 320×320 ROIs), CPU twin and CUDA twin. Bytes processed = one read of the maps
// (alignment: of the ROIs, the larger input). The CPU twin runs one thread per hardware
// thread and map, so maps_per_core_s = items_per_second / min(maps, usable cores); batches of
// one map measure one core alone (and taskset -c K keeps other jobs off it). Each CUDA
// benchmark first checks its first 8 maps against the CPU twin and reports the mismatches as
// the counter "wrong" (it fails when any). Baselines in other stacks:
// bench/baselines/map_features_baselines.py.
#include <benchmark/benchmark.h>
#include <sched.h>

#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "bench_cuda_support.h"
#include "bench_saliency_maps.h"
#include "salient/kernels/alignment.h"
#include "salient/kernels/first_order.h"
#include "salient/kernels/shape2d.h"

namespace {

using salient::bench::saliency_maps;

using namespace salient::kernels;

constexpr std::int64_t kSide = 320;
constexpr std::int64_t kCamSide = 14;

std::vector<std::uint8_t> box_rois(std::int64_t n) {
  std::vector<RoiBox> boxes;
  for (std::int64_t i = 0; i < n; ++i) boxes.push_back({i, static_cast<float>(40 + i % 50), 60.0f, 200.0f, static_cast<float>(230 + i % 40)});
  std::vector<std::uint8_t> rois(static_cast<std::size_t>(n * kSide * kSide));
  rasterize_boxes(boxes.data(), n, n, kSide, kSide, rois.data(), {});
  return rois;
}

/// Cores this process may run on: all of them, or those `taskset -c` leaves it (on a shared
/// machine, pinning to one idle core gives a per-core figure that other jobs do not skew).
double usable_cores() {
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) return std::max(1, CPU_COUNT(&allowed));
  return std::max(1u, std::thread::hardware_concurrency());
}

/// maps_per_core_s divides by the cores at work: the CPU twin runs min(n, hardware threads)
/// threads, all on the usable cores.
void set_cpu_counters(benchmark::State& state, std::int64_t n, std::int64_t bytes_per_map) {
  const double cores = std::min(static_cast<double>(n), usable_cores());
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * bytes_per_map);
  state.counters["maps_per_core_s"] =
      benchmark::Counter(static_cast<double>(state.iterations() * n) / cores, benchmark::Counter::kIsRate);
}

const FirstOrderParams kFirstOrder{BinSpec::bin_width(0.01), 0.0};

void BM_FirstOrderCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto maps = saliency_maps(n, kSide);
  std::vector<double> features(n * first_order::kColumns);
  std::vector<FeatureReason> reasons(features.size());
  for (auto _ : state) {
    compute_first_order({maps.data(), nullptr, n, kSide, kSide}, kFirstOrder, features.data(), reasons.data(), {});
    benchmark::DoNotOptimize(features.data());
  }
  set_cpu_counters(state, n, kSide * kSide * 4);
}
BENCHMARK(BM_FirstOrderCpu)->Arg(1)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Shape2DCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto maps = saliency_maps(n, kSide);
  std::vector<double> features(n * shape2d::kColumns);
  std::vector<FeatureReason> reasons(features.size());
  for (auto _ : state) {
    compute_shape2d({maps.data(), nullptr, n, kSide, kSide}, {}, features.data(), reasons.data(), {});
    benchmark::DoNotOptimize(features.data());
  }
  set_cpu_counters(state, n, kSide * kSide * 4);
}
BENCHMARK(BM_Shape2DCpu)->Arg(1)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AlignmentCpu(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const auto maps = saliency_maps(n, kCamSide);
  const auto rois = box_rois(n);
  std::vector<double> features(n * alignment::kColumns);
  std::vector<FeatureReason> reasons(features.size());
  for (auto _ : state) {
    compute_alignment({maps.data(), rois.data(), n, kCamSide, kCamSide, kSide, kSide}, {}, features.data(),
                      reasons.data(), {});
    benchmark::DoNotOptimize(features.data());
  }
  set_cpu_counters(state, n, kSide * kSide);
}
BENCHMARK(BM_AlignmentCpu)->Arg(16)->Unit(benchmark::kMillisecond)->UseRealTime();

#ifdef SALIENT_WITH_CUDA
using salient::bench::DeviceArray;

template <typename Run>
void run_cuda_benchmark(benchmark::State& state, std::int64_t n, int columns, std::int64_t bytes_per_map,
                        const std::vector<double>& cpu_first_maps, Run run) {
  DeviceArray<double> features(static_cast<std::size_t>(n * columns));
  DeviceArray<FeatureReason> reasons(static_cast<std::size_t>(n * columns));
  run(features.get(), reasons.get());
  auto gpu = features.to_host();
  gpu.resize(cpu_first_maps.size());
  const std::int64_t wrong = salient::bench::count_wrong(gpu, cpu_first_maps, 1e-4);
  salient::bench::time_cuda(state, [&] { run(features.get(), reasons.get()); });
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * bytes_per_map);
  state.counters["wrong"] = static_cast<double>(wrong);
  // Fraction of the HBM floor: time of one read of the maps at the device's peak bandwidth.
  int device = 0, bus_bits = 0, memory_khz = 0;
  cudaGetDevice(&device);
  cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, device);
  cudaDeviceGetAttribute(&memory_khz, cudaDevAttrMemoryClockRate, device);
  const double peak_bytes_per_s = 2.0 * memory_khz * 1e3 * bus_bits / 8;
  state.counters["hbm_floor_fraction"] = benchmark::Counter(
      static_cast<double>(state.iterations() * n * bytes_per_map) / peak_bytes_per_s, benchmark::Counter::kIsRate);
  if (wrong > 0) state.SkipWithError("CUDA twin disagrees with the CPU twin");
}

std::vector<double> cpu_first_order(const std::vector<float>& maps, std::int64_t n) {
  std::vector<double> features(n * first_order::kColumns);
  std::vector<FeatureReason> reasons(features.size());
  compute_first_order({maps.data(), nullptr, n, kSide, kSide}, kFirstOrder, features.data(), reasons.data(), {});
  return features;
}
#endif

void BM_FirstOrderCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!salient::bench::cuda_usable(state)) return;
  const std::int64_t n = state.range(0);
  const auto maps = saliency_maps(n, kSide);
  const DeviceArray<float> device_maps(maps);
  const std::vector<float> first(maps.begin(), maps.begin() + 8 * kSide * kSide);
  run_cuda_benchmark(state, n, first_order::kColumns, kSide * kSide * 4, cpu_first_order(first, 8),
                     [&](double* features, FeatureReason* reasons) {
                       compute_first_order({device_maps.get(), nullptr, n, kSide, kSide}, kFirstOrder, features,
                                           reasons, {Backend::cuda, nullptr});
                     });
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_FirstOrderCuda)->Arg(1024)->Arg(8192)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_Shape2DCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!salient::bench::cuda_usable(state)) return;
  const std::int64_t n = state.range(0);
  const auto maps = saliency_maps(n, kSide);
  const DeviceArray<float> device_maps(maps);
  std::vector<double> cpu(8 * shape2d::kColumns);
  std::vector<FeatureReason> cpu_reasons(cpu.size());
  compute_shape2d({maps.data(), nullptr, 8, kSide, kSide}, {}, cpu.data(), cpu_reasons.data(), {});
  run_cuda_benchmark(state, n, shape2d::kColumns, kSide * kSide * 4, cpu,
                     [&](double* features, FeatureReason* reasons) {
                       compute_shape2d({device_maps.get(), nullptr, n, kSide, kSide}, {}, features, reasons,
                                       {Backend::cuda, nullptr});
                     });
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_Shape2DCuda)->Arg(1024)->Arg(8192)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_AlignmentCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!salient::bench::cuda_usable(state)) return;
  const std::int64_t n = state.range(0);
  const auto maps = saliency_maps(n, kCamSide);
  const auto rois = box_rois(n);
  const DeviceArray<float> device_maps(maps);
  const DeviceArray<std::uint8_t> device_rois(rois);
  std::vector<double> cpu(8 * alignment::kColumns);
  std::vector<FeatureReason> cpu_reasons(cpu.size());
  compute_alignment({maps.data(), rois.data(), 8, kCamSide, kCamSide, kSide, kSide}, {}, cpu.data(),
                    cpu_reasons.data(), {});
  run_cuda_benchmark(state, n, alignment::kColumns, kSide * kSide, cpu, [&](double* features, FeatureReason* reasons) {
    compute_alignment({device_maps.get(), device_rois.get(), n, kCamSide, kCamSide, kSide, kSide}, {}, features,
                      reasons, {Backend::cuda, nullptr});
  });
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_AlignmentCuda)->Arg(1024)->Arg(8192)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace
