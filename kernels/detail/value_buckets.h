// Exact order statistics of unsorted values without sorting them all, for the CPU twins.
// Each value is counted into one of 4096 buckets by the top 12 bits of the radix key of its
// float32 rounding; rounding and the key never decrease with the value, so every bucket holds
// a contiguous stretch of the sorted values. One gathering pass copies out only the buckets
// holding a wanted rank, and std::nth_element runs inside each. Cost: a counting pass, the
// gathering pass (which runs the caller's per-value work too) and selections over the gathered
// buckets: small unless the values crowd into one bucket (at worst one std::nth_element over
// them all).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "detail/radix_sort.h"
#include "salient/check.h"

namespace salient::kernels::detail {

/// @tparam T  float or double
template <typename T>
class ValueBuckets {
 public:
  static constexpr int kBits = 12;
  static constexpr int kMaxRanks = 16;

  /// Counts values[0, n) into the buckets. Even and odd positions count into separate halves,
  /// so that neighbours falling into the same bucket do not wait for each other's increment.
  void count(const T* values, std::int64_t n) {
    halves_.fill(0);
    buckets_.resize(static_cast<std::size_t>(n));
    std::uint16_t* bucket = buckets_.data();
    std::int64_t i = 0;
    for (; i + 2 <= n; i += 2) {
      bucket[i] = bucket_of(values[i]);
      bucket[i + 1] = bucket_of(values[i + 1]);
      ++halves_[bucket[i]];
      ++halves_[kBuckets + bucket[i + 1]];
    }
    if (i < n) ++halves_[bucket[i] = bucket_of(values[i])];
    for (std::size_t b = 0; b < kBuckets; ++b) sizes_[b] = halves_[b] + halves_[kBuckets + b];
  }

  /// One pass over values[0, n), which must be the values last counted: calls
  /// each(x) for every value x, and writes the ranks[j]-th smallest (0-based) to out[j], for
  /// ranks in any order, each in [0, n).
  template <typename Each>
  void gather(const T* values, std::int64_t n, const std::int64_t* ranks, int rank_count, T* out, Each each) {
    SALIENT_ASSERT(rank_count <= kMaxRanks);
    std::array<int, kMaxRanks> order{};
    for (int j = 0; j < rank_count; ++j) order[j] = j;
    std::sort(order.begin(), order.begin() + rank_count, [&](int a, int b) { return ranks[a] < ranks[b]; });

    // Walk the buckets in value order; a bucket holding a wanted rank gets a slot of the scratch.
    std::array<std::int64_t, kMaxRanks> slot_begin{}, slot_size{}, offset_in_slot{};
    std::array<int, kMaxRanks> slot_of_rank{};
    slot_of_bucket_.fill(0);  // slot + 1; 0: not gathered
    int slots = 0, next = 0;
    std::int64_t below = 0, gathered = 0;
    for (std::size_t bucket = 0; bucket < sizes_.size() && next < rank_count; ++bucket) {
      const std::int64_t end = below + sizes_[bucket];
      if (ranks[order[next]] < end) {
        slot_begin[slots] = gathered;
        slot_size[slots] = sizes_[bucket];
        gathered += sizes_[bucket];
        slot_of_bucket_[bucket] = static_cast<std::uint8_t>(++slots);
        for (; next < rank_count && ranks[order[next]] < end; ++next) {
          slot_of_rank[next] = slots - 1;
          offset_in_slot[next] = ranks[order[next]] - below;
        }
      }
      below = end;
    }
    SALIENT_ASSERT(next == rank_count);

    scratch_.resize(static_cast<std::size_t>(gathered));
    std::array<std::int64_t, kMaxRanks> fill = slot_begin;
    const std::uint16_t* bucket = buckets_.data();
    for (std::int64_t i = 0; i < n; ++i) {
      each(values[i]);
      if (const unsigned slot = slot_of_bucket_[bucket[i]]) {
        scratch_[static_cast<std::size_t>(fill[slot - 1]++)] = values[i];
      }
    }
    // Ranks ascend, so each selection inside a slot starts where the previous one ended.
    for (int k = 0; k < rank_count; ++k) {
      T* begin = scratch_.data() + slot_begin[slot_of_rank[k]];
      T* end = begin + slot_size[slot_of_rank[k]];
      const bool same_slot = k > 0 && slot_of_rank[k] == slot_of_rank[k - 1];
      std::nth_element(same_slot ? begin + offset_in_slot[k - 1] : begin, begin + offset_in_slot[k], end);
      out[order[k]] = begin[offset_in_slot[k]];
    }
  }

 private:
  static constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  static std::uint16_t bucket_of(T value) {
    return static_cast<std::uint16_t>(radix_key(static_cast<float>(value)) >> (32 - kBits));
  }

  std::array<std::uint32_t, 2 * kBuckets> halves_{};
  std::array<std::uint32_t, kBuckets> sizes_{};
  std::array<std::uint8_t, kBuckets> slot_of_bucket_{};
  std::vector<std::uint16_t> buckets_;  ///< the bucket of each counted value
  std::vector<T> scratch_;
};

}  // namespace salient::kernels::detail
