// The gradient exchange of data-parallel training (DESIGN.md "Distribution"): after each
// rank's backward pass on its share of the batch, every parameter's gradient becomes the
// mean over the ranks. Gradients are flattened into buckets of at most a given size (one
// all-reduce each, instead of one per parameter), reduced, and copied back.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "engine/comm/communicator.h"

namespace salient::training {

class GradientAverager {
 public:
  /// @p parameters in the same order on every rank (the same model's parameters()); those
  /// that do not require a gradient are left out. Buckets hold parameters of one element
  /// type and device, consecutive in that order, at most @p bucket_bytes each (a larger
  /// parameter gets a bucket of its own).
  GradientAverager(const std::vector<at::Tensor>& parameters, comm::Communicator& communicator,
                   std::int64_t bucket_bytes = std::int64_t{25} << 20);

  /// Replaces every gradient with its mean over the ranks. A parameter without a gradient
  /// (unused in this rank's forward pass) counts as zeros and gets the mean too.
  void average();

  /// Number of buckets, i.e. all-reduces per average().
  std::size_t bucket_count() const { return buckets_.size(); }
  /// Seconds spent in average() so far (on a GPU, until the reduced gradients are ready).
  double seconds() const { return seconds_; }

 private:
  struct Bucket {
    std::vector<at::Tensor> parameters;
    at::Tensor flat;  ///< their gradients, concatenated
  };

  std::vector<Bucket> buckets_;
  comm::Communicator& communicator_;
  double seconds_ = 0.0;
};

}  // namespace salient::training
