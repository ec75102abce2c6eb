// First-order statistics of each map's masked values: the 19 PyRadiomics first-order
// features (radiomics/firstorder.py, whose code is the reference) and IDEAL's histogram
// kurtosis score. Formulas, sources and edge cases: docs/formulas.md "First-order".
//
// Let X be the N masked values (float32 widened to double, or float64), x̄ their mean, d = X - x̄,
// m_k = (1/N) Σ d^k, c the intensity shift (voxelArrayShift) and p(i) the fraction of values
// in bin level i (binning.h). Raw values feed every feature except Entropy and Uniformity.
// Percentiles are numpy's linear interpolation on the sorted values.
#pragma once

#include <cstdint>

#include "salient/kernels/binning.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/feature_registry.h"
#include "salient/kernels/map_summary.h"

namespace salient::kernels {

struct FirstOrderParams {
  BinSpec bins = BinSpec::bin_width(25.0);  ///< PyRadiomics' default binWidth
  double voxel_array_shift = 0.0;           ///< c, added before squaring in Energy, TotalEnergy, RMS
};

/// Computes every first-order feature of every map of @p batch.
/// @param[in]  batch     maps (and masks) in memory of @p ctx's backend
/// @param[out] features  n × first_order::kColumns values, row-major, columns in the order of
///                       kFirstOrderFeatures; pixel area 1, so TotalEnergy equals Energy
/// @param[out] reasons   n × first_order::kColumns reasons; a NaN value has a reason != ok:
///                       empty_mask and non_finite_value void the whole row, constant_map
///                       (every masked value equal) voids Skewness, Kurtosis and ideal_Kurtosis,
///                       where PyRadiomics would return 0
/// Performance: CPU, four passes over each map's masked values and an exact selection of the
/// ten order statistics the percentiles read (no sort); CUDA, each map's masked values sorted
/// (CUB segmented sort), then one block per map, with 2 × n×h×w floats of stream-ordered
/// scratch memory per call.
void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons, const ExecutionContext& ctx);
/// The same for float64 maps, computed in double as PyRadiomics does on a float64 image
/// (binning included); @p ctx must be the CPU.
void compute_first_order(const DoubleMapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons, const ExecutionContext& ctx);

namespace cpu_impl {
void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons);
void compute_first_order(const DoubleMapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void compute_first_order(const MapBatch& batch, const FirstOrderParams& params, double* features,
                         FeatureReason* reasons, void* cuda_stream);
#else
inline void compute_first_order(const MapBatch&, const FirstOrderParams&, double*, FeatureReason*, void*) {
  throw Error("salient was built without CUDA: compute_first_order has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
