// Data-parallel replicas must stay bit-identical: every rank starts from the same weights
// and applies the same averaged gradients. A checksum of every parameter's bits, compared
// across the ranks, checks it (every epoch, in the trainer).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

#include "engine/comm/communicator.h"

namespace salient::training {

/// FNV-1a (64-bit) over the bytes of every tensor in order, read on the CPU.
std::uint64_t parameter_checksum(const std::vector<at::Tensor>& parameters);

/// Throws salient::Error on every rank, naming the ranks whose parameters differ from rank
/// 0's, unless all ranks hold the same bits. A collective: every rank calls it.
void check_replicas_identical(const std::vector<at::Tensor>& parameters, comm::Communicator& communicator);

}  // namespace salient::training
