#include "salient/io/hdf5.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <numeric>
#include <type_traits>

#include "salient/check.h"

namespace salient::io::h5 {
namespace {

// HDF5 prints its error stack to stderr by default; salient reports errors itself.
struct SilenceAutomaticErrorPrinting {
  SilenceAutomaticErrorPrinting() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const SilenceAutomaticErrorPrinting silence_once;

herr_t keep_innermost(unsigned, const H5E_error2_t* error, void* out) {
  auto* message = static_cast<std::string*>(out);
  if (message->empty() && error->desc) *message = error->desc;
  return 0;
}

// The deepest description on HDF5's error stack: the most specific cause.
std::string hdf5_reason() {
  std::string message;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &message);
  H5Eclear2(H5E_DEFAULT);
  return message.empty() ? "unknown HDF5 error" : message;
}

Id checked(hid_t id, Id::Closer closer, const std::string& what) {
  SALIENT_CHECK(id >= 0, "{}: {}", what, hdf5_reason());
  return Id(id, closer);
}

void checked_status(herr_t status, const std::string& what) {
  SALIENT_CHECK(status >= 0, "{}: {}", what, hdf5_reason());
}

// HDF5 stamps objects with their modification time by default, which would make two
// writes of the same content differ in a few bytes: every object salient creates (the
// root group through the file's properties, groups, datasets) is created untimed, so
// equal content gives equal files.
void untimed(hid_t properties, const std::string& where) {
  checked_status(H5Pset_obj_track_times(properties, false), "cannot switch off time stamps of " + where);
}

Id simple_space(const std::vector<hsize_t>& dims, const std::string& where) {
  return checked(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose,
                 "cannot describe the shape of " + where);
}

// A copy of the C string type, fixed at @p width bytes, NUL-padded.
Id fixed_string_type(std::size_t width) {
  Id type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), std::max<std::size_t>(width, 1));
  H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
  return type;
}

std::string until_nul(const char* text, std::size_t width) {
  return std::string(text, static_cast<std::size_t>(std::find(text, text + width, '\0') - text));
}

// Reads strings stored either fixed-length or variable-length from @p object.
template <typename Reader>
std::vector<std::string> read_any_strings(hid_t stored_type, std::size_t count, const std::string& where,
                                          Reader read) {
  SALIENT_CHECK(H5Tget_class(stored_type) == H5T_STRING, "{} does not hold strings", where);
  std::vector<std::string> values;
  values.reserve(count);
  if (H5Tis_variable_str(stored_type) > 0) {
    Id memory_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory_type.get(), H5T_VARIABLE);
    std::vector<char*> pointers(count, nullptr);
    checked_status(read(memory_type.get(), pointers.data()), "cannot read the strings of " + where);
    for (char* text : pointers) {
      values.emplace_back(text ? text : "");
      std::free(text);  // HDF5 allocated each string with malloc
    }
    return values;
  }
  const std::size_t width = H5Tget_size(stored_type);
  Id memory_type = fixed_string_type(width);
  std::vector<char> buffer(count * width);
  checked_status(read(memory_type.get(), buffer.data()), "cannot read the strings of " + where);
  for (std::size_t i = 0; i < count; ++i) values.push_back(until_nul(buffer.data() + i * width, width));
  return values;
}

}  // namespace

template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t native_type<std::int8_t>() { return H5T_NATIVE_INT8; }
template <> hid_t native_type<std::uint16_t>() { return H5T_NATIVE_UINT16; }
template <> hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }
// IEEE binary16, little-endian, laid out as numpy's float16 (which h5py reads it as). Made
// once and never closed: HDF5 has no predefined half type before 1.14.4.
template <> hid_t native_type<Float16>() {
  static const hid_t type = [] {
    const hid_t half = H5Tcopy(H5T_IEEE_F32LE);
    SALIENT_CHECK(half >= 0 && H5Tset_fields(half, 15, 10, 5, 0, 10) >= 0 && H5Tset_size(half, 2) >= 0 &&
                      H5Tset_precision(half, 16) >= 0 && H5Tset_ebias(half, 15) >= 0,
                  "cannot make HDF5's 16-bit float type");
    return half;
  }();
  return type;
}

// ---- Dataset -------------------------------------------------------------------------

Dataset::Dataset(Id id, std::string where) : id_(std::move(id)), where_(std::move(where)) {
  type_ = checked(H5Dget_type(id_.get()), H5Tclose, "cannot read the element type of " + where_);
  Id space = checked(H5Dget_space(id_.get()), H5Sclose, "cannot read the shape of " + where_);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  SALIENT_CHECK(rank >= 0, "cannot read the rank of {}", where_);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  shape_.assign(dims.begin(), dims.end());
}

std::uint64_t Dataset::row_elements() const {
  return std::accumulate(shape_.begin() + (shape_.empty() ? 0 : 1), shape_.end(), std::uint64_t{1},
                         std::multiplies<>());
}

template <typename T>
bool Dataset::holds() const {
  if (H5Tget_class(type_.get()) != H5Tget_class(native_type<T>())) return false;
  if constexpr (std::is_same_v<T, Float16>) return H5Tequal(type_.get(), native_type<Float16>()) > 0;
  Id native(H5Tget_native_type(type_.get(), H5T_DIR_ASCEND), H5Tclose);
  return native && H5Tequal(native.get(), native_type<T>()) > 0;
}

std::string Dataset::element_name() const {
  if (holds<std::uint8_t>()) return "uint8";
  if (holds<std::int8_t>()) return "int8";
  if (holds<std::uint16_t>()) return "uint16";
  if (holds<std::int32_t>()) return "int32";
  if (holds<std::int64_t>()) return "int64";
  if (holds<Float16>()) return "float16";
  if (holds<float>()) return "float32";
  if (holds<double>()) return "float64";
  if (H5Tget_class(type_.get()) == H5T_STRING) return "string";
  return "other";
}

Dataset::RowSelection Dataset::select_rows(std::uint64_t first, std::uint64_t count) const {
  SALIENT_CHECK(!shape_.empty(), "{} is a scalar, not rows", where_);
  SALIENT_CHECK(first <= shape_[0] && count <= shape_[0] - first, "{}: rows {}..{} requested, it has {}", where_,
                first, first + count, shape_[0]);
  if (count == 0) return {};  // nothing to select: callers read or write nothing
  std::vector<hsize_t> start(shape_.size(), 0), extent(shape_.begin(), shape_.end());
  start[0] = first;
  extent[0] = count;
  Id file_space = checked(H5Dget_space(id_.get()), H5Sclose, "cannot read the shape of " + where_);
  checked_status(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
                 "cannot select rows of " + where_);
  return {std::move(file_space), simple_space(extent, where_)};
}

template <typename T>
void Dataset::read_rows(std::uint64_t first, std::uint64_t count, T* out) const {
  SALIENT_CHECK(holds<T>(), "{} holds {}, not the expected type", where_, element_name());
  const RowSelection rows = select_rows(first, count);
  if (count == 0) return;
  checked_status(H5Dread(id_.get(), native_type<T>(), rows.memory.get(), rows.file.get(), H5P_DEFAULT, out),
                 fmt::format("cannot read rows {}..{} of {}", first, first + count, where_));
}

template <typename T>
void Dataset::write_rows(std::uint64_t first, std::uint64_t count, const T* data) {
  const RowSelection rows = select_rows(first, count);
  if (count == 0) return;
  checked_status(H5Dwrite(id_.get(), native_type<T>(), rows.memory.get(), rows.file.get(), H5P_DEFAULT, data),
                 fmt::format("cannot write rows {}..{} of {}", first, first + count, where_));
}

template <typename T>
std::vector<T> Dataset::read_all() const {
  SALIENT_CHECK(holds<T>(), "{} holds {}, not the expected type", where_, element_name());
  std::uint64_t count = 1;
  for (auto d : shape_) count *= d;
  std::vector<T> values(count);
  if (count > 0) {
    checked_status(H5Dread(id_.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                   "cannot read " + where_);
  }
  return values;
}

std::vector<std::string> Dataset::read_strings() const {
  SALIENT_CHECK(shape_.size() == 1, "{} must be one-dimensional, it has {} dimensions", where_, shape_.size());
  return read_any_strings(type_.get(), shape_[0], where_, [&](hid_t memory_type, void* out) {
    return H5Dread(id_.get(), memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, out);
  });
}

// ---- File ----------------------------------------------------------------------------

File File::create(const std::string& path) {
  const std::string what = fmt::format("cannot create HDF5 file '{}'", path);
  Id properties = checked(H5Pcreate(H5P_FILE_CREATE), H5Pclose, what);
  untimed(properties.get(), fmt::format("'{}'", path));
  return File(path, checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, properties.get(), H5P_DEFAULT), H5Fclose, what));
}

File File::open(const std::string& path, Access access) {
  const unsigned flags = access == Access::read_only ? H5F_ACC_RDONLY : H5F_ACC_RDWR;
  return File(path, checked(H5Fopen(path.c_str(), flags, H5P_DEFAULT), H5Fclose,
                            fmt::format("cannot open HDF5 file '{}'", path)));
}

std::string File::where(const std::string& name) const { return fmt::format("'{}', dataset '{}'", path_, name); }

bool File::has_dataset(const std::string& name) const {
  // H5Lexists fails on a missing intermediate group: check each level.
  std::size_t slash = 0;
  while ((slash = name.find('/', slash + 1)) != std::string::npos) {
    if (H5Lexists(id(), name.substr(0, slash).c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return H5Lexists(id(), name.c_str(), H5P_DEFAULT) > 0;
}

Dataset File::dataset(const std::string& name, std::int64_t chunk_cache_bytes) const {
  SALIENT_CHECK(has_dataset(name), "{} is missing", where(name));
  Id access = checked(H5Pcreate(H5P_DATASET_ACCESS), H5Pclose, "cannot open " + where(name));
  if (chunk_cache_bytes >= 0) {
    checked_status(H5Pset_chunk_cache(access.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT,
                                      static_cast<std::size_t>(chunk_cache_bytes), H5D_CHUNK_CACHE_W0_DEFAULT),
                   "cannot size the chunk cache of " + where(name));
  }
  return Dataset(checked(H5Dopen2(id(), name.c_str(), access.get()), H5Dclose, "cannot open " + where(name)),
                 where(name));
}

namespace {
Id creation_properties(const Layout& layout, const std::string& where) {
  Id properties = checked(H5Pcreate(H5P_DATASET_CREATE), H5Pclose, "cannot lay out " + where);
  untimed(properties.get(), where);
  if (!layout.chunk.empty()) {
    const std::vector<hsize_t> chunk(layout.chunk.begin(), layout.chunk.end());
    checked_status(H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data()),
                   "cannot chunk " + where);
    if (layout.deflate_level > 0) {
      checked_status(H5Pset_shuffle(properties.get()), "cannot shuffle " + where);
      checked_status(H5Pset_deflate(properties.get(), static_cast<unsigned>(layout.deflate_level)),
                     "cannot compress " + where);
    }
  }
  return properties;
}

// Creates the missing groups above dataset @p name ("criteria" for "criteria/entropy")
// itself rather than through HDF5's intermediate-group option, which would create them
// with default, timed, properties.
void create_parent_groups(hid_t file, const std::string& name, const std::string& where) {
  Id properties = checked(H5Pcreate(H5P_GROUP_CREATE), H5Pclose, "cannot create the groups of " + where);
  untimed(properties.get(), where);
  for (std::size_t slash = name.find('/', 1); slash != std::string::npos; slash = name.find('/', slash + 1)) {
    const std::string group = name.substr(0, slash);
    if (H5Lexists(file, group.c_str(), H5P_DEFAULT) > 0) continue;
    checked(H5Gcreate2(file, group.c_str(), H5P_DEFAULT, properties.get(), H5P_DEFAULT), H5Gclose,
            fmt::format("cannot create group '{}' for {}", group, where));
  }
}
}  // namespace

template <typename T>
Dataset File::create_dataset(const std::string& name, const std::vector<std::uint64_t>& dims, const Layout& layout) {
  Id space = simple_space({dims.begin(), dims.end()}, where(name));
  Id properties = creation_properties(layout, where(name));
  create_parent_groups(id(), name, where(name));
  return Dataset(checked(H5Dcreate2(id(), name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT, properties.get(),
                                    H5P_DEFAULT),
                         H5Dclose, "cannot create " + where(name)),
                 where(name));
}

template <typename T>
void File::write(const std::string& name, const std::vector<std::uint64_t>& dims, const T* data, const Layout& layout) {
  Dataset dataset = create_dataset<T>(name, dims, layout);
  if (!dims.empty() && dims[0] > 0) dataset.write_rows(0, dims[0], data);
}

void File::write_strings(const std::string& name, const std::vector<std::string>& values) {
  std::size_t width = 1;
  for (const auto& value : values) width = std::max(width, value.size());
  std::vector<char> buffer(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) values[i].copy(buffer.data() + i * width, width);
  Id type = fixed_string_type(width);
  Id space = simple_space({values.size()}, where(name));
  Id properties = creation_properties({}, where(name));
  create_parent_groups(id(), name, where(name));
  Id dataset = checked(H5Dcreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, properties.get(),
                                  H5P_DEFAULT),
                       H5Dclose, "cannot create " + where(name));
  if (!values.empty()) {
    checked_status(H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()),
                   "cannot write " + where(name));
  }
}

void File::set_attribute(const std::string& name, const std::string& value) {
  Id type = fixed_string_type(value.size());
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute = checked(H5Acreate2(id(), name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
                         fmt::format("cannot create attribute '{}' in '{}'", name, path_));
  std::string padded = value.empty() ? std::string(1, '\0') : value;
  checked_status(H5Awrite(attribute.get(), type.get(), padded.data()),
                 fmt::format("cannot write attribute '{}' in '{}'", name, path_));
}

void File::set_attribute(const std::string& name, std::int64_t value) {
  Id space(H5Screate(H5S_SCALAR), H5Sclose);
  Id attribute =
      checked(H5Acreate2(id(), name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose,
              fmt::format("cannot create attribute '{}' in '{}'", name, path_));
  checked_status(H5Awrite(attribute.get(), H5T_NATIVE_INT64, &value),
                 fmt::format("cannot write attribute '{}' in '{}'", name, path_));
}

std::string File::string_attribute(const std::string& name) const {
  const std::string what = fmt::format("attribute '{}' of '{}'", name, path_);
  SALIENT_CHECK(H5Aexists(id(), name.c_str()) > 0, "{} is missing", what);
  Id attribute = checked(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose, "cannot open " + what);
  Id type = checked(H5Aget_type(attribute.get()), H5Tclose, "cannot read the type of " + what);
  return read_any_strings(type.get(), 1, what, [&](hid_t memory_type, void* out) {
    return H5Aread(attribute.get(), memory_type, out);
  })[0];
}

std::vector<std::string> File::attribute_names() const {
  std::vector<std::string> names;
  hsize_t position = 0;
  const herr_t listed = H5Aiterate2(
      id(), H5_INDEX_NAME, H5_ITER_INC, &position,
      [](hid_t, const char* name, const H5A_info_t*, void* out) -> herr_t {
        static_cast<std::vector<std::string>*>(out)->emplace_back(name);
        return 0;
      },
      &names);
  checked_status(listed, fmt::format("cannot list the attributes of '{}'", path_));
  return names;
}

std::int64_t File::int_attribute(const std::string& name) const {
  const std::string what = fmt::format("attribute '{}' of '{}'", name, path_);
  SALIENT_CHECK(H5Aexists(id(), name.c_str()) > 0, "{} is missing", what);
  Id attribute = checked(H5Aopen(id(), name.c_str(), H5P_DEFAULT), H5Aclose, "cannot open " + what);
  Id type = checked(H5Aget_type(attribute.get()), H5Tclose, "cannot read the type of " + what);
  SALIENT_CHECK(H5Tget_class(type.get()) == H5T_INTEGER, "{} is not an integer", what);
  std::int64_t value = 0;
  checked_status(H5Aread(attribute.get(), H5T_NATIVE_INT64, &value), "cannot read " + what);
  return value;
}

void File::flush() { checked_status(H5Fflush(id(), H5F_SCOPE_GLOBAL), "cannot flush '" + path_ + "'"); }

#define SALIENT_H5_INSTANTIATE(T)                                                                               \
  template bool Dataset::holds<T>() const;                                                                      \
  template void Dataset::read_rows<T>(std::uint64_t, std::uint64_t, T*) const;                                  \
  template void Dataset::write_rows<T>(std::uint64_t, std::uint64_t, const T*);                                 \
  template std::vector<T> Dataset::read_all<T>() const;                                                         \
  template Dataset File::create_dataset<T>(const std::string&, const std::vector<std::uint64_t>&, const Layout&); \
  template void File::write<T>(const std::string&, const std::vector<std::uint64_t>&, const T*, const Layout&);
SALIENT_H5_INSTANTIATE(std::uint8_t)
SALIENT_H5_INSTANTIATE(std::int8_t)
SALIENT_H5_INSTANTIATE(std::uint16_t)
SALIENT_H5_INSTANTIATE(std::int32_t)
SALIENT_H5_INSTANTIATE(std::int64_t)
SALIENT_H5_INSTANTIATE(float)
SALIENT_H5_INSTANTIATE(double)
SALIENT_H5_INSTANTIATE(Float16)
#undef SALIENT_H5_INSTANTIATE

}  // namespace salient::io::h5
