// CUDA twin of compute_ngtdm.
//  1. detail/binned_maps.cuh bins the maps and reduces each map's status;
//  2. one thread per pixel computes |i − Ā| (detail/ngtdm_terms.h, the CPU twin's code) and adds
//     it to its map's s_i (a double atomic) and one to n_i: the sums' order differs from the
//     CPU twin's row-major order, so the twins agree to rounding, not bit for bit;
//  3. one thread per map computes the row (ngtdm_row).
// Maps are processed in chunks so that n_i and s_i stay below kScratchBytes.
#include <algorithm>
#include <vector>

#include "detail/ngtdm_terms.h"
#include "detail/binned_maps.cuh"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/ngtdm.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;
constexpr std::size_t kScratchBytes = std::size_t{256} << 20;

/// Grid (pixel blocks, maps): n_i and s_i of each map.
__global__ void accumulate_kernel(const std::int32_t* levels, const detail::TextureMapStatus* status, std::int64_t h,
                                  std::int64_t w, int gray_dim, std::uint32_t* counts, double* differences) {
  const std::int64_t map = blockIdx.y;
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const detail::TextureMapStatus s = status[map];
  if (p >= h * w || s.masked == 0 || !s.finite || s.gray_levels > kNgtdmMaxGrayLevels) return;
  const std::int32_t* map_levels = levels + map * h * w;
  double difference = 0;
  if (!detail::ngtdm_difference_at(map_levels, h, w, p / w, p % w, &difference)) return;
  const std::int64_t at = map * gray_dim + map_levels[p];
  atomicAdd(counts + at, 1u);
  atomicAdd(differences + at, difference);
}

__global__ void rows_kernel(const std::uint32_t* counts, const double* differences,
                            const detail::TextureMapStatus* status, std::int64_t maps, int gray_dim, double* features,
                            FeatureReason* reasons) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= maps) return;
  detail::ngtdm_row(counts + i * gray_dim, differences + i * gray_dim, gray_dim, status[i], kNgtdmMaxGrayLevels,
                    features + i * ngtdm::kColumns, reasons + i * ngtdm::kColumns);
}

unsigned blocks_for(std::int64_t items) { return static_cast<unsigned>((items + kThreads - 1) / kThreads); }

}  // namespace

void compute_ngtdm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                   void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t pixels = batch.h * batch.w;
  const detail::BinnedMaps binned(batch, bins, kNgtdmMaxGrayLevels, stream);
  const int gray_dim = binned.largest_gray_levels() + 1;
  const std::int64_t chunk = std::max<std::int64_t>(
      1, std::min<std::int64_t>(batch.n, static_cast<std::int64_t>(kScratchBytes) / (gray_dim * 12)));
  detail::StreamBuffer<std::uint32_t> counts(static_cast<std::size_t>(chunk * gray_dim), stream);
  detail::StreamBuffer<double> differences(static_cast<std::size_t>(chunk * gray_dim), stream);
  for (std::int64_t first = 0; first < batch.n; first += chunk) {
    const std::int64_t maps = std::min(chunk, batch.n - first);
    SALIENT_CUDA_CHECK(
        cudaMemsetAsync(counts.get(), 0, static_cast<std::size_t>(maps * gray_dim) * sizeof(std::uint32_t), stream));
    SALIENT_CUDA_CHECK(
        cudaMemsetAsync(differences.get(), 0, static_cast<std::size_t>(maps * gray_dim) * sizeof(double), stream));
    const dim3 grid(blocks_for(pixels), static_cast<unsigned>(maps));
    accumulate_kernel<<<grid, kThreads, 0, stream>>>(binned.levels() + first * pixels, binned.status() + first, batch.h,
                                                    batch.w, gray_dim, counts.get(), differences.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    rows_kernel<<<blocks_for(maps), kThreads, 0, stream>>>(counts.get(), differences.get(), binned.status() + first, maps,
                                                          gray_dim, features + first * ngtdm::kColumns,
                                                          reasons + first * ngtdm::kColumns);
    SALIENT_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace salient::kernels::cuda_impl
