// CUDA twin of counter_uniforms: one thread per image, the same Philox function as the CPU.
#include "detail/philox.h"
#include "salient/kernels/counter_random.h"
#include "salient/kernels/cuda_check.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;

__global__ void counter_uniforms_kernel(std::uint64_t seed, std::uint32_t round, std::uint32_t stream,
                                        const std::int64_t* global_index, std::int64_t n, double* out) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * kThreads + threadIdx.x;
  if (i >= n) return;
  const std::int64_t image = global_index ? global_index[i] : i;
  out[i] = detail::philox_image_uniform(seed, round, stream, static_cast<std::uint64_t>(image));
}

}  // namespace

void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out,
                      void* cuda_stream) {
  const auto blocks = static_cast<unsigned>((n + kThreads - 1) / kThreads);
  counter_uniforms_kernel<<<blocks, kThreads, 0, static_cast<cudaStream_t>(cuda_stream)>>>(
      key.seed, key.round, static_cast<std::uint32_t>(key.stream), global_index, n, out);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
