// A thin RAII layer over the HDF5 C library: owned identifiers, files, datasets read and
// written by rows, fixed-length string datasets, and attributes. Every failure throws
// salient::Error naming the file and the dataset, with HDF5's own innermost message.
// Objects are created without HDF5's modification times, so writing the same content in
// the same order gives the same bytes, whenever and wherever it is written.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "salient/io/float16.h"

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

/// The HDF5 native type of each element type salient stores.
template <typename T>
hid_t native_type();

/// How a new dataset is laid out on disk.
struct Layout {
  /// Chunk shape; empty = contiguous storage.
  std::vector<std::uint64_t> chunk;
  /// zlib deflate level 1–9 with the byte-shuffle filter; 0 = uncompressed.
  int deflate_level = 0;
};

/// An open dataset: its shape and element type, read and written by leading-dimension rows.
class Dataset {
 public:
  const std::vector<std::uint64_t>& shape() const { return shape_; }
  /// Elements in one row (the product of every dimension but the first).
  std::uint64_t row_elements() const;
  /// "uint8", "int8", "uint16", "int32", "int64", "float16", "float32", "float64", "string" or
  /// "other".
  std::string element_name() const;
  /// True when the stored element type is exactly T (class, size and signedness).
  template <typename T>
  bool holds() const;

  /// Reads rows [first, first + count) into @p out (count × row_elements() values).
  template <typename T>
  void read_rows(std::uint64_t first, std::uint64_t count, T* out) const;
  template <typename T>
  void write_rows(std::uint64_t first, std::uint64_t count, const T* data);
  /// Reads every value; the element type must be exactly T.
  template <typename T>
  std::vector<T> read_all() const;
  /// Reads a one-dimensional fixed-length string dataset.
  std::vector<std::string> read_strings() const;

  /// "'file.h5', dataset 'images'": how errors name this dataset.
  const std::string& where() const { return where_; }

 private:
  friend class File;
  Dataset(Id id, std::string where);
  /// The file and memory dataspaces of rows [first, first + count), checked against the shape.
  struct RowSelection {
    Id file;
    Id memory;
  };
  RowSelection select_rows(std::uint64_t first, std::uint64_t count) const;
  Id id_;
  Id type_;
  std::vector<std::uint64_t> shape_;
  std::string where_;
};

enum class Access { read_only, read_write };

class File {
 public:
  /// Creates (truncating) a file at @p path.
  static File create(const std::string& path);
  static File open(const std::string& path, Access access = Access::read_only);

  const std::string& path() const { return path_; }
  hid_t id() const { return id_.get(); }
  bool has_dataset(const std::string& name) const;
  /// Opens dataset @p name. @p chunk_cache_bytes sizes HDF5's chunk cache for it (-1:
  /// the library default); 0 makes reads of whole uncompressed chunks go straight to the
  /// caller's buffer instead of through the cache.
  Dataset dataset(const std::string& name, std::int64_t chunk_cache_bytes = -1) const;

  /// Creates dataset @p name of element type T and shape @p dims (intermediate groups too).
  template <typename T>
  Dataset create_dataset(const std::string& name, const std::vector<std::uint64_t>& dims,
                         const Layout& layout = {});
  /// Writes a contiguous row-major array of @p dims as dataset @p name.
  template <typename T>
  void write(const std::string& name, const std::vector<std::uint64_t>& dims, const T* data,
             const Layout& layout = {});
  /// Reads the whole dataset @p name; its element type must be exactly T.
  template <typename T>
  std::vector<T> read(const std::string& name) const {
    return dataset(name).read_all<T>();
  }
  /// Writes @p values as a one-dimensional dataset of fixed-length ASCII strings.
  void write_strings(const std::string& name, const std::vector<std::string>& values);
  std::vector<std::string> read_strings(const std::string& name) const { return dataset(name).read_strings(); }

  /// Attributes on the root group.
  void set_attribute(const std::string& name, const std::string& value);
  void set_attribute(const std::string& name, std::int64_t value);
  std::string string_attribute(const std::string& name) const;
  std::int64_t int_attribute(const std::string& name) const;
  /// Names of the root group's attributes, in name order.
  std::vector<std::string> attribute_names() const;

  /// Writes everything buffered for this file to the operating system.
  void flush();

 private:
  File(std::string path, Id id) : path_(std::move(path)), id_(std::move(id)) {}
  std::string where(const std::string& name) const;
  std::string path_;
  Id id_;
};

}  // namespace salient::io::h5
