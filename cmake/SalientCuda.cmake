# Decide whether the CUDA twins are built. They are built whenever nvcc exists, even on
# machines without a GPU (the binary then falls back to the CPU at run time); a machine
# without nvcc gets a CPU-only build and says so.
set(SALIENT_WITH_CUDA OFF)
if(SALIENT_ENABLE_CUDA)
  include(CheckLanguage)
  if(NOT DEFINED CMAKE_CUDA_COMPILER AND EXISTS /usr/local/cuda/bin/nvcc)
    set(CMAKE_CUDA_COMPILER /usr/local/cuda/bin/nvcc)
  endif()
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    # "native" fails at generate time on a machine without a GPU: default to Hopper
    # (the H100/H200 machines) and let a GPU machine override it.
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 90)
    endif()
    enable_language(CUDA)
    set(CMAKE_CUDA_STANDARD 17)
    set(CMAKE_CUDA_STANDARD_REQUIRED ON)
    find_package(CUDAToolkit REQUIRED)
    set(SALIENT_WITH_CUDA ON)
  else()
    message(WARNING "nvcc not found: building salient for the CPU only (no CUDA twins, no NCCL)")
  endif()
else()
  message(STATUS "SALIENT_ENABLE_CUDA=OFF: building salient for the CPU only")
endif()
