// Grayscale images from PNG, JPEG or DICOM files, told apart by their content, each read
// by its own well-kept decoder (libpng, libjpeg-turbo, DCMTK).
#pragma once

#include <optional>
#include <string>

#include "salient/io/png_image.h"

namespace salient::io {

enum class ImageFormat { png, jpeg, dicom };

/// The format of the file at @p path from its first bytes: the PNG signature, the JPEG
/// start-of-image marker FF D8 FF, or "DICM" after the 128-byte DICOM preamble; a file
/// without any of them is taken for DICOM when named *.dcm or *.dicom (a dataset written
/// without its preamble). nullopt for anything else; throws when the file cannot be opened.
std::optional<ImageFormat> detect_image_format(const std::string& path);

/// A decoded image and, for DICOM, the patient id the file records.
struct DecodedImage {
  GrayImage image;
  std::string patient_id;
};

/// Decodes the file at @p path at its own bit depth (PNG, JPEG) or rendered at
/// @p dicom_bits (8 or 16; see read_dicom). Errors name the file and what is wrong.
DecodedImage read_gray_image(const std::string& path, int dicom_bits);

}  // namespace salient::io
