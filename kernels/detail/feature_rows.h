// A row of NaN feature values, each with the reason, for inputs no feature can use.
#pragma once

#include <cmath>

#include "detail/host_device.h"
#include "salient/kernels/feature_registry.h"

namespace salient::kernels::detail {

SALIENT_HOST_DEVICE inline void write_undefined_row(double* row, FeatureReason* reasons, int columns, FeatureReason why) {
  for (int c = 0; c < columns; ++c) {
    row[c] = NAN;
    reasons[c] = why;
  }
}

}  // namespace salient::kernels::detail
