// Whether every value of an array is finite, for the CPU twins: a float or double is ±inf or
// NaN exactly when its exponent bits are all ones. Integer tests with no branch, which the
// compiler turns into vector instructions.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace salient::kernels::detail {

template <typename T>
bool all_finite(const T* values, std::int64_t n) {
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  constexpr Bits exponent = sizeof(T) == 4 ? Bits{0x7F800000u} : static_cast<Bits>(0x7FF0000000000000u);
  Bits any_non_finite = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    Bits bits;
    std::memcpy(&bits, values + i, sizeof bits);
    any_non_finite |= static_cast<Bits>((bits & exponent) == exponent);
  }
  return any_non_finite == 0;
}

}  // namespace salient::kernels::detail
