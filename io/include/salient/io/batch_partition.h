// How the global image index is cut into batches and the batches into ranks
// (DESIGN.md "Distribution"): batch k holds indices kB … kB+B−1; rank r of R owns the
// contiguous run of batches [⌊K·r/R⌋, ⌊K·(r+1)/R⌋) of the K = ⌈N/B⌉ batches, so runs differ
// by at most one batch and an image is in the same batch whatever R is.
#pragma once

#include <cstdint>

namespace salient::io {

struct RankShare {
  std::int64_t first_batch = 0;  ///< first batch this rank owns
  std::int64_t end_batch = 0;    ///< one past its last batch
  std::int64_t begin = 0;        ///< first global image index
  std::int64_t end = 0;          ///< one past its last global image index
};

std::int64_t batch_count(std::int64_t images, std::int64_t batch_size);

/// The share of rank @p rank of @p world over @p images images in batches of @p batch_size.
RankShare rank_share(std::int64_t images, std::int64_t batch_size, int rank, int world);

}  // namespace salient::io
