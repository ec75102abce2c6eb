// Packing from a CheXpert-style CSV: the 1 / 0 / −1 / blank mapping and the uncertain-label
// policies, views, patients from the paths, where relative paths lead, missing files, and
// JPEG decoding (colour to luma).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "pack_test_files.h"
#include "salient/check.h"
#include "salient/io/jpeg_image.h"
#include "salient/io/pack.h"
#include "support/temp_dir.h"

namespace salient::io {
namespace {

using testing::write_jpeg;
using testing::write_png8;
using testing::write_text;

constexpr const char* kHeader = "Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Edema,Pleural Effusion\n";

// CheXpert's own layout: the CSV inside CheXpert-v1.0-small/, paths starting with that name.
std::string write_chexpert(const std::string& root) {
  write_jpeg(root + "/CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg", 16, 16, 1,
             std::vector<std::uint8_t>(256, 100));
  write_png8(root + "/CheXpert-v1.0-small/train/patient00002/study1/view1_frontal.png", 8, 8,
             std::vector<std::uint8_t>(64, 7));
  write_jpeg(root + "/CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg", 8, 8, 1,
             std::vector<std::uint8_t>(64, 50));
  const std::string csv = root + "/CheXpert-v1.0-small/train.csv";
  write_text(csv, std::string(kHeader) +
                      "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,Female,68,Frontal,AP,1.0,,\n"
                      "CheXpert-v1.0-small/train/patient00002/study1/view1_frontal.png,Male,87,Frontal,AP,,-1.0,1.0\n"
                      "CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg,Male,87,Lateral,,0,0.0,-1\n");
  return csv;
}

TEST(PackChexpert, LabelsMapToPositiveNegativeOrUnknownAndPatientsComeFromPaths) {
  salient::testing::TempDir temp;
  const std::string csv = write_chexpert(temp.path().string());
  ChexpertOptions all_views;
  all_views.views = ChexpertViews::all;
  const PackSource source = read_chexpert_source(csv, all_views);
  EXPECT_EQ(source.label_names, (std::vector<std::string>{"No Finding", "Edema", "Pleural Effusion"}));
  ASSERT_EQ(source.items.size(), 3u);
  EXPECT_EQ(source.items[0].labels, (std::vector<std::int8_t>{1, -1, -1}));  // blank: not mentioned
  EXPECT_EQ(source.items[1].labels, (std::vector<std::int8_t>{-1, -1, 1}));  // -1.0: uncertain
  EXPECT_EQ(source.items[2].labels, (std::vector<std::int8_t>{0, 0, -1}));
  EXPECT_EQ(source.items[1].id, "CheXpert-v1.0-small/train/patient00002/study1/view1_frontal.png");
  EXPECT_EQ(source.items[1].path, temp / "CheXpert-v1.0-small/train/patient00002/study1/view1_frontal.png");

  PackOptions options;
  options.size = 8;
  const PackReport report = pack_pool(source, temp / "pool", options);
  EXPECT_TRUE(report.skipped.empty());
  const ShardFile shard = Pool::open(temp / "pool").open_shard(0);
  EXPECT_EQ(shard.patient_ids(), (std::vector<std::string>{"patient00001", "patient00002", "patient00002"}));
  std::vector<std::int8_t> labels(9);
  shard.read_labels(0, 3, labels.data());
  EXPECT_EQ(labels, (std::vector<std::int8_t>{1, -1, -1, -1, -1, 1, 0, 0, -1}));
  std::vector<std::uint8_t> pixels(3 * 64);
  shard.read_images(0, 3, pixels.data());
  for (int p = 0; p < 64; ++p) {
    ASSERT_NEAR(pixels[static_cast<std::size_t>(p)], 100, 1);  // a flat JPEG at quality 100
    ASSERT_EQ(pixels[static_cast<std::size_t>(64 + p)], 7);
    ASSERT_NEAR(pixels[static_cast<std::size_t>(128 + p)], 50, 1);
  }
}

TEST(PackChexpert, ChosenLabelColumnsAndAnExplicitImageRoot) {
  salient::testing::TempDir temp;
  const std::string csv = write_chexpert(temp.path().string());
  ChexpertOptions options;
  options.image_root = temp.path().string();
  options.label_names = {"Pleural Effusion"};
  options.views = ChexpertViews::all;
  const PackSource source = read_chexpert_source(csv, options);
  EXPECT_EQ(source.label_names, std::vector<std::string>{"Pleural Effusion"});
  EXPECT_EQ(source.items[2].labels, std::vector<std::int8_t>{-1});
  EXPECT_EQ(source.items[0].path, temp / "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg");
  options.label_names = {"Fracture"};
  EXPECT_THROW(read_chexpert_source(csv, options), Error);
}

TEST(PackChexpert, FrontalViewsByDefaultAndUncertainLabelsAsAsked) {
  salient::testing::TempDir temp;
  const std::string csv = write_chexpert(temp.path().string());
  const PackSource frontal = read_chexpert_source(csv, {});
  ASSERT_EQ(frontal.items.size(), 2u);
  EXPECT_EQ(frontal.excluded, 1);
  EXPECT_EQ(frontal.items[1].labels, (std::vector<std::int8_t>{-1, -1, 1}));  // U-Ignore: -1.0 is unknown
  ChexpertOptions lateral;
  lateral.views = ChexpertViews::lateral;
  lateral.uncertain = UncertainLabels::ones;
  const PackSource laterals = read_chexpert_source(csv, lateral);
  ASSERT_EQ(laterals.items.size(), 1u);
  EXPECT_EQ(laterals.items[0].id, "CheXpert-v1.0-small/train/patient00002/study2/view2_lateral.jpg");
  EXPECT_EQ(laterals.items[0].labels, (std::vector<std::int8_t>{0, 0, 1}));  // U-Ones: the "-1" becomes 1
  ChexpertOptions zeros;
  zeros.uncertain = UncertainLabels::zeros;
  EXPECT_EQ(read_chexpert_source(csv, zeros).items[1].labels, (std::vector<std::int8_t>{-1, 0, 1}));  // U-Zeros
  EXPECT_THROW(parse_chexpert_views("sideways"), Error);
  EXPECT_THROW(parse_uncertain_labels("maybe"), Error);
}

TEST(PackChexpert, RowsWithoutAFileAreListedAsMissingAndPackedWithout) {
  salient::testing::TempDir temp;
  const std::string csv = write_chexpert(temp.path().string());
  std::filesystem::remove(temp / "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg");
  const PackSource source = read_chexpert_source(csv, {});
  ASSERT_EQ(source.missing.size(), 1u);
  EXPECT_EQ(source.missing[0].id, "CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg");
  EXPECT_EQ(source.missing[0].line, 2);
  PackOptions options;
  options.size = 8;
  pack_pool(source, temp / "pool", options);
  EXPECT_EQ(Pool::open(temp / "pool").size(), 1);
  std::ifstream listing(temp / "pool/missing-images.csv");
  const std::string text((std::istreambuf_iterator<char>(listing)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "id,line\nCheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg,2\n");
}

TEST(PackChexpert, PathsWithoutThePrefixStartAtTheCsvFolderAndPatientsMayBeMissing) {
  salient::testing::TempDir temp;
  write_png8(temp / "data/a.png", 8, 8, std::vector<std::uint8_t>(64, 1));
  write_text(temp / "data/labels.csv", "Path,Effusion\na.png,1\n");
  const PackSource source = read_chexpert_source(temp / "data/labels.csv", {});
  EXPECT_EQ(source.items[0].path, temp / "data/a.png");
  EXPECT_EQ(source.items[0].patient_id, "");
  PackOptions options;
  options.size = 8;
  pack_pool(source, temp / "pool", options);
  EXPECT_FALSE(Pool::open(temp / "pool").open_shard(0).has_patient_ids());
}

TEST(PackChexpert, AValueOtherThanOneZeroMinusOneOrBlankNamesFileLineAndColumn) {
  salient::testing::TempDir temp;
  write_text(temp / "labels.csv", "Path,Edema\na.png,1\nb.png,2\n");
  try {
    read_chexpert_source(temp / "labels.csv", {});
    ADD_FAILURE() << "label 2 accepted";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("labels.csv' line 3, column 'Edema': '2' is not 1, 0, -1"),
              std::string::npos)
        << error.what();
  }
  write_text(temp / "labels.csv", "Path,Edema\na.png,1\na.png,0\n");
  EXPECT_THROW(read_chexpert_source(temp / "labels.csv", {}), Error);
  write_text(temp / "labels.csv", "Image,Edema\na.png,1\n");
  EXPECT_THROW(read_chexpert_source(temp / "labels.csv", {}), Error);
}

TEST(JpegImage, ColourBecomesLumaAndTruncationIsAnError) {
  salient::testing::TempDir temp;
  std::vector<std::uint8_t> rgb;
  for (int p = 0; p < 64; ++p) rgb.insert(rgb.end(), {200, 100, 50});
  write_jpeg(temp / "colour.jpg", 8, 8, 3, rgb);
  const GrayImage gray = read_jpeg(temp / "colour.jpg");
  EXPECT_EQ(gray.height, 8);
  EXPECT_EQ(gray.bit_depth, 8);
  for (const std::uint8_t v : gray.gray8) ASSERT_NEAR(v, 0.299 * 200 + 0.587 * 100 + 0.114 * 50, 1.5);  // BT.601 Y

  write_jpeg(temp / "whole.jpg", 64, 64, 1, std::vector<std::uint8_t>(64 * 64, 9));
  std::string bytes;
  {
    std::ifstream in(temp / "whole.jpg", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  write_text(temp / "cut.jpg", bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(read_jpeg(temp / "cut.jpg"), Error);
}

}  // namespace
}  // namespace salient::io
