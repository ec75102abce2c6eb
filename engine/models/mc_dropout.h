// Monte-Carlo dropout (Gal and Ghahramani 2016): T forward passes with dropout left on give
// T samples of the predictive distribution, whose spread the uncertainty criteria measure
// (IDEAL's MC-dropout baseline; kernels/uncertainty.h).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

#include "engine/models/classifier.h"
#include "salient/kernels/counter_random.h"

namespace salient::models {

enum class DropoutPlacement {
  /// Dropout on the trunk's channels before the head: the trunk runs once, only the head T
  /// times. Masks come from Philox keyed by (seed, round, global image index): an image's
  /// samples are the same on any device, in any batch, on any rank.
  head,
  /// The model's own dropout inside the trunk (DenseNet's drop_rate), T full passes, as
  /// IDEAL does. Masks come from LibTorch's generator seeded per batch from (seed, round,
  /// first global index): the same for any number of ranks (an image always lands in the
  /// same batch), but not the same on CPU and GPU.
  throughout,
};

struct McDropoutOptions {
  std::int64_t samples = 20;  ///< T
  double rate = 0.5;          ///< p, for head placement (throughout uses the model's own rates)
  DropoutPlacement placement = DropoutPlacement::head;
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
};

/// N×T×C probabilities (sigmoid or softmax by the model's output kind) of T dropout samples.
/// @param input           N×ch×S×S model input on the model's device
/// @param global_indices  N int64 global image indices (any device)
/// @param trunk_output    model.trunk(input) when an earlier pass computed it (Grad-CAM's), or
///                        undefined; with head placement the trunk then does not run again
at::Tensor mc_dropout_probabilities(Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                                    const McDropoutOptions& options, const at::Tensor& trunk_output = {});

/// The head-placement masks: N×T×K, each entry 0 or 1/(1 − p), entry (i, t, k) kept when
/// Philox number t·K + k of image i (stream mc_dropout) is at least p.
at::Tensor head_dropout_masks(const at::Tensor& global_indices, std::int64_t samples, std::int64_t channels,
                              double rate, const kernels::RandomKey& key, const c10::Device& device);

}  // namespace salient::models
