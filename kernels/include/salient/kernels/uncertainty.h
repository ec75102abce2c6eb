// Uncertainty criteria from T Monte-Carlo dropout samples of a model's class
// probabilities p_t (t = 1…T, C classes; Gal & Ghahramani 2016; IDEAL Sec. IV-B).
//   mean prediction     p̄_k = (1/T) Σ_t p_tk
//   entropy             H(p̄) = −Σ_k p̄_k ln p̄_k                       (0 ln 0 = 0)
//   margin              p̄₍₁₎ − p̄₍₂₎, the two largest mean probabilities
//   least confidence    1 − p̄₍₁₎
//   mc_variance         (1/C) Σ_k [(1/T) Σ_t p_tk² − p̄_k²]  (+ (1/C_in) Σ_k (1/T) Σ_t σ²_tk
//                       when the model predicts a variance; IDEAL eq. 3 for C = 1)
//   bald                H(p̄) − (1/T) Σ_t H(p_t), the mutual information (Houlsby et al. 2011)
// mc_variance and bald are clamped at 0: a negative value is rounding.
#pragma once

#include <cstdint>

#include "salient/check.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/probabilities.h"

namespace salient::kernels {

inline constexpr CriterionInfo kUncertaintyCriteria[] = {
    {"entropy", "uncertainty", Direction::descending, "entropy of the mean prediction"},
    {"margin", "uncertainty", Direction::ascending, "gap between the two most probable classes of the mean prediction"},
    {"least_confidence", "uncertainty", Direction::descending, "one minus the largest mean probability"},
    {"mc_variance", "uncertainty", Direction::descending,
     "variance of the class probabilities over the dropout samples, averaged over classes (IDEAL eq. 3)"},
    {"bald", "uncertainty", Direction::descending,
     "mutual information between prediction and model parameters (entropy minus mean sample entropy)"},
};

/// n candidates × T samples × C probabilities, float, row-major and contiguous.
struct SampleBatch {
  const float* probabilities = nullptr;
  /// Optional model-predicted variances σ²_tk, same shape as @c probabilities (nullptr: none).
  const float* predicted_variance = nullptr;
  std::int64_t n = 0;
  std::int64_t samples = 0;  ///< T ≥ 1
  std::int64_t classes = 0;  ///< C ≥ 1; 1 = a sigmoid output p, read as [1 − p, p]
};

struct UncertaintyCriteria {
  float entropy = 0.0f;
  float margin = 0.0f;
  float least_confidence = 0.0f;
  float mc_variance = 0.0f;
  float bald = 0.0f;
  ProbabilityStatus status = ProbabilityStatus::ok;
};

/// Uncertainty criteria of every candidate of @p batch.
/// @param[in]  batch  probabilities (and variances) in memory of @p ctx's backend
/// @param[out] out    n results in memory of @p ctx's backend
/// Performance: one pass over the probabilities; the CUDA twin runs one warp per candidate.
void uncertainty_criteria(const SampleBatch& batch, UncertaintyCriteria* out, const ExecutionContext& ctx);

namespace cpu_impl {
void uncertainty_criteria(const SampleBatch& batch, UncertaintyCriteria* out);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void uncertainty_criteria(const SampleBatch& batch, UncertaintyCriteria* out, void* cuda_stream);
#else
inline void uncertainty_criteria(const SampleBatch&, UncertaintyCriteria*, void*) {
  throw Error("salient was built without CUDA: uncertainty_criteria has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
