// ACFT patch criteria and MC-dropout uncertainty, CPU twin and CUDA twin. Items are
// candidates; bytes are the probabilities read (4 B each). Each CUDA run is checked
// against the CPU twin on its first candidates (counter "wrong", an error when > 0).
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

#include "bench_cuda_support.h"
#include "salient/kernels/patch_criteria.h"
#include "salient/kernels/uncertainty.h"

namespace {

using namespace salient::kernels;
#ifdef SALIENT_WITH_CUDA
using salient::bench::cuda_usable;
using salient::bench::DeviceArray;
using salient::bench::time_cuda;
#endif

/// n·rows probability rows of C classes (softmax of normal logits).
std::vector<float> random_probabilities(std::int64_t rows, std::int64_t classes) {
  std::mt19937 rng(17);
  std::normal_distribution<float> logit(0.0f, 2.0f);
  std::vector<float> p(rows * classes);
  for (std::int64_t r = 0; r < rows; ++r) {
    float* row = p.data() + r * classes;
    double total = 0;
    for (std::int64_t k = 0; k < classes; ++k) total += row[k] = std::exp(logit(rng));
    for (std::int64_t k = 0; k < classes; ++k) row[k] = static_cast<float>(row[k] / total);
  }
  return p;
}

#ifdef SALIENT_WITH_CUDA
/// The twins' float tolerance: 1e-5 relative, 1e-9 absolute for differences of O(1) sums.
bool close(float a, float b) { return std::abs(a - b) <= 1e-5f * std::abs(b) + 1e-9f; }
#endif

// Arguments: patches m, classes C. α = 1/4 as in ACFT.
void BM_PatchCriteriaCpu(benchmark::State& state) {
  const std::int64_t n = 4096, m = state.range(0), classes = state.range(1);
  const auto p = random_probabilities(n * m, classes);
  std::vector<PatchCriteria> out(n);
  for (auto _ : state) {
    patch_criteria({p.data(), n, m, classes}, {}, out.data(), {});
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * m * classes * 4);
}
BENCHMARK(BM_PatchCriteriaCpu)->ArgsProduct({{8, 16, 32, 64}, {2, 14}})->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_PatchCriteriaCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!cuda_usable(state)) return;
  const std::int64_t n = 65536, m = state.range(0), classes = state.range(1);
  const auto p = random_probabilities(n * m, classes);
  DeviceArray<float> device_p(p);
  DeviceArray<PatchCriteria> device_out(n);
  time_cuda(state, [&] {
    patch_criteria({device_p.get(), n, m, classes}, {}, device_out.get(), {Backend::cuda, nullptr});
  });
  const std::int64_t checked = 512;
  std::vector<PatchCriteria> expected(checked);
  patch_criteria({p.data(), checked, m, classes}, {}, expected.data(), {});
  const auto actual = device_out.to_host();
  int wrong = 0;
  for (std::int64_t i = 0; i < checked; ++i) {
    wrong += actual[i].dominant_class != expected[i].dominant_class || !close(actual[i].entropy, expected[i].entropy) ||
             !close(actual[i].diversity, expected[i].diversity);
  }
  state.counters["wrong"] = wrong;
  if (wrong) state.SkipWithError("CUDA patch criteria differ from the CPU twin");
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * m * classes * 4);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_PatchCriteriaCuda)
    ->ArgsProduct({{8, 16, 32, 64}, {2, 14}})
    ->UseManualTime()
    ->Unit(benchmark::kMicrosecond);

// Arguments: classes C; T = 20 dropout samples as in IDEAL.
void BM_UncertaintyCpu(benchmark::State& state) {
  const std::int64_t n = 16384, samples = 20, classes = state.range(0);
  const auto p = random_probabilities(n * samples, classes);
  std::vector<UncertaintyCriteria> out(n);
  for (auto _ : state) {
    uncertainty_criteria({p.data(), nullptr, n, samples, classes}, out.data(), {});
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * samples * classes * 4);
}
BENCHMARK(BM_UncertaintyCpu)->Arg(2)->Arg(14)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_UncertaintyCuda(benchmark::State& state) {
#ifdef SALIENT_WITH_CUDA
  if (!cuda_usable(state)) return;
  const std::int64_t n = 262144, samples = 20, classes = state.range(0);
  const auto p = random_probabilities(n * samples, classes);
  DeviceArray<float> device_p(p);
  DeviceArray<UncertaintyCriteria> device_out(n);
  time_cuda(state, [&] {
    uncertainty_criteria({device_p.get(), nullptr, n, samples, classes}, device_out.get(), {Backend::cuda, nullptr});
  });
  const std::int64_t checked = 1024;
  std::vector<UncertaintyCriteria> expected(checked);
  uncertainty_criteria({p.data(), nullptr, checked, samples, classes}, expected.data(), {});
  const auto actual = device_out.to_host();
  int wrong = 0;
  for (std::int64_t i = 0; i < checked; ++i) {
    wrong += !close(actual[i].entropy, expected[i].entropy) || !close(actual[i].margin, expected[i].margin) ||
             !close(actual[i].mc_variance, expected[i].mc_variance) || !close(actual[i].bald, expected[i].bald);
  }
  state.counters["wrong"] = wrong;
  if (wrong) state.SkipWithError("CUDA uncertainty differs from the CPU twin");
  state.SetItemsProcessed(state.iterations() * n);
  state.SetBytesProcessed(state.iterations() * n * samples * classes * 4);
#else
  state.SkipWithError("salient was built without CUDA");
#endif
}
BENCHMARK(BM_UncertaintyCuda)->Arg(2)->Arg(14)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace
