// Pairs of doubles in one SSE2 register (a GCC and Clang vector extension; every x86-64 CPU has
// SSE2), for the CPU twins' long sums. A sum of Double2 adds both halves with one instruction;
// the compiler never does that by itself for a scalar floating-point sum, which it may not
// reorder. Results are deterministic: the halves are added in a fixed order at the end.
#pragma once

#include <cstdint>

namespace salient::kernels::detail {

typedef double Double2 __attribute__((vector_size(16)));
/// A comparison of Double2 gives an Int2 mask: all ones where true, zeros where false.
typedef std::int64_t Int2 __attribute__((vector_size(16)));

inline Double2 both(double v) { return Double2{v, v}; }

/// v where @p mask is set, +0 elsewhere.
inline Double2 where(Int2 mask, Double2 v) { return reinterpret_cast<Double2>(mask & reinterpret_cast<Int2>(v)); }

/// a where @p mask is set, b elsewhere.
inline Double2 select(Int2 mask, Double2 a, Double2 b) {
  return reinterpret_cast<Double2>((mask & reinterpret_cast<Int2>(a)) | (~mask & reinterpret_cast<Int2>(b)));
}

inline Double2 absolute(Double2 v) {
  const Int2 magnitude{INT64_MAX, INT64_MAX};
  return reinterpret_cast<Double2>(reinterpret_cast<Int2>(v) & magnitude);
}

inline double total(Double2 v) { return v[0] + v[1]; }

/// Runs visit(lane, x, present) over values[0, n), two values at a time: x holds values i and
/// i + 1, lane = (i / 2) mod Lanes, present is all ones except in the missing half of an odd
/// last pair (whose x is 0 there).
template <int Lanes, typename T, typename Visit>
void for_each_pair(const T* values, std::int64_t n, Visit visit) {
  const Int2 pair_present{-1, -1};
  const auto pair_at = [&](std::int64_t i) {
    return Double2{static_cast<double>(values[i]), static_cast<double>(values[i + 1])};
  };
  std::int64_t i = 0;
  for (; i + 2 * Lanes <= n; i += 2 * Lanes) {
    for (int lane = 0; lane < Lanes; ++lane) visit(lane, pair_at(i + 2 * lane), pair_present);
  }
  for (; i + 2 <= n; i += 2) visit(0, pair_at(i), pair_present);
  if (i < n) visit(0, Double2{static_cast<double>(values[i]), 0.0}, Int2{-1, 0});
}

}  // namespace salient::kernels::detail
