#include "salient/io/staging_directory.h"

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include "salient/check.h"

namespace salient::io {
namespace {

namespace fs = std::filesystem;

// Whether process @p pid runs on this host (EPERM: it runs, as another user).
bool process_runs(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

}  // namespace

StagingDirectory::StagingDirectory(const fs::path& destination, const std::string& command)
    : destination_(destination), path_(fmt::format("{}.tmp-{}", destination.string(), ::getpid())) {
  if (fs::exists(destination_)) {
    SALIENT_CHECK(fs::is_directory(destination_) && fs::is_empty(destination_),
                  "'{}' already exists and is not an empty folder: salient {} writes a new pool", destination_.string(),
                  command);
  }
  const fs::path parent = destination_.has_parent_path() ? destination_.parent_path() : fs::path(".");
  const std::regex staging_name(std::regex_replace(destination_.filename().string(),
                                                   std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                                R"(\.tmp-(\d+))");
  for (const auto& entry : fs::directory_iterator(parent)) {
    std::smatch pid;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, pid, staging_name) && !process_runs(std::stol(pid[1].str()))) {
      remove_tree(entry.path());
      removed_.push_back(entry.path().string());
    }
  }
  remove_tree(path_);
  fs::create_directories(path_);
}

StagingDirectory::~StagingDirectory() {
  if (committed_) return;
  try {
    remove_tree(path_);
  } catch (const Error&) {  // a destructor must not throw: the folder stays, the next build removes it
  }
}

void StagingDirectory::commit() {
  // rename(2) replaces an empty directory atomically.
  SALIENT_CHECK(std::rename(path_.c_str(), destination_.c_str()) == 0, "cannot rename '{}' to '{}': {}",
                path_.string(), destination_.string(), std::strerror(errno));
  committed_ = true;
  const fs::path parent = destination_.has_parent_path() ? destination_.parent_path() : fs::path(".");
  const int fd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY);
  SALIENT_CHECK(fd >= 0, "cannot open folder '{}' to flush it: {}", parent.string(), std::strerror(errno));
  const int status = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  SALIENT_CHECK(status == 0, "cannot flush folder '{}' to disk: {}", parent.string(), std::strerror(saved));
}

void remove_tree(const fs::path& path) {
  if (::access(path.c_str(), F_OK) != 0 && errno == ENOENT) return;
  // Depth first, without following links: each entry after what it holds.
  const int status = ::nftw(
      path.c_str(), [](const char* entry, const struct stat*, int, struct FTW*) { return ::remove(entry); }, 16,
      FTW_DEPTH | FTW_PHYS);
  SALIENT_CHECK(status == 0, "cannot remove '{}': {}", path.string(), std::strerror(errno));
}

fs::path prepare_pool_destination(const std::string& pool_dir) {
  fs::path destination = fs::path(pool_dir).lexically_normal();
  if (destination.filename().empty()) destination = destination.parent_path();  // "pool/"
  if (destination.has_parent_path()) fs::create_directories(destination.parent_path());
  return destination;
}

}  // namespace salient::io
