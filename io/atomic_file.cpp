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

std::string read_whole_file(const std::string& path) {
  std::ifstream input(path, std::ios::binary);
  SALIENT_CHECK(input, "cannot read '{}': {}", path, std::strerror(errno));
  std::string content((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  SALIENT_CHECK(!input.bad(), "cannot read '{}': {}", path, std::strerror(errno));
  return content;
}

void write_file_atomically(const std::string& path, const std::string& content) {
  AtomicOutput output(path);
  const std::string& temporary = output.temporary_path();
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  SALIENT_CHECK(fd >= 0, "cannot create '{}' (for '{}'): {}", temporary, path, std::strerror(errno));
  // One descriptor from write to close, so that a full disk (ENOSPC), reported by write,
  // fsync or close, is reported here, naming the file.
  std::size_t written = 0;
  int error = 0;
  while (written < content.size() && error == 0) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n > 0) written += static_cast<std::size_t>(n);
    else if (n < 0 && errno != EINTR) error = errno;
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  SALIENT_CHECK(error == 0, "cannot write '{}' ({} of {} bytes written to '{}'): {}", path, written, content.size(),
                temporary, std::strerror(error));
  output.commit();
}

bool is_temporary_output(const std::string& path) {
  return std::filesystem::path(path).filename().string().find(kTemporaryMarker) != std::string::npos;
}

}  // namespace salient::io
