// `salient import-weights`: a salient checkpoint from torchvision's or torchxrayvision's
// weights (models/weights_import.h).
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "engine/cli/commands.h"
#include "engine/models/checkpoint.h"
#include "engine/models/weights_import.h"
#include "engine/runtime/field_text.h"

namespace salient::cli {
namespace {

struct ImportArguments {
  std::string source;
  std::string file;
  std::string architecture = "densenet121";
  std::string labels;
  std::string out;
  std::int64_t input_size = 224;
};

void run_import(const ImportArguments& arguments) {
  models::WeightsImport request;
  request.source = models::parse_weights_source(arguments.source);
  request.path = arguments.file;
  request.architecture = models::parse_architecture(arguments.architecture);
  if (!arguments.labels.empty()) request.labels = runtime::split_list(arguments.labels);
  request.input_size = arguments.input_size;
  auto model = models::import_weights(request);
  models::save_checkpoint(*model, arguments.out);
  const models::ModelSpec& spec = model->spec();
  spdlog::info("wrote '{}': {} from {} weights '{}', {} output(s){}, {}×{} px input, intensity u fed as "
               "(u − {}) / {}",
               arguments.out, arguments.architecture, arguments.source, arguments.file, spec.classes,
               spec.labels.empty() ? std::string() : fmt::format(" ({})", fmt::join(spec.labels, ", ")),
               spec.input_size, spec.input_size, spec.normalisation.mean, spec.normalisation.std);
}

}  // namespace

void register_import_weights(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<ImportArguments>();
  CLI::App* command = app.add_subcommand(
      "import-weights", "Write a salient checkpoint from a torchvision or torchxrayvision state_dict (torch.save)");
  command->add_option("--from", arguments->source, "Whose model the weights are for")
      ->required()
      ->check(CLI::IsMember({"torchvision", "torchxrayvision"}));
  command->add_option("file", arguments->file, "The state_dict, as torch.save(model.state_dict(), FILE) wrote it")
      ->required()
      ->check(CLI::ExistingFile);
  command->add_option("--arch", arguments->architecture, "Architecture the weights belong to")
      ->capture_default_str()
      ->check(CLI::IsMember({"densenet121", "resnet18", "resnet50"}));
  command->add_option("--labels", arguments->labels,
                      "Outputs to keep, in this order, comma-separated: torchxrayvision's by name (e.g. the 14 NIH "
                      "findings), others by position; default: all");
  command->add_option("--input-size", arguments->input_size, "Side the weights expect images at")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  command->add_option("--out", arguments->out, "Checkpoint to write")->required();
  command->callback([arguments] { run_import(*arguments); });
}

}  // namespace salient::cli
