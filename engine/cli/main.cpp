// The salient command line. Only main() catches: it prints the error and, when other
// ranks are running, aborts the whole MPI job so none of them hangs.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <optional>

#include "engine/cli/commands.h"
#include "engine/comm/mpi_session.h"

int main(int argc, char** argv) {
  using namespace salient;
  CLI::App app{"salient: distributed interpretability-driven active learning for medical images"};
  app.require_subcommand(0, 1);
  bool show_version = false;
  std::string device_text = "auto";
  std::string log_level = "info";
  app.add_flag("--version", show_version, "Print versions of salient and its components, and exit");
  app.add_option("--device", device_text, "Where to compute: auto (CUDA when present), cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  CLI::App* selftest = app.add_subcommand("selftest", "Use every component once on every rank and check the results");

  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (show_version) {
    std::cout << cli::version_report();
    return 0;
  }
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
    return 0;
  }

  std::optional<comm::MpiSession> mpi;
  try {
    mpi.emplace(&argc, &argv);
    spdlog::set_pattern(fmt::format("[%H:%M:%S.%e] [rank {}] [%l] %v", mpi->rank()));
    cli::GlobalOptions options;
    options.device = runtime::parse_device_choice(device_text);
    if (selftest->parsed()) return cli::run_selftest(options, *mpi);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "salient: error: %s\n", error.what());
    if (mpi && mpi->size() > 1) MPI_Abort(MPI_COMM_WORLD, 1);
    return 1;
  }
  return 0;
}
