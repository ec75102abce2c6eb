// ACFT randomised selection (Zhou et al., "Active, continual fine tuning of convolutional
// neural networks for reducing annotation efforts", Sec. 3.4, eq. 4): sort the scores a
// descending, keep the top ω·b, rescale a' = (a − a_{ωb}) / (a_1 − a_{ωb}), and draw b
// candidates without replacement, each draw with probability a'/Σa' among those left.
// The draw is an exponential race (Efraimidis & Spirakis 2006): candidate i gets
// E_i = −ln u_i, u_i the counter-based uniform of (seed, round, its global image index),
// and the b smallest E_i / a'_i win, in that order; this has exactly the distribution of
// b successive weighted draws, and does not depend on how the pool was split over ranks.
// Details (docs/formulas.md "ACFT randomised selection"):
//   - NaN scores rank last; inside the top ω·b they get weight 0;
//   - a_{ωb} is the lowest finite kept score; if every kept score is equal, all weigh 1;
//   - weight-0 candidates are drawn only after every positive one, in ranking order.
#pragma once

#include <cstdint>

#include "salient/check.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/ranking.h"

namespace salient::kernels {

struct AcftDrawConfig {
  std::int64_t batch_size = 0;        ///< b ≥ 1 candidates to draw
  std::int64_t random_extension = 5;  ///< ω ≥ 1: the draw is among the top ω·b
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
};

/// Draws min(b, unlabeled) positions of @p pool into @p selected, in draw order, and
/// returns how many. Scores, flags, indices and @p selected live in memory of @p ctx's
/// backend; a finite kept score must not be infinite.
/// Performance: one sort of the pool (top_k), then the race among ω·b candidates on the
/// host, identical for both twins.
std::int64_t acft_randomized_draw(const float* scores, const PoolView& pool, const AcftDrawConfig& config,
                                  std::int64_t* selected, const ExecutionContext& ctx);

namespace cpu_impl {
std::int64_t acft_randomized_draw(const float* scores, const PoolView& pool, const AcftDrawConfig& config,
                                  std::int64_t* selected);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
std::int64_t acft_randomized_draw(const float* scores, const PoolView& pool, const AcftDrawConfig& config,
                                  std::int64_t* selected, void* cuda_stream);
#else
inline std::int64_t acft_randomized_draw(const float*, const PoolView&, const AcftDrawConfig&, std::int64_t*, void*) {
  throw Error("salient was built without CUDA: acft_randomized_draw has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
