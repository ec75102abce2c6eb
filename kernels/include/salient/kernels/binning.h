// Gray-level binning of a batch of maps, reproducing PyRadiomics' own code bit for bit
// (radiomics/imageoperations.py getBinEdges + binImage, numpy 2.x semantics: on float32 maps the
// scalar steps below are float32, on float64 maps (CPU twin only) they are float64).
// Shared by first-order (Entropy, Uniformity) and GLCM. Edges come from the masked pixels only.
//
//   binWidth W:  lowest edge L = m - (m mod W)  (m = masked minimum, modulo with Python's
//                sign rule), edges L, L+W', ... by numpy.arange(L, M + 2W, W):
//                length ceil(((M + 2W) - L) / W) on the maps' scalars, second edge L + W,
//                then L + i*delta in double with delta = edge1 - L.
//   binCount N:  numpy.histogram(values, N) edges: numpy.linspace(m, M, N + 1) evaluated in
//                the maps' type (m, M widened by 0.5 when equal), the last edge then raised by 1.
//   level:       numpy.digitize(x, edges) = number of edges <= x, so a value on an edge goes
//                up a bin and every masked value gets a level >= 1.
//   Ng:          the highest level present in the mask (PyRadiomics' coefficients['Ng']).
#pragma once

#include <cstdint>

#include "salient/kernels/execution.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

/// PyRadiomics' binWidth or binCount setting.
struct BinSpec {
  enum class Kind : std::uint8_t { width, count };
  Kind kind = Kind::width;
  double width = 25.0;  ///< binWidth, > 0 (PyRadiomics' default 25)
  int count = 0;        ///< binCount, > 0

  static BinSpec bin_width(double w) { return {Kind::width, w, 0}; }
  static BinSpec bin_count(int n) { return {Kind::count, 0.0, n}; }
};

/// Throws salient::Error unless @p spec is usable (width > 0 and finite, or count > 0).
void check_bin_spec(const BinSpec& spec);

/// Discretises every map of @p batch as PyRadiomics' binImage does.
/// @param[in]  batch   maps (and masks) in memory of @p ctx's backend
/// @param[out] levels  n×h×w bin levels: 1-based inside the mask, 0 outside it and for a map
///                     whose masked pixels are empty or not all finite
/// @param[out] gray_levels  n values of Ng, the highest level present (0 for such maps)
/// Performance: two passes over each map; the CUDA twin uses one block per map.
void discretize_maps(const MapBatch& batch, const BinSpec& spec, std::int32_t* levels, std::int32_t* gray_levels,
                     const ExecutionContext& ctx);
/// The same for float64 maps (PyRadiomics on a float64 image); @p ctx must be the CPU.
void discretize_maps(const DoubleMapBatch& batch, const BinSpec& spec, std::int32_t* levels,
                     std::int32_t* gray_levels, const ExecutionContext& ctx);

namespace cpu_impl {
void discretize_maps(const MapBatch& batch, const BinSpec& spec, std::int32_t* levels, std::int32_t* gray_levels);
void discretize_maps(const DoubleMapBatch& batch, const BinSpec& spec, std::int32_t* levels,
                     std::int32_t* gray_levels);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void discretize_maps(const MapBatch& batch, const BinSpec& spec, std::int32_t* levels, std::int32_t* gray_levels,
                     void* cuda_stream);
#else
inline void discretize_maps(const MapBatch&, const BinSpec&, std::int32_t*, std::int32_t*, void*) {
  throw Error("salient was built without CUDA: discretize_maps has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
