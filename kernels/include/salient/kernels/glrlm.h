// Gray-level run-length texture of each map: the 16 PyRadiomics GLRLM features
// (radiomics/glrlm.py of PyRadiomics 3.0.1, whose code is the reference), averaged over the
// angles. Formulas, sources and edge cases: docs/formulas.md "GLRLM".
//
// The masked pixels are binned as for first-order (binning.h): levels 1..Ng. For each angle
// θ, P(i,j|θ) counts the runs of gray level i and length j: maximal segments of consecutive
// masked pixels along θ with the same level (a pixel outside the mask ends a run). With
//   N_r(θ) = Σ P (the runs),  p_g(i) = Σ_j P(i,j),  p_r(j) = Σ_i P(i,j),  N_p = Σ_j j p_r(j),
// each angle's features are computed, then averaged over the angles (numpy.nanmean, as
// PyRadiomics without distance weighting). ε = 2.220446049250313e-16 in RunEntropy.
//
// Angles: PyRadiomics' 2-D angles at distance 1, (dy, dx) = (0, 1), (1, -1), (1, 0), (1, 1),
// less those a map one pixel high or wide cannot hold.
//
// Worked example (tests/kernels/test_glrlm.cpp checks every feature of it by hand): the 4×4
// levels {1,1,2,2}, {1,1,2,2}, {1,3,3,3}, {3,3,4,4}, angle 0°, have the runs (1,2) ×2, (2,2) ×2,
// (1,1), (3,3), (3,2), (4,2): N_r = 8 runs over N_p = 16 pixels.
#pragma once

#include <array>
#include <cstdint>

#include "salient/kernels/binning.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

namespace glrlm {
enum Column : int {
  kShortRunEmphasis, kLongRunEmphasis, kGrayLevelNonUniformity, kGrayLevelNonUniformityNormalized,
  kRunLengthNonUniformity, kRunLengthNonUniformityNormalized, kRunPercentage, kGrayLevelVariance, kRunVariance,
  kRunEntropy, kLowGrayLevelRunEmphasis, kHighGrayLevelRunEmphasis, kShortRunLowGrayLevelEmphasis,
  kShortRunHighGrayLevelEmphasis, kLongRunLowGrayLevelEmphasis, kLongRunHighGrayLevelEmphasis, kColumns
};
}  // namespace glrlm

/// The GLRLM features, in the column order of compute_glrlm's output.
inline constexpr std::array<CriterionInfo, glrlm::kColumns> kGlrlmFeatures{{
    {"glrlm_ShortRunEmphasis", "glrlm", Direction::descending, "sum of P(i,j) / j^2 over N_r: short runs, fine texture"},
    {"glrlm_LongRunEmphasis", "glrlm", Direction::descending, "sum of P(i,j) j^2 over N_r: long runs, coarse texture"},
    {"glrlm_GrayLevelNonUniformity", "glrlm", Direction::descending, "sum of p_g(i)^2 over N_r: runs spread unevenly over levels"},
    {"glrlm_GrayLevelNonUniformityNormalized", "glrlm", Direction::descending, "sum of p_g(i)^2 over N_r^2"},
    {"glrlm_RunLengthNonUniformity", "glrlm", Direction::descending, "sum of p_r(j)^2 over N_r: runs spread unevenly over lengths"},
    {"glrlm_RunLengthNonUniformityNormalized", "glrlm", Direction::descending, "sum of p_r(j)^2 over N_r^2"},
    {"glrlm_RunPercentage", "glrlm", Direction::descending, "N_r / N_p: runs per pixel"},
    {"glrlm_GrayLevelVariance", "glrlm", Direction::descending, "variance of the run levels"},
    {"glrlm_RunVariance", "glrlm", Direction::descending, "variance of the run lengths"},
    {"glrlm_RunEntropy", "glrlm", Direction::descending, "log2 entropy of the run distribution p(i,j)"},
    {"glrlm_LowGrayLevelRunEmphasis", "glrlm", Direction::descending, "sum of p_g(i) / i^2 over N_r"},
    {"glrlm_HighGrayLevelRunEmphasis", "glrlm", Direction::descending, "sum of p_g(i) i^2 over N_r"},
    {"glrlm_ShortRunLowGrayLevelEmphasis", "glrlm", Direction::descending, "sum of P(i,j) / (i^2 j^2) over N_r"},
    {"glrlm_ShortRunHighGrayLevelEmphasis", "glrlm", Direction::descending, "sum of P(i,j) i^2 / j^2 over N_r"},
    {"glrlm_LongRunLowGrayLevelEmphasis", "glrlm", Direction::descending, "sum of P(i,j) j^2 / i^2 over N_r"},
    {"glrlm_LongRunHighGrayLevelEmphasis", "glrlm", Direction::descending, "sum of P(i,j) i^2 j^2 over N_r"},
}};

/// The largest Ng either twin accepts; a map binned into more levels gets a NaN row with
/// FeatureReason::too_many_gray_levels.
inline constexpr int kGlrlmMaxGrayLevels = 512;

struct GlrlmParams {
  BinSpec bins = BinSpec::bin_width(25.0);  ///< PyRadiomics' default binWidth
};

/// The run directions (dy, dx) PyRadiomics uses for an h × w map.
struct GlrlmAngles {
  int count = 0;
  int dy[4] = {};
  int dx[4] = {};
};
GlrlmAngles glrlm_angles(std::int64_t h, std::int64_t w);

/// Computes every GLRLM feature of every map of @p batch (float32 maps: both twins).
/// @param[in]  batch     maps (and masks) in memory of @p ctx's backend
/// @param[out] features  n × glrlm::kColumns values, row-major, columns in the order of kGlrlmFeatures
/// @param[out] reasons   n × glrlm::kColumns reasons; empty_mask, non_finite_value and
///                       too_many_gray_levels void the row; a flat map is defined (GrayLevelVariance 0)
/// Performance: CPU, per map and angle one pass over the levels that starts a run at each
/// pixel whose predecessor along the angle differs, into an (Ng+1) × (L+1) count matrix
/// (L = max(h, w)), then O(Ng·L). CUDA: see glrlm.cu.
void compute_glrlm(const MapBatch& batch, const GlrlmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx);
/// The same for float64 maps (binned as PyRadiomics bins a float64 image); @p ctx must be the CPU.
void compute_glrlm(const DoubleMapBatch& batch, const GlrlmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx);

namespace cpu_impl {
void compute_glrlm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
void compute_glrlm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_glrlm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                   void* cuda_stream);
#else
inline void compute_glrlm(const MapBatch&, const BinSpec&, double*, FeatureReason*, void*) {
  throw Error("salient was built without CUDA: compute_glrlm has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
