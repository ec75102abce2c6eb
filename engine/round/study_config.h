// A study's configuration, salient.toml in the study directory (DESIGN.md "Work directory of
// a study"): every option of `salient score`, `select`, `tune` and `run` has a key, and the command
// line overrides the file key by key (set_config_value). A key is "section.name", as in
// the TOML; study_config_toml writes every key with its section's meaning:
//   [pool]                pool
//   [model]               model, weights, input_size, wildcat
//   [scoring]             criteria, batch_size, precision, channels_last, deterministic, threads,
//                         on_bad_image, seed, bin_count, glcm_distances, shape2d_quantile, dice_threshold
//   [scoring.mc_dropout]  samples, rate, placement
//   [scoring.acft]        views, max_rotation_degrees, min_zoom, max_zoom, max_shift,
//                         flip_probability, alpha, lambda1, lambda2
//   [saliency]            method, layer, ig_steps, ig_baseline, blur_sigma, smoothgrad_samples,
//                         smoothgrad_noise
//   [strategy]            strategy, and the parameters budget, reverse, lambda, omega,
//                         criterion, criteria, x (selection::parse_strategy_spec)
//   [training]            fine_tuning, epochs, batch_size, learning_rate, beta1, beta2, augment,
//                         precision, rrr_lambda, rrr_grid, guidance_weight,
//                         validation_fraction, validation_limit
//   [run]                 rounds, labels, target_auc, max_labels, first_strategy
// ACFT's majority fraction α changes the acft_* scores, so it is a scoring key only
// (scoring.acft.alpha); strategy_spec_of passes it to the acft strategy. The seed keys
// scoring and selection alike and lives in [scoring].
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/criteria/criteria_request.h"
#include "engine/saliency/saliency.h"
#include "engine/selection/strategy_spec.h"

namespace salient::round {


struct StudyConfig {
  // [pool]
  std::string pool;  ///< the pool directory
  /// io::pool_fingerprint of the study's pool, recorded by its first job (study_pool.h).
  std::string pool_fingerprint;

  // [model]
  /// A built-in architecture (small-cnn, resnet18, resnet50, densenet121) or a file (salient
  /// checkpoint or TorchScript).
  std::string model = "small-cnn";
  /// With a built-in architecture: a torch.save state_dict, or "" for random weights from seed.
  std::string weights;
  std::int64_t input_size = 320;
  bool wildcat = false;

  // [scoring]
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
  /// Keys the weights of a new built-in model, MC dropout, ACFT views, SmoothGrad, and the
  /// random and acft draws. At most 2⁶³ − 1: TOML integers are signed 64-bit.
  std::uint64_t seed = 0;
  int bin_count = criteria::kDefaultMapBinCount;  ///< first-order and GLCM bins of a map
  std::vector<int> glcm_distances = kernels::GlcmParams{}.distances;
  double shape2d_quantile = kernels::Shape2DParams{}.quantile;
  double dice_threshold = kernels::AlignmentParams{}.dice_threshold;

  // [scoring.mc_dropout]
  std::int64_t mc_dropout_samples = models::McDropoutOptions{}.samples;
  double mc_dropout_rate = models::McDropoutOptions{}.rate;
  std::string mc_dropout_placement = "head";  ///< head | throughout (models::DropoutPlacement)

  // [scoring.acft]
  std::int64_t acft_views = models::PatchOptions{}.views;
  double acft_max_rotation_degrees = models::PatchOptions{}.max_rotation_degrees;
  double acft_min_zoom = models::PatchOptions{}.min_zoom;
  double acft_max_zoom = models::PatchOptions{}.max_zoom;
  double acft_max_shift = models::PatchOptions{}.max_shift;
  double acft_flip_probability = models::PatchOptions{}.flip_probability;
  double acft_alpha = kernels::PatchCriteriaConfig{}.alpha;
  double acft_lambda1 = kernels::PatchCriteriaConfig{}.lambda1;
  double acft_lambda2 = kernels::PatchCriteriaConfig{}.lambda2;

  // [saliency]
  std::string saliency = "gradcam";  ///< saliency.method: saliency::parse_method's names
  std::string layer;                 ///< Grad-CAM's stage; "" = the trunk's output
  int ig_steps = saliency::SaliencyOptions{}.ig_steps;
  std::string ig_baseline = "black";  ///< black | blurred
  double blur_sigma = saliency::SaliencyOptions{}.blur_sigma;
  int smoothgrad_samples = saliency::SaliencyOptions{}.smoothgrad_samples;
  double smoothgrad_noise = saliency::SaliencyOptions{}.smoothgrad_noise;

  // [strategy]
  std::string strategy = "entropy";
  /// budget, reverse, lambda, omega, criterion, criteria, x as text ("16", "true", "0.5",
  /// "a,b"); absent ones take parse_strategy_spec's defaults.
  std::map<std::string, std::string> strategy_parameters;
  // [training] (`salient tune`; training::TrainingOptions)
  /// ACFT's Table 2: rft | aft (from M0, all labels), acft-q (from the last model, the new
  /// labels), acft-lq (from the last model, all labels), acft-hq (from the last model, the
  /// new labels and those the last model misclassifies).
  std::string fine_tuning = "acft-hq";
  std::int64_t epochs = 5;
  std::int64_t train_batch_size = 32;
  double learning_rate = 1e-4;
  double beta1 = 0.93;
  double beta2 = 0.999;
  bool augment = true;
  std::string train_precision = "bf16";  ///< autocast on a GPU; the CPU trains in fp32
  double rrr_lambda = 0.0;               ///< HITL's input-gradient penalty weight, 0 = off
  std::int64_t rrr_grid = 8;
  double guidance_weight = 0.0;          ///< EG-AL's Grad-CAM guidance weight, 0 = off
  double validation_fraction = 0.2;
  std::int64_t validation_limit = 2000;
  // [run] (`salient run`)
  std::int64_t rounds = 5;
  std::string label_source = "oracle";    ///< oracle (the pool's labels) | human (imported)
  double target_auc = 0.0;                ///< stop once the mean validation AUC reaches it; 0 = off
  std::int64_t max_labels = 0;            ///< stop before acquiring more; 0 = no limit
  std::string first_strategy = "random";  ///< round 0's selection, before any fine-tuning
};

bool operator==(const StudyConfig& a, const StudyConfig& b);
bool operator!=(const StudyConfig& a, const StudyConfig& b);

/// Every key, "section.name", in the order study_config_toml writes them.
std::vector<std::string> study_config_keys();

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
/// @p round: the pool's fingerprint (not its path), model, weights, input size, WILDCAT head, the resolved criteria request
/// (names and every parameter), the saliency options, batch size, precision, channels-last,
/// seed and round. Not threads, on_bad_image or the strategy's parameters, which change no
/// score, nor deterministic, which changes only how a GPU rounds. Score files store it; a
/// resumed job compares it.
std::string scoring_fingerprint(const StudyConfig& config, std::uint32_t round);

}  // namespace salient::round
