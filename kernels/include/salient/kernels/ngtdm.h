// Neighbouring gray tone difference texture of each map: the 5 PyRadiomics NGTDM features
// (radiomics/ngtdm.py of PyRadiomics 3.0.1, whose code is the reference) at distance 1.
// Formulas, sources and edge cases: docs/formulas.md "NGTDM".
//
// The masked pixels are binned as for first-order (binning.h): levels 1..Ng. For a masked
// pixel, Ā is the mean level of those of its 8 neighbours that lie in the mask; n_i counts the
// masked pixels of level i and s_i sums their |i − Ā| (0 for a pixel without such a neighbour:
// PyRadiomics' code counts it, though its documentation says N_vp leaves it out). With
// N_vp = Σ n_i, p_i = n_i / N_vp and N_gp the number of levels with p_i > 0:
//   Coarseness = 1 / Σ p_i s_i,
//   Contrast   = Σ_{i,j} p_i p_j (i − j)² · Σ s_i / N_vp / (N_gp (N_gp − 1)),
//   Busyness   = Σ p_i s_i / Σ_{i,j} |i p_i − j p_j|,
//   Complexity = Σ_{i,j} |i − j| (p_i s_i + p_j s_j) / (p_i + p_j) / N_vp,
//   Strength   = Σ_{i,j} (p_i + p_j)(i − j)² / Σ s_i,
// the double sums over the levels with p > 0. Where PyRadiomics returns an arbitrary value for
// 0/0 or 1/0 (Coarseness 1e6, Contrast, Busyness and Strength 0: a flat map, or regions of one
// level each that never touch), salient returns NaN with FeatureReason::constant_map.
//
// Worked example (tests/kernels/test_ngtdm.cpp checks every feature of it by hand): the row
// of levels 1 2 2 gives Ā = 2, 1.5, 2: n = (1, 2), s = (1, 0.5).
#pragma once

#include <array>
#include <cstdint>

#include "salient/kernels/binning.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

namespace ngtdm {
enum Column : int { kCoarseness, kContrast, kBusyness, kComplexity, kStrength, kColumns };
}  // namespace ngtdm

/// The NGTDM features, in the column order of compute_ngtdm's output.
inline constexpr std::array<CriterionInfo, ngtdm::kColumns> kNgtdmFeatures{{
    {"ngtdm_Coarseness", "ngtdm", Direction::descending, "1 / sum of p_i s_i: a slowly changing, uniform texture"},
    {"ngtdm_Contrast", "ngtdm", Direction::descending, "spread of the levels times the mean neighbourhood difference"},
    {"ngtdm_Busyness", "ngtdm", Direction::descending, "rapid changes between a pixel and its neighbourhood"},
    {"ngtdm_Complexity", "ngtdm", Direction::descending, "many primitives, edges and rapid level changes"},
    {"ngtdm_Strength", "ngtdm", Direction::descending, "large, distinct primitives"},
}};

/// The largest Ng either twin accepts; a map binned into more levels gets a NaN row with
/// FeatureReason::too_many_gray_levels.
inline constexpr int kNgtdmMaxGrayLevels = 512;

struct NgtdmParams {
  BinSpec bins = BinSpec::bin_width(25.0);  ///< PyRadiomics' default binWidth
};

/// Computes every NGTDM feature of every map of @p batch (float32 maps: both twins).
/// @param[in]  batch     maps (and masks) in memory of @p ctx's backend
/// @param[out] features  n × ngtdm::kColumns values, row-major, columns in the order of kNgtdmFeatures
/// @param[out] reasons   n × ngtdm::kColumns reasons; empty_mask, non_finite_value and
///                       too_many_gray_levels void the row; constant_map voids the 0/0 and 1/0
///                       values above
/// Performance: one pass over each map's levels reading 8 neighbours per pixel into n_i and
/// s_i, then O(Ng²). CUDA: see ngtdm.cu.
void compute_ngtdm(const MapBatch& batch, const NgtdmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx);
/// The same for float64 maps (binned as PyRadiomics bins a float64 image); @p ctx must be the CPU.
void compute_ngtdm(const DoubleMapBatch& batch, const NgtdmParams& params, double* features, FeatureReason* reasons,
                   const ExecutionContext& ctx);

namespace cpu_impl {
void compute_ngtdm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
void compute_ngtdm(const DoubleMapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_ngtdm(const MapBatch& batch, const BinSpec& bins, double* features, FeatureReason* reasons,
                   void* cuda_stream);
#else
inline void compute_ngtdm(const MapBatch&, const BinSpec&, double*, FeatureReason*, void*) {
  throw Error("salient was built without CUDA: compute_ngtdm has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
