// A study's configuration, salient.toml in the study directory (DESIGN.md "Work directory of
// a study"): every option of `salient score`, `select`, `tune` and `run` has a key, and the command
// line overrides the file key by key (set_config_value). A key is "section.name", as in the
// TOML. StudyConfig holds one struct per section, and those hold the option structs the
// commands run with (criteria::CriteriaRequest, saliency::SaliencyOptions,
// training::TrainingOptions); one field table (study_config_fields) names their members:
//   [pool]                pool, fingerprint
//   [model]               model, weights, input_size, wildcat
//   [scoring]             criteria, batch_size, precision, channels_last, deterministic, threads,
//                         on_bad_image, seed, embeddings
//   [scoring.<family>]    each criterion family's parameters (CriterionFamily::parameters):
//                         mc_dropout, patches (ACFT), firstorder, glcm, glrlm, glszm, gldm,
//                         ngtdm, shape2D, alignment
//   [saliency]            method, layer, ig_steps, ig_baseline, blur_sigma, smoothgrad_samples,
//                         smoothgrad_noise
//   [strategy]            strategy, and selection::strategy_parameters: budget, reverse, lambda,
//                         omega, criterion, criteria, x
//   [training]            fine_tuning, epochs, batch_size, learning_rate, beta1, beta2, augment,
//                         precision, rrr_lambda, rrr_grid, guidance_weight,
//                         validation_fraction, validation_limit
//   [run]                 rounds, labels, target_auc, max_labels, first_strategy
// ACFT's majority fraction α changes the acft_* scores, so it is a scoring key only
// (scoring.patches.alpha); strategy_spec_of passes it to the acft strategy. The seed keys
// scoring and selection alike and lives in [scoring]. Keys renamed since (scoring.bin_count,
// scoring.glcm_distances, scoring.shape2d_quantile, scoring.dice_threshold, scoring.acft.*)
// are still read, with a warning naming the new ones.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/criteria/criteria_request.h"
#include "engine/saliency/saliency.h"
#include "engine/selection/strategy_spec.h"
#include "engine/training/training_options.h"
#include "engine/training/validation_split.h"

namespace salient::round {


struct PoolSection {
  std::string directory;  ///< pool.pool: the pool directory
  /// io::pool_fingerprint of the study's pool, recorded by its first job (study_pool.h).
  std::string fingerprint;
};

struct ModelSection {
  /// A built-in architecture (small-cnn, resnet18, resnet50, densenet121) or a file (salient
  /// checkpoint or TorchScript).
  std::string model = "small-cnn";
  /// With a built-in architecture: a torch.save state_dict, or "" for random weights from seed.
  std::string weights;
  std::int64_t input_size = 320;
  bool wildcat = false;
};

struct ScoringSection {
  /// Criteria beyond those the strategy reads: names or family names, as
  /// criteria::parse_criteria_list accepts them.
  std::vector<std::string> criteria;
  std::int64_t batch_size = 32;
  std::string precision = "fp32";  ///< fp32 | bf16 | fp16
  bool channels_last = false;
  /// Deterministic GPU algorithms (cuDNN, cuBLAS, scatter): bit-identical scores across runs
  /// and rank counts on a GPU too, at some cost in speed. The CPU path is deterministic anyway.
  bool deterministic = false;
  int threads = 0;                    ///< LibTorch CPU threads per rank; 0 = the node's cores shared among its ranks
  std::string on_bad_image = "fail";  ///< fail | skip
  /// Keys the weights of a new built-in model, MC dropout, ACFT views, SmoothGrad, the
  /// random and acft draws and the validation split. At most 2⁶³ − 1: TOML integers are
  /// signed 64-bit.
  std::uint64_t seed = 0;
  /// Each image's embedding (and class probabilities) in the score tables: auto (fp16 when
  /// the strategy reads them: coreset, badge, cluster-margin, diverse; else none) | off |
  /// fp16 | fp32.
  std::string embeddings = "auto";
  /// Every family's parameters, the [scoring.<family>] sections (CriterionFamily::parameters).
  /// Its names are not configured: criteria_request_of takes them from the strategy and
  /// `criteria`.
  criteria::CriteriaRequest parameters;
};

struct StrategySection {
  std::string name = "entropy";
  /// selection::strategy_parameters' budget, reverse, lambda, omega, criterion, criteria, x,
  /// as text ("16", "true", "0.5", "a,b"); absent ones take parse_strategy_spec's defaults.
  /// seed and round come from [scoring] and the round, alpha from [scoring.patches].
  std::map<std::string, std::string> parameters;
};

struct TrainingSection {
  /// ACFT's Table 2: rft | aft (from M0, all labels), acft-q (from the last model, the new
  /// labels), acft-lq (from the last model, all labels), acft-hq (from the last model, the
  /// new labels and those the last model misclassifies).
  std::string fine_tuning = "acft-hq";
  std::int64_t epochs = 5;
  /// Adam, augmentation, HITL's and EG-AL's losses, autocast (bf16 on a GPU; the CPU trains
  /// in fp32). The augmentation's seed and round are the study's.
  training::TrainingOptions options = bf16_training();
  /// The patient-level validation split; its seed is scoring.seed.
  training::ValidationSplitOptions validation;

 private:
  static training::TrainingOptions bf16_training() {
    training::TrainingOptions options;
    options.precision = runtime::Precision::bf16;
    return options;
  }
};

struct RunSection {
  std::int64_t rounds = 5;
  std::string labels = "oracle";          ///< oracle (the pool's labels) | human (imported)
  double target_auc = 0.0;                ///< stop once the mean validation AUC reaches it; 0 = off
  std::int64_t max_labels = 0;            ///< stop before acquiring more; 0 = no limit
  std::string first_strategy = "random";  ///< round 0's selection, before any fine-tuning
};

/// One section per table of salient.toml, each holding the options it configures.
struct StudyConfig {
  PoolSection pool;
  ModelSection model;
  ScoringSection scoring;
  /// Maps: method, layer, Integrated Gradients' and SmoothGrad's settings. Its seed and
  /// round are the study's (saliency_options_of); black_value and lrp are not keys.
  saliency::SaliencyOptions saliency;
  StrategySection strategy;
  TrainingSection training;
  RunSection run;
};

bool operator==(const StudyConfig& a, const StudyConfig& b);
bool operator!=(const StudyConfig& a, const StudyConfig& b);

/// Every key, "section.name", in the order study_config_toml writes them. Strategy
/// parameters are listed but live as text in StrategySection::parameters.
std::vector<std::string> study_config_keys();

/// The keys of StudyConfig's members, "section.name" (no strategy parameters): one table
/// that reads, writes, overrides, compares and checks them (study_config_keys.cpp).
const runtime::FieldTable<StudyConfig>& study_config_fields();

/// The sections of salient.toml in the order they are written, each with its comment.
struct ConfigSection {
  std::string name;  ///< "scoring.mc_dropout"
  std::string comment;
};
const std::vector<ConfigSection>& study_config_sections();

/// Throws salient::Error unless the whole configuration is usable: what one key's check
/// cannot see (a built-in model's smallest input, a family's parameters together).
void check_study_config(const StudyConfig& config);

/// Reads a salient.toml. Keys it does not set keep their defaults. Throws salient::Error
/// naming the file, line and key for a syntax error, an unknown key or table, a value of the
/// wrong type, or a value out of its set (precision, method, strategy, criterion names…).
StudyConfig load_study_config(const std::string& path);

/// The configuration as TOML: every key, defaults included, each section with a comment.
/// load_study_config of it gives back @p config.
std::string study_config_toml(const StudyConfig& config);

/// Writes study_config_toml(@p config) to @p path whole or not at all.
void write_study_config(const std::string& path, const StudyConfig& config);

/// Sets the key "section.name" (as in the TOML; e.g. "strategy.budget", "scoring.criteria")
/// from command-line text: lists comma-separated, booleans true | false. Throws
/// salient::Error naming the key and the value, listing the known keys for an unknown one.
void set_config_value(StudyConfig& config, const std::string& key, const std::string& value);

/// What `salient score` computes in @p round: the criteria the strategy reads
/// (selection::strategy_criteria; a strategy needs no budget to be scored for), then
/// config.criteria, each once, with the configuration's parameters. Checked
/// (criteria::check_request): random with no extra criteria asks for nothing and throws.
criteria::CriteriaRequest criteria_request_of(const StudyConfig& config, std::uint32_t round);

saliency::SaliencyOptions saliency_options_of(const StudyConfig& config, std::uint32_t round);

/// The strategy with its parameters, seed, round and (acft) scoring.acft.alpha.
selection::StrategySpec strategy_spec_of(const StudyConfig& config, std::uint32_t round);

/// One line of compact JSON (keys sorted) of everything that determines the score values of
/// @p round: the pool's fingerprint (not its path), model, weights, input size, WILDCAT head,
/// the resolved criteria request (names, and the parameters of the families they use, from
/// their field tables), the saliency options, batch size, precision, channels-last, seed
/// and round. Not threads, on_bad_image or the strategy's parameters, which change no
/// score, nor deterministic, which changes only how a GPU rounds. Score files store it; a
/// resumed job compares it.
std::string scoring_fingerprint(const StudyConfig& config, std::uint32_t round);

}  // namespace salient::round
