#include "salient/io/pixel_type.h"

#include "salient/check.h"

namespace salient::io {

std::string pixel_type_name(PixelType type) {
  switch (type) {
    case PixelType::uint8: return "uint8";
    case PixelType::uint16: return "uint16";
    case PixelType::float32: return "float32";
  }
  SALIENT_ASSERT(false);
}

PixelType parse_pixel_type(const std::string& name) {
  if (name == "uint8") return PixelType::uint8;
  if (name == "uint16") return PixelType::uint16;
  if (name == "float32") return PixelType::float32;
  throw Error("pixel type must be uint8, uint16 or float32, not '" + name + "'");
}

std::size_t pixel_bytes(PixelType type) {
  switch (type) {
    case PixelType::uint8: return 1;
    case PixelType::uint16: return 2;
    case PixelType::float32: return 4;
  }
  SALIENT_ASSERT(false);
}

}  // namespace salient::io
