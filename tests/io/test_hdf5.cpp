#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "salient/check.h"
#include "salient/io/hdf5.h"

namespace salient::io::h5 {
namespace {

class Hdf5Test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("salient-test-hdf5-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

TEST_F(Hdf5Test, RoundTripsEveryStoredTypeWithItsShape) {
  const std::vector<std::uint8_t> images{0, 1, 127, 128, 254, 255};
  const std::vector<std::int8_t> labels{-1, 0, 1, 1};
  const std::vector<float> scores{0.5f, -1.25f, 3.0e-38f};
  {
    auto file = File::create(path("pool.h5"));
    file.write("images", {1, 2, 3}, images.data());
    file.write("labels", {2, 2}, labels.data());
    file.write("scores", {3}, scores.data());
  }
  const auto file = File::open(path("pool.h5"));
  EXPECT_EQ(file.read<std::uint8_t>("images"), images);
  EXPECT_EQ(file.read<std::int8_t>("labels"), labels);
  EXPECT_EQ(file.read<float>("scores"), scores);
  EXPECT_EQ(file.dataset("images").shape(), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_TRUE(file.has_dataset("labels"));
  EXPECT_FALSE(file.has_dataset("roi"));
}

TEST_F(Hdf5Test, MissingFileErrorNamesThePath) {
  try {
    File::open(path("absent.h5"));
    FAIL() << "opening a missing file must throw";
  } catch (const salient::Error& error) {
    EXPECT_NE(std::string(error.what()).find("absent.h5"), std::string::npos) << error.what();
  }
}

TEST_F(Hdf5Test, MissingDatasetErrorNamesFileAndDataset) {
  { File::create(path("empty.h5")); }
  try {
    File::open(path("empty.h5")).read<float>("images");
    FAIL() << "reading a missing dataset must throw";
  } catch (const salient::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("empty.h5"), std::string::npos) << message;
    EXPECT_NE(message.find("'images'"), std::string::npos) << message;
  }
}

TEST_F(Hdf5Test, ReadingIntegersAsFloatsIsRefused) {
  const std::vector<std::int32_t> values{1, 2};
  { File::create(path("ints.h5")).write("ids", {2}, values.data()); }
  EXPECT_THROW(File::open(path("ints.h5")).read<float>("ids"), salient::Error);
}

TEST_F(Hdf5Test, ListsRootAttributesInNameOrder) {
  {
    auto file = File::create(path("attributes.h5"));
    file.set_attribute("shard", std::int64_t{4});
    file.set_attribute("format", std::string("test"));
  }
  EXPECT_EQ(File::open(path("attributes.h5")).attribute_names(), (std::vector<std::string>{"format", "shard"}));
}

// Every kind of object io::h5 creates: attributes, nested groups, contiguous, chunked and
// compressed datasets, strings.
void write_every_kind(const std::string& file_path) {
  const std::vector<std::uint16_t> pixels(4 * 8 * 8, 513);
  const std::vector<double> values{0.5, -2.0};
  auto file = File::create(file_path);
  file.set_attribute("format", std::string("test"));
  file.set_attribute("round", std::int64_t{3});
  file.write("images", {4, 8, 8}, pixels.data(), Layout{{1, 8, 8}, 4});
  file.write("criteria/first/entropy", {2}, values.data());
  file.write_strings("ids", {"a", "bb"});
}

std::string bytes_of(const std::string& file_path) {
  std::ifstream in(file_path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_F(Hdf5Test, SameContentGivesTheSameBytesASecondLater) {
  write_every_kind(path("first.h5"));
  // HDF5's object time stamps count seconds: a second later they would differ.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write_every_kind(path("second.h5"));
  const std::string first = bytes_of(path("first.h5"));
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(first == bytes_of(path("second.h5"))) << "the bytes differ";
}

}  // namespace
}  // namespace salient::io::h5
