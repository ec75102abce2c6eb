// CUDA twin of compute_glcm.
//  1. discretize_maps (binning.cu) writes every pixel's level and each map's Ng; the host reads
//     the Ng back once and picks the counting strategy from the largest (dim = Ng + 1):
//  2a. dim² counters fit in shared memory (Ng <= ~150 on sm_90): one block per (map, offset)
//      counts into shared matrices, one copy per warp as long as the copies fit (8 copies up to
//      Ng = 44, 2 at Ng = 100), then sums the copies into global memory;
//  2b. otherwise one block per (map, offset) adds straight into a zeroed global matrix.
//     Both paths aggregate within the warp before the atomic: lanes holding the same pair
//     (__match_any_sync) elect one lane that adds their number. Smooth saliency maps put most
//     pairs on the diagonal, often the same cell across a whole warp; aggregation turns those
//     32 serialised atomics into one, and the per-warp copies keep warps off each other's cells.
//  3. one thread per (map, offset) runs glcm_angle_features (detail/glcm_terms.h, the CPU
//     twin's code, MCC eigenvalues included) on its matrix with a global-memory workspace;
//  4. one thread per map averages the offsets (glcm_average_angles).
// Maps are processed in chunks so that the matrices and workspaces stay below kScratchBytes.
#include <cub/block/block_reduce.cuh>

#include <algorithm>
#include <vector>

#include "detail/glcm_terms.h"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/glcm.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;
constexpr int kWarps = kThreads / 32;
constexpr std::size_t kScratchBytes = std::size_t{512} << 20;
constexpr int kSharedBudgetBytes = 100 * 1024;  // two blocks per SM on sm_90 (227 KiB)

struct OffsetTable {
  GlcmOffset offset[kGlcmMaxOffsets];
};

struct StatusParts {
  long long masked;
  int finite;
  int lowest_level;
};

struct CombineStatus {
  __device__ StatusParts operator()(const StatusParts& a, const StatusParts& b) const {
    return {a.masked + b.masked, a.finite & b.finite, min(a.lowest_level, b.lowest_level)};
  }
};

__global__ void map_status_kernel(const float* maps, const std::uint8_t* masks, const std::int32_t* levels,
                                  const std::int32_t* gray_levels, std::int64_t pixels,
                                  detail::GlcmMapStatus* status) {
  using BlockReduce = cub::BlockReduce<StatusParts, kThreads>;
  __shared__ typename BlockReduce::TempStorage temp;
  const std::int64_t i = blockIdx.x;
  StatusParts local{0, 1, gray_levels[i]};
  for (std::int64_t p = threadIdx.x; p < pixels; p += kThreads) {
    if (masks && !masks[i * pixels + p]) continue;
    ++local.masked;
    local.finite &= isfinite(maps[i * pixels + p]) ? 1 : 0;
    const std::int32_t level = levels[i * pixels + p];
    if (level > 0) local.lowest_level = min(local.lowest_level, level);
  }
  const StatusParts total = BlockReduce(temp).Reduce(local, CombineStatus{});
  if (threadIdx.x == 0) status[i] = {total.masked, total.finite != 0, gray_levels[i], total.lowest_level};
}

/// Adds one to counts[key] for every lane of the warp holding @p key (key < 0: no pair).
/// Every lane of the warp must call it.
__device__ void add_pair_aggregated(std::uint32_t* counts, int key) {
  const unsigned same = __match_any_sync(0xffffffffu, key);
  const int leader = __ffs(static_cast<int>(same)) - 1;
  if (key >= 0 && static_cast<int>(threadIdx.x % 32) == leader) atomicAdd(counts + key, __popc(same));
}

/// Every pair of one map at one offset, each warp's lanes on consecutive pixels of a row.
/// Each lane calls add(key) the same number of times, key = a * dim + b or -1.
template <typename Add>
__device__ void for_each_pair(const std::int32_t* levels, std::int64_t h, std::int64_t w, GlcmOffset offset,
                              int dim, Add add) {
  const std::int64_t x_begin = max(0, -offset.dx), cols = w - abs(offset.dx), rows = h - offset.dy;
  const std::int64_t pairs = rows > 0 && cols > 0 ? rows * cols : 0;
  const std::int64_t rounds = (pairs + kThreads - 1) / kThreads;
  for (std::int64_t r = 0; r < rounds; ++r) {
    const std::int64_t t = r * kThreads + threadIdx.x;
    int key = -1;
    if (t < pairs) {
      const std::int64_t y = t / cols, x = x_begin + t % cols;
      key = levels[y * w + x] * dim + levels[(y + offset.dy) * w + x + offset.dx];
    }
    add(key);
  }
}

__global__ void count_pairs_shared(const std::int32_t* levels, const std::int32_t* gray_levels, std::int64_t h,
                                   std::int64_t w, OffsetTable offsets, int angles, int dim, int copies,
                                   std::uint32_t* counts) {
  extern __shared__ std::uint32_t shared_counts[];
  const std::int64_t map = blockIdx.x, cells = static_cast<std::int64_t>(dim) * dim;
  for (std::int64_t k = threadIdx.x; k < cells * copies; k += kThreads) shared_counts[k] = 0;
  __syncthreads();
  if (gray_levels[map] < dim) {
    std::uint32_t* own = shared_counts + (threadIdx.x / 32 % copies) * cells;
    for_each_pair(levels + map * h * w, h, w, offsets.offset[blockIdx.y], dim,
                  [&](int key) { add_pair_aggregated(own, key); });
  }
  __syncthreads();
  std::uint32_t* out = counts + (map * angles + blockIdx.y) * cells;
  for (std::int64_t k = threadIdx.x; k < cells; k += kThreads) {
    std::uint32_t sum = 0;
    for (int c = 0; c < copies; ++c) sum += shared_counts[c * cells + k];
    out[k] = sum;
  }
}

__global__ void count_pairs_global(const std::int32_t* levels, const std::int32_t* gray_levels, std::int64_t h,
                                   std::int64_t w, OffsetTable offsets, int angles, int dim, std::uint32_t* counts) {
  const std::int64_t map = blockIdx.x, cells = static_cast<std::int64_t>(dim) * dim;
  if (gray_levels[map] >= dim) return;
  std::uint32_t* out = counts + (map * angles + blockIdx.y) * cells;
  for_each_pair(levels + map * h * w, h, w, offsets.offset[blockIdx.y], dim,
                [&](int key) { add_pair_aggregated(out, key); });
}

__global__ void angle_features_kernel(const std::uint32_t* counts, const detail::GlcmMapStatus* status,
                                      std::int64_t maps, int angles, int dim, double* doubles, int* ints,
                                      double* per_angle, std::uint8_t* nonempty) {
  const std::int64_t t = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (t >= maps * angles) return;
  const std::int64_t cells = static_cast<std::int64_t>(dim) * dim;
  const detail::GlcmMapStatus s = status[t / angles];
  const bool usable = s.masked > 0 && s.finite && s.gray_levels < dim;
  const auto workspace = detail::glcm_workspace(doubles + t * detail::glcm_workspace_doubles(dim),
                                                ints + t * detail::glcm_workspace_ints(dim), dim);
  nonempty[t] = usable && detail::glcm_angle_features(counts + t * cells, dim, s.gray_levels, workspace,
                                                      per_angle + t * glcm::kColumns);
}

__global__ void average_angles_kernel(const double* per_angle, const std::uint8_t* nonempty,
                                      const detail::GlcmMapStatus* status, std::int64_t maps, int angles,
                                      double* features, FeatureReason* reasons) {
  const std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
  if (i >= maps) return;
  detail::glcm_average_angles(per_angle + i * angles * glcm::kColumns, nonempty + i * angles, angles, status[i],
                              kGlcmMaxGrayLevels, features + i * glcm::kColumns, reasons + i * glcm::kColumns);
}

unsigned blocks_for(std::int64_t items) { return static_cast<unsigned>((items + kThreads - 1) / kThreads); }

/// Copies of the dim² matrix that fit in shared memory (at most one per warp); 0: use global memory.
int shared_copies(int dim) {
  int device = 0, optin = 0;
  SALIENT_CUDA_CHECK(cudaGetDevice(&device));
  SALIENT_CUDA_CHECK(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  const std::int64_t matrix_bytes = std::int64_t{dim} * dim * 4;
  return static_cast<int>(std::min<std::int64_t>(kWarps, std::min(optin, kSharedBudgetBytes) / matrix_bytes));
}

}  // namespace

void compute_glcm(const MapBatch& batch, const BinSpec& bins, const std::vector<GlcmOffset>& offsets,
                  double* features, FeatureReason* reasons, void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t pixels = batch.h * batch.w;
  const int angles = static_cast<int>(offsets.size());
  OffsetTable table{};
  std::copy(offsets.begin(), offsets.end(), table.offset);

  detail::StreamBuffer<std::int32_t> levels(static_cast<std::size_t>(batch.n * pixels), stream);
  detail::StreamBuffer<std::int32_t> gray_levels(static_cast<std::size_t>(batch.n), stream);
  detail::StreamBuffer<detail::GlcmMapStatus> status(static_cast<std::size_t>(batch.n), stream);
  discretize_maps(batch, bins, levels.get(), gray_levels.get(), stream);
  map_status_kernel<<<static_cast<unsigned>(batch.n), kThreads, 0, stream>>>(
      batch.maps, batch.masks, levels.get(), gray_levels.get(), pixels, status.get());
  SALIENT_CUDA_CHECK_LAUNCH();

  std::vector<std::int32_t> host_gray_levels(static_cast<std::size_t>(batch.n));
  SALIENT_CUDA_CHECK(cudaMemcpyAsync(host_gray_levels.data(), gray_levels.get(),
                                     host_gray_levels.size() * sizeof(std::int32_t), cudaMemcpyDeviceToHost, stream));
  SALIENT_CUDA_CHECK(cudaStreamSynchronize(stream));
  int largest = 0;
  for (const std::int32_t ng : host_gray_levels) {
    if (ng <= kGlcmMaxGrayLevels) largest = std::max(largest, static_cast<int>(ng));
  }
  const int dim = largest + 1;
  const std::int64_t cells = std::int64_t{dim} * dim;
  const int copies = shared_copies(dim);
  const std::size_t shared_bytes = static_cast<std::size_t>(copies * cells) * sizeof(std::uint32_t);
  if (copies > 0) {
    SALIENT_CUDA_CHECK(cudaFuncSetAttribute(count_pairs_shared, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                            static_cast<int>(shared_bytes)));
  }

  const std::int64_t bytes_per_map =
      angles * (cells * 4 + detail::glcm_workspace_doubles(dim) * 8 + detail::glcm_workspace_ints(dim) * 4 +
                glcm::kColumns * 8 + 1);
  const std::int64_t chunk = std::max<std::int64_t>(1, std::min<std::int64_t>(
                                                           batch.n, static_cast<std::int64_t>(kScratchBytes) / bytes_per_map));
  const auto chunk_angles = static_cast<std::size_t>(chunk * angles);
  detail::StreamBuffer<std::uint32_t> counts(chunk_angles * static_cast<std::size_t>(cells), stream);
  detail::StreamBuffer<double> doubles(chunk_angles * static_cast<std::size_t>(detail::glcm_workspace_doubles(dim)),
                                       stream);
  detail::StreamBuffer<int> ints(chunk_angles * static_cast<std::size_t>(detail::glcm_workspace_ints(dim)), stream);
  detail::StreamBuffer<double> per_angle(chunk_angles * glcm::kColumns, stream);
  detail::StreamBuffer<std::uint8_t> nonempty(chunk_angles, stream);

  for (std::int64_t first = 0; first < batch.n; first += chunk) {
    const std::int64_t maps = std::min(chunk, batch.n - first);
    const std::int32_t* chunk_levels = levels.get() + first * pixels;
    const std::int32_t* chunk_gray_levels = gray_levels.get() + first;
    const dim3 grid(static_cast<unsigned>(maps), static_cast<unsigned>(angles));
    if (copies > 0) {
      count_pairs_shared<<<grid, kThreads, shared_bytes, stream>>>(chunk_levels, chunk_gray_levels, batch.h, batch.w,
                                                                   table, angles, dim, copies, counts.get());
    } else {
      SALIENT_CUDA_CHECK(cudaMemsetAsync(counts.get(), 0,
                                         static_cast<std::size_t>(maps * angles * cells) * sizeof(std::uint32_t), stream));
      count_pairs_global<<<grid, kThreads, 0, stream>>>(chunk_levels, chunk_gray_levels, batch.h, batch.w, table,
                                                        angles, dim, counts.get());
    }
    SALIENT_CUDA_CHECK_LAUNCH();
    angle_features_kernel<<<blocks_for(maps * angles), kThreads, 0, stream>>>(
        counts.get(), status.get() + first, maps, angles, dim, doubles.get(), ints.get(), per_angle.get(),
        nonempty.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    average_angles_kernel<<<blocks_for(maps), kThreads, 0, stream>>>(per_angle.get(), nonempty.get(),
                                                                    status.get() + first, maps, angles,
                                                                    features + first * glcm::kColumns,
                                                                    reasons + first * glcm::kColumns);
    SALIENT_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace salient::kernels::cuda_impl
