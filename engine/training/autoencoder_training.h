// Data-parallel training of the saliency autoencoder (models/saliency_autoencoder.h), as the
// classifier's fine-tuning runs (trainer.h): every rank holds the same maps and a replica;
// each epoch the maps are shuffled by a permutation keyed by (seed, round, epoch), cut into
// global batches, and rank r trains on the r-th contiguous part of each batch with loss
// (Σ its maps' errors) · R / (maps in the batch), so that the gradients' mean over the ranks
// (GradientAverager) is the batch's mean error for any rank count; one Adam step follows.
// The replicas are checked bit for bit after the last epoch.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "engine/comm/communicator.h"
#include "engine/models/saliency_autoencoder.h"

namespace salient::training {

struct AutoencoderTrainingOptions {
  std::int64_t epochs = 10;
  std::int64_t batch_size = 64;  ///< maps per global batch
  double learning_rate = 1e-3;   ///< Adam's, with PyTorch's default betas and ε
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
};

/// Trains @p autoencoder on @p maps ([N, 1, S, S] in [0, 1], the same on every rank). A
/// collective. Returns each epoch's mean reconstruction error over the maps.
std::vector<double> train_autoencoder(models::SaliencyAutoencoder& autoencoder, const at::Tensor& maps,
                                      comm::Communicator& communicator, const AutoencoderTrainingOptions& options);

/// The codes of @p maps ([N, 1, S, S]), [N, l], computed @p batch_size maps at a time.
at::Tensor encode_maps(models::SaliencyAutoencoder& autoencoder, const at::Tensor& maps,
                       std::int64_t batch_size = 256);

}  // namespace salient::training
