#include "salient/io/float16.h"

#include <cstring>

namespace salient::io {

Float16 to_float16(float value) {
  std::uint32_t f;
  std::memcpy(&f, &value, sizeof f);
  const auto sign = static_cast<std::uint16_t>((f >> 16) & 0x8000u);
  const std::uint32_t exponent = (f >> 23) & 0xffu;
  std::uint32_t mantissa = f & 0x7fffffu;
  if (exponent == 0xffu) {  // infinity, or NaN (quiet, with the top fraction bits kept)
    return {static_cast<std::uint16_t>(sign | 0x7c00u | (mantissa != 0 ? 0x200u | (mantissa >> 13) : 0u))};
  }
  // The value is m · 2^(e − 150) with m the 24-bit significand (implicit bit for normals).
  const int e = static_cast<int>(exponent) - 127 + 15;  // binary16 biased exponent
  if (e >= 31) return {static_cast<std::uint16_t>(sign | 0x7c00u)};
  std::uint32_t significand;
  int shift;  // bits of the 24-bit significand dropped
  if (e >= 1) {
    significand = mantissa | 0x800000u;
    shift = 13;
  } else {
    if (exponent == 0) return {sign};  // float zero or subnormal: below 2⁻¹²⁶, rounds to zero
    significand = mantissa | 0x800000u;
    shift = 14 - e;  // subnormal half: 2⁻²⁴ units
    if (shift > 25) return {sign};
  }
  std::uint32_t kept = significand >> shift;
  const std::uint32_t rest = significand & ((1u << shift) - 1u);
  const std::uint32_t half_unit = 1u << (shift - 1);
  if (rest > half_unit || (rest == half_unit && (kept & 1u) != 0)) ++kept;  // ties to even
  if (e >= 1) {
    // kept holds the implicit bit at 2¹⁰; a carry out of the fraction raises the exponent.
    const std::uint32_t bits = (static_cast<std::uint32_t>(e) << 10) + (kept - 0x400u);
    return {static_cast<std::uint16_t>(sign | (bits >= 0x7c00u ? 0x7c00u : bits))};
  }
  return {static_cast<std::uint16_t>(sign | kept)};  // a carry to 0x400 is the smallest normal
}

float to_float(Float16 half) {
  const std::uint32_t sign = static_cast<std::uint32_t>(half.bits & 0x8000u) << 16;
  const std::uint32_t exponent = (half.bits >> 10) & 0x1fu;
  std::uint32_t mantissa = half.bits & 0x3ffu;
  std::uint32_t f;
  if (exponent == 0x1fu) {
    f = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    f = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    f = sign;
  } else {  // subnormal: normalise
    int e = -14;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --e;
    }
    f = sign | (static_cast<std::uint32_t>(e + 127) << 23) | ((mantissa & 0x3ffu) << 13);
  }
  float value;
  std::memcpy(&value, &f, sizeof value);
  return value;
}

}  // namespace salient::io
