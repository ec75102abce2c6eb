// Montage tiles of saliency maps, as an annotator sees them: the X-ray with its map blended
// over it as a heat overlay (salient/io/montage.h), and the expert's ROI outlined.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "salient/io/montage.h"

namespace salient::saliency {

/// An H×W float image in [0, 1] as tile×tile bytes (area averaging when shrinking).
std::vector<std::uint8_t> tile_bytes(const at::Tensor& unit, std::int64_t tile);

/// @p map scaled to [0, 1] by its own minimum and maximum (a constant map gives 0).
at::Tensor unit_scaled(const at::Tensor& map);

/// A tile of the image @p unit_image (H×W in [0, 1]) with @p map (H×W, any scale) as its heat
/// overlay and @p roi (H×W, nonzero inside; undefined for none) outlined.
io::MontageTile overlay_tile(const at::Tensor& unit_image, const at::Tensor& map, const at::Tensor& roi,
                             std::int64_t tile);

}  // namespace salient::saliency
