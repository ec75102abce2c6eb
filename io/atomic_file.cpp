#include "salient/io/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "salient/check.h"

namespace salient::io {
namespace {

constexpr const char* kTemporaryMarker = ".tmp-";

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  SALIENT_CHECK(fd >= 0, "cannot open '{}' to flush it: {}", path, std::strerror(errno));
  const int status = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  SALIENT_CHECK(status == 0, "cannot flush '{}' to disk: {}", path, std::strerror(saved));
}

}  // namespace

AtomicOutput::AtomicOutput(std::string final_path)
    : final_path_(std::move(final_path)),
      temporary_path_(fmt::format("{}{}{}", final_path_, kTemporaryMarker, ::getpid())) {}

AtomicOutput::~AtomicOutput() {
  if (!committed_) std::remove(temporary_path_.c_str());
}

void AtomicOutput::commit() {
  fsync_path(temporary_path_, O_RDONLY);
  SALIENT_CHECK(std::rename(temporary_path_.c_str(), final_path_.c_str()) == 0, "cannot rename '{}' to '{}': {}",
                temporary_path_, final_path_, std::strerror(errno));
  committed_ = true;
  const auto directory = std::filesystem::path(final_path_).parent_path();
  fsync_path(directory.empty() ? "." : directory.string(), O_RDONLY | O_DIRECTORY);
}

void write_file_atomically(const std::string& path, const std::string& content) {
  AtomicOutput output(path);
  {
    std::ofstream stream(output.temporary_path(), std::ios::binary | std::ios::trunc);
    SALIENT_CHECK(stream, "cannot create '{}': {}", output.temporary_path(), std::strerror(errno));
    stream << content;
    stream.flush();
    SALIENT_CHECK(stream, "cannot write '{}': {}", output.temporary_path(), std::strerror(errno));
  }
  output.commit();
}

bool is_temporary_output(const std::string& path) {
  return std::filesystem::path(path).filename().string().find(kTemporaryMarker) != std::string::npos;
}

}  // namespace salient::io
