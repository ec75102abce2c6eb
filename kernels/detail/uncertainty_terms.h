// Uncertainty formulas (salient/kernels/uncertainty.h), written once for both twins. A
// twin accumulates, per class, Σ_t p_tk and Σ_t p_tk²; per sample, H(p_t); and Σ σ²; then
// finish_uncertainty turns the totals into the criteria.
#pragma once

#include "detail/host_device.h"
#include "detail/probability_terms.h"
#include "salient/kernels/uncertainty.h"

namespace salient::kernels::detail {

/// Running totals of one candidate; each twin adds them up in its own order.
struct UncertaintyTotals {
  double mean_entropy = 0.0;                   ///< Σ_k −p̄_k ln p̄_k
  double class_variance = 0.0;                 ///< Σ_k [(1/T) Σ_t p_tk² − p̄_k²]
  double sample_entropy = 0.0;                 ///< Σ_t H(p_t)
  double predicted_variance = 0.0;             ///< Σ_t Σ_k σ²_tk
  double largest = -infinity_double();         ///< p̄₍₁₎
  double second_largest = -infinity_double();  ///< p̄₍₂₎
};

/// Adds class k, given Σ_t p_tk and Σ_t p_tk² over T samples.
SALIENT_HOST_DEVICE inline void add_class(UncertaintyTotals& totals, double sum, double sum_of_squares, int samples) {
  const double mean = sum / samples;
  totals.mean_entropy += entropy_term(mean);
  totals.class_variance += sum_of_squares / samples - mean * mean;
  if (mean > totals.largest) {
    totals.second_largest = totals.largest;
    totals.largest = mean;
  } else if (mean > totals.second_largest) {
    totals.second_largest = mean;
  }
}

/// Totals of two disjoint sets of classes and samples.
SALIENT_HOST_DEVICE inline UncertaintyTotals combine(const UncertaintyTotals& a, const UncertaintyTotals& b) {
  UncertaintyTotals c;
  c.mean_entropy = a.mean_entropy + b.mean_entropy;
  c.class_variance = a.class_variance + b.class_variance;
  c.sample_entropy = a.sample_entropy + b.sample_entropy;
  c.predicted_variance = a.predicted_variance + b.predicted_variance;
  c.largest = a.largest > b.largest ? a.largest : b.largest;
  const double smaller_top = a.largest > b.largest ? b.largest : a.largest;
  const double larger_second = a.second_largest > b.second_largest ? a.second_largest : b.second_largest;
  c.second_largest = smaller_top > larger_second ? smaller_top : larger_second;
  return c;
}

SALIENT_HOST_DEVICE inline UncertaintyCriteria finish_uncertainty(const UncertaintyTotals& totals, int samples,
                                                                  int input_classes) {
  const int classes = effective_classes(input_classes);
  const double variance =
      totals.class_variance / classes + totals.predicted_variance / (static_cast<double>(samples) * input_classes);
  const double bald = totals.mean_entropy - totals.sample_entropy / samples;
  UncertaintyCriteria out;
  out.entropy = static_cast<float>(totals.mean_entropy);
  out.margin = static_cast<float>(totals.largest - totals.second_largest);
  out.least_confidence = static_cast<float>(1.0 - totals.largest);
  out.mc_variance = static_cast<float>(variance > 0.0 ? variance : 0.0);
  out.bald = static_cast<float>(bald > 0.0 ? bald : 0.0);
  out.status = ProbabilityStatus::ok;
  return out;
}

SALIENT_HOST_DEVICE inline UncertaintyCriteria invalid_uncertainty(ProbabilityStatus status) {
  const float nan = quiet_nan_float();
  UncertaintyCriteria out;
  out.entropy = out.margin = out.least_confidence = out.mc_variance = out.bald = nan;
  out.status = status;
  return out;
}

}  // namespace salient::kernels::detail
