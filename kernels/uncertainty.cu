// CUDA twin of uncertainty_criteria: one warp per candidate. Lanes split the classes
// (summing over samples in order), then the samples (summing over classes), then the
// predicted variances; a warp reduction combines the lanes' totals.
#include <cuda/std/limits>

#include "detail/uncertainty_terms.h"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/uncertainty.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kWarp = 32;
constexpr int kWarpsPerBlock = 4;

__device__ double warp_shuffle_xor(double value, int mask) { return __shfl_xor_sync(0xFFFFFFFFu, value, mask); }

__device__ detail::UncertaintyTotals warp_combine(detail::UncertaintyTotals totals) {
  for (int mask = kWarp / 2; mask > 0; mask /= 2) {
    detail::UncertaintyTotals other;
    other.mean_entropy = warp_shuffle_xor(totals.mean_entropy, mask);
    other.class_variance = warp_shuffle_xor(totals.class_variance, mask);
    other.sample_entropy = warp_shuffle_xor(totals.sample_entropy, mask);
    other.predicted_variance = warp_shuffle_xor(totals.predicted_variance, mask);
    other.largest = warp_shuffle_xor(totals.largest, mask);
    other.second_largest = warp_shuffle_xor(totals.second_largest, mask);
    totals = detail::combine(totals, other);
  }
  return totals;
}

__global__ void uncertainty_kernel(const float* probabilities, const float* predicted_variance, std::int64_t n,
                                   int samples, int input_classes, UncertaintyCriteria* out) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * kWarpsPerBlock + threadIdx.x / kWarp;
  if (i >= n) return;  // a whole warp leaves together
  const int lane = static_cast<int>(threadIdx.x % kWarp);
  const int classes = detail::effective_classes(input_classes);
  const std::int64_t candidate_values = static_cast<std::int64_t>(samples) * input_classes;
  const float* candidate = probabilities + i * candidate_values;
  const float* variances = predicted_variance ? predicted_variance + i * candidate_values : nullptr;
  auto probability = [&](int t, int k) {
    return detail::class_probability(candidate + t * input_classes, input_classes, k);
  };

  bool invalid_probability = false;
  bool invalid_variance = false;
  for (std::int64_t v = lane; v < candidate_values; v += kWarp) {
    invalid_probability = invalid_probability || !detail::is_valid_probability(candidate[v]);
    invalid_variance = invalid_variance || (variances && !(variances[v] >= 0.0f));
  }
  if (__any_sync(0xFFFFFFFFu, invalid_probability)) {
    if (lane == 0) out[i] = detail::invalid_uncertainty(ProbabilityStatus::invalid_probability);
    return;
  }
  if (__any_sync(0xFFFFFFFFu, invalid_variance)) {
    if (lane == 0) out[i] = detail::invalid_uncertainty(ProbabilityStatus::invalid_variance);
    return;
  }

  detail::UncertaintyTotals totals;
  for (int k = lane; k < classes; k += kWarp) {
    double sum = 0.0;
    double sum_of_squares = 0.0;
    for (int t = 0; t < samples; ++t) {
      const double p = probability(t, k);
      sum += p;
      sum_of_squares += p * p;
    }
    detail::add_class(totals, sum, sum_of_squares, samples);
  }
  for (int t = lane; t < samples; t += kWarp) {
    for (int k = 0; k < classes; ++k) totals.sample_entropy += detail::entropy_term(probability(t, k));
  }
  if (variances) {
    for (std::int64_t v = lane; v < candidate_values; v += kWarp) totals.predicted_variance += variances[v];
  }
  totals = warp_combine(totals);
  if (lane == 0) out[i] = detail::finish_uncertainty(totals, samples, input_classes);
}

}  // namespace

void uncertainty_criteria(const SampleBatch& batch, UncertaintyCriteria* out, void* cuda_stream) {
  const std::int64_t blocks = (batch.n + kWarpsPerBlock - 1) / kWarpsPerBlock;
  SALIENT_CHECK(blocks <= cuda::std::numeric_limits<int>::max(), "{} candidates exceed one CUDA grid; split the batch",
                batch.n);
  uncertainty_kernel<<<static_cast<unsigned>(blocks), kWarpsPerBlock * kWarp, 0,
                       static_cast<cudaStream_t>(cuda_stream)>>>(batch.probabilities, batch.predicted_variance, batch.n,
                                                                 static_cast<int>(batch.samples),
                                                                 static_cast<int>(batch.classes), out);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
