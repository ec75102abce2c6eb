// The salient subcommands, one file each; main.cpp wires them to the command line.
#pragma once

#include <string>

#include "engine/runtime/device.h"

namespace salient::comm {
class MpiSession;
}

namespace salient::cli {

struct GlobalOptions {
  runtime::DeviceChoice device = runtime::DeviceChoice::automatic;
};

/// `salient --version`: versions of salient and of every component, and whether CUDA
/// and NCCL are compiled in and usable here.
std::string version_report();

/// `salient selftest`: uses every dependency once on every rank and checks the results
/// against values known in advance. Returns the process exit code.
int run_selftest(const GlobalOptions& options, const comm::MpiSession& mpi);

}  // namespace salient::cli
