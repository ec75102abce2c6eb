// Per-map summary of a batch of saliency maps: count, minimum, maximum and sum of the
// pixels inside each map's mask. Binning (first-order, GLCM) starts from these.
#pragma once

#include <cstdint>

#include "salient/check.h"
#include "salient/kernels/execution.h"

namespace salient::kernels {

struct MapSummary {
  std::int64_t count = 0;  ///< pixels inside the mask
  double min = 0.0;        ///< NaN when count == 0
  double max = 0.0;        ///< NaN when count == 0
  double sum = 0.0;        ///< accumulated in double
};

/// Batch of n maps of h×w pixels, row-major and contiguous, with optional masks.
/// @tparam Pixel  float (every twin) or double (the CPU twins of binning, first-order and
///                shape2D, which then compute as PyRadiomics does on float64 images)
template <typename Pixel>
struct BasicMapBatch {
  const Pixel* maps = nullptr;
  const std::uint8_t* masks = nullptr;  ///< n×h×w, nonzero = inside; nullptr = whole map
  std::int64_t n = 0;
  std::int64_t h = 0;
  std::int64_t w = 0;
};
using MapBatch = BasicMapBatch<float>;
using DoubleMapBatch = BasicMapBatch<double>;

/// Throws salient::Error unless @p batch has a usable shape (n >= 0, h > 0, w > 0).
template <typename Pixel>
void check_map_batch(const BasicMapBatch<Pixel>& batch) {
  SALIENT_CHECK(batch.n >= 0 && batch.h > 0 && batch.w > 0, "invalid map batch shape {}x{}x{}", batch.n, batch.h,
                batch.w);
}

/// float64 maps have CPU twins only: throws salient::Error naming @p kernel unless @p ctx is the CPU.
inline void check_double_maps_on_cpu(const ExecutionContext& ctx, const char* kernel) {
  SALIENT_CHECK(ctx.backend == Backend::cpu,
                "{}: float64 maps are computed by the CPU twin only; convert them to float32 for CUDA", kernel);
}

/// Summarise every map of @p batch.
/// @param[in]  batch  maps (and masks) in memory of @p ctx's backend
/// @param[out] out    n summaries, in memory of @p ctx's backend
/// Performance: one pass over the maps; the CUDA twin uses one block per map.
void summarize_maps(const MapBatch& batch, MapSummary* out, const ExecutionContext& ctx);

namespace cpu_impl {
void summarize_maps(const MapBatch& batch, MapSummary* out);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void summarize_maps(const MapBatch& batch, MapSummary* out, void* cuda_stream);
#else
inline void summarize_maps(const MapBatch&, MapSummary*, void*) {
  throw Error("salient was built without CUDA: summarize_maps has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
