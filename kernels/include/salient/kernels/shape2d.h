// 2-D shape of each map binarised at a threshold: the 10 PyRadiomics shape2D features
// (radiomics/shape2D.py and src/cshape.c calculate_coefficients2D, whose code is the reference).
// Formulas, sources and edge cases: docs/formulas.md "Shape2D".
//
// The shape S is the set of pixels inside the mask whose value is >= t, with t a per-map
// quantile of the masked values (numpy.quantile, linear) or a fixed level. Pixel spacing is 1.
// Marching squares runs on S padded with one ring of background; its contour gives
// MeshSurface A (signed shoelace area), Perimeter P and the vertices whose largest distance
// is MaximumDiameter. λ_major >= λ_minor are the eigenvalues of the covariance of the pixel
// coordinates of S (dividing by N_p).
#pragma once

#include <cstdint>

#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

struct Shape2DParams {
  enum class Threshold : std::uint8_t { quantile, level };
  Threshold threshold = Threshold::quantile;
  double quantile = 0.7;  ///< in [0, 1]: IDEAL binarises saliency at the 0.7 quantile
  double level = 0.0;     ///< the fixed threshold when threshold == level

  static Shape2DParams at_quantile(double q) { return {Threshold::quantile, q, 0.0}; }
  static Shape2DParams at_level(double t) { return {Threshold::level, 0.0, t}; }
};

/// Computes every shape2D feature of every binarised map of @p batch.
/// @param[in]  batch     maps (and masks) in memory of @p ctx's backend
/// @param[out] features  n × shape2d::kColumns values, columns in the order of kShape2DFeatures
/// @param[out] reasons   n × shape2d::kColumns reasons: empty_mask (no pixel in S) and
///                       non_finite_value void the row; degenerate_shape (λ_major = 0, a single
///                       pixel) voids Elongation
/// Performance: the pixel moments are exact integer sums; marching squares visits only the
/// squares whose corners differ (CPU: found eight at a time); MaximumDiameter compares only the
/// convex-hull candidates (the leftmost and rightmost vertex of each contour row), so it is
/// exact and far below PyRadiomics' O(V²). The quantile needs two order statistics of each
/// map's masked values (CPU: selected in two passes, no sort; CUDA: CUB segmented sort, 2 ×
/// n×h×w floats of scratch); a fixed level needs neither.
void compute_shape2d(const MapBatch& batch, const Shape2DParams& params, double* features, FeatureReason* reasons,
                     const ExecutionContext& ctx);
/// The same for float64 maps (threshold and quantile in double); @p ctx must be the CPU.
void compute_shape2d(const DoubleMapBatch& batch, const Shape2DParams& params, double* features,
                     FeatureReason* reasons, const ExecutionContext& ctx);

namespace cpu_impl {
void compute_shape2d(const MapBatch& batch, const Shape2DParams& params, double* features, FeatureReason* reasons);
void compute_shape2d(const DoubleMapBatch& batch, const Shape2DParams& params, double* features,
                     FeatureReason* reasons);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_shape2d(const MapBatch& batch, const Shape2DParams& params, double* features, FeatureReason* reasons,
                     void* cuda_stream);
#else
inline void compute_shape2d(const MapBatch&, const Shape2DParams&, double*, FeatureReason*, void*) {
  throw Error("salient was built without CUDA: compute_shape2d has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
