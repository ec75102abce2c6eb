// DICOM radiographs through DCMTK, rendered to 8- or 16-bit grayscale for packing.
#pragma once

#include <string>

#include "salient/io/png_image.h"

namespace salient::io {

/// A radiograph read from DICOM: its rendered pixels and its Patient ID (0010,0020).
struct DicomRadiograph {
  GrayImage image;
  std::string patient_id;  ///< empty when the file has none
};

/// Reads a single-frame MONOCHROME1/MONOCHROME2 DICOM image and renders it as DCMTK's
/// viewer pipeline does (PS3.3 C.11): stored values → modality transform (Rescale
/// Slope/Intercept or Modality LUT) → VOI: the file's first window (Window Center/Width,
/// linear function of C.11.2.1.2.1), else its first VOI LUT, else the image's min–max →
/// MONOCHROME1 inverted so that dense is bright → 0 … 2^bits − 1, truncated to integers.
/// Compressed transfer syntaxes are decoded (JPEG, JPEG-LS, RLE). Native pixel data shorter
/// than Rows × Columns × Bits Allocated is an error (DCMTK itself would pad it with zeros).
/// @param bits 8 or 16
DicomRadiograph read_dicom(const std::string& path, int bits);

}  // namespace salient::io
