#include "salient/io/host_buffer.h"

#include <cstdlib>
#include <new>
#include <utility>

#ifdef SALIENT_WITH_CUDA
#include <cuda_runtime_api.h>
#endif

namespace salient::io {
namespace {

constexpr std::size_t kAlignment = 64;

#ifdef SALIENT_WITH_CUDA
bool cuda_usable() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return count > 0;
}
#endif

}  // namespace

HostBuffer::HostBuffer(std::size_t bytes, bool pinned_if_possible) : size_(bytes) {
#ifdef SALIENT_WITH_CUDA
  if (pinned_if_possible && cuda_usable() && cudaMallocHost(&data_, bytes) == cudaSuccess) {
    pinned_ = true;
    return;
  }
  cudaGetLastError();
#else
  (void)pinned_if_possible;
#endif
  data_ = std::aligned_alloc(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
  if (!data_ && bytes > 0) throw std::bad_alloc();
}

HostBuffer::HostBuffer(HostBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      pinned_(std::exchange(other.pinned_, false)) {}

HostBuffer& HostBuffer::operator=(HostBuffer&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    pinned_ = std::exchange(other.pinned_, false);
  }
  return *this;
}

HostBuffer::~HostBuffer() { release(); }

void HostBuffer::release() {
  if (!data_) return;
#ifdef SALIENT_WITH_CUDA
  if (pinned_) {
    cudaFreeHost(data_);
    data_ = nullptr;
    return;
  }
#endif
  std::free(data_);
  data_ = nullptr;
}

}  // namespace salient::io
