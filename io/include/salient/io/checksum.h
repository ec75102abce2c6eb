// CRC-32 (zlib's polynomial, as Python's zlib.crc32) over byte ranges, extended piecewise.
#pragma once

#include <cstddef>
#include <cstdint>

namespace salient::io {

/// CRC-32 of @p bytes continuing from @p crc (0 to start).
std::uint32_t crc32_update(std::uint32_t crc, const void* bytes, std::size_t size);

}  // namespace salient::io
