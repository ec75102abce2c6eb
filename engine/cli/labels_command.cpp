// `salient labels`: the annotators' side of a human-in-the-loop study (round/study_labels.h).
//   template          a CSV of the images awaiting labels (id and one empty column per label)
//   import            an annotator's CSV added to labels.csv as the awaiting round's labels
//   import --replace  an annotator's CSV correcting labels already in labels.csv
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>

#include "engine/cli/commands.h"
#include "engine/cli/study_options.h"
#include "engine/round/study_labels.h"
#include "engine/round/study_lock.h"
#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

struct LabelsArguments {
  std::string study;
  std::string file;
  bool replace = false;
};

round::StudyConfig study_config(const std::string& study) {
  const std::string path = study_config_path(study);
  SALIENT_CHECK(std::filesystem::exists(path), "'{}' is not a study: it has no {}", study, path);
  return round::load_study_config(path);
}

void write_template(const LabelsArguments& arguments) {
  const auto config = study_config(arguments.study);
  const io::PoolManifest manifest = io::read_manifest(config.pool.directory);
  std::string text = "id";
  for (const auto& name : manifest.label_names) text += "," + io::csv_field(name);
  text += "\n";
  const std::uint32_t awaiting = round::awaiting_round(arguments.study, manifest);
  const auto awaited = round::awaited_ids(arguments.study, manifest, awaiting);
  for (const auto& id : awaited) text += io::csv_field(id) + std::string(manifest.label_names.size(), ',') + "\n";
  io::write_file_atomically(arguments.file, text);
  fmt::print("{} images of round {} await labels: fill in {} (1, 0, or empty for unknown), then `salient labels "
             "import {} --study {}`\n",
             awaited.size(), awaiting, arguments.file, arguments.file, arguments.study);
}

void import(const LabelsArguments& arguments) {
  const auto config = study_config(arguments.study);  // before the lock, which would create the directory
  const auto lock = round::StudyLock::acquire(arguments.study, "labels import");
  const io::Pool pool = io::Pool::open(config.pool.directory);
  if (arguments.replace) {
    const auto outcome = round::replace_labels(arguments.study, pool, arguments.file);
    fmt::print("labels of {} images replaced in {}; {} cell(s) that were not labels repaired\n", outcome.replaced,
               io::StudyDir(arguments.study).labels(), outcome.repaired);
    return;
  }
  const auto outcome = round::import_labels(arguments.study, pool, arguments.file);
  fmt::print("{} labels of round {} added to {}", outcome.added, outcome.round, io::StudyDir(arguments.study).labels());
  if (outcome.awaited > 0) {
    fmt::print("; {} images of the round still await labels\n", outcome.awaited);
  } else {
    fmt::print("; the round is labeled: `salient run --study {}` continues\n", arguments.study);
  }
}

}  // namespace

void register_labels(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<LabelsArguments>();
  auto* command = app.add_subcommand("labels", "Labels of a human-in-the-loop study: a template to fill, an import");
  command->require_subcommand(1);
  auto* make_template = command->add_subcommand("template", "Write a CSV of the images awaiting labels");
  make_template->add_option("--study", arguments->study, "study directory")->required();
  make_template->add_option("--out", arguments->file, "CSV to write")->required();
  make_template->callback([arguments] { write_template(*arguments); });
  auto* import_command = command->add_subcommand("import", "Add an annotator's CSV to the study's labels.csv");
  import_command->add_option("file", arguments->file, "CSV with id and every label column (optionally source)")
      ->required();
  import_command->add_option("--study", arguments->study, "study directory")->required();
  import_command->add_flag("--replace", arguments->replace,
                           "Correct labels already in labels.csv (keeping their round), or repair cells that are "
                           "not labels");
  import_command->callback([arguments] { import(*arguments); });
}

}  // namespace salient::cli
