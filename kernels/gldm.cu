// CUDA twin of compute_gldm.
//  1. detail/binned_maps.cuh bins the maps and reduces each map's status;
//  2. one thread per pixel computes its dependence (detail/gldm_terms.h, the CPU twin's code)
//     and adds one to its map's (level, dependence) cell in a global (Ng+1) × 10 matrix;
//  3. one thread per map computes the row (gldm_row).
// Maps are processed in chunks so that the matrices stay below kScratchBytes.
#include <algorithm>
#include <vector>

#include "detail/gldm_terms.h"
#include "detail/binned_maps.cuh"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/gldm.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;
constexpr std::size_t kScratchBytes = std::size_t{256} << 20;

/// Grid (pixel blocks, maps): counts[map][level][dependence] += 1 per masked pixel.
__global__ void count_dependences_kernel(const std::int32_t* levels, const detail::TextureMapStatus* status,
                                         std::int64_t h, std::int64_t w, int gray_dim, std::uint32_t* counts) {
  const std::int64_t map = blockIdx.y;
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const detail::TextureMapStatus s = status[map];
  if (p >= h * w || s.masked == 0 || !s.finite || s.gray_levels > kGldmMaxGrayLevels) return;
  const std::int32_t* map_levels = levels + map * h * w;
  const int dependence = detail::gldm_dependence_at(map_levels, h, w, p / w, p % w);
  if (dependence == 0) return;
  std::uint32_t* matrix = counts + map * static_cast<std::int64_t>(gray_dim) * gldm::kDependenceSizes;
  atomicAdd(matrix + static_cast<std::int64_t>(map_levels[p]) * gldm::kDependenceSizes + dependence, 1u);
}

__global__ void rows_kernel(const std::uint32_t* counts, const detail::TextureMapStatus* status, std::int64_t maps,
                            int gray_dim, double* features, FeatureReason* reasons) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= maps) return;
  detail::gldm_row(counts + i * static_cast<std::int64_t>(gray_dim) * gldm::kDependenceSizes, status[i],
                   kGldmMaxGrayLevels, features + i * gldm::kColumns, reasons + i * gldm::kColumns);
}

unsigned blocks_for(std::int64_t items) { return static_cast<unsigned>((items + kThreads - 1) / kThreads); }

}  // namespace

void compute_gldm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                  void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t pixels = batch.h * batch.w;
  const detail::BinnedMaps binned(batch, bins, kGldmMaxGrayLevels, stream);
  const int gray_dim = binned.largest_gray_levels() + 1;
  const std::int64_t cells = std::int64_t{gray_dim} * gldm::kDependenceSizes;
  const std::int64_t chunk =
      std::max<std::int64_t>(1, std::min<std::int64_t>(batch.n, static_cast<std::int64_t>(kScratchBytes) / (cells * 4)));
  detail::StreamBuffer<std::uint32_t> counts(static_cast<std::size_t>(chunk * cells), stream);
  for (std::int64_t first = 0; first < batch.n; first += chunk) {
    const std::int64_t maps = std::min(chunk, batch.n - first);
    SALIENT_CUDA_CHECK(
        cudaMemsetAsync(counts.get(), 0, static_cast<std::size_t>(maps * cells) * sizeof(std::uint32_t), stream));
    const dim3 grid(blocks_for(pixels), static_cast<unsigned>(maps));
    count_dependences_kernel<<<grid, kThreads, 0, stream>>>(binned.levels() + first * pixels, binned.status() + first,
                                                           batch.h, batch.w, gray_dim, counts.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    rows_kernel<<<blocks_for(maps), kThreads, 0, stream>>>(counts.get(), binned.status() + first, maps, gray_dim,
                                                          features + first * gldm::kColumns,
                                                          reasons + first * gldm::kColumns);
    SALIENT_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace salient::kernels::cuda_impl
