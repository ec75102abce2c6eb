#include "engine/round/selection_montage.h"

#include <torch/torch.h>

#include <algorithm>

#include "engine/models/model_input.h"
#include "engine/saliency/saliency_montage.h"
#include "salient/io/montage.h"

namespace salient::round {

void write_selection_montage(const SelectionMaps& maps, std::int64_t count, const std::string& path) {
  const auto n = std::min<std::int64_t>(count, maps.unit.size(0));
  const auto resized =
      models::resize_maps(maps.maps.narrow(0, 0, n), maps.unit.size(1), maps.unit.size(2)).cpu();
  std::vector<io::MontageTile> tiles;
  for (std::int64_t i = 0; i < n; ++i) {
    tiles.push_back(saliency::overlay_tile(maps.unit[i], resized[i], maps.roi.defined() ? maps.roi[i] : at::Tensor(),
                                           kMontageTileSize));
  }
  io::write_montage(path, tiles, kMontageTileSize, kMontageColumns);
}

}  // namespace salient::round
