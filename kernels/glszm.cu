// CUDA twin of compute_glszm.
//  1. detail/binned_maps.cuh bins the maps, reduces each map's status and reads the largest Ng
//     back once;
//  2. zones by union-find over every map's pixels at once (one thread per pixel): each pixel
//     starts as its own root; each 8-connected pair of equal levels (detail/glszm_terms.h's
//     forward neighbours) is united by hanging the larger root under the smaller with
//     atomicMin, retried until the roots agree; then every pixel points straight at its root,
//     the smallest pixel index of its zone;
//  3. each zone's size by one atomic per pixel on its root; the largest size of the chunk is
//     read back to size the (Ng+1) × (S+1) count matrices; one atomic per root counts its zone;
//  4. one thread per map computes the row (glszm_row).
// Maps are processed in chunks so that the union-find arrays and matrices stay below
// kScratchBytes.
#include <algorithm>
#include <vector>

#include "detail/binned_maps.cuh"
#include "detail/glszm_terms.h"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/glszm.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;
constexpr std::size_t kScratchBytes = std::size_t{512} << 20;

/// Whether pixel p of the chunk belongs to a map the family computes and to its mask.
__device__ bool in_zone(const std::int32_t* levels, const detail::TextureMapStatus* status, std::int64_t pixels,
                        std::int64_t p) {
  const detail::TextureMapStatus s = status[p / pixels];
  return levels[p] > 0 && s.masked > 0 && s.finite && s.gray_levels <= kGlszmMaxGrayLevels;
}

__device__ int find_root(volatile int* parent, int x) {
  while (parent[x] != x) x = parent[x];
  return x;
}

__device__ void unite(int* parent, int a, int b) {
  for (;;) {
    a = find_root(parent, a);
    b = find_root(parent, b);
    if (a == b) return;
    if (a < b) {
      const int t = a;
      a = b;
      b = t;
    }
    const int old = atomicMin(parent + a, b);  // hang the larger root under the smaller
    if (old == a) return;
    a = old;  // another thread moved a first: unite what it now hangs under
  }
}

__global__ void init_kernel(int* parent, std::int64_t total) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p < total) parent[p] = static_cast<int>(p);
}

__global__ void unite_kernel(const std::int32_t* levels, const detail::TextureMapStatus* status, std::int64_t h,
                             std::int64_t w, std::int64_t total, int* parent) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= total || !in_zone(levels, status, h * w, p)) return;
  const std::int64_t y = (p % (h * w)) / w, x = p % w;
  for (int k = 0; k < 4; ++k) {
    const std::int64_t ny = y + detail::glszm_forward_dy(k), nx = x + detail::glszm_forward_dx(k);
    if (ny >= h || nx < 0 || nx >= w) continue;
    const std::int64_t q = p + (ny - y) * w + (nx - x);
    if (levels[q] == levels[p]) unite(parent, static_cast<int>(p), static_cast<int>(q));
  }
}

__global__ void size_kernel(const std::int32_t* levels, const detail::TextureMapStatus* status, std::int64_t pixels,
                            std::int64_t total, int* parent, std::uint32_t* sizes) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= total || !in_zone(levels, status, pixels, p)) return;
  const int root = find_root(parent, static_cast<int>(p));
  parent[p] = root;
  atomicAdd(sizes + root, 1u);
}

__global__ void largest_kernel(const std::int32_t* levels, const detail::TextureMapStatus* status, std::int64_t pixels,
                               std::int64_t total, const int* parent, const std::uint32_t* sizes,
                               unsigned* largest) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= total || !in_zone(levels, status, pixels, p) || parent[p] != p) return;
  atomicMax(largest, sizes[p]);
}

__global__ void count_zones_kernel(const std::int32_t* levels, const detail::TextureMapStatus* status,
                                   std::int64_t pixels, std::int64_t total, const int* parent,
                                   const std::uint32_t* sizes, int gray_dim, int size_dim, std::uint32_t* counts) {
  const std::int64_t p = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (p >= total || !in_zone(levels, status, pixels, p) || parent[p] != p) return;
  std::uint32_t* matrix = counts + (p / pixels) * static_cast<std::int64_t>(gray_dim) * size_dim;
  atomicAdd(matrix + static_cast<std::int64_t>(levels[p]) * size_dim + sizes[p], 1u);
}

__global__ void rows_kernel(const std::uint32_t* counts, const detail::TextureMapStatus* status, std::int64_t maps,
                            int gray_dim, int size_dim, double* features, FeatureReason* reasons) {
  const std::int64_t i = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i >= maps) return;
  detail::glszm_row(counts + i * static_cast<std::int64_t>(gray_dim) * size_dim, size_dim, status[i],
                    kGlszmMaxGrayLevels, features + i * glszm::kColumns, reasons + i * glszm::kColumns);
}

unsigned blocks_for(std::int64_t items) { return static_cast<unsigned>((items + kThreads - 1) / kThreads); }

}  // namespace

void compute_glszm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                   void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const std::int64_t pixels = batch.h * batch.w;
  const detail::BinnedMaps binned(batch, bins, kGlszmMaxGrayLevels, stream);
  const int gray_dim = binned.largest_gray_levels() + 1;
  // Union-find and sizes per pixel; the matrices at most (Ng+1) × (pixels+1) per map.
  const std::int64_t bytes_per_map = pixels * 8 + std::int64_t{gray_dim} * (pixels + 1) * 4;
  const std::int64_t chunk = std::max<std::int64_t>(
      1, std::min<std::int64_t>({batch.n, static_cast<std::int64_t>(kScratchBytes) / bytes_per_map,
                                 std::int64_t{0x7fffffff} / std::max<std::int64_t>(pixels, 1)}));
  detail::StreamBuffer<int> parent(static_cast<std::size_t>(chunk * pixels), stream);
  detail::StreamBuffer<std::uint32_t> sizes(static_cast<std::size_t>(chunk * pixels), stream);
  detail::StreamBuffer<unsigned> largest(1, stream);
  for (std::int64_t first = 0; first < batch.n; first += chunk) {
    const std::int64_t maps = std::min(chunk, batch.n - first), total = maps * pixels;
    const std::int32_t* levels = binned.levels() + first * pixels;
    const detail::TextureMapStatus* status = binned.status() + first;
    init_kernel<<<blocks_for(total), kThreads, 0, stream>>>(parent.get(), total);
    SALIENT_CUDA_CHECK_LAUNCH();
    unite_kernel<<<blocks_for(total), kThreads, 0, stream>>>(levels, status, batch.h, batch.w, total, parent.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    SALIENT_CUDA_CHECK(cudaMemsetAsync(sizes.get(), 0, static_cast<std::size_t>(total) * sizeof(std::uint32_t), stream));
    size_kernel<<<blocks_for(total), kThreads, 0, stream>>>(levels, status, pixels, total, parent.get(), sizes.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    SALIENT_CUDA_CHECK(cudaMemsetAsync(largest.get(), 0, sizeof(unsigned), stream));
    largest_kernel<<<blocks_for(total), kThreads, 0, stream>>>(levels, status, pixels, total, parent.get(),
                                                              sizes.get(), largest.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    unsigned largest_size = 0;
    SALIENT_CUDA_CHECK(cudaMemcpyAsync(&largest_size, largest.get(), sizeof(unsigned), cudaMemcpyDeviceToHost, stream));
    SALIENT_CUDA_CHECK(cudaStreamSynchronize(stream));
    const int size_dim = static_cast<int>(largest_size) + 1;
    const auto cells = static_cast<std::size_t>(maps * gray_dim) * static_cast<std::size_t>(size_dim);
    detail::StreamBuffer<std::uint32_t> counts(cells, stream);
    SALIENT_CUDA_CHECK(cudaMemsetAsync(counts.get(), 0, cells * sizeof(std::uint32_t), stream));
    count_zones_kernel<<<blocks_for(total), kThreads, 0, stream>>>(levels, status, pixels, total, parent.get(),
                                                                  sizes.get(), gray_dim, size_dim, counts.get());
    SALIENT_CUDA_CHECK_LAUNCH();
    rows_kernel<<<blocks_for(maps), kThreads, 0, stream>>>(counts.get(), status, maps, gray_dim, size_dim,
                                                          features + first * glszm::kColumns,
                                                          reasons + first * glszm::kColumns);
    SALIENT_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace salient::kernels::cuda_impl
