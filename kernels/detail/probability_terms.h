// Terms shared by the criteria computed from model probabilities, written once for both
// twins. Natural logarithms throughout.
#pragma once

#include <cmath>

#include "detail/host_device.h"

namespace salient::kernels::detail {

/// Number of classes the criteria see: a single sigmoid output counts as two.
SALIENT_HOST_DEVICE inline int effective_classes(int input_classes) { return input_classes == 1 ? 2 : input_classes; }

/// P(class k) of one prediction row of @p input_classes values; row[0] = p of a sigmoid
/// gives [1 − p, p].
SALIENT_HOST_DEVICE inline double class_probability(const float* row, int input_classes, int k) {
  if (input_classes == 1) return k == 0 ? 1.0 - static_cast<double>(row[0]) : static_cast<double>(row[0]);
  return static_cast<double>(row[k]);
}

/// A probability is valid in [0, 1]; NaN is not.
SALIENT_HOST_DEVICE inline bool is_valid_probability(float p) { return p >= 0.0f && p <= 1.0f; }

/// −p ln p, with 0 ln 0 = 0 (its limit).
SALIENT_HOST_DEVICE inline double entropy_term(double p) { return p > 0.0 ? -p * log(p) : 0.0; }

}  // namespace salient::kernels::detail
