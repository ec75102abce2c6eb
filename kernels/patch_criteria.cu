// CUDA twin of patch_criteria: one block per candidate. The class means are summed by one
// thread per class in patch order (the CPU twin's order, so ŷ and the majority are the
// same), the majority patches and their logarithms sit in shared memory, and the
// O(m'²·C) pair terms are spread over the block and combined with CUB BlockReduce.
#include <cub/block/block_reduce.cuh>
#include <cuda/std/limits>

#include "detail/patch_terms.h"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/patch_criteria.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 128;
constexpr std::size_t kDefaultSharedBytes = 48 * 1024;

struct EntropyDiversity {
  double entropy;
  double diversity;
};

struct AddEntropyDiversity {
  __device__ EntropyDiversity operator()(const EntropyDiversity& a, const EntropyDiversity& b) const {
    return {a.entropy + b.entropy, a.diversity + b.diversity};
  }
};

/// Dynamic shared memory: class means [C], majority values and logs [m'·C] each, the
/// dominant-class probability of every patch [m] (doubles), then the majority's patch
/// indices [m'] (ints).
std::size_t shared_bytes(int patches, int classes, int majority) {
  return sizeof(double) * (classes + 2 * static_cast<std::size_t>(majority) * classes + patches) +
         sizeof(int) * static_cast<std::size_t>(majority);
}

__global__ void patch_criteria_kernel(const float* probabilities, int patches, int input_classes, int majority,
                                      double lambda1, double lambda2, PatchCriteria* out) {
  using BlockReduce = cub::BlockReduce<EntropyDiversity, kThreads>;
  __shared__ typename BlockReduce::TempStorage reduce_storage;
  extern __shared__ double shared[];
  const int classes = detail::effective_classes(input_classes);
  double* class_means = shared;
  double* values = class_means + classes;
  double* logs = values + majority * classes;
  double* dominant_values = logs + majority * classes;
  int* selected = reinterpret_cast<int*>(dominant_values + patches);

  const std::int64_t candidate_values = static_cast<std::int64_t>(patches) * input_classes;
  const float* candidate = probabilities + blockIdx.x * candidate_values;
  auto probability = [&](int j, int k) {
    return detail::class_probability(candidate + j * input_classes, input_classes, k);
  };

  bool invalid = false;
  for (std::int64_t t = threadIdx.x; t < candidate_values; t += kThreads) {
    invalid = invalid || !detail::is_valid_probability(candidate[t]);
  }
  if (__syncthreads_or(invalid)) {
    if (threadIdx.x == 0) out[blockIdx.x] = detail::invalid_patch_criteria();
    return;
  }

  for (int k = threadIdx.x; k < classes; k += kThreads) {
    double sum = 0.0;
    for (int j = 0; j < patches; ++j) sum += probability(j, k);
    class_means[k] = sum / patches;
  }
  __syncthreads();
  const int dominant = detail::dominant_class(class_means, classes);
  for (int j = threadIdx.x; j < patches; j += kThreads) dominant_values[j] = probability(j, dominant);
  __syncthreads();
  // A patch's place in the majority order is the number of patches ranked before it.
  for (int j = threadIdx.x; j < patches; j += kThreads) {
    int place = 0;
    for (int l = 0; l < patches; ++l) place += detail::majority_before(dominant_values[l], l, dominant_values[j], j);
    if (place < majority) selected[place] = j;
  }
  __syncthreads();

  EntropyDiversity local{0.0, 0.0};
  for (int t = threadIdx.x; t < majority * classes; t += kThreads) {
    const double p = probability(selected[t / classes], t % classes);
    values[t] = p;
    logs[t] = detail::diversity_log(p);
    local.entropy += detail::entropy_term(p);
  }
  __syncthreads();
  const std::int64_t pair_terms = static_cast<std::int64_t>(majority) * majority * classes;
  for (std::int64_t t = threadIdx.x; t < pair_terms; t += kThreads) {
    const auto r = static_cast<int>(t / (static_cast<std::int64_t>(majority) * classes));
    const auto s = static_cast<int>(t / classes % majority);
    const auto k = static_cast<int>(t % classes);
    if (r < s) {
      local.diversity += detail::diversity_term(values[r * classes + k], logs[r * classes + k], values[s * classes + k],
                                                logs[s * classes + k]);
    }
  }
  const EntropyDiversity total = BlockReduce(reduce_storage).Reduce(local, AddEntropyDiversity{});
  if (threadIdx.x == 0) {
    const double entropy = total.entropy / majority;
    const double score = lambda1 * entropy + lambda2 * total.diversity;
    out[blockIdx.x] = {static_cast<float>(entropy), static_cast<float>(total.diversity), static_cast<float>(score),
                       dominant, ProbabilityStatus::ok};
  }
}

}  // namespace

void patch_criteria(const PatchBatch& batch, const PatchCriteriaConfig& config, PatchCriteria* out, void* cuda_stream) {
  SALIENT_CHECK(batch.n <= cuda::std::numeric_limits<int>::max(), "{} candidates exceed one CUDA grid; split the batch",
                batch.n);
  const int patches = static_cast<int>(batch.patches);
  const int input_classes = static_cast<int>(batch.classes);
  const int classes = detail::effective_classes(input_classes);
  const int majority = static_cast<int>(majority_patch_count(config.alpha, batch.patches));
  const std::size_t bytes = shared_bytes(patches, classes, majority);

  int device = 0;
  int shared_limit = 0;
  cudaFuncAttributes attributes{};
  SALIENT_CUDA_CHECK(cudaGetDevice(&device));
  SALIENT_CUDA_CHECK(cudaDeviceGetAttribute(&shared_limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  SALIENT_CUDA_CHECK(cudaFuncGetAttributes(&attributes, patch_criteria_kernel));
  SALIENT_CHECK(
      bytes + attributes.sharedSizeBytes <= static_cast<std::size_t>(shared_limit),
      "patch criteria with m = {}, m' = {}, C = {} need {} B of shared memory per block, the device has {} B; "
      "use the CPU twin or a smaller alpha",
      patches, majority, classes, bytes + attributes.sharedSizeBytes, shared_limit);
  if (bytes > kDefaultSharedBytes) {
    SALIENT_CUDA_CHECK(cudaFuncSetAttribute(patch_criteria_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                            static_cast<int>(bytes)));
  }
  patch_criteria_kernel<<<static_cast<unsigned>(batch.n), kThreads, bytes, static_cast<cudaStream_t>(cuda_stream)>>>(
      batch.probabilities, patches, input_classes, majority, config.lambda1, config.lambda2, out);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
