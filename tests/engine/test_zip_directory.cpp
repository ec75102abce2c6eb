// The ZIP central directory reader (the size check before LibTorch's archive reader) against
// Python's zipfile on archives it wrote: stored and deflated records, a comment, a ZIP64
// directory, a torch.save file (tests/engine/reference/zip_reference.py); and the damaged
// weights files that once made LibTorch allocate 4 GiB.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <fstream>
#include <string>

#include "engine/models/torch_save_file.h"
#include "engine/models/zip_directory.h"
#include "salient/check.h"

namespace salient {
namespace {

const std::string kReference = SALIENT_ZIP_REFERENCE;

TEST(ZipDirectory, ListsWhatPythonsZipfileLists) {
  std::ifstream file(kReference + "/listing.json");
  ASSERT_TRUE(file) << kReference;
  const auto expected = nlohmann::json::parse(file);
  ASSERT_EQ(expected.size(), 3u);
  for (const auto& [archive, entries] : expected.items()) {
    const auto listed = models::read_zip_directory(kReference + "/" + archive);
    ASSERT_EQ(listed.size(), entries.size()) << archive;
    for (std::size_t i = 0; i < listed.size(); ++i) {
      EXPECT_EQ(listed[i].name, entries[i]["name"].get<std::string>()) << archive;
      EXPECT_EQ(listed[i].compressed_size, entries[i]["compressed"].get<std::uint64_t>()) << listed[i].name;
      EXPECT_EQ(listed[i].uncompressed_size, entries[i]["uncompressed"].get<std::uint64_t>()) << listed[i].name;
      EXPECT_EQ(listed[i].method, entries[i]["method"].get<int>()) << listed[i].name;
    }
  }
}

TEST(ZipDirectory, RefusesWhatIsNotAZipArchive) {
  const std::string path = kReference + "/listing.json";
  try {
    models::read_zip_directory(path);
    FAIL() << "expected salient::Error";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find(path + ": not a ZIP archive"), std::string::npos) << error.what();
  }
}

// Fuzzing found both: a record's directory entry claiming 0xFFFFFFFF bytes, once a storage
// and once the version record LibTorch reads when it opens the archive.
TEST(TorchSaveFile, ARecordClaimingMoreThanTheFileIsRefusedBeforeAnyAllocation) {
  for (const char* name : {"record_size_beyond_file.pt", "version_record_beyond_file.pt"}) {
    const std::string path = std::string(SALIENT_FUZZ_CORPUS) + "/torch_save/" + name;
    try {
      models::read_torch_save_tensors(path);
      FAIL() << "expected salient::Error for " << name;
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(path), std::string::npos) << message;
      EXPECT_NE(message.find("more than the file's"), std::string::npos) << message;
    }
  }
}

TEST(TorchSaveFile, ReadsTheTensorsPythonSaved) {
  const auto tensors = models::read_torch_save_tensors(kReference + "/state.pt");
  ASSERT_EQ(tensors.size(), 2u);
  EXPECT_TRUE(tensors.at("weight").equal(torch::arange(12.0, torch::kFloat32).reshape({3, 4})));
  EXPECT_TRUE(tensors.at("bias").equal(torch::zeros({3})));
}

}  // namespace
}  // namespace salient
