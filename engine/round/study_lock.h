// One job per study: every command that writes into a study (score, select, tune, run,
// labels import) holds an advisory lock on STUDY/.salient.lock for its whole run, so that
// a second job is refused at once instead of racing the first one's files. The lock is
// flock(2): the kernel releases it when the holder exits, however it ends, so a killed job
// never leaves a study locked. The file names the holder (host, PID, command, start time)
// for the message a refused job prints. On a cluster file system the lock needs flock
// support (Lustre: the `flock` mount option; NFSv4 maps it to byte-range locks).
#pragma once

#include <optional>
#include <string>

namespace salient::round {


class StudyLock {
 public:
  /// Takes the lock of @p study_dir (creating the study's directory) for @p command, or
  /// throws salient::Error naming the job that holds it.
  static StudyLock acquire(const std::string& study_dir, const std::string& command);

  StudyLock(StudyLock&& other) noexcept;
  StudyLock& operator=(StudyLock&& other) noexcept;
  StudyLock(const StudyLock&) = delete;
  StudyLock& operator=(const StudyLock&) = delete;
  ~StudyLock();

 private:
  explicit StudyLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

/// The lock for an MPI job: rank 0 takes it and tells the other ranks, which wait for its
/// answer; when it is held elsewhere every rank throws the same salient::Error. Returns the
/// lock on rank 0 and nothing on the others. Every rank must call it.
std::optional<StudyLock> lock_study(const std::string& study_dir, const std::string& command, int rank);

}  // namespace salient::round
