#include "engine/runtime/child_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace salient::runtime {
namespace {

// A temporary file for the child's output, removed when this goes out of scope.
class CaptureFile {
 public:
  CaptureFile() {
    const char* directory = std::getenv("TMPDIR");
    path_ = std::string(directory && *directory ? directory : "/tmp") + "/salient-child-XXXXXX";
    descriptor_ = mkstemp(path_.data());
  }
  ~CaptureFile() {
    if (descriptor_ >= 0) {
      close(descriptor_);
      unlink(path_.c_str());
    }
  }
  CaptureFile(const CaptureFile&) = delete;
  CaptureFile& operator=(const CaptureFile&) = delete;

  int descriptor() const { return descriptor_; }
  std::string text() const {
    std::ifstream input(path_);
    return std::string(std::istreambuf_iterator<char>(input), std::istreambuf_iterator<char>());
  }

 private:
  std::string path_;
  int descriptor_ = -1;
};

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, bool capture) {
  ProcessResult result;
  std::vector<std::string> arguments = argv;
  std::vector<char*> pointers;
  for (auto& argument : arguments) pointers.push_back(argument.data());
  pointers.push_back(nullptr);

  CaptureFile output;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (capture && output.descriptor() >= 0) {
    posix_spawn_file_actions_adddup2(&actions, output.descriptor(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, output.descriptor(), STDERR_FILENO);
  }
  pid_t child = 0;
  const int error = posix_spawnp(&child, pointers[0], &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    result.start_error = error;
    return result;
  }
  result.started = true;
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (capture) result.output = output.text();
  return result;
}

std::string shell_quote(const std::string& argument) {
  const bool plain = !argument.empty() && argument.find_first_not_of(
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789_-+=/.,:@%") == std::string::npos;
  if (plain) return argument;
  std::string quoted = "'";
  for (const char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string shell_command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& argument : argv) line += (line.empty() ? "" : " ") + shell_quote(argument);
  return line;
}

}  // namespace salient::runtime
