// What `salient score` is asked to compute for every image: criterion names (criteria_registry.h)
// and the kernels' and model passes' parameters. From the names follows what a batch needs
// (saliency maps, ROI masks, probabilities, MC-dropout samples, ACFT views), so the scoring
// loop runs the model once per batch and only the passes some criterion reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/criteria/criteria_registry.h"
#include "engine/models/acft_patches.h"
#include "engine/models/mc_dropout.h"
#include "salient/kernels/alignment.h"
#include "salient/kernels/first_order.h"
#include "salient/kernels/glcm.h"
#include "salient/kernels/gldm.h"
#include "salient/kernels/glrlm.h"
#include "salient/kernels/glszm.h"
#include "salient/kernels/ngtdm.h"
#include "salient/kernels/patch_criteria.h"
#include "salient/kernels/shape2d.h"

namespace salient::criteria {

/// Saliency maps have no fixed intensity scale (Grad-CAM's depends on the logits), so the
/// binned features (firstorder_Entropy, firstorder_Uniformity, glcm_*) use a bin count, not
/// PyRadiomics' binWidth 25, which would put most maps into a single bin.
inline constexpr int kDefaultMapBinCount = 32;

/// Whether score tables keep each image's embedding, and at what precision
/// (io::Embeddings): the model trunk's output averaged over space, what CoreSet measures
/// distances on (docs/formulas.md "CoreSet").
enum class EmbeddingStorage : std::uint8_t { none, float16, float32 };

/// IDEAL's deep saliency features (strategy ideal-deep): each image's code from the study's
/// saliency autoencoder (models/saliency_autoencoder.h), stored as the columns deep_code_0 …
/// deep_code_{latent−1}. They are not registered criteria: their number is the autoencoder's.
/// Scoring trains the autoencoder on the round's maps first when the round has none
/// (round/deep_codes.h); these settings say which autoencoder the codes come from.
struct DeepCodesRequest {
  std::int64_t latent = 0;  ///< l; 0: no codes
  std::int64_t map_size = 32;
  std::int64_t epochs = 20;
  std::int64_t every = 0;  ///< ≥ 1: retrained in rounds that are multiples of this; 0: trained once
  std::int64_t sample = 2048;
};

struct CriteriaRequest {
  /// Criterion names, each once; the output columns come in this order.
  std::vector<std::string> names;

  kernels::FirstOrderParams first_order{kernels::BinSpec::bin_count(kDefaultMapBinCount), 0.0};
  kernels::GlcmParams glcm{kernels::BinSpec::bin_count(kDefaultMapBinCount), {1}};
  kernels::GlrlmParams glrlm{kernels::BinSpec::bin_count(kDefaultMapBinCount)};
  kernels::GlszmParams glszm{kernels::BinSpec::bin_count(kDefaultMapBinCount)};
  kernels::GldmParams gldm{kernels::BinSpec::bin_count(kDefaultMapBinCount)};
  kernels::NgtdmParams ngtdm{kernels::BinSpec::bin_count(kDefaultMapBinCount)};
  /// IDEAL binarises saliency at its 0.7 quantile.
  kernels::Shape2DParams shape2d = kernels::Shape2DParams::at_quantile(0.7);
  /// τ of alignment_HardDice and alignment_Misalignment (EG-AL: 0.5).
  kernels::AlignmentParams alignment;
  /// T, rate and placement of MC dropout (T = 20: IDEAL's baseline).
  models::McDropoutOptions mc_dropout;
  /// m and the augmentation of ACFT's views.
  models::PatchOptions patches;
  /// ACFT's majority fraction α and the weights of acft_score.
  kernels::PatchCriteriaConfig acft;
  /// Embeddings beside the criteria (not a criterion: a vector per image).
  EmbeddingStorage embeddings = EmbeddingStorage::none;
  /// Codes beside the criteria (not criteria either).
  DeepCodesRequest deep_codes;

  /// Bins every family that reads binned gray levels (CriterionFamily::binned) with @p bins.
  void set_bins(const kernels::BinSpec& bins);

  /// Keys MC dropout's masks and ACFT's views by (seed, round, global image index).
  void set_seed(std::uint64_t seed, std::uint32_t round);
};

/// What a batch must provide for a request.
struct CriteriaNeeds {
  bool maps = false;           ///< saliency maps (first-order, GLCM, shape2D, alignment)
  bool roi = false;            ///< expert ROI masks (alignment)
  bool probabilities = false;  ///< one forward pass's probabilities (entropy, margin, least_confidence)
  bool mc_samples = false;     ///< T MC-dropout samples (mc_entropy, mc_variance, bald)
  bool patches = false;        ///< m ACFT views (acft_*)
  bool embeddings = false;     ///< the trunk's output (CriteriaRequest::embeddings)
  bool codes = false;          ///< the saliency autoencoder's codes of the maps (CriteriaRequest::deep_codes)
  /// Which families run, by index into criterion_families().
  std::vector<bool> families;
};

/// Throws salient::Error unless @p request names at least one criterion, only known ones
/// (the message lists them), none twice, and its parameters are usable.
void check_request(const CriteriaRequest& request);

/// Throws salient::Error, naming the family and parameter, unless @p family's parameters in
/// @p request pass their fields' checks and the family's own.
void check_parameters(const CriteriaRequest& request, const CriterionFamily& family);

/// What a batch needs for @p request (checked first).
CriteriaNeeds needs_of(const CriteriaRequest& request);

/// Splits "entropy, bald,glcm_SumEntropy" at commas (blanks around names dropped) and checks
/// every name against the registry. A family's name ("firstorder", "glcm", "shape2D",
/// "alignment", "prediction", "mc_dropout", "patches") stands for all of its criteria; a
/// name given twice is kept once, at its first place.
std::vector<std::string> parse_criteria_list(const std::string& text);

}  // namespace salient::criteria
