// The element types a pool's images may have.
#pragma once

#include <cstddef>
#include <string>

namespace salient::io {

enum class PixelType { uint8, uint16, float32 };

/// "uint8", "uint16" or "float32": the names used in manifests and on the command line.
std::string pixel_type_name(PixelType type);
/// Parses a name given by pixel_type_name; throws salient::Error for anything else.
PixelType parse_pixel_type(const std::string& name);
std::size_t pixel_bytes(PixelType type);

}  // namespace salient::io
