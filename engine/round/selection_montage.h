// selection-montage.png: the first selected images, best first, each with the saliency map
// of the class the model predicts blended over it and the expert's ROI outlined where the
// pool has one, the way an annotator reviews a batch (the maps: selection_maps.h).
#pragma once

#include <string>

#include "engine/round/selection_maps.h"

namespace salient::round {

inline constexpr std::int64_t kMontageTileSize = 192;
inline constexpr int kMontageColumns = 8;

/// Writes the montage of the first @p count images of @p maps to @p path.
void write_selection_montage(const SelectionMaps& maps, std::int64_t count, const std::string& path);

}  // namespace salient::round
