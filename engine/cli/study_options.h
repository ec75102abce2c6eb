// The options `salient score`, `select`, `tune` and `run` share: the study directory and round,
// and one option per study configuration key (round/study_config.h) that overrides the
// study's salient.toml for this job. `--set section.key=value` reaches every other key.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "engine/round/study_config.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace salient::cli {

/// An option that sets a configuration key.
struct ConfigOption {
  const char* flag;  ///< e.g. "--budget"
  const char* key;   ///< e.g. "strategy.budget"
  const char* help;
  bool is_flag = false;  ///< a switch: given = "true"
};

class StudyOptions {
 public:
  /// Adds --study, --round (unless @p with_round is false), --set and @p options to @p command.
  void add_to(CLI::App* command, const std::vector<ConfigOption>& options, bool with_round = true);

  /// The study's configuration for this job: @p base_file when it exists (else defaults),
  /// then every option given on the command line.
  round::StudyConfig resolve(const std::string& base_file) const;

  std::string study;
  std::uint32_t round = 0;

 private:
  struct Bound {
    ConfigOption option;
    std::string value;
    bool on = false;
    CLI::Option* parsed = nullptr;
  };
  std::deque<Bound> bound_;  // stable addresses: CLI11 writes into them
  std::vector<std::string> strategy_parameters_;  // KEY=VALUE of [strategy]
  std::vector<std::string> assignments_;          // SECTION.KEY=VALUE
};

/// STUDY/salient.toml.
std::string study_config_path(const std::string& study);

/// Options of scoring: --pool, --model, --seed, --saliency, --criteria, …
std::vector<ConfigOption> scoring_options();

/// Options of the strategy: --strategy, --budget, --reverse, --strategy-param.
std::vector<ConfigOption> strategy_options();

/// Options of fine-tuning: --fine-tuning, --epochs, --learning-rate, …
std::vector<ConfigOption> training_options();

/// Options of `salient run`: --rounds, --labels, --target-auc, --max-labels.
std::vector<ConfigOption> run_options();

}  // namespace salient::cli
