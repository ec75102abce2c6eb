// Gray-level dependence texture of each map: the 14 PyRadiomics GLDM features
// (radiomics/gldm.py of PyRadiomics 3.0.1, whose code is the reference) with α = 0 and
// distance 1. Formulas, sources and edge cases: docs/formulas.md "GLDM".
//
// The masked pixels are binned as for first-order (binning.h): levels 1..Ng. A pixel's
// neighbour (one of its 8) is dependent when it lies in the mask with the same level (α = 0);
// P(i,j) counts the masked pixels of level i with j − 1 dependent neighbours, j = 1..9. With
// N_z = Σ P = N_p, p_g(i) = Σ_j P(i,j) and p_d(j) = Σ_i P(i,j), the features are the
// statistics of detail/size_matrix_terms.h on this matrix; PyRadiomics' deprecated
// GrayLevelNonUniformityNormalized (= firstorder_Uniformity) and DependencePercentage (= 1)
// are left out, as PyRadiomics' enableAllFeatures does.
//
// Worked example (tests/kernels/test_gldm.cpp checks every feature of it by hand): the 2×3
// levels {1,1,2}, {1,1,2} give the dependences 4 4 2 / 4 4 2 (each 1 plus its same-level
// neighbours): P(1,4) = 4, P(2,2) = 2.
#pragma once

#include <array>
#include <cstdint>

#include "salient/kernels/binning.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

namespace gldm {
enum Column : int {
  kSmallDependenceEmphasis, kLargeDependenceEmphasis, kGrayLevelNonUniformity, kDependenceNonUniformity,
  kDependenceNonUniformityNormalized, kGrayLevelVariance, kDependenceVariance, kDependenceEntropy,
  kLowGrayLevelEmphasis, kHighGrayLevelEmphasis, kSmallDependenceLowGrayLevelEmphasis,
  kSmallDependenceHighGrayLevelEmphasis, kLargeDependenceLowGrayLevelEmphasis,
  kLargeDependenceHighGrayLevelEmphasis, kColumns
};
/// The size dimension of the matrix: j = 1..9 (a pixel and its 8 neighbours).
inline constexpr int kDependenceSizes = 10;
}  // namespace gldm

/// The GLDM features, in the column order of compute_gldm's output.
inline constexpr std::array<CriterionInfo, gldm::kColumns> kGldmFeatures{{
    {"gldm_SmallDependenceEmphasis", "gldm", Direction::descending, "sum of p_d(j) / j^2 over N_z: few dependent neighbours"},
    {"gldm_LargeDependenceEmphasis", "gldm", Direction::descending, "sum of p_d(j) j^2 over N_z: homogeneous neighbourhoods"},
    {"gldm_GrayLevelNonUniformity", "gldm", Direction::descending, "sum of p_g(i)^2 over N_z"},
    {"gldm_DependenceNonUniformity", "gldm", Direction::descending, "sum of p_d(j)^2 over N_z"},
    {"gldm_DependenceNonUniformityNormalized", "gldm", Direction::descending, "sum of p_d(j)^2 over N_z^2"},
    {"gldm_GrayLevelVariance", "gldm", Direction::descending, "variance of the levels"},
    {"gldm_DependenceVariance", "gldm", Direction::descending, "variance of the dependence sizes"},
    {"gldm_DependenceEntropy", "gldm", Direction::descending, "log2 entropy of p(i,j)"},
    {"gldm_LowGrayLevelEmphasis", "gldm", Direction::descending, "sum of p_g(i) / i^2 over N_z"},
    {"gldm_HighGrayLevelEmphasis", "gldm", Direction::descending, "sum of p_g(i) i^2 over N_z"},
    {"gldm_SmallDependenceLowGrayLevelEmphasis", "gldm", Direction::descending, "sum of P(i,j) / (i^2 j^2) over N_z"},
    {"gldm_SmallDependenceHighGrayLevelEmphasis", "gldm", Direction::descending, "sum of P(i,j) i^2 / j^2 over N_z"},
    {"gldm_LargeDependenceLowGrayLevelEmphasis", "gldm", Direction::descending, "sum of P(i,j) j^2 / i^2 over N_z"},
    {"gldm_LargeDependenceHighGrayLevelEmphasis", "gldm", Direction::descending, "sum of P(i,j) i^2 j^2 over N_z"},
}};

/// The largest Ng either twin accepts; a map binned into more levels gets a NaN row with
/// FeatureReason::too_many_gray_levels.
inline constexpr int kGldmMaxGrayLevels = 512;

struct GldmParams {
  BinSpec bins = BinSpec::bin_width(25.0);  ///< PyRadiomics' default binWidth
};

/// Computes every GLDM feature of every map of @p batch (float32 maps: both twins).
/// @param[in]  batch     maps (and masks) in memory of @p ctx's backend
/// @param[out] features  n × gldm::kColumns values, row-major, columns in the order of kGldmFeatures
/// @param[out] reasons   n × gldm::kColumns reasons; empty_mask, non_finite_value and
///                       too_many_gray_levels void the row; a flat map is defined
/// Performance: one pass over each map's levels reading 8 neighbours per pixel into an
/// (Ng+1) × 10 count matrix, then O(Ng). CUDA: see gldm.cu.
void compute_gldm(const MapBatch& batch, const GldmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx);
/// The same for float64 maps (binned as PyRadiomics bins a float64 image); @p ctx must be the CPU.
void compute_gldm(const DoubleMapBatch& batch, const GldmParams& params, double* features, FeatureReason* reasons,
                  const ExecutionContext& ctx);

namespace cpu_impl {
void compute_gldm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
void compute_gldm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_gldm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                  void* cuda_stream);
#else
inline void compute_gldm(const MapBatch&, const BinSpec&, double*, FeatureReason*, void*) {
  throw Error("salient was built without CUDA: compute_gldm has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
