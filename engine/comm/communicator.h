// Collectives on tensors over the ranks of a job, for data-parallel training (DESIGN.md
// "Distribution"): MPI for CPU tensors, NCCL for CUDA tensors (one GPU per rank, the NCCL id
// broadcast over MPI), and an in-process group whose ranks are threads, for unit tests.
//
// Every rank calls each collective in the same order with a contiguous tensor of the same
// element type and count. Before the data moves, the ranks exchange (type, count): a
// mismatch throws salient::Error on every rank alike, naming each rank's tensor, instead of
// corrupting memory or hanging. Every rank receives the same bits: the MPI all-reduce is a
// reduce to rank 0 and a broadcast (MPI_Allreduce does not promise identical results on all
// ranks), NCCL's ring and tree all-reduces broadcast one result, and the in-process group
// sums in rank order. Errors of MPI and NCCL name the call, host and rank.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/comm/mpi_session.h"

namespace salient::comm {

enum class ReduceOp { sum, mean };

/// Where a rank runs: its place in the job and on its host (which picks its GPU and its
/// share of the host's cores).
struct RankPlacement {
  int rank = 0;
  int size = 1;
  int local_rank = 0;
  int local_size = 1;
  std::string host;
};

/// This process's placement in the MPI job.
RankPlacement placement_of(const MpiSession& mpi);

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;
  /// "mpi", "nccl" or "in-process".
  virtual std::string backend() const = 0;

  /// Replaces @p tensor on every rank with the element-wise sum (or mean) over the ranks.
  virtual void all_reduce(at::Tensor& tensor, ReduceOp op) = 0;
  /// Copies rank @p root's @p tensor into every rank's.
  virtual void broadcast(at::Tensor& tensor, int root) = 0;
  /// On @p root: size × (the tensor's shape), rank r's tensor at index r; elsewhere undefined.
  virtual at::Tensor gather(const at::Tensor& tensor, int root) = 0;
  /// Returns once every rank has called it (on a GPU, after this rank's queued work).
  virtual void barrier() = 0;
};

/// MPI_COMM_WORLD for CPU tensors (float32, float64, int32, int64, uint8).
std::unique_ptr<Communicator> make_mpi_communicator(const MpiSession& mpi);

/// An NCCL communicator over every rank of the job, each rank on CUDA device @p device
/// (normally local_rank % device_count); it works on LibTorch's current stream of that
/// device. Throws salient::Error in a build without CUDA.
std::unique_ptr<Communicator> make_nccl_communicator(const MpiSession& mpi, const c10::Device& device);

/// NCCL when @p device is a CUDA device, else MPI.
std::unique_ptr<Communicator> make_communicator(const MpiSession& mpi, const c10::Device& device);

/// @p size communicators sharing one group; communicator r is rank r and must be used by
/// one thread at a time (one thread per rank).
std::vector<std::unique_ptr<Communicator>> make_in_process_communicators(int size);

}  // namespace salient::comm
