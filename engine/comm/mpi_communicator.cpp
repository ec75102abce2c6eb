// Communicator over MPI_COMM_WORLD for CPU tensors.
#include <mpi.h>
#include <torch/torch.h>

#include <climits>

#include "engine/comm/communicator.h"
#include "engine/comm/tensor_agreement.h"

namespace salient::comm {
namespace {

MPI_Datatype mpi_type_of(const at::Tensor& tensor, const char* collective) {
  switch (tensor.scalar_type()) {
    case at::kFloat: return MPI_FLOAT;
    case at::kDouble: return MPI_DOUBLE;
    case at::kInt: return MPI_INT32_T;
    case at::kLong: return MPI_INT64_T;
    case at::kByte: return MPI_UINT8_T;
    default:
      throw Error(fmt::format("{}: MPI carries float32, float64, int32, int64 and uint8 tensors, not {}", collective,
                              c10::toString(tensor.scalar_type())));
  }
}

int mpi_count(const at::Tensor& tensor, const char* collective) {
  // MPI counts are int; more needs MPI 4's large-count calls.
  SALIENT_CHECK(tensor.numel() <= INT_MAX, "{}: {} elements exceed MPI's int counts", collective, tensor.numel());
  return static_cast<int>(tensor.numel());
}

class MpiCommunicator : public Communicator {
 public:
  explicit MpiCommunicator(const MpiSession& mpi) : rank_(mpi.rank()), size_(mpi.size()) {}

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string backend() const override { return "mpi"; }

  void all_reduce(at::Tensor& tensor, ReduceOp op) override {
    const auto type = checked(tensor, "all_reduce");
    const int count = mpi_count(tensor, "all_reduce");
    // Rank 0 reduces and broadcasts: every rank gets rank 0's bits.
    if (rank_ == 0) {
      SALIENT_MPI_CHECK(MPI_Reduce(MPI_IN_PLACE, tensor.data_ptr(), count, type, MPI_SUM, 0, MPI_COMM_WORLD));
      if (op == ReduceOp::mean) tensor.div_(size_);
    } else {
      SALIENT_MPI_CHECK(MPI_Reduce(tensor.data_ptr(), nullptr, count, type, MPI_SUM, 0, MPI_COMM_WORLD));
    }
    SALIENT_MPI_CHECK(MPI_Bcast(tensor.data_ptr(), count, type, 0, MPI_COMM_WORLD));
  }

  void broadcast(at::Tensor& tensor, int root) override {
    const auto type = checked(tensor, "broadcast");
    SALIENT_MPI_CHECK(MPI_Bcast(tensor.data_ptr(), mpi_count(tensor, "broadcast"), type, root, MPI_COMM_WORLD));
  }

  at::Tensor gather(const at::Tensor& tensor, int root) override {
    const auto type = checked(tensor, "gather");
    const int count = mpi_count(tensor, "gather");
    at::Tensor all = rank_ == root ? torch::empty(gathered_shape(tensor, size_), tensor.options()) : at::Tensor();
    SALIENT_MPI_CHECK(MPI_Gather(tensor.data_ptr(), count, type, rank_ == root ? all.data_ptr() : nullptr, count, type,
                                 root, MPI_COMM_WORLD));
    return all;
  }

  void barrier() override { SALIENT_MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD)); }

 private:
  // The tensor's checks, then the ranks' agreement on (type, count).
  MPI_Datatype checked(const at::Tensor& tensor, const char* collective) const {
    check_collective_tensor(tensor, c10::DeviceType::CPU, collective);
    const auto type = mpi_type_of(tensor, collective);
    check_ranks_agree_over_mpi(tensor, size_, collective);
    return type;
  }

  int rank_;
  int size_;
};

}  // namespace

RankPlacement placement_of(const MpiSession& mpi) {
  return {mpi.rank(), mpi.size(), mpi.local_rank(), mpi.local_size(), mpi.host()};
}

std::unique_ptr<Communicator> make_mpi_communicator(const MpiSession& mpi) {
  return std::make_unique<MpiCommunicator>(mpi);
}

std::unique_ptr<Communicator> make_communicator(const MpiSession& mpi, const c10::Device& device) {
  if (device.is_cuda()) return make_nccl_communicator(mpi, device);
  return make_mpi_communicator(mpi);
}

}  // namespace salient::comm
