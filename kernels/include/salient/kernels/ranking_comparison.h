// Comparisons between rankings and selections (IDEAL Sec. V-J): nDCG of a ranking
// against a reference ranking, and the fraction of samples that several selections have
// in common. Both work on short host lists (a ranking's first p entries, a round's
// selections), so they have no CUDA twin.
#pragma once

#include <cstdint>
#include <vector>

namespace salient::kernels {

/// nDCG_p = DCG_p / IDCG_p (IDEAL eq. 4–5), DCG_p = Σ_{i=1}^{p} (2^{rel_i} − 1) / log2(i + 1).
/// Relevance follows IDEAL: the reference's r-th image (r = 1…p) has rel = 1 + (p − r)/2
/// (5.5 down to 1 for p = 10, contiguous places differing by 0.5); an image outside the
/// reference's first p has rel = 0. IDCG_p is the DCG_p of the reference itself.
/// @param ranking    image ids, best first (at least p, or all of them if fewer)
/// @param reference  image ids, best first, at least p of them, no repeats
double ndcg(const std::vector<std::int64_t>& ranking, const std::vector<std::int64_t>& reference, std::int64_t p = 10);

/// |S_1 ∩ … ∩ S_s| / min_i |S_i|: 1 when the smallest selection lies in all others.
/// Needs at least two selections, none empty; repeated ids within one count once.
double common_fraction(const std::vector<std::vector<std::int64_t>>& selections);

}  // namespace salient::kernels
