// What the ranks of a collective must agree on: the tensor's element type and count.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace salient::comm {

/// One rank's (element type, element count) as two integers, for exchanging between ranks.
struct TensorSignature {
  std::int64_t scalar_type = 0;
  std::int64_t numel = 0;
};
static_assert(sizeof(TensorSignature) == 2 * sizeof(std::int64_t), "exchanged as two MPI_INT64_T");

TensorSignature signature_of(const at::Tensor& tensor);

/// Throws salient::Error naming every rank's tensor when @p all (rank order) are not alike.
void check_signatures_agree(const std::vector<TensorSignature>& all, const char* collective);

/// Throws salient::Error unless @p tensor is defined, contiguous and on @p device_type.
void check_collective_tensor(const at::Tensor& tensor, c10::DeviceType device_type, const char* collective);

/// Exchanges every rank's signature of @p tensor over MPI_COMM_WORLD and checks that they
/// agree (check_signatures_agree): a collective every rank calls.
void check_ranks_agree_over_mpi(const at::Tensor& tensor, int size, const char* collective);

/// A gather's result shape: @p size × @p tensor's shape.
std::vector<std::int64_t> gathered_shape(const at::Tensor& tensor, int size);

}  // namespace salient::comm
