// A thin RAII layer over the HDF5 C library: owned identifiers, files, and typed reads
// and writes of whole datasets. Every failure throws salient::Error naming the file and
// the dataset, with HDF5's own innermost message.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace salient::io::h5 {

/// Owns one HDF5 identifier and closes it with the matching H5?close.
class Id {
 public:
  using Closer = herr_t (*)(hid_t);
  Id() = default;
  Id(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id(Id&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Id& operator=(Id&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  ~Id() { reset(); }

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }

 private:
  void reset() {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// Element types salient stores; maps each to its HDF5 native type.
template <typename T>
hid_t native_type();

enum class Access { read_only, read_write };

class File {
 public:
  /// Creates (truncating) a file at @p path.
  static File create(const std::string& path);
  static File open(const std::string& path, Access access = Access::read_only);

  const std::string& path() const { return path_; }
  hid_t id() const { return id_.get(); }
  bool has_dataset(const std::string& name) const;

  /// Dimensions of dataset @p name.
  std::vector<std::uint64_t> shape(const std::string& name) const;

  /// Writes a contiguous row-major array of @p dims as dataset @p name.
  template <typename T>
  void write(const std::string& name, const std::vector<std::uint64_t>& dims, const T* data);

  /// Reads the whole dataset @p name, checking that its element type converts to T.
  template <typename T>
  std::vector<T> read(const std::string& name) const;

 private:
  File(std::string path, Id id) : path_(std::move(path)), id_(std::move(id)) {}
  std::string path_;
  Id id_;
};

}  // namespace salient::io::h5
