// The central directory of a ZIP archive (APPNOTE.TXT 6.3, ZIP64 included), read from the end
// of a file without reading its records: what LibTorch's archive reader would allocate for
// each record can be checked before it allocates.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::models {

struct ZipEntry {
  std::string name;
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint16_t method = 0;  ///< 0 = stored, 8 = deflate
};

/// Every entry of the central directory of the ZIP file at @p path. Throws salient::Error
/// naming the file when it has no end-of-central-directory record or its directory lies
/// outside the file.
std::vector<ZipEntry> read_zip_directory(const std::string& path);

}  // namespace salient::models
