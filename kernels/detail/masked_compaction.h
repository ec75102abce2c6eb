// The values of a map inside its mask, compacted in pixel order (branch-free: every pixel
// is written, the count advances only inside the mask), for the CPU twins.
#pragma once

#include <cstdint>
#include <vector>

namespace salient::kernels::detail {

/// The pixels of @p map (@p pixels of them) where @p mask is nonzero, copied into
/// @p scratch, or @p map itself when there is no mask; @p count receives how many.
template <typename T>
const T* masked_values(const T* map, const std::uint8_t* mask, std::int64_t pixels, std::vector<T>& scratch,
                       std::int64_t& count) {
  if (!mask) {
    count = pixels;
    return map;
  }
  scratch.resize(static_cast<std::size_t>(pixels));
  count = 0;
  for (std::int64_t p = 0; p < pixels; ++p) {
    scratch[static_cast<std::size_t>(count)] = map[p];
    count += mask[p] != 0;
  }
  return scratch.data();
}

}  // namespace salient::kernels::detail
