// `salient export`: one round's score tables merged into a CSV.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "engine/cli/commands.h"
#include "salient/io/score_table.h"

namespace salient::cli {
namespace {

struct ExportArguments {
  std::string study;
  std::int64_t round = 0;
  std::string out;
};

}  // namespace

void register_export(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<ExportArguments>();
  CLI::App* command = app.add_subcommand("export", "Merge a round's score tables into one CSV");
  command->add_option("--study", arguments->study, "Study directory")->required();
  command->add_option("--round", arguments->round, "Round whose scores to export")->required()->check(CLI::NonNegativeNumber);
  command->add_option("--out", arguments->out, "CSV file to write (index,id,<criteria>,<criteria>_reason)")->required();
  command->callback([arguments] {
    const std::int64_t rows = io::export_scores_csv(arguments->study, arguments->round, arguments->out);
    spdlog::info("wrote {} rows to {}", rows, arguments->out);
  });
}

}  // namespace salient::cli
