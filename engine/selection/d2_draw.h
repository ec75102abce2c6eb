// The D² draw of k-means++ seeding (Arthur & Vassilvitskii, SODA 2007) over rows spread
// across ranks: row x is drawn with probability D(x)² / Σ D², D = its distance to the nearest
// center so far. So that the draw is exact for any split over ranks, the weights are integers
// w = ⌊D² / max D² · 2^b⌋, b = 62 − ⌈log₂(n+1)⌉ for the n rows in the draw (a relative
// resolution of 2⁻³⁸ at 10⁷ rows), whose sums do not depend on the order of addition. The
// drawn row is the first, in ascending global index, whose running sum of w exceeds
// ⌊u · Σ w⌋, u = counter_uniform(key, step); each rank sums its block, the ranks' sums are
// gathered (a prefix sum over the ranks' blocks), and the rank whose block holds the target
// finds the row. BADGE's seeding and k-means' seeding draw with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/selection/rank_group.h"
#include "salient/kernels/counter_random.h"

namespace salient::selection {

/// d2_draw's answer when Σ w = 0 over every rank (or no row is in the draw).
constexpr std::size_t kNoWeight = static_cast<std::size_t>(-1);

/// The scale of the integer weights, 2^b / max D² over every rank's open usable rows
/// (w = ⌊D² · scale⌋), or 0 when there is no such row or every D² is 0. Every rank calls it.
double d2_weight_scale(const std::vector<double>& nearest, const std::vector<std::uint8_t>& open,
                       const std::vector<std::uint8_t>& usable, RankGroup& group);

/// Draw @p step among the rows of every rank that are open and usable, weighted by
/// @p nearest (D², ≥ 0, finite for those rows): this rank's drawn row, n = nearest.size()
/// when another rank's block holds it, or kNoWeight. Every rank calls it.
std::size_t d2_draw(const std::vector<double>& nearest, const std::vector<std::uint8_t>& open,
                    const std::vector<std::uint8_t>& usable, const kernels::RandomKey& key, std::int64_t step,
                    RankGroup& group);

}  // namespace salient::selection
