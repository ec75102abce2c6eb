#include "engine/comm/tensor_agreement.h"

#include <c10/core/ScalarType.h>
#include <fmt/format.h>

#include "engine/comm/mpi_session.h"
#include "salient/check.h"

namespace salient::comm {

TensorSignature signature_of(const at::Tensor& tensor) {
  return {static_cast<std::int64_t>(tensor.scalar_type()), tensor.numel()};
}

void check_signatures_agree(const std::vector<TensorSignature>& all, const char* collective) {
  bool alike = true;
  for (const auto& signature : all) {
    alike = alike && signature.scalar_type == all.front().scalar_type && signature.numel == all.front().numel;
  }
  if (alike) return;
  std::string ranks;
  for (std::size_t r = 0; r < all.size(); ++r) {
    ranks += fmt::format("{}rank {}: {} × {}", r == 0 ? "" : ", ", r, all[r].numel,
                         c10::toString(static_cast<c10::ScalarType>(all[r].scalar_type)));
  }
  throw Error(fmt::format("{}: the ranks' tensors differ ({})", collective, ranks));
}

void check_collective_tensor(const at::Tensor& tensor, c10::DeviceType device_type, const char* collective) {
  SALIENT_CHECK(tensor.defined(), "{}: undefined tensor", collective);
  SALIENT_CHECK(tensor.device().type() == device_type, "{}: a {} tensor where this communicator needs {}", collective,
                c10::DeviceTypeName(tensor.device().type()), c10::DeviceTypeName(device_type));
  SALIENT_CHECK(tensor.is_contiguous(), "{}: the tensor must be contiguous", collective);
}

void check_ranks_agree_over_mpi(const at::Tensor& tensor, int size, const char* collective) {
  const TensorSignature mine = signature_of(tensor);
  std::vector<TensorSignature> all(static_cast<std::size_t>(size));
  SALIENT_MPI_CHECK(MPI_Allgather(&mine, 2, MPI_INT64_T, all.data(), 2, MPI_INT64_T, MPI_COMM_WORLD));
  check_signatures_agree(all, collective);
}

std::vector<std::int64_t> gathered_shape(const at::Tensor& tensor, int size) {
  std::vector<std::int64_t> shape{size};
  shape.insert(shape.end(), tensor.sizes().begin(), tensor.sizes().end());
  return shape;
}

}  // namespace salient::comm
