// CUDA twin of acft_randomized_draw: the top ω·b come from the CUDA top-k (a radix sort of
// the pool); their scores and image indices are gathered on the device and copied to the
// host, where the shared race (acft_race.cpp) picks the winners.
#include <algorithm>
#include <vector>

#include "detail/acft_race.h"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/acft_draw.h"
#include "salient/kernels/cuda_check.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;

__global__ void gather_kept_kernel(const float* scores, const std::int64_t* global_index, const std::int64_t* kept,
                                   std::int64_t count, float* kept_scores, std::int64_t* kept_global_index) {
  const std::int64_t r = static_cast<std::int64_t>(blockIdx.x) * kThreads + threadIdx.x;
  if (r >= count) return;
  kept_scores[r] = scores[kept[r]];
  kept_global_index[r] = global_index ? global_index[kept[r]] : kept[r];
}

}  // namespace

std::int64_t acft_randomized_draw(const float* scores, const PoolView& pool, const AcftDrawConfig& config,
                                  std::int64_t* selected, void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t wanted = std::min(detail::acft_kept_count(config), pool.n);
  detail::StreamBuffer<std::int64_t> kept(wanted, stream);
  const std::int64_t count = top_k(scores, Direction::descending, pool, wanted, kept.get(), cuda_stream);
  if (count == 0) return 0;

  detail::StreamBuffer<float> device_scores(count, stream);
  detail::StreamBuffer<std::int64_t> device_global_index(count, stream);
  gather_kept_kernel<<<static_cast<unsigned>((count + kThreads - 1) / kThreads), kThreads, 0, stream>>>(
      scores, pool.global_index, kept.get(), count, device_scores.get(), device_global_index.get());
  SALIENT_CUDA_CHECK_LAUNCH();
  std::vector<std::int64_t> kept_positions(count);
  std::vector<float> kept_scores(count);
  std::vector<std::int64_t> kept_global_index(count);
  SALIENT_CUDA_CHECK(
      cudaMemcpyAsync(kept_positions.data(), kept.get(), count * sizeof(std::int64_t), cudaMemcpyDeviceToHost, stream));
  SALIENT_CUDA_CHECK(
      cudaMemcpyAsync(kept_scores.data(), device_scores.get(), count * sizeof(float), cudaMemcpyDeviceToHost, stream));
  SALIENT_CUDA_CHECK(cudaMemcpyAsync(kept_global_index.data(), device_global_index.get(), count * sizeof(std::int64_t),
                                     cudaMemcpyDeviceToHost, stream));
  SALIENT_CUDA_CHECK(cudaStreamSynchronize(stream));

  const auto winners = detail::acft_race(kept_scores, kept_global_index, config);
  std::vector<std::int64_t> winner_positions(winners.size());
  for (std::size_t w = 0; w < winners.size(); ++w) winner_positions[w] = kept_positions[winners[w]];
  SALIENT_CUDA_CHECK(cudaMemcpyAsync(selected, winner_positions.data(), winners.size() * sizeof(std::int64_t),
                                     cudaMemcpyHostToDevice, stream));
  SALIENT_CUDA_CHECK(cudaStreamSynchronize(stream));
  return static_cast<std::int64_t>(winners.size());
}

}  // namespace salient::kernels::cuda_impl
