// SALIENT_CUDA_CHECK wraps every CUDA runtime call; SALIENT_CUDA_CHECK_LAUNCH follows every
// kernel launch. Both throw salient::Error naming the call, file and line.
#pragma once

#include <cuda_runtime_api.h>

#include "salient/check.h"

#define SALIENT_CUDA_CHECK(call)                                                        \
  do {                                                                                  \
    const cudaError_t salient_cuda_status = (call);                                     \
    SALIENT_CHECK(salient_cuda_status == cudaSuccess, "CUDA error {} ({}) in {}",         \
                  cudaGetErrorName(salient_cuda_status), cudaGetErrorString(salient_cuda_status), #call); \
  } while (false)

#define SALIENT_CUDA_CHECK_LAUNCH() SALIENT_CUDA_CHECK(cudaGetLastError())
