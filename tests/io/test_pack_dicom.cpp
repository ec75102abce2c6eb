// DICOM radiographs, written here with DCMTK: the rendering (rescale, window, MONOCHROME1)
// against the formulas of PS3.3 C.11 worked out by hand, compressed files, and the files
// that must be refused.
#include <gtest/gtest.h>

#include <string>

#include "pack_test_files.h"
#include "salient/check.h"
#include "salient/io/dicom_image.h"
#include "salient/io/pack.h"
#include "support/temp_dir.h"

namespace salient::io {
namespace {

using testing::DicomSpec;
using testing::write_dicom;

// 8x8, every row the same eight stored values (12 bits).
DicomSpec columns_spec() {
  DicomSpec spec;
  spec.height = spec.width = 8;
  const std::uint16_t row[8] = {0, 50, 100, 150, 200, 250, 300, 4095};
  for (int r = 0; r < 8; ++r) spec.stored.insert(spec.stored.end(), row, row + 8);
  spec.rescale_slope = "2";
  spec.rescale_intercept = "-100";  // modality values x = 2s − 100: −100, 0, 100, 200, 300, 400, 500, 8090
  return spec;
}

std::vector<int> first_row(const GrayImage& image) {
  std::vector<int> row;
  for (int c = 0; c < 8; ++c)
    row.push_back(image.bit_depth == 16 ? image.gray16[static_cast<std::size_t>(c)]
                                        : image.gray8[static_cast<std::size_t>(c)]);
  return row;
}

TEST(DicomRendering, Monochrome1WithRescaleAndWindow) {
  salient::testing::TempDir temp;
  DicomSpec spec = columns_spec();
  spec.photometric = "MONOCHROME1";
  spec.window = {{"300", "401"}};
  spec.patient_id = "PAT-7";
  write_dicom(temp / "a.dcm", spec);
  const DicomRadiograph dicom = read_dicom(temp / "a.dcm", 8);
  EXPECT_EQ(dicom.patient_id, "PAT-7");
  EXPECT_EQ(dicom.image.height, 8);
  // Window C = 300, W = 401 (C.11.2.1.2.1): x ≤ C − ½ − (W−1)/2 = 99.5 → 0, x > 299.5 + 200
  // → 1, else t = (x − 299.5)/400 + ½. MONOCHROME1 shows 1 − t; 8 bits: ⌊255·(1 − t)⌋.
  //   x = 100: t = 0.00125 → ⌊254.68⌋ = 254;  x = 200: t = 0.25125 → ⌊190.93⌋ = 190
  //   x = 300: t = 0.50125 → ⌊127.18⌋ = 127;  x = 400: t = 0.75125 → ⌊63.43⌋ = 63
  EXPECT_EQ(first_row(dicom.image), (std::vector<int>{255, 255, 254, 190, 127, 63, 0, 0}));
}

TEST(DicomRendering, WithoutAWindowTheMinimumAndMaximumSpanTheOutput) {
  salient::testing::TempDir temp;
  write_dicom(temp / "a.dcm", columns_spec());
  const DicomRadiograph dicom = read_dicom(temp / "a.dcm", 16);
  EXPECT_EQ(dicom.patient_id, "");
  // t = (x + 100)/8190, 16 bits: ⌊65535·t⌋: x = 0 → ⌊800.18⌋, 100 → ⌊1600.37⌋, …, 500 → ⌊4801.10⌋
  EXPECT_EQ(first_row(dicom.image), (std::vector<int>{0, 800, 1600, 2400, 3200, 4000, 4801, 65535}));
}

TEST(DicomRendering, JpegLosslessDecodesToTheSameImage) {
  salient::testing::TempDir temp;
  DicomSpec spec = columns_spec();
  spec.window = {{"300", "401"}};
  write_dicom(temp / "native.dcm", spec);
  spec.jpeg_lossless = true;
  write_dicom(temp / "jpeg.dcm", spec);
  DcmFileFormat compressed;
  ASSERT_TRUE(compressed.loadFile((temp / "jpeg.dcm").c_str()).good());
  ASSERT_EQ(compressed.getDataset()->getOriginalXfer(), EXS_JPEGProcess14SV1);
  EXPECT_EQ(read_dicom(temp / "jpeg.dcm", 16).image.gray16, read_dicom(temp / "native.dcm", 16).image.gray16);
}

TEST(DicomRendering, ShortPixelDataColourAndGarbageAreErrorsNamingTheFile) {
  salient::testing::TempDir temp;
  DicomSpec spec = columns_spec();
  spec.pixel_data_values = 40;  // 80 bytes of the 128 needed
  write_dicom(temp / "short.dcm", spec);
  const auto expect_error = [](const std::string& path, const std::string& fragment) {
    try {
      read_dicom(path, 8);
      ADD_FAILURE() << path << " was read";
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find(path), std::string::npos) << error.what();
    }
  };
  expect_error(temp / "short.dcm", "Pixel Data holds 80 bytes, 8 rows x 8 columns x 16 bits need 128");
  DicomSpec colour = columns_spec();
  colour.rgb = true;
  write_dicom(temp / "colour.dcm", colour);
  expect_error(temp / "colour.dcm", "Photometric Interpretation 'RGB' is not a grayscale radiograph");
  testing::write_text(temp / "garbage.dcm", std::string(200, 'x'));
  expect_error(temp / "garbage.dcm", "cannot read DICOM");
}

TEST(PackDicom, AFolderOfDicomFilesBecomesAnUnlabelledPoolWithTheFilesPatients) {
  salient::testing::TempDir temp;
  DicomSpec spec = columns_spec();
  spec.photometric = "MONOCHROME1";
  spec.window = {{"300", "401"}};
  spec.patient_id = "P2";
  write_dicom(temp / "export/study2/IM0001", spec);  // no extension: found by "DICM"
  spec.patient_id = "P1";
  spec.jpeg_lossless = true;
  write_dicom(temp / "export/study1/image.dcm", spec);
  spec.jpeg_lossless = false;
  spec.pixel_data_values = 10;
  write_dicom(temp / "export/study3/broken.dcm", spec);
  testing::write_text(temp / "export/README.txt", "not an image");
  testing::write_text(temp / "export/DICOMDIR", std::string(128, '\0') + "DICM");

  const PackSource source = read_dicom_source(temp / "export", {"Effusion", "Nodule"});
  ASSERT_EQ(source.items.size(), 3u);
  EXPECT_EQ(source.items[0].id, "study1/image.dcm");
  EXPECT_EQ(source.items[1].id, "study2/IM0001");
  EXPECT_EQ(source.items[2].id, "study3/broken.dcm");
  PackOptions options;
  options.size = 8;
  options.on_bad_image = BadImagePolicy::skip;
  const PackReport report = pack_pool(source, temp / "pool", options);
  ASSERT_EQ(report.skipped.size(), 1u);
  EXPECT_EQ(report.skipped[0].path, temp / "export/study3/broken.dcm");

  const ShardFile shard = Pool::open(temp / "pool").open_shard(0);
  EXPECT_EQ(shard.ids(), (std::vector<std::string>{"study1/image.dcm", "study2/IM0001"}));
  EXPECT_EQ(shard.patient_ids(), (std::vector<std::string>{"P1", "P2"}));
  std::vector<std::int8_t> labels(4);
  shard.read_labels(0, 2, labels.data());
  EXPECT_EQ(labels, (std::vector<std::int8_t>{-1, -1, -1, -1}));
  std::vector<std::uint8_t> pixels(2 * 64);
  shard.read_images(0, 2, pixels.data());
  EXPECT_EQ(std::vector<int>(pixels.begin(), pixels.begin() + 8),
            (std::vector<int>{255, 255, 254, 190, 127, 63, 0, 0}));
  EXPECT_EQ(std::vector<std::uint8_t>(pixels.begin(), pixels.begin() + 64),
            std::vector<std::uint8_t>(pixels.begin() + 64, pixels.end()));

  EXPECT_THROW(read_dicom_source(temp / "export", {}), Error);
}

}  // namespace
}  // namespace salient::io
