#include "salient/io/dicom_image.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "salient/check.h"

namespace salient::io {
namespace {

void prepare_dcmtk() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Each file's problem is reported by salient, naming the file; DCMTK's own log lines
    // would only interleave with the progress bar.
    OFLog::configure(OFLogger::OFF_LOG_LEVEL);
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
  });
}

Uint16 required_uint16(DcmDataset& dataset, const DcmTagKey& tag, const char* name, const std::string& path) {
  Uint16 value = 0;
  const OFCondition status = dataset.findAndGetUint16(tag, value);
  SALIENT_CHECK(status.good(), "DICOM '{}': {} is missing or invalid ({})", path, name, status.text());
  return value;
}

void check_native_pixel_data(DcmDataset& dataset, E_TransferSyntax syntax, const std::string& path) {
  if (DcmXfer(syntax).isEncapsulated()) return;  // compressed frames are checked by their codec
  DcmElement* pixel_data = nullptr;
  SALIENT_CHECK(dataset.findAndGetElement(DCM_PixelData, pixel_data).good() && pixel_data,
                "DICOM '{}' has no Pixel Data (7fe0,0010)", path);
  const auto rows = required_uint16(dataset, DCM_Rows, "Rows", path);
  const auto columns = required_uint16(dataset, DCM_Columns, "Columns", path);
  const auto bits_allocated = required_uint16(dataset, DCM_BitsAllocated, "Bits Allocated", path);
  Sint32 frames = 1;
  dataset.findAndGetSint32(DCM_NumberOfFrames, frames);
  const auto needed =
      (static_cast<std::uint64_t>(rows) * columns * bits_allocated * static_cast<std::uint64_t>(std::max(frames, 1)) +
       7) /
      8;
  SALIENT_CHECK(pixel_data->getLength() >= needed,
                "DICOM '{}': Pixel Data holds {} bytes, {} rows x {} columns x {} bits need {} (truncated file?)", path,
                pixel_data->getLength(), rows, columns, bits_allocated, needed);
}

}  // namespace

DicomRadiograph read_dicom(const std::string& path, int bits) {
  SALIENT_ASSERT(bits == 8 || bits == 16);
  prepare_dcmtk();
  DcmFileFormat file;
  const OFCondition loaded = file.loadFile(path.c_str());
  SALIENT_CHECK(loaded.good(), "cannot read DICOM '{}': {}", path, loaded.text());
  DcmDataset& dataset = *file.getDataset();
  OFString photometric;
  dataset.findAndGetOFString(DCM_PhotometricInterpretation, photometric);
  SALIENT_CHECK(
      photometric == "MONOCHROME1" || photometric == "MONOCHROME2",
      "DICOM '{}': Photometric Interpretation '{}' is not a grayscale radiograph (MONOCHROME1 or MONOCHROME2)", path,
      photometric.c_str());
  const E_TransferSyntax syntax = dataset.getOriginalXfer();
  check_native_pixel_data(dataset, syntax, path);
  DicomRadiograph result;
  OFString patient_id;
  if (dataset.findAndGetOFString(DCM_PatientID, patient_id).good()) result.patient_id = patient_id.c_str();

  DicomImage rendered(&file, syntax);
  SALIENT_CHECK(rendered.getStatus() == EIS_Normal, "cannot decode DICOM '{}': {}", path,
                DicomImage::getString(rendered.getStatus()));
  SALIENT_CHECK(rendered.getNumberOfFrames() == 1, "DICOM '{}' holds {} frames; salient packs single-frame radiographs",
                path, rendered.getNumberOfFrames());
  if (rendered.getWindowCount() > 0) {
    rendered.setWindow(0);
  } else if (rendered.getVoiLutCount() > 0) {
    rendered.setVoiLut(0);
  } else {
    rendered.setMinMaxWindow();
  }
  const void* pixels = rendered.getOutputData(bits);
  SALIENT_CHECK(pixels, "cannot render DICOM '{}': {}", path, DicomImage::getString(rendered.getStatus()));
  GrayImage& image = result.image;
  image.height = static_cast<std::int64_t>(rendered.getHeight());
  image.width = static_cast<std::int64_t>(rendered.getWidth());
  image.bit_depth = bits;
  const auto count = static_cast<std::size_t>(image.height * image.width);
  if (bits == 16) {
    image.gray16.resize(count);
    std::memcpy(image.gray16.data(), pixels, count * sizeof(std::uint16_t));
  } else {
    image.gray8.resize(count);
    std::memcpy(image.gray8.data(), pixels, count);
  }
  return result;
}

}  // namespace salient::io
