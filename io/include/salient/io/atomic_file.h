// Files that appear whole or not at all: written under a temporary name beside the
// final one, flushed to disk (fsync), then renamed over it (rename is atomic on POSIX),
// and the directory entry fsync'd. A writer that fails or is killed leaves the old file
// (or none) and at most a temporary file that readers never look at.
#pragma once

#include <string>

namespace salient::io {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::string final_path);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  /// Removes the temporary file unless commit() succeeded.
  ~AtomicOutput();

  /// Where to write: "<final>.tmp-<pid>" in the same directory.
  const std::string& temporary_path() const { return temporary_path_; }
  const std::string& final_path() const { return final_path_; }
  /// fsync the temporary file, rename it to the final path, fsync the directory.
  void commit();

 private:
  std::string final_path_;
  std::string temporary_path_;
  bool committed_ = false;
};

/// Writes @p content to @p path through an AtomicOutput.
void write_file_atomically(const std::string& path, const std::string& content);

/// The whole of the file at @p path; throws salient::Error naming it when it cannot be read.
std::string read_whole_file(const std::string& path);

/// True for names AtomicOutput uses for its temporary files.
bool is_temporary_output(const std::string& path);

}  // namespace salient::io
