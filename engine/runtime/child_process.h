// Other programs salient starts and waits for: gnuplot for charts, sbatch and qsub for
// `salient launch --submit`, mpirun for `salient bench`. Started with posix_spawnp (found on
// PATH, no shell in between, so arguments need no quoting).
#pragma once

#include <string>
#include <vector>

namespace salient::runtime {

struct ProcessResult {
  bool started = false;  ///< false when the program could not be started (start_error says why)
  int start_error = 0;   ///< errno of posix_spawnp: ENOENT when the program is not installed
  int status = 0;        ///< exit status, or 128 + signal when a signal ended it
  std::string output;    ///< stdout and stderr together, when captured
};

/// Runs @p argv (argv[0] found on PATH) and waits for it. With @p capture, the child's
/// stdout and stderr are collected into ProcessResult::output; otherwise they are ours.
ProcessResult run_process(const std::vector<std::string>& argv, bool capture);

/// The command as a shell would need it: every argument that is not plain quoted.
std::string shell_command_line(const std::vector<std::string>& argv);

/// One argument for a POSIX shell: unchanged when it holds only safe characters, else in
/// single quotes (a single quote inside written as '\'').
std::string shell_quote(const std::string& argument);

}  // namespace salient::runtime
