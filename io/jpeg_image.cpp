#include "salient/io/jpeg_image.h"

#include <turbojpeg.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "salient/check.h"

namespace salient::io {
namespace {

struct DecompressorCloser {
  void operator()(void* handle) const { tjDestroy(handle); }
};

std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  SALIENT_CHECK(stream, "cannot open image '{}'", path);
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  SALIENT_CHECK(!stream.bad(), "cannot read image '{}'", path);
  return bytes;
}

}  // namespace

GrayImage read_jpeg(const std::string& path) {
  const std::vector<unsigned char> bytes = read_bytes(path);
  const std::unique_ptr<void, DecompressorCloser> handle(tjInitDecompress());
  SALIENT_CHECK(handle, "libjpeg-turbo could not start decoding '{}': {}", path, tjGetErrorStr2(nullptr));
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  SALIENT_CHECK(
      tjDecompressHeader3(handle.get(), bytes.data(), bytes.size(), &width, &height, &subsampling, &colorspace) == 0,
      "cannot decode JPEG '{}': {}", path, tjGetErrorStr2(handle.get()));
  GrayImage image;
  image.height = height;
  image.width = width;
  image.bit_depth = 8;
  image.gray8.resize(static_cast<std::size_t>(image.height * image.width));
  SALIENT_CHECK(tjDecompress2(handle.get(), bytes.data(), bytes.size(), image.gray8.data(), width, 0, height, TJPF_GRAY,
                              TJFLAG_ACCURATEDCT | TJFLAG_STOPONWARNING) == 0,
                "cannot decode JPEG '{}': {}", path, tjGetErrorStr2(handle.get()));
  return image;
}

}  // namespace salient::io
