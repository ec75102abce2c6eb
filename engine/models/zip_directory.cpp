#include "engine/models/zip_directory.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "salient/check.h"

namespace salient::models {
namespace {

constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kDirectoryEntry = 0x02014b50;
constexpr std::size_t kEndOfDirectoryBytes = 22;
constexpr std::size_t kLocatorBytes = 20;

/// Little-endian fields of a byte range, bounds-checked.
class Fields {
 public:
  Fields(const std::vector<char>& bytes, std::string path) : bytes_(bytes), path_(std::move(path)) {}
  template <typename T>
  T at(std::size_t offset) const {
    SALIENT_CHECK(offset + sizeof(T) <= bytes_.size(), "{}: a damaged ZIP directory (a field past its end)", path_);
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      value |= static_cast<T>(static_cast<T>(static_cast<unsigned char>(bytes_[offset + i])) << (8 * i));
    }
    return value;
  }
  std::size_t size() const { return bytes_.size(); }

 private:
  const std::vector<char>& bytes_;
  std::string path_;
};

std::vector<char> read_range(std::ifstream& file, std::uint64_t offset, std::uint64_t count) {
  std::vector<char> bytes(static_cast<std::size_t>(count));
  file.seekg(static_cast<std::streamoff>(offset));
  file.read(bytes.data(), static_cast<std::streamsize>(count));
  return bytes;
}

}  // namespace

std::vector<ZipEntry> read_zip_directory(const std::string& path) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  SALIENT_CHECK(file, "{}: cannot open: {}", path, std::strerror(errno));
  const auto file_size = static_cast<std::uint64_t>(file.tellg());
  SALIENT_CHECK(file_size >= kEndOfDirectoryBytes, "{}: not a ZIP archive ({} bytes)", path, file_size);

  // The end-of-central-directory record: the last 22 bytes plus a comment of up to 65,535.
  const std::uint64_t tail_size = std::min<std::uint64_t>(file_size, kEndOfDirectoryBytes + 65535);
  const std::vector<char> tail = read_range(file, file_size - tail_size, tail_size);
  const Fields tail_fields(tail, path);
  std::size_t end = tail.size() - kEndOfDirectoryBytes + 1;
  do {
    --end;
  } while (end > 0 && tail_fields.at<std::uint32_t>(end) != kEndOfDirectory);
  SALIENT_CHECK(tail_fields.at<std::uint32_t>(end) == kEndOfDirectory, "{}: not a ZIP archive (no end of directory)",
                path);
  std::uint64_t entries = tail_fields.at<std::uint16_t>(end + 10);
  std::uint64_t directory_size = tail_fields.at<std::uint32_t>(end + 12);
  std::uint64_t directory_offset = tail_fields.at<std::uint32_t>(end + 16);
  if ((entries == 0xFFFF || directory_size == 0xFFFFFFFF || directory_offset == 0xFFFFFFFF) &&
      end >= kLocatorBytes && tail_fields.at<std::uint32_t>(end - kLocatorBytes) == kZip64Locator) {
    const auto record_offset = tail_fields.at<std::uint64_t>(end - kLocatorBytes + 8);
    SALIENT_CHECK(record_offset + 56 <= file_size, "{}: a damaged ZIP64 directory locator", path);
    const std::vector<char> record = read_range(file, record_offset, 56);
    const Fields zip64(record, path);
    SALIENT_CHECK(zip64.at<std::uint32_t>(0) == kZip64EndOfDirectory, "{}: a damaged ZIP64 end of directory", path);
    entries = zip64.at<std::uint64_t>(32);
    directory_size = zip64.at<std::uint64_t>(40);
    directory_offset = zip64.at<std::uint64_t>(48);
  }
  SALIENT_CHECK(directory_offset <= file_size && directory_size <= file_size - directory_offset,
                "{}: the ZIP directory ({} bytes at {}) lies outside the file ({} bytes)", path, directory_size,
                directory_offset, file_size);
  SALIENT_CHECK(entries <= directory_size / 46, "{}: the ZIP directory claims {} entries in {} bytes", path, entries,
                directory_size);

  const std::vector<char> directory = read_range(file, directory_offset, directory_size);
  SALIENT_CHECK(file, "{}: cannot read its ZIP directory", path);
  const Fields fields(directory, path);
  std::vector<ZipEntry> result;
  std::size_t at = 0;
  for (std::uint64_t e = 0; e < entries; ++e) {
    SALIENT_CHECK(fields.at<std::uint32_t>(at) == kDirectoryEntry, "{}: a damaged ZIP directory (entry {})", path, e);
    ZipEntry entry;
    entry.method = fields.at<std::uint16_t>(at + 10);
    entry.compressed_size = fields.at<std::uint32_t>(at + 20);
    entry.uncompressed_size = fields.at<std::uint32_t>(at + 24);
    const std::size_t name_length = fields.at<std::uint16_t>(at + 28);
    const std::size_t extra_length = fields.at<std::uint16_t>(at + 30);
    const std::size_t comment_length = fields.at<std::uint16_t>(at + 32);
    const std::size_t name_at = at + 46;
    SALIENT_CHECK(name_at + name_length + extra_length + comment_length <= fields.size(),
                  "{}: a damaged ZIP directory (entry {} runs past its end)", path, e);
    entry.name.assign(directory.data() + name_at, name_length);
    // ZIP64 extended information (header 0x0001): the 64-bit sizes of the fields set to 0xFFFFFFFF, in order.
    for (std::size_t x = name_at + name_length; x + 4 <= name_at + name_length + extra_length;) {
      const auto id = fields.at<std::uint16_t>(x);
      const std::size_t length = fields.at<std::uint16_t>(x + 2);
      if (id == 0x0001) {
        std::size_t field = x + 4;
        if (entry.uncompressed_size == 0xFFFFFFFF && field + 8 <= x + 4 + length) {
          entry.uncompressed_size = fields.at<std::uint64_t>(field);
          field += 8;
        }
        if (entry.compressed_size == 0xFFFFFFFF && field + 8 <= x + 4 + length) {
          entry.compressed_size = fields.at<std::uint64_t>(field);
        }
      }
      x += 4 + length;
    }
    result.push_back(std::move(entry));
    at = name_at + name_length + extra_length + comment_length;
  }
  return result;
}

}  // namespace salient::models
