// Sort keys of the ranking primitives, written once for both twins: an unsigned integer
// per candidate whose ascending order is the ranking order, so that the CPU twin's
// std::sort and the CUDA twin's radix sort agree on every tie.
//   finite and ±inf scores, in the chosen direction (−0 and +0 tie)
//   then NaN                       (key = max − 1: NaN ranks last, all NaN tie)
//   then labeled candidates        (key = max: never ranked nor selected)
// Within equal keys the twins order by position, i.e. by global image index.
#pragma once

#include <cstdint>

#include "detail/host_device.h"
#include "salient/kernels/criterion.h"

namespace salient::kernels::detail {

template <typename Score>
struct RankKeyTraits;

template <>
struct RankKeyTraits<float> {
  using Key = std::uint32_t;
  static constexpr Key kSign = 0x80000000u;
  SALIENT_HOST_DEVICE static Key bits(float x) { return float_bits(x); }
};

template <>
struct RankKeyTraits<double> {
  using Key = std::uint64_t;
  static constexpr Key kSign = 0x8000000000000000ull;
  SALIENT_HOST_DEVICE static Key bits(double x) { return double_bits(x); }
};

template <typename Score>
using RankKey = typename RankKeyTraits<Score>::Key;

template <typename Score>
SALIENT_HOST_DEVICE constexpr RankKey<Score> labeled_rank_key() {
  return ~RankKey<Score>{0};
}

template <typename Score>
SALIENT_HOST_DEVICE constexpr RankKey<Score> nan_rank_key() {
  return ~RankKey<Score>{0} - 1;
}

/// Key of one candidate. The IEEE bit pattern with the sign bit flipped (negative values:
/// every bit flipped) increases with the value; descending order flips it once more. The
/// largest such key, that of −inf in descending order, stays below nan_rank_key().
template <typename Score>
SALIENT_HOST_DEVICE RankKey<Score> rank_key(Score score, Direction direction, bool labeled) {
  using Traits = RankKeyTraits<Score>;
  if (labeled) return labeled_rank_key<Score>();
  if (score != score) return nan_rank_key<Score>();
  const RankKey<Score> bits = Traits::bits(score == Score(0) ? Score(0) : score);
  const RankKey<Score> ascending = (bits & Traits::kSign) ? ~bits : (bits | Traits::kSign);
  return direction == Direction::ascending ? ascending : static_cast<RankKey<Score>>(~ascending);
}

/// Average rank (1-based) of the tie group occupying sorted places [first, last).
SALIENT_HOST_DEVICE inline double average_rank(std::int64_t first, std::int64_t last) {
  return static_cast<double>(first + 1 + last) / 2.0;
}

}  // namespace salient::kernels::detail
