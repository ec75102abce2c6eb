// A batch binned on the CPU for the reference twins of the texture families (GLRLM, GLDM,
// NGTDM): every pixel's level and each map's Ng (the binning twin), and each map's
// TextureMapStatus. The CUDA twins' counterpart is detail/binned_maps.cuh.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "detail/size_matrix_terms.h"
#include "salient/kernels/binning.h"

namespace salient::kernels::detail {

template <typename Pixel>
class BinnedMapsCpu {
 public:
  BinnedMapsCpu(const BasicMapBatch<Pixel>& batch, const BinSpec& bins)
      : batch_(batch),
        levels_(static_cast<std::size_t>(batch.n * batch.h * batch.w)),
        gray_levels_(static_cast<std::size_t>(batch.n)) {
    cpu_impl::discretize_maps(batch, bins, levels_.data(), gray_levels_.data());
  }

  /// The levels of map @p i: 1..Ng inside the mask, 0 outside.
  const std::int32_t* levels(std::int64_t i) const { return levels_.data() + i * batch_.h * batch_.w; }

  /// The status of map @p i: masked pixels, all of them finite, Ng.
  TextureMapStatus status(std::int64_t i) const {
    const std::int64_t pixels = batch_.h * batch_.w;
    const Pixel* map = batch_.maps + i * pixels;
    const std::uint8_t* mask = batch_.masks ? batch_.masks + i * pixels : nullptr;
    TextureMapStatus status;
    status.gray_levels = gray_levels_[static_cast<std::size_t>(i)];
    for (std::int64_t p = 0; p < pixels; ++p) {
      if (mask && !mask[p]) continue;
      ++status.masked;
      status.finite = status.finite && std::isfinite(map[p]);
    }
    return status;
  }

 private:
  const BasicMapBatch<Pixel>& batch_;
  std::vector<std::int32_t> levels_;
  std::vector<std::int32_t> gray_levels_;
};

}  // namespace salient::kernels::detail
