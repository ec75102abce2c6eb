// Communicator over NCCL for CUDA tensors: one GPU per rank, bootstrapped by broadcasting
// NCCL's unique id over MPI; collectives run on LibTorch's current stream of the rank's GPU.
#include "engine/comm/communicator.h"
#include "salient/check.h"

#ifdef SALIENT_WITH_CUDA
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <mpi.h>
#include <nccl.h>
#include <torch/torch.h>

#include "engine/comm/tensor_agreement.h"
#endif

namespace salient::comm {

#ifdef SALIENT_WITH_CUDA
namespace {

#define SALIENT_NCCL_CHECK(call)                                                                                   \
  do {                                                                                                             \
    const ncclResult_t salient_nccl_result = (call);                                                               \
    if (salient_nccl_result != ncclSuccess)                                                                        \
      throw Error(fmt::format("{} failed on host {}, rank {}: {} ({})", #call, host_, rank_,                       \
                              ncclGetErrorString(salient_nccl_result), ncclGetLastError(comm_)));                  \
  } while (false)

ncclDataType_t nccl_type_of(const at::Tensor& tensor, const char* collective) {
  switch (tensor.scalar_type()) {
    case at::kFloat: return ncclFloat32;
    case at::kDouble: return ncclFloat64;
    case at::kHalf: return ncclFloat16;
    case at::kBFloat16: return ncclBfloat16;
    case at::kInt: return ncclInt32;
    case at::kLong: return ncclInt64;
    case at::kByte: return ncclUint8;
    default:
      throw Error(fmt::format("{}: NCCL carries float, half, bfloat16 and integer tensors, not {}", collective,
                              c10::toString(tensor.scalar_type())));
  }
}

class NcclCommunicator : public Communicator {
 public:
  NcclCommunicator(const MpiSession& mpi, const c10::Device& device)
      : rank_(mpi.rank()), size_(mpi.size()), host_(mpi.host()), device_(device) {
    SALIENT_CHECK(device.is_cuda() && device.has_index(), "NCCL needs a CUDA device with an index, not {}",
                  device.str());
    ncclUniqueId id{};
    if (rank_ == 0) SALIENT_NCCL_CHECK(ncclGetUniqueId(&id));
    SALIENT_MPI_CHECK(MPI_Bcast(&id, sizeof id, MPI_BYTE, 0, MPI_COMM_WORLD));
    const c10::cuda::CUDAGuard guard(device_);
    SALIENT_NCCL_CHECK(ncclCommInitRank(&comm_, size_, id, rank_));
  }
  ~NcclCommunicator() override {
    if (comm_ != nullptr) ncclCommDestroy(comm_);
  }
  NcclCommunicator(const NcclCommunicator&) = delete;
  NcclCommunicator& operator=(const NcclCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  std::string backend() const override { return "nccl"; }

  void all_reduce(at::Tensor& tensor, ReduceOp op) override {
    const auto type = checked(tensor, "all_reduce");
    const c10::cuda::CUDAGuard guard(device_);
    SALIENT_NCCL_CHECK(ncclAllReduce(tensor.data_ptr(), tensor.data_ptr(), static_cast<std::size_t>(tensor.numel()),
                                     type, op == ReduceOp::mean ? ncclAvg : ncclSum, comm_, stream()));
  }

  void broadcast(at::Tensor& tensor, int root) override {
    const auto type = checked(tensor, "broadcast");
    const c10::cuda::CUDAGuard guard(device_);
    SALIENT_NCCL_CHECK(ncclBroadcast(tensor.data_ptr(), tensor.data_ptr(), static_cast<std::size_t>(tensor.numel()),
                                     type, root, comm_, stream()));
  }

  at::Tensor gather(const at::Tensor& tensor, int root) override {
    const auto type = checked(tensor, "gather");
    const c10::cuda::CUDAGuard guard(device_);
    // NCCL has no gather: the root receives from every rank in one group of point-to-point calls.
    at::Tensor all = rank_ == root ? torch::empty(gathered_shape(tensor, size_), tensor.options()) : at::Tensor();
    const auto count = static_cast<std::size_t>(tensor.numel());
    SALIENT_NCCL_CHECK(ncclGroupStart());
    if (rank_ == root) {
      for (int r = 0; r < size_; ++r) SALIENT_NCCL_CHECK(ncclRecv(all[r].data_ptr(), count, type, r, comm_, stream()));
    }
    SALIENT_NCCL_CHECK(ncclSend(tensor.data_ptr(), count, type, root, comm_, stream()));
    SALIENT_NCCL_CHECK(ncclGroupEnd());
    return all;
  }

  void barrier() override {
    stream().synchronize();
    SALIENT_MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD));
  }

 private:
  c10::cuda::CUDAStream stream() const { return c10::cuda::getCurrentCUDAStream(device_.index()); }

  // The tensor's checks, then the ranks' agreement on (type, count), exchanged over MPI: a
  // mismatched NCCL call would hang.
  ncclDataType_t checked(const at::Tensor& tensor, const char* collective) const {
    check_collective_tensor(tensor, c10::DeviceType::CUDA, collective);
    SALIENT_CHECK(tensor.device() == device_, "{}: a tensor on {} where this rank's NCCL communicator is on {}",
                  collective, tensor.device().str(), device_.str());
    const auto type = nccl_type_of(tensor, collective);
    check_ranks_agree_over_mpi(tensor, size_, collective);
    return type;
  }

  int rank_;
  int size_;
  std::string host_;
  c10::Device device_;
  ncclComm_t comm_ = nullptr;
};

}  // namespace

std::unique_ptr<Communicator> make_nccl_communicator(const MpiSession& mpi, const c10::Device& device) {
  return std::make_unique<NcclCommunicator>(mpi, device);
}

#else

std::unique_ptr<Communicator> make_nccl_communicator(const MpiSession&, const c10::Device& device) {
  throw Error(fmt::format("an NCCL communicator for {}: salient was built without CUDA", device.str()));
}

#endif

}  // namespace salient::comm
