#include "salient/io/checksum.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace salient::io {

std::uint32_t crc32_update(std::uint32_t crc, const void* bytes, std::size_t size) {
  const auto* data = static_cast<const Bytef*>(bytes);
  uLong value = crc;
  // zlib takes uInt lengths: feed large ranges in pieces.
  while (size > 0) {
    const auto piece = static_cast<uInt>(std::min<std::size_t>(size, std::numeric_limits<uInt>::max()));
    value = ::crc32(value, data, piece);
    data += piece;
    size -= piece;
  }
  return static_cast<std::uint32_t>(value);
}

}  // namespace salient::io
