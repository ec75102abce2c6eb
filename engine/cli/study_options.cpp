#include "engine/cli/study_options.h"

#include <CLI/CLI.hpp>

#include <filesystem>

#include "engine/round/score_round.h"
#include "salient/check.h"

namespace salient::cli {

std::string study_config_path(const std::string& study) {
  return (std::filesystem::path(study) / round::kStudyConfigFile).string();
}

std::string round_config_path(const std::string& study, std::uint32_t round) {
  return (std::filesystem::path(round::round_dir(study, round)) / "config.toml").string();
}

std::vector<ConfigOption> strategy_options() {
  return {{"--strategy", "strategy.strategy",
           "random, entropy, margin, least-confidence, mc-variance, bald, ideal-kurtosis, ideal-firstorder, "
           "ideal-glcm, ideal-shape, eg-al, acft, hitl-entropy or borda"},
          {"--budget", "strategy.budget", "images to select (B)"},
          {"--reverse", "strategy.reverse", "select the least informative instead (IDEAL's ablation)", true}};
}

void StudyOptions::add_to(CLI::App* command, const std::vector<ConfigOption>& options) {
  command->add_option("--study", study, "study directory (its salient.toml holds the defaults)")->required();
  command->add_option("--round", round, "active-learning round")->capture_default_str();
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
