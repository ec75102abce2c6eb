// Gray-level co-occurrence texture of each map: the 24 PyRadiomics GLCM features
// (radiomics/glcm.py of PyRadiomics 3.0.1, whose code is the reference), averaged over the
// angles. Formulas, sources and edge cases: docs/formulas.md "GLCM".
//
// The masked pixels are binned as for first-order (binning.h): levels 1..Ng, Ng the highest
// level present. For each offset (dy, dx) (an "angle"), P(i,j) counts the pixel pairs
// (y, x), (y + dy, x + dx) both inside the mask with levels i and j; P + Pᵀ is normalised to
// p(i,j) = P(i,j) / Σ P (symmetric), and
//   p_x(i) = Σ_j p(i,j) (= p_y),  μ = Σ_i i p_x(i),  p_{x+y}(k) = Σ_{i+j=k} p(i,j),
//   p_{x-y}(k) = Σ_{|i-j|=k} p(i,j),  HX = -Σ p_x log2(p_x + ε),  HXY = -Σ p log2(p + ε),
//   HXY1 = -Σ p(i,j) log2(p_x(i) p_y(j) + ε),  HXY2 = -Σ p_x(i) p_y(j) log2(p_x(i) p_y(j) + ε),
// with ε = 2.220446049250313e-16. Each angle's features are computed, then averaged over the
// angles whose matrix is not empty (numpy.nanmean, as PyRadiomics).
//
// Angles: PyRadiomics' generateAngles in 2-D: for each distance d, every offset with
// max(|dy|, |dx|) = d in one half-plane, so d = 1 gives the four angles 0°, 45°, 90°, 135°
// and d = 2 gives eight offsets.
//
// Worked example (the classic 4×4 image of Haralick et al. 1973 with levels 1..4, angle 0°,
// d = 1): rows {1,1,2,2}, {1,1,2,2}, {1,3,3,3}, {3,3,4,4} give P + Pᵀ =
//   [[4,2,1,0],[2,4,0,0],[1,0,6,1],[0,0,1,2]] over 24 pairs; tests/kernels/test_glcm.cpp checks
// every feature of it by hand.
#pragma once

#include <cstdint>
#include <vector>

#include "salient/kernels/binning.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

/// The largest Ng either twin accepts; a map binned into more levels gets a NaN row with
/// FeatureReason::too_many_gray_levels.
inline constexpr int kGlcmMaxGrayLevels = 512;
/// The most offsets (angles over all distances) one call may use: distances 1..5 give 60.
inline constexpr int kGlcmMaxOffsets = 64;

struct GlcmParams {
  BinSpec bins = BinSpec::bin_width(25.0);  ///< PyRadiomics' default binWidth
  std::vector<int> distances{1};            ///< PyRadiomics' `distances`, each >= 1
};

/// One pixel offset of a co-occurrence pair.
struct GlcmOffset {
  int dy, dx;
};

/// The offsets PyRadiomics uses for @p distances in 2-D (duplicates ignored). Throws
/// salient::Error for a distance < 1 or more than kGlcmMaxOffsets offsets.
std::vector<GlcmOffset> glcm_offsets(const std::vector<int>& distances);

/// Computes every GLCM feature of every map of @p batch (float32 maps: both twins).
/// @param[in]  batch     maps (and masks) in memory of @p ctx's backend
/// @param[out] features  n × glcm::kColumns values, row-major, columns in the order of kGlcmFeatures
/// @param[out] reasons   n × glcm::kColumns reasons; a NaN value has a reason != ok:
///                       empty_mask, non_finite_value, too_many_gray_levels and no_neighbor_pairs
///                       (no two mask pixels at any offset) void the row; constant_map (a single
///                       level in the mask) voids Correlation, Imc1 and MCC, where PyRadiomics
///                       returns its arbitrary 1, 0 and 1
/// Performance: CPU, one pass per offset over each map's levels into an (Ng+1)² count matrix,
/// then O(Ng²) per offset plus O(Ng³) for the MCC eigenvalues. CUDA: see glcm.cu.
void compute_glcm(const MapBatch& batch, const GlcmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx);
/// The same for float64 maps (binned as PyRadiomics bins a float64 image); @p ctx must be the CPU.
void compute_glcm(const DoubleMapBatch& batch, const GlcmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx);

namespace cpu_impl {
void compute_glcm(const MapBatch& batch, const BinSpec& bins, const std::vector<GlcmOffset>& offsets,
                  double* features, FeatureReason* reasons);
void compute_glcm(const DoubleMapBatch& batch, const BinSpec& bins, const std::vector<GlcmOffset>& offsets,
                  double* features, FeatureReason* reasons);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_glcm(const MapBatch& batch, const BinSpec& bins, const std::vector<GlcmOffset>& offsets,
                  double* features, FeatureReason* reasons, void* cuda_stream);
#else
inline void compute_glcm(const MapBatch&, const BinSpec&, const std::vector<GlcmOffset>&, double*, FeatureReason*,
                         void*) {
  throw Error("salient was built without CUDA: compute_glcm has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
