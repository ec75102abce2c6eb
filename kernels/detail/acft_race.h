// The host part of the ACFT randomised draw shared by both twins: given the kept
// candidates (the top ω·b in ranking order), rescale their scores and run the race.
#pragma once

#include <cstdint>
#include <vector>

#include "salient/kernels/acft_draw.h"

namespace salient::kernels::detail {

/// Indices into the kept list of the min(b, kept) winners, in draw order.
/// @param kept_scores        scores in ranking order (descending, NaN last)
/// @param kept_global_index  their global image indices
std::vector<std::int64_t> acft_race(const std::vector<float>& kept_scores,
                                    const std::vector<std::int64_t>& kept_global_index, const AcftDrawConfig& config);

/// ω·b, the number of candidates the draw is among (before capping at the pool).
std::int64_t acft_kept_count(const AcftDrawConfig& config);

}  // namespace salient::kernels::detail
