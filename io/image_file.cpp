#include "salient/io/image_file.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "salient/check.h"
#include "salient/io/dicom_image.h"
#include "salient/io/jpeg_image.h"

namespace salient::io {
namespace {

bool has_dicom_extension(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension == ".dcm" || extension == ".dicom";
}

}  // namespace

std::optional<ImageFormat> detect_image_format(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  SALIENT_CHECK(stream, "cannot open image '{}'", path);
  std::array<unsigned char, 132> head{};
  stream.read(reinterpret_cast<char*>(head.data()), head.size());
  const auto length = static_cast<std::size_t>(stream.gcount());
  constexpr unsigned char kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  constexpr unsigned char kJpeg[] = {0xFF, 0xD8, 0xFF};
  if (length >= sizeof kPng && std::memcmp(head.data(), kPng, sizeof kPng) == 0) return ImageFormat::png;
  if (length >= sizeof kJpeg && std::memcmp(head.data(), kJpeg, sizeof kJpeg) == 0) return ImageFormat::jpeg;
  if (length == head.size() && std::memcmp(head.data() + 128, "DICM", 4) == 0) return ImageFormat::dicom;
  if (has_dicom_extension(path)) return ImageFormat::dicom;
  return std::nullopt;
}

DecodedImage read_gray_image(const std::string& path, int dicom_bits) {
  const std::optional<ImageFormat> format = detect_image_format(path);
  SALIENT_CHECK(format, "'{}' is neither a PNG, a JPEG nor a DICOM file", path);
  switch (*format) {
    case ImageFormat::png:
      return {read_png(path), {}};
    case ImageFormat::jpeg:
      return {read_jpeg(path), {}};
    case ImageFormat::dicom: {
      DicomRadiograph radiograph = read_dicom(path, dicom_bits);
      return {std::move(radiograph.image), std::move(radiograph.patient_id)};
    }
  }
  SALIENT_ASSERT(false);
}

}  // namespace salient::io
