// Gray-level size-zone texture of each map: the 16 PyRadiomics GLSZM features
// (radiomics/glszm.py of PyRadiomics 3.0.1, whose code is the reference). Formulas, sources
// and edge cases: docs/formulas.md "GLSZM".
//
// The masked pixels are binned as for first-order (binning.h): levels 1..Ng. A zone is a
// maximal set of masked pixels of one level connected through their 8 neighbours; P(i,j)
// counts the zones of level i and j pixels. With N_z = Σ P (the zones), p_g(i) = Σ_j P(i,j),
// p_s(j) = Σ_i P(i,j) and N_p = Σ_j j p_s(j) (the masked pixels), the features are the
// statistics of detail/size_matrix_terms.h on this matrix, in its order.
//
// Worked example (tests/kernels/test_glszm.cpp checks every feature of it by hand): the 3×3
// levels {1,2,2}, {2,1,3}, {3,3,3} have three zones, each joined through a diagonal:
// 1: {(0,0),(1,1)}, 2: {(0,1),(0,2),(1,0)}, 3: {(1,2),(2,0),(2,1),(2,2)}: P(1,2) = P(2,3) = P(3,4) = 1.
#pragma once

#include <array>
#include <cstdint>

#include "salient/kernels/binning.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

namespace glszm {
enum Column : int {
  kSmallAreaEmphasis, kLargeAreaEmphasis, kGrayLevelNonUniformity, kGrayLevelNonUniformityNormalized,
  kSizeZoneNonUniformity, kSizeZoneNonUniformityNormalized, kZonePercentage, kGrayLevelVariance, kZoneVariance,
  kZoneEntropy, kLowGrayLevelZoneEmphasis, kHighGrayLevelZoneEmphasis, kSmallAreaLowGrayLevelEmphasis,
  kSmallAreaHighGrayLevelEmphasis, kLargeAreaLowGrayLevelEmphasis, kLargeAreaHighGrayLevelEmphasis, kColumns
};
}  // namespace glszm

/// The GLSZM features, in the column order of compute_glszm's output.
inline constexpr std::array<CriterionInfo, glszm::kColumns> kGlszmFeatures{{
    {"glszm_SmallAreaEmphasis", "glszm", Direction::descending, "sum of p_s(j) / j^2 over N_z: small zones, fine texture"},
    {"glszm_LargeAreaEmphasis", "glszm", Direction::descending, "sum of p_s(j) j^2 over N_z: large zones, coarse texture"},
    {"glszm_GrayLevelNonUniformity", "glszm", Direction::descending, "sum of p_g(i)^2 over N_z"},
    {"glszm_GrayLevelNonUniformityNormalized", "glszm", Direction::descending, "sum of p_g(i)^2 over N_z^2"},
    {"glszm_SizeZoneNonUniformity", "glszm", Direction::descending, "sum of p_s(j)^2 over N_z"},
    {"glszm_SizeZoneNonUniformityNormalized", "glszm", Direction::descending, "sum of p_s(j)^2 over N_z^2"},
    {"glszm_ZonePercentage", "glszm", Direction::descending, "N_z / N_p: zones per pixel"},
    {"glszm_GrayLevelVariance", "glszm", Direction::descending, "variance of the zone levels"},
    {"glszm_ZoneVariance", "glszm", Direction::descending, "variance of the zone sizes"},
    {"glszm_ZoneEntropy", "glszm", Direction::descending, "log2 entropy of the zone distribution p(i,j)"},
    {"glszm_LowGrayLevelZoneEmphasis", "glszm", Direction::descending, "sum of p_g(i) / i^2 over N_z"},
    {"glszm_HighGrayLevelZoneEmphasis", "glszm", Direction::descending, "sum of p_g(i) i^2 over N_z"},
    {"glszm_SmallAreaLowGrayLevelEmphasis", "glszm", Direction::descending, "sum of P(i,j) / (i^2 j^2) over N_z"},
    {"glszm_SmallAreaHighGrayLevelEmphasis", "glszm", Direction::descending, "sum of P(i,j) i^2 / j^2 over N_z"},
    {"glszm_LargeAreaLowGrayLevelEmphasis", "glszm", Direction::descending, "sum of P(i,j) j^2 / i^2 over N_z"},
    {"glszm_LargeAreaHighGrayLevelEmphasis", "glszm", Direction::descending, "sum of P(i,j) i^2 j^2 over N_z"},
}};

/// The largest Ng either twin accepts; a map binned into more levels gets a NaN row with
/// FeatureReason::too_many_gray_levels.
inline constexpr int kGlszmMaxGrayLevels = 512;

struct GlszmParams {
  BinSpec bins = BinSpec::bin_width(25.0);  ///< PyRadiomics' default binWidth
};

/// Computes every GLSZM feature of every map of @p batch (float32 maps: both twins).
/// @param[in]  batch     maps (and masks) in memory of @p ctx's backend
/// @param[out] features  n × glszm::kColumns values, row-major, columns in the order of kGlszmFeatures
/// @param[out] reasons   n × glszm::kColumns reasons; empty_mask, non_finite_value and
///                       too_many_gray_levels void the row; a flat map is defined (one zone per
///                       8-connected piece of the mask)
/// Performance: CPU, one flood fill per zone, then O(Ng · S) over the (Ng+1) × (S+1) count
/// matrix, S the largest zone. CUDA: see glszm.cu.
void compute_glszm(const MapBatch& batch, const GlszmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx);
/// The same for float64 maps (binned as PyRadiomics bins a float64 image); @p ctx must be the CPU.
void compute_glszm(const DoubleMapBatch& batch, const GlszmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx);

namespace cpu_impl {
void compute_glszm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
void compute_glszm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_glszm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                   void* cuda_stream);
#else
inline void compute_glszm(const MapBatch&, const BinSpec&, double*, FeatureReason*, void*) {
  throw Error("salient was built without CUDA: compute_glszm has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
