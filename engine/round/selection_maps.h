// The saliency maps of a round's selected images, recomputed with the study's model and
// saliency method (score tables keep criteria, not maps): for the selection montage and for
// the review page's rounds/RRR/review.h5 (io/review_files.h). Each map explains the image's
// most probable class.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

#include "engine/round/select_round.h"
#include "engine/selection/select.h"
#include "salient/io/pool.h"
#include "salient/io/review_files.h"

namespace salient::round {

struct SelectionMaps {
  std::vector<std::int64_t> indices;  ///< global pool indices, in selection order
  at::Tensor unit;                    ///< n×H×W intensity in [0, 1], the pool's resolution
  at::Tensor roi;                     ///< n×H×W uint8, undefined when the pool has no ROI
  at::Tensor maps;                    ///< n×S×S float, the model's input size
  at::Tensor probabilities;           ///< n×C
  at::Tensor targets;                 ///< n int64: the class each map explains
};

/// The maps of @p chosen (all on the host), computed in batches of the study's scoring batch size.
SelectionMaps selection_maps(const SelectJob& job, const io::Pool& pool,
                             const std::vector<selection::SelectedCandidate>& chosen);

/// rounds/RRR/review.h5's content: each map min-max scaled to [0, 1] (a constant map is 0).
io::ReviewMaps review_maps_of(const SelectionMaps& maps, const std::string& method, std::uint32_t round);

}  // namespace salient::round
