// The salient subcommands, one file each. Each register_* adds its subcommand, options
// and action to the application; main.cpp only parses and reports errors.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "engine/runtime/device.h"

namespace CLI {
class App;
}

namespace salient::comm {
class MpiSession;
}

namespace salient::cli {

/// What every subcommand may use: the global options and, on demand, MPI.
struct CommandContext {
  runtime::DeviceChoice device = runtime::DeviceChoice::automatic;
  /// Starts MPI the first time a command asks for it (commands that need no ranks never do).
  std::function<comm::MpiSession&()> mpi;
  /// Set by the command that ran.
  int exit_code = 0;
};

/// `salient --version`: versions of salient and of every component, and whether CUDA
/// and NCCL are compiled in and usable here.
std::string version_report();

void register_selftest(CLI::App& app, CommandContext& context);
void register_synth(CLI::App& app, CommandContext& context);
void register_inspect(CLI::App& app, CommandContext& context);
void register_import_weights(CLI::App& app, CommandContext& context);
void register_pack(CLI::App& app, CommandContext& context);
void register_export(CLI::App& app, CommandContext& context);
void register_criteria(CLI::App& app, CommandContext& context);
void register_features(CLI::App& app, CommandContext& context);
void register_score(CLI::App& app, CommandContext& context);
void register_select(CLI::App& app, CommandContext& context);
void register_tune(CLI::App& app, CommandContext& context);
void register_run(CLI::App& app, CommandContext& context);
void register_labels(CLI::App& app, CommandContext& context);
void register_review(CLI::App& app, CommandContext& context);
void register_compare(CLI::App& app, CommandContext& context);
void register_saliency(CLI::App& app, CommandContext& context);
void register_launch(CLI::App& app, CommandContext& context);
void register_bench(CLI::App& app, CommandContext& context);

}  // namespace salient::cli
