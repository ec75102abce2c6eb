// CRC-32 (zlib's, as Python's zlib.crc32; computed by ISA-L) over byte ranges, extended piecewise,
// and combined from the CRCs of consecutive ranges (so ranks that each read part of a shard
// can check the whole shard's checksum without sending its bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

/// CRC-32 of @p bytes continuing from @p crc (0 to start).
std::uint32_t crc32_update(std::uint32_t crc, const void* bytes, std::size_t size);

/// CRC-32 of A followed by B, from the CRC-32s of A and B and B's length (zlib's crc32_combine).
std::uint32_t crc32_concat(std::uint32_t crc_a, std::uint32_t crc_b, std::int64_t size_b);

/// CRC-32 of the strings' bytes in order, each followed by a NUL byte (so that "ab","c"
/// and "a","bc" differ). Python: zlib.crc32(b"".join(s.encode() + b"\0" for s in strings)).
std::uint32_t crc32_of_strings(const std::vector<std::string>& strings);

}  // namespace salient::io
