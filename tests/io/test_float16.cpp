// binary16 conversion against values derived by hand from IEEE 754's definition: 1 sign,
// 5 exponent bits (bias 15), 10 fraction bits; round to nearest, ties to even.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "salient/io/float16.h"

namespace salient::io {
namespace {

std::uint16_t bits_of(float value) { return to_float16(value).bits; }

TEST(Float16, RoundsToNearestWithTiesToEven) {
  EXPECT_EQ(bits_of(1.0f), 0x3c00);
  EXPECT_EQ(bits_of(-2.0f), 0xc000);
  EXPECT_EQ(bits_of(0.5f), 0x3800);
  EXPECT_EQ(bits_of(65504.0f), 0x7bff);   // the largest finite: (2 − 2⁻¹⁰) · 2¹⁵
  EXPECT_EQ(bits_of(65519.0f), 0x7bff);   // below the midpoint 65520
  EXPECT_EQ(bits_of(65520.0f), 0x7c00);   // the midpoint rounds to even, i.e. to infinity
  EXPECT_EQ(bits_of(1.0f + std::ldexp(1.0f, -11)), 0x3c00);      // tie between 1 and 1 + 2⁻¹⁰: even
  EXPECT_EQ(bits_of(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);  // tie between 0x3c01 and 0x3c02: even
  EXPECT_EQ(bits_of(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)), 0x3c01);  // above the tie
  // 0.1 = 1.6 · 2⁻⁴: fraction 0.6 · 1024 = 614.4 → 614 = 0x266, exponent 11 → 0x2e66.
  EXPECT_EQ(bits_of(0.1f), 0x2e66);
  // 2047.5 = 0x7ff.8 · 2⁰ in 11 significant bits: a tie between 2047 and 2048, odd 2047 → 2048.
  EXPECT_EQ(bits_of(2047.5f), 0x6800);
  EXPECT_EQ(bits_of(2046.5f), 0x67fe);  // tie between 2046 (even) and 2047
}

TEST(Float16, SubnormalsZerosInfinitiesAndNaN) {
  EXPECT_EQ(bits_of(std::ldexp(1.0f, -24)), 0x0001);  // the smallest subnormal
  EXPECT_EQ(bits_of(std::ldexp(1.0f, -25)), 0x0000);  // half of it: a tie, to even zero
  EXPECT_EQ(bits_of(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(bits_of(-std::ldexp(1.0f, -26)), 0x8000);  // negative zero keeps its sign
  EXPECT_EQ(bits_of(std::ldexp(1023.0f, -24)), 0x03ff);  // the largest subnormal
  EXPECT_EQ(bits_of(std::ldexp(1023.5f, -24)), 0x0400);  // rounds up to the smallest normal
  EXPECT_EQ(bits_of(std::ldexp(1.0f, -14)), 0x0400);
  EXPECT_EQ(bits_of(std::numeric_limits<float>::denorm_min()), 0x0000);
  EXPECT_EQ(bits_of(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(bits_of(-std::numeric_limits<float>::infinity()), 0xfc00);
  EXPECT_EQ(bits_of(1e10f), 0x7c00);
  EXPECT_EQ(bits_of(std::numeric_limits<float>::quiet_NaN()), 0x7e00);
}

TEST(Float16, EveryHalfValueConvertsToAFloatAndBackUnchanged) {
  EXPECT_EQ(to_float(Float16{0x3c00}), 1.0f);
  EXPECT_EQ(to_float(Float16{0x0001}), std::ldexp(1.0f, -24));
  EXPECT_EQ(to_float(Float16{0x7bff}), 65504.0f);
  EXPECT_EQ(to_float(Float16{0x2e66}), 0.0999755859375f);
  for (std::uint32_t bits = 0; bits <= 0xffff; ++bits) {
    const Float16 half{static_cast<std::uint16_t>(bits)};
    const float value = to_float(half);
    if (std::isnan(value)) {
      EXPECT_EQ(bits & 0x7c00u, 0x7c00u);
      EXPECT_NE(bits & 0x3ffu, 0u);
      continue;
    }
    ASSERT_EQ(to_float16(value).bits, bits) << value;
  }
}

}  // namespace
}  // namespace salient::io
