// CUDA twin of compute_glrlm.
//  1. detail/binned_maps.cuh bins the maps, reduces each map's status and reads the largest Ng
//     back once to size the count matrices ((Ng+1) × (L+1), L = max(h, w));
//  2. one thread per (map, angle, pixel) finds whether a run starts there (detail/glrlm_terms.h,
//     the CPU twin's code), walks it and adds one to its (level, length) cell: runs are far
//     fewer than pixels on saliency maps, so the atomics rarely contend;
//  3. one thread per (map, angle) computes that angle's features from its matrix;
//  4. one thread per map averages the angles (glrlm_average_angles).
// Maps are processed in chunks so that the matrices stay below kScratchBytes.
#include <algorithm>
#include <vector>

#include "detail/glrlm_terms.h"
#include "detail/binned_maps.cuh"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/glrlm.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;
constexpr std::size_t kScratchBytes = std::size_t{512} << 20;

/// Grid (pixel blocks, angles, maps): counts[(map, angle)][level][length] += 1 per run start.
__global__ void count_runs_kernel(const std::int32_t* levels, const detail::TextureMapStatus* status, std::int64_t h,
                                  std::int64_t w, GlrlmAngles angles, int gray_dim, int run_dim,
                                  std::uint32_t* counts) {
  const std::int64_t map = blockIdx.z;
  const int a = static_cast<int>(blockIdx.y);
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const detail::TextureMapStatus s = status[map];
  if (p >= h * w || s.masked == 0 || !s.finite || s.gray_levels > kGlrlmMaxGrayLevels) return;
  const std::int32_t* map_levels = levels + map * h * w;
  const int length = detail::glrlm_run_at(map_levels, h, w, p / w, p % w, angles.dy[a], angles.dx[a]);
  if (length == 0) return;
  std::uint32_t* matrix = counts + (map * angles.count + a) * static_cast<std::int64_t>(gray_dim) * run_dim;
  atomicAdd(matrix + static_cast<std::int64_t>(map_levels[p]) * run_dim + length, 1u);
}

__global__ void angle_features_kernel(const std::uint32_t* counts, std::int64_t maps, int angles, int gray_dim,
                                      int run_dim, double* per_angle, std::uint8_t* nonempty) {
  const std::int64_t t = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (t >= maps * angles) return;
  nonempty[t] = detail::size_matrix_statistics(counts + t * gray_dim * static_cast<std::int64_t>(run_dim), gray_dim,
                                             run_dim, per_angle + t * glrlm::kColumns);
}

__global__ void average_angles_kernel(const double* per_angle, const std::uint8_t* nonempty,
                                      const detail::TextureMapStatus* status, std::int64_t maps, int angles,
                                      double* features, FeatureReason* reasons) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= maps) return;
  detail::glrlm_average_angles(per_angle + i * angles * glrlm::kColumns, nonempty + i * angles, angles, status[i],
                               kGlrlmMaxGrayLevels, features + i * glrlm::kColumns, reasons + i * glrlm::kColumns);
}

unsigned blocks_for(std::int64_t items) { return static_cast<unsigned>((items + kThreads - 1) / kThreads); }

}  // namespace

void compute_glrlm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                   void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t pixels = batch.h * batch.w;
  const GlrlmAngles angles = glrlm_angles(batch.h, batch.w);
  const int run_dim = static_cast<int>(std::max(batch.h, batch.w)) + 1;

  const detail::BinnedMaps binned(batch, bins, kGlrlmMaxGrayLevels, stream);
  const int gray_dim = binned.largest_gray_levels() + 1;
  const std::int64_t cells = std::int64_t{gray_dim} * run_dim;
  const int angle_count = std::max(angles.count, 1);
  const std::int64_t bytes_per_map = angle_count * (cells * 4 + glrlm::kColumns * 8 + 1);
  const std::int64_t chunk = std::max<std::int64_t>(
      1, std::min<std::int64_t>(batch.n, static_cast<std::int64_t>(kScratchBytes) / bytes_per_map));
  const auto chunk_angles = static_cast<std::size_t>(chunk * angle_count);
  detail::StreamBuffer<std::uint32_t> counts(chunk_angles * static_cast<std::size_t>(cells), stream);
  detail::StreamBuffer<double> per_angle(chunk_angles * glrlm::kColumns, stream);
  detail::StreamBuffer<std::uint8_t> nonempty(chunk_angles, stream);

  for (std::int64_t first = 0; first < batch.n; first += chunk) {
    const std::int64_t maps = std::min(chunk, batch.n - first);
    if (angles.count > 0) {
      SALIENT_CUDA_CHECK(cudaMemsetAsync(
          counts.get(), 0, static_cast<std::size_t>(maps * angles.count * cells) * sizeof(std::uint32_t), stream));
      const dim3 grid(blocks_for(pixels), static_cast<unsigned>(angles.count), static_cast<unsigned>(maps));
      count_runs_kernel<<<grid, kThreads, 0, stream>>>(binned.levels() + first * pixels, binned.status() + first, batch.h,
                                                      batch.w, angles, gray_dim, run_dim, counts.get());
      SALIENT_CUDA_CHECK_LAUNCH();
      angle_features_kernel<<<blocks_for(maps * angles.count), kThreads, 0, stream>>>(
          counts.get(), maps, angles.count, gray_dim, run_dim, per_angle.get(), nonempty.get());
      SALIENT_CUDA_CHECK_LAUNCH();
    }
    average_angles_kernel<<<blocks_for(maps), kThreads, 0, stream>>>(per_angle.get(), nonempty.get(),
                                                                    binned.status() + first, maps, angles.count,
                                                                    features + first * glrlm::kColumns,
                                                                    reasons + first * glrlm::kColumns);
    SALIENT_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace salient::kernels::cuda_impl
