// IEEE 754 binary16 ("half", numpy's float16): 1 sign bit, 5 exponent bits (bias 15), 10
// fraction bits. Score tables store image embeddings in it (score_table.h); HDF5 files
// declare it as a 16-bit float type, which h5py reads as numpy.float16.
#pragma once

#include <cstdint>

namespace salient::io {

struct Float16 {
  std::uint16_t bits = 0;
};

/// @p value rounded to the nearest binary16, ties to even (as numpy's astype(float16)):
/// magnitudes from 65520 up become infinity, those below 2⁻²⁵ zero (sign kept), NaN stays a
/// (quiet) NaN.
Float16 to_float16(float value);

/// The exact float of @p half (every binary16 value is a float).
float to_float(Float16 half);

}  // namespace salient::io
