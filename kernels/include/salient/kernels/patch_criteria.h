// ACFT patch criteria (Zhou et al., "Active, continual fine tuning of convolutional
// neural networks for reducing annotation efforts", Sec. 3.2–3.3, eq. 1–3).
// Each candidate is m augmented patches with C class probabilities P^{j,k}.
//   dominant class   ŷ = argmax_k (1/m) Σ_j P^{j,k}                                   (eq. 3)
//   majority         the m' = ⌈α·m⌉ patches with the largest P^{j,ŷ}
//   entropy          e = −(1/m') Σ_{j∈S} Σ_k P^{j,k} ln P^{j,k}                      (eq. 1)
//   diversity        d = Σ_k Σ_{j<l∈S} (P^{j,k} − P^{l,k}) ln(P^{j,k} / P^{l,k})     (eq. 1)
//   score            a = λ1·e + λ2·d                                                  (eq. 2)
// Conventions (docs/formulas.md, "ACFT patch criteria"): 0 ln 0 = 0 in e; in d every
// probability is clipped to at least ε = 2.22e-16 (double machine epsilon), which
// reproduces the paper's Table 1; class means that differ by at most FLT_EPSILON tie and
// the tie goes to the lower class; patches that tie on P^{j,ŷ} are taken in patch order.
#pragma once

#include <cstdint>

#include "salient/check.h"
#include "salient/kernels/criterion.h"
#include "salient/kernels/execution.h"
#include "salient/kernels/probabilities.h"

namespace salient::kernels {

inline constexpr CriterionInfo kPatchCriteria[] = {
    {"acft_entropy", "patch", Direction::descending, "mean entropy of the majority patches (ACFT eq. 1)"},
    {"acft_diversity", "patch", Direction::descending,
     "symmetric KL divergence summed over pairs of majority patches (ACFT eq. 1)"},
    {"acft_score", "patch", Direction::descending, "lambda1 * acft_entropy + lambda2 * acft_diversity (ACFT eq. 2)"},
};

/// n candidates × m patches × C probabilities, float, row-major and contiguous.
struct PatchBatch {
  const float* probabilities = nullptr;
  std::int64_t n = 0;
  std::int64_t patches = 0;  ///< m ≥ 1
  std::int64_t classes = 0;  ///< C ≥ 1; 1 = a sigmoid output p, read as [1 − p, p]
};

struct PatchCriteriaConfig {
  double alpha = 0.25;   ///< majority fraction in (0, 1]; 1 keeps every patch
  double lambda1 = 1.0;  ///< weight of the entropy in the score
  double lambda2 = 1.0;  ///< weight of the diversity in the score
};

struct PatchCriteria {
  float entropy = 0.0f;             ///< acft_entropy
  float diversity = 0.0f;           ///< acft_diversity
  float score = 0.0f;               ///< acft_score
  std::int32_t dominant_class = 0;  ///< ŷ; −1 when status != ok
  ProbabilityStatus status = ProbabilityStatus::ok;
};

/// m' = ⌈α·m⌉, at least 1. A product within 1e-9 of an integer counts as that integer
/// (α = 0.3, m = 10 gives 3, not 4).
std::int64_t majority_patch_count(double alpha, std::int64_t patches);

/// ACFT criteria of every candidate of @p batch.
/// @param[in]  batch  probabilities in memory of @p ctx's backend
/// @param[out] out    n results in memory of @p ctx's backend
/// Performance: O(m·C + m² + m'²·C) per candidate; the CUDA twin runs one block per
/// candidate with the majority patches in shared memory.
void patch_criteria(const PatchBatch& batch, const PatchCriteriaConfig& config, PatchCriteria* out,
                    const ExecutionContext& ctx);

namespace cpu_impl {
void patch_criteria(const PatchBatch& batch, const PatchCriteriaConfig& config, PatchCriteria* out);
}  // namespace cpu_impl

namespace cuda_impl {
#ifdef SALIENT_WITH_CUDA
void patch_criteria(const PatchBatch& batch, const PatchCriteriaConfig& config, PatchCriteria* out, void* cuda_stream);
#else
inline void patch_criteria(const PatchBatch&, const PatchCriteriaConfig&, PatchCriteria*, void*) {
  throw Error("salient was built without CUDA: patch_criteria has no CUDA twin");
}
#endif
}  // namespace cuda_impl

}  // namespace salient::kernels
