// Ascending LSD radix sort of float or double values for the CPU twins: keys are the IEEE bits
// mapped to unsigned integers that order like the values (negative values flipped), sorted 8
// bits at a time; a pass whose digit is the same for every key is skipped. -0 sorts before +0,
// which compare equal, so percentiles and ranks are unaffected.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace salient::kernels::detail {

template <typename T>
using RadixKey = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;

template <typename T>
RadixKey<T> radix_key(T value) {
  using Key = RadixKey<T>;
  Key bits;
  std::memcpy(&bits, &value, sizeof bits);
  constexpr Key sign = Key{1} << (8 * sizeof(Key) - 1);
  return (bits & sign) ? ~bits : bits | sign;
}

template <typename T>
T radix_value(RadixKey<T> key) {
  using Key = RadixKey<T>;
  constexpr Key sign = Key{1} << (8 * sizeof(Key) - 1);
  const Key bits = (key & sign) ? key & ~sign : ~key;
  T value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/// Sorts @p values ascending; @p scratch is resized and reused between calls.
template <typename T>
void radix_sort(std::vector<T>& values, std::vector<RadixKey<T>>& keys, std::vector<RadixKey<T>>& scratch) {
  using Key = RadixKey<T>;
  const std::size_t n = values.size();
  keys.resize(n);
  scratch.resize(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = radix_key(values[i]);
  for (unsigned shift = 0; shift < 8 * sizeof(Key); shift += 8) {
    std::array<std::size_t, 257> offsets{};
    for (const Key k : keys) ++offsets[((k >> shift) & 0xFF) + 1];
    if (n == 0 || offsets[((keys[0] >> shift) & 0xFF) + 1] == n) continue;  // one digit: nothing moves
    for (std::size_t d = 1; d < offsets.size(); ++d) offsets[d] += offsets[d - 1];
    for (const Key k : keys) scratch[offsets[(k >> shift) & 0xFF]++] = k;
    keys.swap(scratch);
  }
  for (std::size_t i = 0; i < n; ++i) values[i] = radix_value<T>(keys[i]);
}

}  // namespace salient::kernels::detail
