// Image files and metadata for the packing tests, written with the same well-kept
// libraries salient reads them with (libpng, libjpeg-turbo, DCMTK).
#pragma once

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmjpeg/djencode.h>
#include <dcmtk/dcmjpeg/djrplol.h>
#include <png.h>
#include <turbojpeg.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "salient/io/png_image.h"

namespace salient::io::testing {

inline std::string make_parent(const std::string& path) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  return path;
}

inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(make_parent(path), std::ios::binary) << text;
}

inline void write_png8(const std::string& path, std::int64_t height, std::int64_t width,
                       const std::vector<std::uint8_t>& pixels) {
  write_png_gray(make_parent(path), height, width, pixels.data());
}

/// A 16-bit grayscale PNG (libpng's simplified API stores big-endian samples itself).
inline void write_png16(const std::string& path, std::int64_t height, std::int64_t width,
                        const std::vector<std::uint16_t>& pixels) {
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  image.width = static_cast<png_uint_32>(width);
  image.height = static_cast<png_uint_32>(height);
  image.format = PNG_FORMAT_LINEAR_Y;
  if (!png_image_write_to_file(&image, make_parent(path).c_str(), 0, pixels.data(), 0, nullptr)) {
    throw std::runtime_error("cannot write 16-bit PNG " + path + ": " + image.message);
  }
}

/// A JPEG at quality 100 from gray (channels 1) or RGB (channels 3) samples.
inline void write_jpeg(const std::string& path, int height, int width, int channels,
                       const std::vector<std::uint8_t>& pixels) {
  tjhandle handle = tjInitCompress();
  unsigned char* jpeg = nullptr;
  unsigned long size = 0;
  const int format = channels == 1 ? TJPF_GRAY : TJPF_RGB;
  const int subsampling = channels == 1 ? TJSAMP_GRAY : TJSAMP_444;
  const int status =
      tjCompress2(handle, pixels.data(), width, 0, height, format, &jpeg, &size, subsampling, 100, TJFLAG_ACCURATEDCT);
  tjDestroy(handle);
  if (status != 0) throw std::runtime_error("cannot encode JPEG " + path);
  std::ofstream(make_parent(path), std::ios::binary)
      .write(reinterpret_cast<const char*>(jpeg), static_cast<std::streamsize>(size));
  tjFree(jpeg);
}

/// A DICOM radiograph of 16-bit stored values (Bits Stored 12) with what the packer reads.
struct DicomSpec {
  std::string photometric = "MONOCHROME2";
  std::string patient_id;
  std::string rescale_slope = "1", rescale_intercept = "0";
  std::optional<std::pair<std::string, std::string>> window;  ///< center, width
  std::int64_t height = 0, width = 0;
  std::vector<std::uint16_t> stored;
  std::size_t pixel_data_values = 0;  ///< 0: all of them; fewer: a short Pixel Data element
  bool jpeg_lossless = false;         ///< encapsulated JPEG Lossless SV1 (1.2.840.10008.1.2.4.70)
  bool rgb = false;                   ///< a colour image instead (3 samples per pixel)
};

inline void write_dicom(const std::string& path, const DicomSpec& spec) {
  DcmFileFormat file;
  DcmDataset* data = file.getDataset();
  char uid[100];
  data->putAndInsertString(DCM_SOPClassUID, UID_DigitalXRayImageStorageForPresentation);
  data->putAndInsertString(DCM_SOPInstanceUID, dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT));
  data->putAndInsertString(DCM_Modality, "DX");
  if (!spec.patient_id.empty()) data->putAndInsertString(DCM_PatientID, spec.patient_id.c_str());
  data->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(spec.height));
  data->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(spec.width));
  if (spec.rgb) {
    data->putAndInsertString(DCM_PhotometricInterpretation, "RGB");
    data->putAndInsertUint16(DCM_SamplesPerPixel, 3);
    data->putAndInsertUint16(DCM_PlanarConfiguration, 0);
    data->putAndInsertUint16(DCM_BitsAllocated, 8);
    data->putAndInsertUint16(DCM_BitsStored, 8);
    data->putAndInsertUint16(DCM_HighBit, 7);
    data->putAndInsertUint16(DCM_PixelRepresentation, 0);
    const std::vector<Uint8> rgb(static_cast<std::size_t>(spec.height * spec.width * 3), 128);
    data->putAndInsertUint8Array(DCM_PixelData, rgb.data(), static_cast<unsigned long>(rgb.size()));
  } else {
    data->putAndInsertString(DCM_PhotometricInterpretation, spec.photometric.c_str());
    data->putAndInsertUint16(DCM_SamplesPerPixel, 1);
    data->putAndInsertUint16(DCM_BitsAllocated, 16);
    data->putAndInsertUint16(DCM_BitsStored, 12);
    data->putAndInsertUint16(DCM_HighBit, 11);
    data->putAndInsertUint16(DCM_PixelRepresentation, 0);
    data->putAndInsertString(DCM_RescaleSlope, spec.rescale_slope.c_str());
    data->putAndInsertString(DCM_RescaleIntercept, spec.rescale_intercept.c_str());
    if (spec.window) {
      data->putAndInsertString(DCM_WindowCenter, spec.window->first.c_str());
      data->putAndInsertString(DCM_WindowWidth, spec.window->second.c_str());
    }
    const std::size_t values = spec.pixel_data_values ? spec.pixel_data_values : spec.stored.size();
    data->putAndInsertUint16Array(DCM_PixelData, spec.stored.data(), static_cast<unsigned long>(values));
  }
  E_TransferSyntax syntax = EXS_LittleEndianExplicit;
  if (spec.jpeg_lossless) {
    DJEncoderRegistration::registerCodecs();
    const DJ_RPLossless parameters(1, 0);  // selection value 1, no point transform
    if (data->chooseRepresentation(EXS_JPEGProcess14SV1, &parameters).bad() ||
        !data->canWriteXfer(EXS_JPEGProcess14SV1)) {
      throw std::runtime_error("cannot JPEG-compress " + path);
    }
    syntax = EXS_JPEGProcess14SV1;
  }
  const OFCondition saved = file.saveFile(make_parent(path).c_str(), syntax);
  if (saved.bad()) throw std::runtime_error("cannot write DICOM " + path + ": " + saved.text());
}

}  // namespace salient::io::testing
