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
  mc_dropout = 3,      ///< head-only MC-dropout masks
  augmentation = 4,    ///< ACFT patches: the parameters of each augmented view
  smoothgrad = 5,      ///< SmoothGrad: the noise added to each copy of an image
  badge_draw = 6,      ///< BADGE's k-means++ D² draws, one per step (the step in the index's place)
  cluster_sample = 7,  ///< cluster-margin: the sample of the pool that is clustered (round 0)
  // The on-line random forest (engine/selection/online_forest.h), the tree's slot in the
  // round's place:
  forest_bagging = 8,  ///< a sample's Poisson weight, at the sample's number in the stream
  forest_tests = 9,    ///< a leaf's random tests, at the leaf's serial number in its tree
  forest_discard = 10, ///< whether an old tree is replaced, at the sample's number
  k_means_seeding = 11,  ///< k-means++ draws of k-means (k_means.h), one per step
  autoencoder_sample = 12,  ///< ideal-deep: the pool maps the saliency autoencoder trains on
  gain_replay = 13,  ///< ideal-deep: the earlier labels a ΔAUC trial replays (seed s in the seed's place)
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

/// Most numbers one image may draw in a row: the block index j / 4 shares the counter's
/// last word with the stream, below it (see detail::philox_row_block).
constexpr std::int64_t kMaxUniformsPerImage = std::int64_t{1} << 26;

/// A row of @p per_image floats in (0, 1) for each image: out[i·per_image + j] is number j
/// of image global_index[i] (or i), whichever rank or batch draws it. Number j comes from
/// Philox block j / 4 of the image, word j mod 4, as (w >> 9 + ½)·2⁻²³.
/// @param[in]  global_index  n image indices (≥ 0), or nullptr for 0…n−1; in @p ctx's memory
/// @param[in]  per_image     1 ≤ per_image ≤ kMaxUniformsPerImage
/// @param[out] out           n × per_image floats in @p ctx's memory
void counter_uniform_rows(const RandomKey& key, const std::int64_t* global_index, std::int64_t n,
                          std::int64_t per_image, float* out, const ExecutionContext& ctx);

namespace cpu_impl {
void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out);
void counter_uniform_rows(const RandomKey& key, const std::int64_t* global_index, std::int64_t n,
                          std::int64_t per_image, float* out);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out,
                      void* cuda_stream);
void counter_uniform_rows(const RandomKey& key, const std::int64_t* global_index, std::int64_t n,
                          std::int64_t per_image, float* out, void* cuda_stream);
#else
inline void counter_uniforms(const RandomKey&, const std::int64_t*, std::int64_t, double*, void*) {
  throw Error("salient was built without CUDA: counter_uniforms has no CUDA twin");
}
inline void counter_uniform_rows(const RandomKey&, const std::int64_t*, std::int64_t, std::int64_t, float*, void*) {
  throw Error("salient was built without CUDA: counter_uniform_rows has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
