# Every third-party dependency, found once, exposed as imported targets.
# scripts/install-deps.sh installs all of them on Debian (LibTorch from PyTorch's wheel in .venv/).

find_package(Threads REQUIRED)
find_package(MPI REQUIRED COMPONENTS C CXX)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
# PyTorch's wheel ships fmt 12 headers in its include directory, which the compiler
# searches before /usr/include; spdlog 1.10 and libfmt are fmt 9. A directory holding only
# a link to the system's fmt headers, searched first (-I precedes -isystem), keeps every
# translation unit on the fmt that matches the library. LibTorch's own headers use no fmt.
get_target_property(_salient_fmt_include fmt::fmt INTERFACE_INCLUDE_DIRECTORIES)
set(_salient_fmt_shim "${PROJECT_BINARY_DIR}/system-fmt")
file(MAKE_DIRECTORY "${_salient_fmt_shim}")
file(CREATE_LINK "${_salient_fmt_include}/fmt" "${_salient_fmt_shim}/fmt" SYMBOLIC)
add_library(salient_fmt INTERFACE)
target_include_directories(salient_fmt BEFORE INTERFACE "${_salient_fmt_shim}")
target_link_libraries(salient_fmt INTERFACE fmt::fmt)
find_package(spdlog REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(ZLIB REQUIRED)
# Intel ISA-L's CRC-32 (PCLMULQDQ/AVX-512 folding, ~13× zlib's on dev-2c) checks every shard
# as it is read; the same polynomial as zlib's, so manifests stay zlib.crc32-compatible.
find_path(ISAL_INCLUDE_DIR isa-l/crc.h REQUIRED)
find_library(ISAL_LIBRARY isal REQUIRED)
add_library(ISAL::isal UNKNOWN IMPORTED)
set_target_properties(ISAL::isal PROPERTIES IMPORTED_LOCATION "${ISAL_LIBRARY}"
                                            INTERFACE_INCLUDE_DIRECTORIES "${ISAL_INCLUDE_DIR}")
find_package(PNG REQUIRED)
find_package(libjpeg-turbo CONFIG REQUIRED)
find_package(DCMTK CONFIG REQUIRED)
# cpp-httplib (Debian's libcpp-httplib-dev) for `salient review`; it ships a pkg-config file only.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CPP_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# LibTorch: the CMake package inside PyTorch's wheel, located through the Python that has
# it (the project's .venv/ by default; on the GPU machines the image's own python3).
if(NOT SALIENT_PYTHON)
  if(EXISTS "${PROJECT_SOURCE_DIR}/.venv/bin/python")
    set(SALIENT_PYTHON "${PROJECT_SOURCE_DIR}/.venv/bin/python")
  else()
    find_program(SALIENT_PYTHON NAMES python3 python REQUIRED)
  endif()
endif()
set(SALIENT_PYTHON "${SALIENT_PYTHON}" CACHE FILEPATH "Python interpreter whose torch provides LibTorch")
execute_process(
  COMMAND "${SALIENT_PYTHON}" -c "import torch, os; print(torch.utils.cmake_prefix_path); print(os.path.dirname(os.path.dirname(torch.__file__)))"
  OUTPUT_VARIABLE _salient_torch_paths
  RESULT_VARIABLE _salient_torch_result
  OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _salient_torch_result EQUAL 0)
  message(FATAL_ERROR "${SALIENT_PYTHON} cannot import torch. Run scripts/install-deps.sh "
                      "(it installs torch==2.11.0 into .venv/) or pass -DSALIENT_PYTHON=<python with torch>.")
endif()
string(REPLACE "\n" ";" _salient_torch_paths "${_salient_torch_paths}")
list(GET _salient_torch_paths 0 _salient_torch_cmake)
list(GET _salient_torch_paths 1 SALIENT_PYTHON_SITE_PACKAGES)
list(APPEND CMAKE_PREFIX_PATH "${_salient_torch_cmake}")
# Torch's CMake package otherwise adds nvcc flags for a dozen architectures; salient's own
# CUDA code is built for CMAKE_CUDA_ARCHITECTURES, and torch is told the same.
if(SALIENT_WITH_CUDA AND NOT DEFINED ENV{TORCH_CUDA_ARCH_LIST})
  list(GET CMAKE_CUDA_ARCHITECTURES 0 _salient_first_arch)
  string(REGEX REPLACE "^([0-9]+)([0-9])[a-z]?$" "\\1.\\2" _salient_torch_arch "${_salient_first_arch}")
  set(ENV{TORCH_CUDA_ARCH_LIST} "${_salient_torch_arch}")
endif()
# PyTorch's PyPI wheel is built with CUDA, and its CMake package refuses to load where no
# CUDA toolkit is installed, although its libraries need none (the CUDA runtime comes from
# the nvidia-* wheels beside it). Without a toolkit, import LibTorch's libraries directly.
if(NOT SALIENT_WITH_CUDA)
  find_package(CUDAToolkit QUIET)
endif()
if(SALIENT_WITH_CUDA OR CUDAToolkit_FOUND)
  # Torch's package also resets CMAKE_CUDA_ARCHITECTURES in this scope: keep ours aside.
  set(_salient_cuda_architectures "${CMAKE_CUDA_ARCHITECTURES}")
  unset(CMAKE_CUDA_ARCHITECTURES)
  find_package(Torch REQUIRED)
  if(SALIENT_WITH_CUDA)
    set(CMAKE_CUDA_ARCHITECTURES "${_salient_cuda_architectures}")
  endif()
else()
  message(STATUS "No CUDA toolkit: importing LibTorch's libraries without its CMake package")
  set(_salient_torch "${SALIENT_PYTHON_SITE_PACKAGES}/torch")
  add_library(salient_libtorch INTERFACE)
  target_include_directories(salient_libtorch SYSTEM INTERFACE
    "${_salient_torch}/include" "${_salient_torch}/include/torch/csrc/api/include")
  target_link_libraries(salient_libtorch INTERFACE
    "${_salient_torch}/lib/libtorch.so" "${_salient_torch}/lib/libtorch_cpu.so" "${_salient_torch}/lib/libc10.so")
  set(TORCH_LIBRARIES salient_libtorch)
  execute_process(COMMAND "${SALIENT_PYTHON}" -c "import torch; print(torch.__version__.split('+')[0])"
                  OUTPUT_VARIABLE Torch_VERSION OUTPUT_STRIP_TRAILING_WHITESPACE)
endif()
if(NOT Torch_VERSION VERSION_EQUAL 2.11.0)
  message(WARNING "salient is pinned to LibTorch 2.11.0; found ${Torch_VERSION}")
endif()

# CUDA-side dependencies: CUB comes with the toolkit (CCCL); NCCL has no CMake package,
# so it is wrapped here, from the toolkit or from PyTorch's nvidia-nccl wheel.
if(SALIENT_WITH_CUDA)
  find_package(CCCL CONFIG REQUIRED HINTS "${CUDAToolkit_LIBRARY_DIR}/cmake")
  find_path(NCCL_INCLUDE_DIR nccl.h
    HINTS ${CUDAToolkit_INCLUDE_DIRS} "${SALIENT_PYTHON_SITE_PACKAGES}/nvidia/nccl/include")
  find_library(NCCL_LIBRARY NAMES nccl libnccl.so.2
    HINTS "${CUDAToolkit_LIBRARY_DIR}" "${SALIENT_PYTHON_SITE_PACKAGES}/nvidia/nccl/lib")
  if(NOT NCCL_INCLUDE_DIR OR NOT NCCL_LIBRARY)
    message(FATAL_ERROR "NCCL not found next to the CUDA toolkit (${CUDAToolkit_LIBRARY_DIR}) "
                        "nor in PyTorch's wheel; set NCCL_INCLUDE_DIR and NCCL_LIBRARY.")
  endif()
  add_library(NCCL::nccl UNKNOWN IMPORTED)
  set_target_properties(NCCL::nccl PROPERTIES
    IMPORTED_LOCATION "${NCCL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${NCCL_INCLUDE_DIR}")
  message(STATUS "NCCL: ${NCCL_LIBRARY}")
endif()
