#include "salient/io/checksum.h"

#include <isa-l/crc.h>
#include <zlib.h>

namespace salient::io {

std::uint32_t crc32_update(std::uint32_t crc, const void* bytes, std::size_t size) {
  // ISA-L's gzip CRC is zlib's (reflected 0x04C11DB7, inverted in and out), continued the
  // same way; it folds with carry-less multiplies where the CPU has them.
  return crc32_gzip_refl(crc, static_cast<const unsigned char*>(bytes), static_cast<std::uint64_t>(size));
}

std::uint32_t crc32_concat(std::uint32_t crc_a, std::uint32_t crc_b, std::int64_t size_b) {
  return static_cast<std::uint32_t>(::crc32_combine(crc_a, crc_b, static_cast<z_off_t>(size_b)));
}

std::uint32_t crc32_of_strings(const std::vector<std::string>& strings) {
  constexpr char kTerminator = '\0';
  std::uint32_t crc = 0;
  for (const auto& text : strings) {
    crc = crc32_update(crc, text.data(), text.size());
    crc = crc32_update(crc, &kTerminator, 1);
  }
  return crc;
}

}  // namespace salient::io
