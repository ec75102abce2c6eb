// IDEAL's deep saliency features in `salient score` (strategy ideal-deep; docs/models.md
// "Saliency autoencoder", docs/formulas.md "ideal-deep"). Each image's saliency map, as
// scoring computes it at the pool's image size, becomes the autoencoder's input: averaged
// down to S × S (adaptive average pooling: the mean of each cell's pixels) and scaled to
// [0, 1] by its own minimum and maximum (a constant map becomes zeros), since saliency has no
// fixed scale. The autoencoder's code of that input is stored as the score-table columns
// deep_code_0 … deep_code_{l−1}.
//
// The autoencoder is trained without labels before a round is scored: in the study's first
// ideal-deep round, and again in the rounds that are multiples of `every` when every ≥ 1
// (0, the default: never again); every other round reuses the latest one. It learns the maps
// of `sample` pool images, those of the smallest counter uniforms of (seed, round,
// autoencoder_sample, global index), computed by the round's model in fixed batches of the
// scoring batch size (batch b on rank b mod R, so each map's bits do not depend on the rank
// count), from its seeded start, data-parallel (training/autoencoder_training.h); rank 0
// saves it as rounds/RRR/autoencoder.pt. A retrained autoencoder has a code space of its own:
// the forest learnt on the earlier one's codes no longer applies (forest_reads_round_codes).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/comm/communicator.h"
#include "engine/criteria/batch_criteria.h"
#include "engine/criteria/criteria_request.h"
#include "engine/models/classifier.h"
#include "engine/models/saliency_autoencoder.h"
#include "engine/saliency/saliency.h"
#include "salient/io/pool.h"

namespace salient::round {

/// The autoencoder that serves round @p round: the latest rounds/RRR/autoencoder.pt of a round
/// up to it, or "" when there is none.
std::string serving_autoencoder(const std::string& study_dir, std::uint32_t round);

/// Whether rounds/RRR/forest.cbor exists and learnt from codes of the autoencoder that serves
/// round @p round (the one of round − 1, when the forest's levels were learnt).
bool forest_reads_round_codes(const std::string& study_dir, std::uint32_t round);

/// N × H × W maps → N × 1 × S × S autoencoder inputs in [0, 1] (see above).
at::Tensor autoencoder_input(const at::Tensor& maps, std::int64_t size);

/// The codes of @p maps (N × H × W) as columns deep_code_0 … deep_code_{l−1}; a code element
/// that is not finite is NaN with reason non_finite_value.
std::vector<criteria::CriterionColumn> code_columns(models::SaliencyAutoencoder& autoencoder, const at::Tensor& maps);

/// What training a round's autoencoder reads.
struct AutoencoderJob {
  std::string study_dir;
  std::uint32_t round = 0;  ///< the round being scored
  std::uint64_t seed = 0;   ///< the study's scoring seed
  const criteria::DeepCodesRequest& request;
  const io::Pool& pool;
  models::Classifier& model;  ///< the round's model, on @p device
  c10::Device device;
  const saliency::SaliencyOptions& saliency;
  std::int64_t batch_size = 32;  ///< maps computed per batch
};

/// The path of the autoencoder that serves round @p job.round, trained first when the round
/// trains one (see above) and it does not exist. A collective over @p comm.
std::string ensure_round_autoencoder(const AutoencoderJob& job, comm::Communicator& comm);

}  // namespace salient::round
