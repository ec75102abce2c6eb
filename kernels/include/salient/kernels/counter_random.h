// Per-image uniforms from a counter-based generator (Philox4x32-10) keyed by
// (seed, round, stream, global image index): an image's number does not depend on which
// rank draws it or in which order, so a seed gives the same draws for any number of ranks
// (DESIGN.md "Distribution").
#pragma once

#include <cstdint>

#include "salient/check.h"
#include "salient/kernels/execution.h"

namespace salient::kernels {

/// Independent streams of numbers for the different uses of randomness in a round.
enum class RandomStream : std::uint32_t {
  acft_draw = 1,       ///< ACFT randomised selection
  uniform_scores = 2,  ///< the random strategy: rank candidates by a uniform score
};

struct RandomKey {
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
  RandomStream stream = RandomStream::uniform_scores;
};

/// The uniform in (0, 1) of image @p global_index (≥ 0), identical bits on every backend.
double counter_uniform(const RandomKey& key, std::int64_t global_index);

/// out[i] = counter_uniform(key, global_index ? global_index[i] : i) for i < n.
/// @param[in]  global_index  n image indices (≥ 0), or nullptr for 0…n−1; in @p ctx's memory
/// @param[out] out           n uniforms in @p ctx's memory
void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out,
                      const ExecutionContext& ctx);

namespace cpu_impl {
void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out,
                      void* cuda_stream);
#else
inline void counter_uniforms(const RandomKey&, const std::int64_t*, std::int64_t, double*, void*) {
  throw Error("salient was built without CUDA: counter_uniforms has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
