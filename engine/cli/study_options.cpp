#include "engine/cli/study_options.h"

#include <CLI/CLI.hpp>

#include <filesystem>

#include "engine/criteria/criteria_registry.h"
#include "engine/round/score_round.h"
#include "engine/saliency/saliency.h"
#include "engine/selection/strategy_spec.h"
#include "salient/check.h"
#include "salient/io/study_dir.h"

namespace salient::cli {

std::string study_config_path(const std::string& study) {
  return io::StudyDir(study).config();
}

std::vector<ConfigOption> scoring_options() {
  static const std::string criteria_help =
      "criteria beyond the strategy's, comma-separated: names or families (" + criteria::family_names() + ")";
  static const std::string method_help = saliency::method_names(", ");
  return {
      {"--pool", "pool.pool", "pool directory"},
      {"--model", "model.model",
       "built-in architecture (small-cnn, resnet18, resnet50, densenet121), salient checkpoint or TorchScript file"},
      {"--weights", "model.weights", "with a built-in architecture: a torch.save state_dict (default: random from --seed)"},
      {"--input-size", "model.input_size", "model input size in pixels"},
      {"--wildcat", "model.wildcat", "a built-in architecture with a WILDCAT head", true},
      {"--criteria", "scoring.criteria", criteria_help.c_str()},
      {"--batch-size", "scoring.batch_size", "images per batch (fixes the batch grid: keep it to resume)"},
      {"--precision", "scoring.precision", "fp32, or bf16/fp16 autocast on a GPU"},
      {"--channels-last", "scoring.channels_last", "channels-last weights and inputs", true},
      {"--deterministic", "scoring.deterministic", "deterministic GPU algorithms (identical scores for any rank count)", true},
      {"--threads", "scoring.threads", "LibTorch CPU threads per rank (0: the node's cores shared by its ranks)"},
      {"--on-bad-image", "scoring.on_bad_image", "fail, or skip an unreadable shard and report it"},
      {"--seed", "scoring.seed", "keys random weights, MC dropout, ACFT views, SmoothGrad and random draws"},
      {"--embeddings", "scoring.embeddings",
       "each image's pooled trunk features in the score tables: auto (fp16 for the strategies that measure "
       "distances), off, fp16 or fp32"},
      {"--saliency", "saliency.method", method_help.c_str()},
      {"--layer", "saliency.layer", "Grad-CAM stage (default: the trunk's output)"},
      {"--mc-samples", "scoring.mc_dropout.samples", "MC-dropout samples T"},
      {"--acft-views", "scoring.patches.views", "ACFT views m per image"}};
}

std::vector<ConfigOption> training_options() {
  return {{"--fine-tuning", "training.fine_tuning", "rft, aft, acft-q, acft-lq or acft-hq (ACFT's Table 2)"},
          {"--epochs", "training.epochs", "epochs per fine-tuning step"},
          {"--train-batch-size", "training.batch_size", "images per training step over all ranks"},
          {"--learning-rate", "training.learning_rate", "Adam's learning rate"},
          {"--rrr-lambda", "training.rrr_lambda", "HITL's right-for-the-right-reasons weight (0: off)"},
          {"--guidance-weight", "training.guidance_weight", "EG-AL's Grad-CAM guidance weight (0: off)"}};
}

std::vector<ConfigOption> run_options() {
  return {{"--rounds", "run.rounds", "rounds of score, select, label, fine-tune, evaluate"},
          {"--labels", "run.labels", "oracle (the pool's labels) or human (`salient labels import`)"},
          {"--target-auc", "run.target_auc", "stop once the mean validation AUC reaches it (0: never)"},
          {"--max-labels", "run.max_labels", "stop before acquiring more labels than this (0: no limit)"}};
}

std::vector<ConfigOption> strategy_options() {
  static const std::string strategies = [] {
    std::string names;
    for (const auto strategy : selection::all_strategies())
      names += (names.empty() ? "" : ", ") + selection::strategy_name(strategy);
    return names;
  }();
  return {{"--strategy", "strategy.strategy", strategies.c_str()},
          {"--budget", "strategy.budget", "images to select (B)"},
          {"--reverse", "strategy.reverse", "select the least informative instead (IDEAL's ablation)", true}};
}

void StudyOptions::add_to(CLI::App* command, const std::vector<ConfigOption>& options, bool with_round) {
  command->add_option("--study", study, "study directory (its salient.toml holds the defaults)")->required();
  if (with_round) command->add_option("--round", round, "active-learning round")->capture_default_str();
  for (const auto& option : options) {
    Bound& bound = bound_.emplace_back(Bound{option, {}, false, nullptr});
    const std::string help = std::string(option.help) + " [" + option.key + "]";
    bound.parsed = option.is_flag ? command->add_flag(option.flag, bound.on, help)
                                  : command->add_option(option.flag, bound.value, help);
  }
  command->add_option("--strategy-param", strategy_parameters_,
                      "a strategy parameter KEY=VALUE (lambda, alpha, omega, criterion, criteria, x), repeatable");
  command->add_option("--set", assignments_, "any configuration key SECTION.KEY=VALUE (see salient.toml), repeatable");
}

round::StudyConfig StudyOptions::resolve(const std::string& base_file) const {
  round::StudyConfig config;
  if (std::filesystem::exists(base_file)) config = round::load_study_config(base_file);
  for (const auto& bound : bound_) {
    if (bound.parsed->count() == 0) continue;
    round::set_config_value(config, bound.option.key, bound.option.is_flag ? "true" : bound.value);
  }
  const auto assign = [&config](const std::string& prefix, const std::string& assignment) {
    const auto equals = assignment.find('=');
    SALIENT_CHECK(equals != std::string::npos, "'{}': expected KEY=VALUE", assignment);
    round::set_config_value(config, prefix + assignment.substr(0, equals), assignment.substr(equals + 1));
  };
  for (const auto& assignment : strategy_parameters_) assign("strategy.", assignment);
  for (const auto& assignment : assignments_) assign("", assignment);
  return config;
}

}  // namespace salient::cli
