// selection-montage.png: the selected images, best first, each with the saliency map of the
// class the model predicts blended over it and the expert's ROI outlined where the pool
// has one, the way an annotator reviews a batch. The maps are recomputed for these images
// only, with the study's model and saliency method (score tables keep criteria, not maps).
#pragma once

#include <string>

#include "engine/round/select_round.h"
#include "engine/selection/select.h"
#include "salient/io/pool.h"

namespace salient::round {

inline constexpr std::int64_t kMontageTileSize = 192;
inline constexpr int kMontageColumns = 8;

/// Writes the montage of the first job.montage_count images of @p chosen to @p path.
void write_selection_montage(const SelectJob& job, const io::Pool& pool, const selection::Selection& chosen,
                             const std::string& path);

}  // namespace salient::round
