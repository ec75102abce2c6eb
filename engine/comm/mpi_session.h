// The process's MPI lifetime and identity. One MpiSession per process, created in main();
// every MPI call is wrapped in SALIENT_MPI_CHECK, whose errors name host and rank.
#pragma once

#include <mpi.h>

#include <string>

#include "salient/check.h"

namespace salient::comm {

class MpiSession {
 public:
  /// MPI_Init_thread with MPI_THREAD_FUNNELED: only the main thread calls MPI.
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  /// Rank among the processes on this host: selects the GPU (local_rank % device_count).
  int local_rank() const { return local_rank_; }
  /// Processes on this host: they share its CPU cores.
  int local_size() const { return local_size_; }
  const std::string& host() const { return host_; }

 private:
  int rank_ = 0;
  int size_ = 1;
  int local_rank_ = 0;
  int local_size_ = 1;
  std::string host_;
};

/// "Open MPI v4.1.4, ..." — callable before MPI_Init.
std::string mpi_library_version();

/// Throws salient::Error naming the MPI call, its error string, this host and rank.
void throw_mpi_error(int code, const char* call, const char* file, int line);

}  // namespace salient::comm

#define SALIENT_MPI_CHECK(call)                                                             \
  do {                                                                                      \
    const int salient_mpi_code = (call);                                                    \
    if (salient_mpi_code != MPI_SUCCESS)                                                    \
      ::salient::comm::throw_mpi_error(salient_mpi_code, #call, __FILE__, __LINE__);        \
  } while (false)
