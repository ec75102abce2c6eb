// ACFT patch formulas (salient/kernels/patch_criteria.h), written once for both twins.
#pragma once

#include "detail/host_device.h"
#include "detail/probability_terms.h"
#include "salient/kernels/patch_criteria.h"

namespace salient::kernels::detail {

/// Floor of every probability inside the diversity's logarithms: double machine epsilon.
/// With it the diversity columns of ACFT Table 1 are reproduced to the printed digits.
constexpr double kDiversityEpsilon = 2.220446049250313e-16;

/// Class means closer than a float32 probability's resolution (FLT_EPSILON) are a tie:
/// their difference is input rounding, not a preference of the model.
constexpr double kDominantClassTolerance = 1.1920928955078125e-07;

/// ŷ: scanning classes in order, a class replaces the current best only when its mean
/// exceeds the best mean by more than the tolerance, so ties go to the lower class.
SALIENT_HOST_DEVICE inline int dominant_class(const double* class_means, int classes) {
  int best = 0;
  for (int k = 1; k < classes; ++k) {
    if (class_means[k] > class_means[best] + kDominantClassTolerance) best = k;
  }
  return best;
}

/// Majority order: patch a comes before patch b when P^{a,ŷ} is larger, or equal with a < b.
SALIENT_HOST_DEVICE inline bool majority_before(double value_a, int a, double value_b, int b) {
  return value_a > value_b || (value_a == value_b && a < b);
}

/// ln max(P, ε), the logarithm the diversity uses.
SALIENT_HOST_DEVICE inline double diversity_log(double p) { return log(p > kDiversityEpsilon ? p : kDiversityEpsilon); }

/// One class's term of one pair in d: (P^j − P^l)(ln P^j − ln P^l) on clipped values.
SALIENT_HOST_DEVICE inline double diversity_term(double p_j, double log_j, double p_l, double log_l) {
  const double clipped_j = p_j > kDiversityEpsilon ? p_j : kDiversityEpsilon;
  const double clipped_l = p_l > kDiversityEpsilon ? p_l : kDiversityEpsilon;
  return (clipped_j - clipped_l) * (log_j - log_l);
}

/// The result of a candidate with an invalid probability.
SALIENT_HOST_DEVICE inline PatchCriteria invalid_patch_criteria() {
  const float nan = quiet_nan_float();
  return {nan, nan, nan, -1, ProbabilityStatus::invalid_probability};
}

}  // namespace salient::kernels::detail
