// Host memory for image batches: page-locked (pinned) when a CUDA device is usable, so
// copies to the GPU run at full speed and asynchronously; ordinary aligned memory otherwise.
#pragma once

#include <cstddef>

namespace salient::io {

class HostBuffer {
 public:
  HostBuffer() = default;
  /// @param pinned_if_possible  request page-locked memory when CUDA is usable here
  HostBuffer(std::size_t bytes, bool pinned_if_possible);
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;
  HostBuffer(HostBuffer&& other) noexcept;
  HostBuffer& operator=(HostBuffer&& other) noexcept;
  ~HostBuffer();

  void* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool pinned() const { return pinned_; }

 private:
  void release();
  void* data_ = nullptr;
  std::size_t size_ = 0;
  bool pinned_ = false;
};

}  // namespace salient::io
