// A fresh directory per test for files only, removed with POSIX calls. For the test binaries
// that link LibTorch, where std::filesystem::remove_all (support/temp_dir.h) resolves to
// libtorch.so's copy and crashes.
#pragma once

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace salient::testing {

class FlatTempDir {
 public:
  FlatTempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/salient-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~FlatTempDir() {
    if (DIR* directory = ::opendir(path_.c_str())) {
      while (const dirent* entry = ::readdir(directory)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") ::unlink((*this / name).c_str());
      }
      ::closedir(directory);
    }
    ::rmdir(path_.c_str());
  }
  FlatTempDir(const FlatTempDir&) = delete;
  FlatTempDir& operator=(const FlatTempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace salient::testing
