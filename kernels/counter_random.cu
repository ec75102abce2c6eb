// CUDA twins of counter_uniforms and counter_uniform_rows: the same Philox function as the CPU.
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

// One thread per (image, block of four numbers).
__global__ void counter_uniform_rows_kernel(std::uint64_t seed, std::uint32_t round, std::uint32_t stream,
                                            const std::int64_t* global_index, std::int64_t n,
                                            std::int64_t per_image, std::int64_t blocks_per_image, float* out) {
  const std::int64_t t = static_cast<std::int64_t>(blockIdx.x) * kThreads + threadIdx.x;
  if (t >= n * blocks_per_image) return;
  const std::int64_t i = t / blocks_per_image;
  const std::int64_t block = t % blocks_per_image;
  const std::int64_t image = global_index ? global_index[i] : i;
  const auto bits = detail::philox_row_block(seed, round, stream, static_cast<std::uint64_t>(image),
                                             static_cast<std::uint32_t>(block));
  float* row = out + i * per_image;
  for (std::int64_t w = 0; w < 4 && 4 * block + w < per_image; ++w) {
    row[4 * block + w] = detail::philox_open_unit_float(bits.word[w]);
  }
}

}  // namespace

void counter_uniform_rows(const RandomKey& key, const std::int64_t* global_index, std::int64_t n,
                          std::int64_t per_image, float* out, void* cuda_stream) {
  const std::int64_t blocks_per_image = (per_image + 3) / 4;
  const auto grid = static_cast<unsigned>((n * blocks_per_image + kThreads - 1) / kThreads);
  counter_uniform_rows_kernel<<<grid, kThreads, 0, static_cast<cudaStream_t>(cuda_stream)>>>(
      key.seed, key.round, static_cast<std::uint32_t>(key.stream), global_index, n, per_image, blocks_per_image,
      out);
  SALIENT_CUDA_CHECK_LAUNCH();
}

void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out,
                      void* cuda_stream) {
  const auto blocks = static_cast<unsigned>((n + kThreads - 1) / kThreads);
  counter_uniforms_kernel<<<blocks, kThreads, 0, static_cast<cudaStream_t>(cuda_stream)>>>(
      key.seed, key.round, static_cast<std::uint32_t>(key.stream), global_index, n, out);
  SALIENT_CUDA_CHECK_LAUNCH();
}

}  // namespace salient::kernels::cuda_impl
