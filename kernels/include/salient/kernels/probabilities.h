// Conventions shared by the kernels that read model probabilities (patch, uncertainty).
// Probabilities are float, row-major, one row of C values per prediction. C = 1 is a
// single sigmoid output p, read as the two classes [1 − p, p].
#pragma once

#include <cstdint>

namespace salient::kernels {

/// Why a candidate's criteria are NaN.
enum class ProbabilityStatus : std::uint8_t {
  ok = 0,
  invalid_probability = 1,  ///< a probability is NaN or outside [0, 1]: every criterion is NaN
  invalid_variance = 2,     ///< a predicted variance is NaN or negative: every criterion is NaN
};

}  // namespace salient::kernels
