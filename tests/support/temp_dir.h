// A fresh directory per test, removed afterwards (by io::remove_tree: in binaries that load
// libtorch.so, std::filesystem::remove_all may bind to LibTorch's copy, which crashes on a
// folder with folders in it).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "salient/io/staging_directory.h"

namespace salient::testing {

class TempDir {
 public:
  TempDir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::temp_directory_path() /
            ("salient-" + std::string(info->test_suite_name()) + "-" + info->name() + "-" + std::to_string(::getpid()));
    io::remove_tree(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { io::remove_tree(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace salient::testing
