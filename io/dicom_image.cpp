#include "salient/io/dicom_image.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <utility>

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

// Encapsulated transfer syntaxes with a decoder registered above: JPEG (DCMTK's dcmjpeg:
// baseline, extended, spectral selection, progressive, lossless), JPEG-LS and RLE. Native
// (uncompressed) and deflated syntaxes need none.
bool has_decoder(E_TransferSyntax syntax) {
  switch (syntax) {
    case EXS_JPEGProcess1:
    case EXS_JPEGProcess2_4:
    case EXS_JPEGProcess6_8:
    case EXS_JPEGProcess10_12:
    case EXS_JPEGProcess14:
    case EXS_JPEGProcess14SV1:
    case EXS_JPEGLSLossless:
    case EXS_JPEGLSLossy:
    case EXS_RLELossless: return true;
    default: return DcmXfer(syntax).isNotEncapsulated();
  }
}

// DCMTK reads big-endian Pixel Data as 16-bit words (OW) whatever Bits Allocated says, so a
// 32-bit value arrives with its two halves swapped: 0x00123456, stored 00 12 34 56, becomes
// the words 0x0012 0x3456 in memory, read back as 0x34560012. Swapping the halves of each
// 32-bit value gives the value pydicom decodes (tested on pydicom's rtdose_expb_1frame.dcm
// against rtdose_1frame.dcm, the same dose little-endian).
void repair_big_endian_32_bit(DcmDataset& dataset, E_TransferSyntax syntax, const std::string& path) {
  Uint16 bits_allocated = 0;
  if (!DcmXfer(syntax).isBigEndian() || DcmXfer(syntax).isEncapsulated() ||
      dataset.findAndGetUint16(DCM_BitsAllocated, bits_allocated).bad() || bits_allocated != 32) {
    return;
  }
  DcmElement* pixel_data = nullptr;
  Uint16* words = nullptr;
  SALIENT_CHECK(dataset.findAndGetElement(DCM_PixelData, pixel_data).good() && pixel_data &&
                    pixel_data->getUint16Array(words).good() && words,
                "DICOM '{}': cannot read its 32-bit big-endian Pixel Data", path);
  const std::size_t count = pixel_data->getLength() / sizeof(Uint16);
  for (std::size_t k = 0; k + 1 < count; k += 2) std::swap(words[k], words[k + 1]);
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
  if (!dataset.tagExists(DCM_PixelData)) {
    // An RT plan, a structured report, a waveform, a presentation state…: named as what it is.
    OFString sop_class, modality;
    dataset.findAndGetOFString(DCM_SOPClassUID, sop_class);
    dataset.findAndGetOFString(DCM_Modality, modality);
    throw Error(fmt::format("DICOM '{}' is not an image: it has no Pixel Data (SOP class {}, modality '{}')", path,
                            dcmFindNameOfUID(sop_class.c_str(), sop_class.empty() ? "not given" : sop_class.c_str()),
                            modality.c_str()));
  }
  // An invalid Number of Frames ("1A") leaves the frame layout unknown.
  OFString frames_text;
  if (dataset.findAndGetOFString(DCM_NumberOfFrames, frames_text).good() && !frames_text.empty()) {
    const std::string frames = frames_text.c_str();
    SALIENT_CHECK(frames.find_first_not_of(" 0123456789") == std::string::npos,
                  "DICOM '{}': Number of Frames (0028,0008) '{}' is not a number", path, frames);
  }
  OFString photometric;
  dataset.findAndGetOFString(DCM_PhotometricInterpretation, photometric);
  SALIENT_CHECK(
      photometric == "MONOCHROME1" || photometric == "MONOCHROME2",
      "DICOM '{}': Photometric Interpretation '{}' is not a grayscale radiograph (MONOCHROME1 or MONOCHROME2)", path,
      photometric.c_str());
  const E_TransferSyntax syntax = dataset.getOriginalXfer();
  const DcmXfer transfer_syntax(syntax);
  SALIENT_CHECK(has_decoder(syntax),
                "DICOM '{}': transfer syntax {} ({}) is not one salient decodes (JPEG baseline, extended and lossless, "
                "JPEG-LS, RLE, deflate and uncompressed are); convert it to one of those first",
                path, transfer_syntax.getXferName(), transfer_syntax.getXferID());
  check_native_pixel_data(dataset, syntax, path);
  repair_big_endian_32_bit(dataset, syntax, path);
  DicomRadiograph result;
  OFString patient_id;
  if (dataset.findAndGetOFString(DCM_PatientID, patient_id).good()) result.patient_id = patient_id.c_str();

  DicomImage rendered(&file, syntax);
  SALIENT_CHECK(rendered.getStatus() == EIS_Normal, "cannot decode DICOM '{}' ({}): {}", path,
                transfer_syntax.getXferName(), DicomImage::getString(rendered.getStatus()));
  SALIENT_CHECK(rendered.getNumberOfFrames() == 1, "DICOM '{}' holds {} frames; salient packs single-frame radiographs",
                path, rendered.getNumberOfFrames());
  // Overlays (annotations, markers) are not part of the radiograph: never burnt in.
  rendered.hideAllOverlays();
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
