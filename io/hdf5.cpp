#include "salient/io/hdf5.h"

#include <fmt/format.h>

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

}  // namespace

template <> hid_t native_type<std::uint8_t>() { return H5T_NATIVE_UINT8; }
template <> hid_t native_type<std::int8_t>() { return H5T_NATIVE_INT8; }
template <> hid_t native_type<std::uint16_t>() { return H5T_NATIVE_UINT16; }
template <> hid_t native_type<std::int32_t>() { return H5T_NATIVE_INT32; }
template <> hid_t native_type<std::int64_t>() { return H5T_NATIVE_INT64; }
template <> hid_t native_type<float>() { return H5T_NATIVE_FLOAT; }
template <> hid_t native_type<double>() { return H5T_NATIVE_DOUBLE; }

File File::create(const std::string& path) {
  return File(path, checked(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                            fmt::format("cannot create HDF5 file '{}'", path)));
}

File File::open(const std::string& path, Access access) {
  const unsigned flags = access == Access::read_only ? H5F_ACC_RDONLY : H5F_ACC_RDWR;
  return File(path, checked(H5Fopen(path.c_str(), flags, H5P_DEFAULT), H5Fclose,
                            fmt::format("cannot open HDF5 file '{}'", path)));
}

bool File::has_dataset(const std::string& name) const {
  return H5Lexists(id(), name.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::uint64_t> File::shape(const std::string& name) const {
  const std::string where = fmt::format("'{}', dataset '{}'", path_, name);
  Id dataset = checked(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open " + where);
  Id space = checked(H5Dget_space(dataset.get()), H5Sclose, "cannot read the shape of " + where);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  SALIENT_CHECK(rank >= 0, "cannot read the rank of {}", where);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return {dims.begin(), dims.end()};
}

template <typename T>
void File::write(const std::string& name, const std::vector<std::uint64_t>& dims, const T* data) {
  const std::string where = fmt::format("'{}', dataset '{}'", path_, name);
  const std::vector<hsize_t> hdims(dims.begin(), dims.end());
  Id space = checked(H5Screate_simple(static_cast<int>(hdims.size()), hdims.data(), nullptr), H5Sclose,
                     "cannot describe the shape of " + where);
  Id dataset = checked(H5Dcreate2(id(), name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                                  H5P_DEFAULT),
                       H5Dclose, "cannot create " + where);
  checked_status(H5Dwrite(dataset.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
                 "cannot write " + where);
}

template <typename T>
std::vector<T> File::read(const std::string& name) const {
  const std::string where = fmt::format("'{}', dataset '{}'", path_, name);
  Id dataset = checked(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), H5Dclose, "cannot open " + where);
  Id space = checked(H5Dget_space(dataset.get()), H5Sclose, "cannot read the shape of " + where);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  SALIENT_CHECK(count >= 0, "cannot count the elements of {}", where);
  Id stored_type = checked(H5Dget_type(dataset.get()), H5Tclose, "cannot read the type of " + where);
  SALIENT_CHECK(H5Tget_class(stored_type.get()) == H5Tget_class(native_type<T>()),
                "{} holds elements of another class than the {} expected", where,
                std::is_floating_point_v<T> ? "floating-point numbers" : "integers");
  std::vector<T> values(static_cast<std::size_t>(count));
  checked_status(H5Dread(dataset.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
                 "cannot read " + where);
  return values;
}

#define SALIENT_H5_INSTANTIATE(T)                                                               \
  template void File::write<T>(const std::string&, const std::vector<std::uint64_t>&, const T*); \
  template std::vector<T> File::read<T>(const std::string&) const;
SALIENT_H5_INSTANTIATE(std::uint8_t)
SALIENT_H5_INSTANTIATE(std::int8_t)
SALIENT_H5_INSTANTIATE(std::uint16_t)
SALIENT_H5_INSTANTIATE(std::int32_t)
SALIENT_H5_INSTANTIATE(std::int64_t)
SALIENT_H5_INSTANTIATE(float)
SALIENT_H5_INSTANTIATE(double)
#undef SALIENT_H5_INSTANTIATE

}  // namespace salient::io::h5
