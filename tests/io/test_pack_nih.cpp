// Packing an NIH ChestX-ray14-style folder: labels, patients, boxes and pixels against
// values worked out by hand; bad images skipped or fatal; the pool whole or absent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "pack_test_files.h"
#include "salient/check.h"
#include "salient/io/pack.h"
#include "salient/io/pool_inspect.h"
#include "support/temp_dir.h"

namespace salient::io {
namespace {

using testing::write_png16;
using testing::write_png8;
using testing::write_text;

// The real header, whose last two columns hold commas inside their names, unquoted.
constexpr const char* kEntriesHeader =
    "Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,"
    "OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]\n";

// Three images in the layout the dataset ships (images_00N/images/), packed at 4x4:
//   00000001_000.png  8x8 8-bit,   p(r,c) = 20r + 4c
//   00000001_001.png  8x8 16-bit,  p(r,c) = 1000r + 100c + 3
//   00000002_000.png  16x16 8-bit, p(r,c) = 3r + 5c
void write_nih_folder(const std::string& dir) {
  std::vector<std::uint8_t> a(64), c(256);
  std::vector<std::uint16_t> b(64);
  for (int r = 0; r < 8; ++r) {
    for (int col = 0; col < 8; ++col) {
      a[static_cast<std::size_t>(r * 8 + col)] = static_cast<std::uint8_t>(20 * r + 4 * col);
      b[static_cast<std::size_t>(r * 8 + col)] = static_cast<std::uint16_t>(1000 * r + 100 * col + 3);
    }
  }
  for (int r = 0; r < 16; ++r) {
    for (int col = 0; col < 16; ++col)
      c[static_cast<std::size_t>(r * 16 + col)] = static_cast<std::uint8_t>(3 * r + 5 * col);
  }
  write_png8(dir + "/images_001/images/00000001_000.png", 8, 8, a);
  write_png16(dir + "/images_001/images/00000001_001.png", 8, 8, b);
  write_png8(dir + "/images_002/images/00000002_000.png", 16, 16, c);
  write_text(dir + "/Data_Entry_2017.csv",
             std::string(kEntriesHeader) +
                 "00000001_000.png,Cardiomegaly,0,1,58,M,PA,2682,2749,0.143,0.143\n"
                 "00000001_001.png,Cardiomegaly|Emphysema,1,1,58,M,PA,2894,2729,0.143,0.143\n"
                 "00000002_000.png,No Finding,0,2,81,M,PA,2500,2048,0.171,0.171\n");
  write_text(dir + "/BBox_List_2017.csv",
             "Image Index,Finding Label,Bbox [x,y,w,h],,,\n"
             "00000001_001.png,Infiltrate,2,4,2,6,,,\n"
             "00000002_000.png,Cardiomegaly,4.5,8,8,4,,,\n");
}

PackOptions box_options(std::int64_t size = 4) {
  PackOptions options;
  options.size = size;
  options.filter = ResizeFilter::box;
  options.shard_size = 2;
  options.threads = 3;
  return options;
}

std::vector<std::int8_t> nih_labels(std::initializer_list<const char*> positive) {
  std::vector<std::int8_t> labels(nih_finding_names().size(), 0);
  for (const char* name : positive) {
    const auto& names = nih_finding_names();
    labels[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin())] = 1;
  }
  return labels;
}

TEST(PackNih, LabelsPatientsBoxesAndPixelsAreWhatTheFolderSays) {
  salient::testing::TempDir temp;
  write_nih_folder(temp / "nih");
  const PackSource source = read_nih_source(temp / "nih");
  const PackReport report = pack_pool(source, temp / "pool", box_options());
  EXPECT_TRUE(report.skipped.empty());

  const Pool pool = Pool::open(temp / "pool");
  EXPECT_EQ(pool.size(), 3);
  EXPECT_EQ(pool.shard_count(), 2);
  EXPECT_EQ(pool.manifest().label_names, nih_finding_names());
  EXPECT_EQ(pool.manifest().height, 4);
  const ShardFile first = pool.open_shard(0), second = pool.open_shard(1);
  EXPECT_EQ(first.ids(), (std::vector<std::string>{"00000001_000.png", "00000001_001.png"}));
  EXPECT_EQ(second.ids(), std::vector<std::string>{"00000002_000.png"});
  EXPECT_EQ(first.patient_ids(), (std::vector<std::string>{"1", "1"}));
  EXPECT_EQ(second.patient_ids(), std::vector<std::string>{"2"});

  std::vector<std::int8_t> labels(2 * 14);
  first.read_labels(0, 2, labels.data());
  EXPECT_EQ(std::vector<std::int8_t>(labels.begin(), labels.begin() + 14), nih_labels({"Cardiomegaly"}));
  EXPECT_EQ(std::vector<std::int8_t>(labels.begin() + 14, labels.end()), nih_labels({"Cardiomegaly", "Emphysema"}));
  second.read_labels(0, 1, labels.data());
  EXPECT_EQ(std::vector<std::int8_t>(labels.begin(), labels.begin() + 14), nih_labels({}));

  // Boxes scale with their image: 8 → 4 halves, 16 → 4 quarters. "Infiltrate" is column 3.
  const std::vector<Box> first_boxes = first.boxes(), second_boxes = second.boxes();
  ASSERT_EQ(first_boxes.size(), 1u);
  EXPECT_EQ(first_boxes[0].row, 1);
  EXPECT_EQ(first_boxes[0].label, 3);
  EXPECT_FLOAT_EQ(first_boxes[0].x, 1.0f);
  EXPECT_FLOAT_EQ(first_boxes[0].y, 2.0f);
  EXPECT_FLOAT_EQ(first_boxes[0].w, 1.0f);
  EXPECT_FLOAT_EQ(first_boxes[0].h, 3.0f);
  ASSERT_EQ(second_boxes.size(), 1u);
  EXPECT_EQ(second_boxes[0].row, 0);
  EXPECT_EQ(second_boxes[0].label, 1);
  EXPECT_FLOAT_EQ(second_boxes[0].x, 1.125f);
  EXPECT_FLOAT_EQ(second_boxes[0].y, 2.0f);
  EXPECT_FLOAT_EQ(second_boxes[0].w, 2.0f);
  EXPECT_FLOAT_EQ(second_boxes[0].h, 1.0f);

  // Box filter, integer factors: each stored pixel is the mean of its block.
  std::vector<std::uint8_t> pixels(2 * 16);
  first.read_images(0, 2, pixels.data());
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      const auto p = static_cast<std::size_t>(i * 4 + j);
      EXPECT_EQ(pixels[p], 40 * i + 8 * j + 12) << i << "," << j;  // 20(2i + ½) + 4(2j + ½)
      // 16-bit mean 1000(2i + ½) + 100(2j + ½) + 3, then ÷257 to 8 bits, rounded.
      const double mean16 = 2000.0 * i + 200.0 * j + 553.0;
      EXPECT_EQ(pixels[16 + p], static_cast<int>(std::lround(mean16 / 257.0))) << i << "," << j;
    }
  }
  second.read_images(0, 1, pixels.data());
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j)
      EXPECT_EQ(pixels[static_cast<std::size_t>(i * 4 + j)], 12 * i + 20 * j + 12);  // 3(4i + 1.5) + 5(4j + 1.5)
  }

  const PoolReport inspected = inspect_pool(pool, true);
  EXPECT_TRUE(inspected.problems.empty()) << inspected.problems.front();
  EXPECT_EQ(inspected.boxes, 2);
  EXPECT_EQ(inspected.patients, 2);
}

TEST(PackNih, SixteenBitPoolsKeepEightBitImagesWhite) {
  salient::testing::TempDir temp;
  write_nih_folder(temp / "nih");
  PackOptions options = box_options();
  options.pixel_type = PixelType::uint16;
  pack_pool(read_nih_source(temp / "nih"), temp / "pool", options);
  const ShardFile shard = Pool::open(temp / "pool").open_shard(0);
  std::vector<std::uint16_t> pixels(2 * 16);
  shard.read_images(0, 2, pixels.data());
  EXPECT_EQ(pixels[5], 257 * (40 + 8 + 12));    // 8-bit image, (1, 1), ×257
  EXPECT_EQ(pixels[16 + 5], 2000 + 200 + 553);  // 16-bit image, (1, 1), as is
}

TEST(PackNih, MetadataErrorsNameFileLineAndValue) {
  salient::testing::TempDir temp;
  write_nih_folder(temp / "nih");
  const auto entries_with = [&](const std::string& rows) {
    write_text(temp / "nih/Data_Entry_2017.csv", std::string(kEntriesHeader) + rows);
  };
  const auto expect_error = [&](const std::string& fragment) {
    try {
      read_nih_source(temp / "nih");
      ADD_FAILURE() << "no error; expected one mentioning " << fragment;
    } catch (const Error& error) {
      EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos) << error.what();
    }
  };
  entries_with("00000001_000.png,Cardiomegaly|Dragon,0,1,58,M,PA,1,1,1,1\n");
  expect_error("line 2: unknown finding 'Dragon'");
  entries_with("00000001_000.png,No Finding|Mass,0,1,58,M,PA,1,1,1,1\n");
  expect_error("line 2: 'No Finding|Mass' lists findings together with 'No Finding'");
  entries_with("00000001_000.png,Mass,0,1,58,M,PA,1,1,1,1\n00000001_000.png,Mass,0,1,58,M,PA,1,1,1,1\n");
  expect_error("line 3: image '00000001_000.png' is already listed on line 2");
  entries_with("00000001_000.png,Mass,0,1,58,M,PA,1,1,1,1\n");  // the boxes name images no longer listed
  expect_error("BBox_List_2017.csv' line 2: image '00000001_001.png' is not listed");
  write_text(temp / "nih/BBox_List_2017.csv",
             "Image Index,Finding Label,Bbox [x,y,w,h],,,\n00000001_000.png,Mass,1,x,1,1,,,\n");
  expect_error("line 2, column 'y': 'x' is not a number");
  write_text(temp / "nih/elsewhere/00000001_000.png", "");
  expect_error("image '00000001_000.png' is ambiguous");
  std::filesystem::remove(temp / "nih/Data_Entry_2017.csv");
  expect_error("has no Data_Entry_2017_v2020.csv or Data_Entry_2017.csv");
}

TEST(PackNih, TheCurrentReleasesEntriesFileIsReadFirst) {
  salient::testing::TempDir temp;
  write_nih_folder(temp / "nih");
  // The 2020 release renamed the file; when both are there, the newer one is read.
  std::filesystem::remove(temp / "nih/BBox_List_2017.csv");
  write_text(temp / "nih/Data_Entry_2017_v2020.csv",
             std::string(kEntriesHeader) + "00000001_000.png,Hernia,0,1,58,M,PA,1,1,1,1\n");
  const PackSource source = read_nih_source(temp / "nih");
  EXPECT_NE(source.description.find("(Data_Entry_2017_v2020.csv)"), std::string::npos) << source.description;
  ASSERT_EQ(source.items.size(), 1u);
  EXPECT_EQ(source.items[0].labels[13], 1);  // Hernia
}

// A folder whose entries also list a truncated PNG, a file that is no image, and an image
// that is missing.
void add_bad_images(const std::string& dir) {
  write_text(dir + "/images_003/images/00000003_000.png", std::string("\x89PNG\r\n\x1a\n", 8) + "truncated");
  write_text(dir + "/images_003/images/00000003_001.png", "not an image at all");
  write_text(dir + "/Data_Entry_2017.csv", std::string(kEntriesHeader) +
                                               "00000001_000.png,Cardiomegaly,0,1,58,M,PA,1,1,1,1\n"
                                               "00000003_000.png,Mass,0,3,40,F,PA,1,1,1,1\n"
                                               "00000001_001.png,Cardiomegaly|Emphysema,1,1,58,M,PA,1,1,1,1\n"
                                               "00000003_001.png,Mass,1,3,40,F,PA,1,1,1,1\n"
                                               "00000004_000.png,Mass,0,4,40,F,PA,1,1,1,1\n"
                                               "00000002_000.png,No Finding,0,2,81,M,PA,1,1,1,1\n");
}

TEST(PackNih, SkippedBadImagesAreListedWithTheirReasons) {
  salient::testing::TempDir temp;
  write_nih_folder(temp / "nih");
  add_bad_images(temp / "nih");
  PackOptions options = box_options();
  options.on_bad_image = BadImagePolicy::skip;
  const PackReport report = pack_pool(read_nih_source(temp / "nih"), temp / "pool", options);
  ASSERT_EQ(report.skipped.size(), 2u);
  EXPECT_EQ(report.skipped[0].path, temp / "nih/images_003/images/00000003_000.png");
  EXPECT_NE(report.skipped[0].reason.find("cannot decode PNG"), std::string::npos) << report.skipped[0].reason;
  EXPECT_EQ(report.skipped[1].path, temp / "nih/images_003/images/00000003_001.png");
  EXPECT_NE(report.skipped[1].reason.find("neither a PNG, a JPEG nor a DICOM file"), std::string::npos);
  // A missing file is a partial download, not a bad image: listed beside the pool.
  std::ifstream listing(temp / "pool/missing-images.csv");
  const std::string missing((std::istreambuf_iterator<char>(listing)), std::istreambuf_iterator<char>());
  EXPECT_EQ(missing, "id,line\n00000004_000.png,6\n");

  const Pool pool = Pool::open(temp / "pool");
  EXPECT_EQ(pool.size(), 3);
  EXPECT_EQ(pool.open_shard(0).ids(), (std::vector<std::string>{"00000001_000.png", "00000001_001.png"}));
  EXPECT_EQ(pool.open_shard(1).ids(), std::vector<std::string>{"00000002_000.png"});
  EXPECT_EQ(pool.open_shard(0).boxes().size(), 1u);
  EXPECT_TRUE(inspect_pool(pool, true).problems.empty());
}

TEST(PackNih, AFailingPackNamesTheFileAndLeavesNothingBehind) {
  salient::testing::TempDir temp;
  write_nih_folder(temp / "nih");
  add_bad_images(temp / "nih");
  try {
    pack_pool(read_nih_source(temp / "nih"), temp / "out/pool", box_options());
    ADD_FAILURE() << "packing a truncated PNG succeeded";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("bad image '" + (temp / "nih/images_003/images/00000003_000.png") + "'"),
              std::string::npos)
        << error.what();
  }
  EXPECT_TRUE(std::filesystem::is_empty(temp / "out")) << "no pool and no staging folder may remain";
}

TEST(PackNih, AnExistingPoolIsNeverOverwritten) {
  salient::testing::TempDir temp;
  write_nih_folder(temp / "nih");
  write_text(temp / "pool/pool.json", "{}");
  EXPECT_THROW(pack_pool(read_nih_source(temp / "nih"), temp / "pool", box_options()), Error);
  std::filesystem::remove(temp / "pool/pool.json");
  pack_pool(read_nih_source(temp / "nih"), temp / "pool/", box_options());  // an empty folder is fine
  EXPECT_EQ(Pool::open(temp / "pool").size(), 3);
}

}  // namespace
}  // namespace salient::io
