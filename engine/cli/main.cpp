// The salient command line. Only main() catches: it prints the error and, when other
// ranks are running, aborts the whole MPI job so none of them hangs.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>

#include "engine/cli/commands.h"
#include "engine/comm/mpi_session.h"
#include "engine/runtime/heap.h"
#include "engine/runtime/out_of_memory.h"

int main(int argc, char** argv) {
  using namespace salient;
  if (!runtime::keep_freed_memory_in_heap())
    spdlog::warn("the C library refused salient's heap settings (runtime/heap.h)");
  CLI::App app{"salient: distributed interpretability-driven active learning for medical images"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  std::string device_text = "auto";
  std::string log_level = "info";
  std::optional<comm::MpiSession> mpi;
  cli::CommandContext context;
  app.add_flag("--version", show_version, "Print versions of salient and its components, and exit");
  app.add_option("--device", device_text, "Where to compute: auto (CUDA when present), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  app.parse_complete_callback([&] {
    spdlog::set_level(spdlog::level::from_str(log_level));
    context.device = runtime::parse_device_choice(device_text);
    if (show_version) {
      std::cout << cli::version_report();
      std::exit(0);
    }
  });

  context.mpi = [&]() -> comm::MpiSession& {
    if (!mpi) {
      mpi.emplace(&argc, &argv);
      spdlog::set_pattern(fmt::format("[%H:%M:%S.%e] [rank {}] [%l] %v", mpi->rank()));
    }
    return *mpi;
  };
  cli::register_selftest(app, context);
  cli::register_synth(app, context);
  cli::register_inspect(app, context);
  cli::register_import_weights(app, context);
  cli::register_pack(app, context);
  cli::register_export(app, context);
  cli::register_criteria(app, context);
  cli::register_features(app, context);
  cli::register_saliency(app, context);
  cli::register_score(app, context);
  cli::register_select(app, context);
  cli::register_tune(app, context);
  cli::register_run(app, context);
  cli::register_labels(app, context);
  cli::register_review(app, context);
  cli::register_compare(app, context);
  cli::register_launch(app, context);
  cli::register_bench(app, context);

  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) std::cout << app.help();
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "salient: error: %s\n", runtime::error_message(error).c_str());
    if (mpi && mpi->size() > 1) MPI_Abort(MPI_COMM_WORLD, 1);
    mpi.reset();
    // Not a return: HDF5's exit handler closes the files it still holds, and after a write
    // failed (a full disk) it crashes doing so (HDF5 1.10). What salient writes is atomic,
    // so nothing is lost by skipping it; the C streams are flushed first.
    std::fflush(nullptr);
    std::_Exit(1);
  }
  return context.exit_code;
}
