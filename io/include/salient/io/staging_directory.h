// Where a new pool is built: "<pool>.tmp-<pid>" beside its destination, renamed into place
// when complete (rename(2) replaces an empty folder atomically), removed with all it holds
// otherwise. A killed `salient pack` or `salient synth` therefore leaves no half-written
// pool, only its staging folder, which the next build of a pool there removes and lists.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace salient::io {

class StagingDirectory {
 public:
  /// Refuses (salient::Error naming @p command) a @p destination that exists and is not an
  /// empty folder. Removes the staging folders "<destination>.tmp-<pid>" of processes that
  /// no longer run on this host (removed_leftovers() lists them), then creates this one.
  StagingDirectory(const std::filesystem::path& destination, const std::string& command);
  StagingDirectory(const StagingDirectory&) = delete;
  StagingDirectory& operator=(const StagingDirectory&) = delete;
  ~StagingDirectory();

  const std::filesystem::path& path() const { return path_; }
  const std::vector<std::string>& removed_leftovers() const { return removed_; }

  /// Renames the staging folder to the destination and flushes the parent folder.
  void commit();

 private:
  std::filesystem::path destination_;
  std::filesystem::path path_;
  std::vector<std::string> removed_;
  bool committed_ = false;
};

/// @p pool_dir without a trailing separator, its parent folders created.
std::filesystem::path prepare_pool_destination(const std::string& pool_dir);

/// Removes @p path and everything below it (nothing when it does not exist); throws
/// salient::Error naming what cannot be removed. Not std::filesystem::remove_all: LibTorch's
/// libtorch.so exports its own copy of the std::filesystem functions, which the dynamic
/// linker may bind instead, and its remove_all crashes on a non-empty folder.
void remove_tree(const std::filesystem::path& path);

}  // namespace salient::io
