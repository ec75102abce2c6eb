#include "engine/round/study_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <utility>

#include "engine/comm/mpi_collectives.h"
#include "salient/check.h"
#include "salient/io/study_dir.h"

namespace salient::round {
namespace {

std::string host_name() {
  char name[256] = {};
  return gethostname(name, sizeof(name) - 1) == 0 ? std::string(name) : std::string("unknown host");
}

// What the lock file says of its holder (its first line), or why it cannot be read.
std::string holder_of(int fd) {
  char text[512] = {};
  const ssize_t size = pread(fd, text, sizeof(text) - 1, 0);
  if (size <= 0) return "a job that has not written its name yet";
  std::string line(text, static_cast<std::size_t>(size));
  return line.substr(0, line.find('\n'));
}

}  // namespace

StudyLock StudyLock::acquire(const std::string& study_dir, const std::string& command) {
  std::filesystem::create_directories(study_dir);
  const std::string path = io::StudyDir(study_dir).lock();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  SALIENT_CHECK(fd >= 0, "cannot open the study's lock file '{}': {}", path, std::strerror(errno));
  StudyLock lock(fd);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    if (error == EWOULDBLOCK) {
      throw Error(fmt::format("study '{}' is in use by {} (lock file {}): one job at a time per study; wait for "
                              "it to end, or stop it",
                              study_dir, holder_of(fd), path));
    }
    throw Error(fmt::format("cannot lock study '{}' ({}): {}; its file system may not support flock", study_dir, path,
                            std::strerror(error)));
  }
  const std::string holder =
      fmt::format("`salient {}` on host {}, PID {}, since {:%Y-%m-%d %H:%M:%S} UTC\n", command, host_name(), getpid(),
                  fmt::gmtime(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())));
  SALIENT_CHECK(::ftruncate(fd, 0) == 0 && ::pwrite(fd, holder.data(), holder.size(), 0) ==
                                               static_cast<ssize_t>(holder.size()),
                "cannot write the study's lock file '{}': {}", path, std::strerror(errno));
  return lock;
}

StudyLock::StudyLock(StudyLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

StudyLock& StudyLock::operator=(StudyLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

// Closing the descriptor releases the lock; the file stays, naming the last holder.
StudyLock::~StudyLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<StudyLock> lock_study(const std::string& study_dir, const std::string& command, int rank) {
  std::optional<StudyLock> lock;
  std::string refusal;
  if (rank == 0) {
    try {
      lock.emplace(StudyLock::acquire(study_dir, command));
    } catch (const Error& error) {
      refusal = error.what();
    }
  }
  refusal = comm::broadcast_string(refusal, 0);
  if (!refusal.empty()) throw Error(refusal);
  return lock;
}

}  // namespace salient::round
