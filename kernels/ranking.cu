// CUDA twin of the ranking primitives. Every primitive starts from the same sort: the
// shared rank keys (detail/ranking_keys.h) of all candidates, sorted with their positions
// by CUB's radix sort, which is stable, so equal keys keep position order like the CPU
// twin. Ranks then come from the tie groups of the sorted keys: a scan of group heads
// numbers the groups, each group records its first and last place, and each candidate
// gets the average of its group's places.
#include <algorithm>
#include <cub/block/block_reduce.cuh>
#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>
#include <cuda/std/limits>

#include "detail/ranking_keys.h"
#include "detail/stream_buffer.cuh"
#include "salient/kernels/cuda_check.h"
#include "salient/kernels/ranking.h"

namespace salient::kernels::cuda_impl {
namespace {

constexpr int kThreads = 256;

struct PoolCounts {
  unsigned long long labeled;
  unsigned long long nan;
};

struct AddPoolCounts {
  __device__ PoolCounts operator()(const PoolCounts& a, const PoolCounts& b) const {
    return {a.labeled + b.labeled, a.nan + b.nan};
  }
};

unsigned blocks_for(std::int64_t n) { return static_cast<unsigned>((n + kThreads - 1) / kThreads); }

/// This thread's element; 64-bit so that the last block of a pool near 2³¹ cannot overflow.
__device__ std::int64_t element_index() { return static_cast<std::int64_t>(blockIdx.x) * kThreads + threadIdx.x; }

template <typename Score>
__global__ void rank_keys_kernel(const Score* scores, Direction direction, const std::uint8_t* labeled, std::int64_t n,
                                 detail::RankKey<Score>* keys, std::uint32_t* positions, PoolCounts* counts) {
  using BlockReduce = cub::BlockReduce<PoolCounts, kThreads>;
  __shared__ typename BlockReduce::TempStorage reduce_storage;
  const std::int64_t i = element_index();
  PoolCounts local{0, 0};
  if (i < n) {
    const auto key = detail::rank_key(scores[i], direction, labeled && labeled[i]);
    keys[i] = key;
    positions[i] = static_cast<std::uint32_t>(i);
    local.labeled = key == detail::labeled_rank_key<Score>();
    local.nan = key == detail::nan_rank_key<Score>();
  }
  const PoolCounts block = BlockReduce(reduce_storage).Reduce(local, AddPoolCounts{});
  if (threadIdx.x == 0 && (block.labeled || block.nan)) {  // integer sums: the same in any order
    atomicAdd(&counts->labeled, block.labeled);
    atomicAdd(&counts->nan, block.nan);
  }
}

std::int64_t checked_pool_size(std::int64_t n) {
  SALIENT_CHECK(n <= cuda::std::numeric_limits<int>::max(),
                "the CUDA ranking sorts at most {} candidates at once, got {}", cuda::std::numeric_limits<int>::max(),
                n);
  return n;
}

/// Rank keys of all candidates sorted with their positions, and the pool's counts.
template <typename Score>
struct SortedPool {
  SortedPool(std::int64_t n, cudaStream_t stream)
      : keys(checked_pool_size(n), stream), positions(n, stream), counts_on_device(1, stream) {}
  detail::StreamBuffer<detail::RankKey<Score>> keys;
  detail::StreamBuffer<std::uint32_t> positions;
  detail::StreamBuffer<PoolCounts> counts_on_device;
  PoolCounts counts{0, 0};
};

template <typename Score>
void sort_pool(const Score* scores, Direction direction, const PoolView& pool, cudaStream_t stream,
               SortedPool<Score>& sorted) {
  const int n = static_cast<int>(pool.n);
  detail::StreamBuffer<detail::RankKey<Score>> keys(n, stream);
  detail::StreamBuffer<std::uint32_t> positions(n, stream);
  SALIENT_CUDA_CHECK(cudaMemsetAsync(sorted.counts_on_device.get(), 0, sizeof(PoolCounts), stream));
  rank_keys_kernel<<<blocks_for(n), kThreads, 0, stream>>>(scores, direction, pool.labeled, n, keys.get(),
                                                           positions.get(), sorted.counts_on_device.get());
  SALIENT_CUDA_CHECK_LAUNCH();
  std::size_t temp_bytes = 0;
  SALIENT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, keys.get(), sorted.keys.get(),
                                                     positions.get(), sorted.positions.get(), n, 0,
                                                     int{sizeof(detail::RankKey<Score>) * 8}, stream));
  detail::StreamBuffer<unsigned char> temp(temp_bytes, stream);
  SALIENT_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(temp.get(), temp_bytes, keys.get(), sorted.keys.get(),
                                                     positions.get(), sorted.positions.get(), n, 0,
                                                     int{sizeof(detail::RankKey<Score>) * 8}, stream));
  SALIENT_CUDA_CHECK(cudaMemcpyAsync(&sorted.counts, sorted.counts_on_device.get(), sizeof(PoolCounts),
                                     cudaMemcpyDeviceToHost, stream));
  SALIENT_CUDA_CHECK(cudaStreamSynchronize(stream));
}

template <typename Key>
__global__ void tie_group_heads_kernel(const Key* keys, int n, int* heads) {
  const std::int64_t i = element_index();
  if (i < n) heads[i] = i == 0 || keys[i] != keys[i - 1];
}

/// group[i] = 1-based tie group of place i; records each group's places [first, last).
template <typename Key>
__global__ void tie_group_bounds_kernel(const Key* keys, const int* group, int n, int* first, int* last) {
  const std::int64_t i = element_index();
  if (i >= n) return;
  const int g = group[i] - 1;
  if (i == 0 || keys[i] != keys[i - 1]) first[g] = static_cast<int>(i);
  if (i == n - 1 || keys[i] != keys[i + 1]) last[g] = static_cast<int>(i + 1);
}

template <typename Key>
__global__ void average_ranks_kernel(const Key* keys, const std::uint32_t* positions, const int* group,
                                     const int* first, const int* last, int n, Key labeled_key, double* ranks) {
  const std::int64_t i = element_index();
  if (i >= n) return;
  const int g = group[i] - 1;
  ranks[positions[i]] = keys[i] == labeled_key ? detail::quiet_nan_double() : detail::average_rank(first[g], last[g]);
}

__global__ void add_kernel(const double* addend, int n, double* sums) {
  const std::int64_t i = element_index();
  if (i < n) sums[i] += addend[i];
}

__global__ void widen_positions_kernel(const std::uint32_t* positions, std::int64_t count, std::int64_t* selected) {
  const std::int64_t i = element_index();
  if (i < count) selected[i] = positions[i];
}

template <typename Score>
std::int64_t top_k_of(const Score* scores, Direction direction, const PoolView& pool, std::int64_t k,
                      std::int64_t* selected, cudaStream_t stream) {
  SortedPool<Score> sorted(pool.n, stream);
  sort_pool(scores, direction, pool, stream, sorted);
  const std::int64_t unlabeled = pool.n - static_cast<std::int64_t>(sorted.counts.labeled);
  const std::int64_t count = std::min(k, unlabeled);
  if (count > 0) {
    widen_positions_kernel<<<blocks_for(count), kThreads, 0, stream>>>(sorted.positions.get(), count, selected);
    SALIENT_CUDA_CHECK_LAUNCH();
  }
  return count;
}

}  // namespace

RankSummary rank_scores(const float* scores, Direction direction, const PoolView& pool, double* ranks,
                        void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  SortedPool<float> sorted(pool.n, stream);
  sort_pool(scores, direction, pool, stream, sorted);
  const int n = static_cast<int>(pool.n);
  detail::StreamBuffer<int> heads(n, stream);
  detail::StreamBuffer<int> group(n, stream);
  detail::StreamBuffer<int> first(n, stream);
  detail::StreamBuffer<int> last(n, stream);
  tie_group_heads_kernel<<<blocks_for(n), kThreads, 0, stream>>>(sorted.keys.get(), n, heads.get());
  SALIENT_CUDA_CHECK_LAUNCH();
  std::size_t temp_bytes = 0;
  SALIENT_CUDA_CHECK(cub::DeviceScan::InclusiveSum(nullptr, temp_bytes, heads.get(), group.get(), n, stream));
  detail::StreamBuffer<unsigned char> temp(temp_bytes, stream);
  SALIENT_CUDA_CHECK(cub::DeviceScan::InclusiveSum(temp.get(), temp_bytes, heads.get(), group.get(), n, stream));
  tie_group_bounds_kernel<<<blocks_for(n), kThreads, 0, stream>>>(sorted.keys.get(), group.get(), n, first.get(),
                                                                  last.get());
  SALIENT_CUDA_CHECK_LAUNCH();
  average_ranks_kernel<<<blocks_for(n), kThreads, 0, stream>>>(sorted.keys.get(), sorted.positions.get(), group.get(),
                                                               first.get(), last.get(), n,
                                                               detail::labeled_rank_key<float>(), ranks);
  SALIENT_CUDA_CHECK_LAUNCH();
  return {pool.n - static_cast<std::int64_t>(sorted.counts.labeled), static_cast<std::int64_t>(sorted.counts.nan)};
}

std::vector<RankSummary> borda_sums(const std::vector<BordaCriterion>& criteria, const PoolView& pool, double* sums,
                                    void* cuda_stream) {
  const auto stream = static_cast<cudaStream_t>(cuda_stream);
  const int n = static_cast<int>(pool.n);
  detail::StreamBuffer<double> ranks(checked_pool_size(pool.n), stream);
  SALIENT_CUDA_CHECK(cudaMemsetAsync(sums, 0, pool.n * sizeof(double), stream));
  std::vector<RankSummary> summaries;
  for (const auto& criterion : criteria) {
    summaries.push_back(rank_scores(criterion.scores, criterion.direction, pool, ranks.get(), cuda_stream));
    add_kernel<<<blocks_for(n), kThreads, 0, stream>>>(ranks.get(), n, sums);
    SALIENT_CUDA_CHECK_LAUNCH();
  }
  return summaries;
}

std::int64_t top_k(const float* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, void* cuda_stream) {
  return top_k_of(scores, direction, pool, k, selected, static_cast<cudaStream_t>(cuda_stream));
}

std::int64_t top_k(const double* scores, Direction direction, const PoolView& pool, std::int64_t k,
                   std::int64_t* selected, void* cuda_stream) {
  return top_k_of(scores, direction, pool, k, selected, static_cast<cudaStream_t>(cuda_stream));
}

}  // namespace salient::kernels::cuda_impl
