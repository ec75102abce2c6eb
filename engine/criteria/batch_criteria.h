// From one batch's model outputs to every requested criterion, in one pass, on the device
// where the maps are. Each family of the table (criterion_families.h) a request uses runs
// once on the whole batch (its CPU or CUDA twin, by the device of the tensors), writing into
// one device arena; the arena comes to the host in one copy at the end, so maps never make a
// host round trip.
//
// Reason codes: a NaN value carries why (Reason, criterion_families.h); code 0 = defined.
//
// Multi-label models (C sigmoids, the chest X-ray findings) have no class distribution to
// take an entropy of: each class is its own binary problem [1 − p_k, p_k], the prediction
// kernels run on every (image, class) pair and a candidate's criterion is the mean over its
// C classes (NaN with a reason when any class is). Multi-class models and C = 1 go to the
// kernels as they are.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/criteria/criteria_request.h"
#include "engine/models/classifier.h"

namespace salient::criteria {

std::string_view reason_name(Reason reason);
/// reason_names()[code] = the name of the code: io::ScoreTable::reason_names.
std::vector<std::string> reason_names();

struct CriterionColumn {
  std::string name;
  std::vector<double> values;          ///< one per image of the batch, NaN where undefined
  std::vector<std::uint8_t> reasons;   ///< Reason codes, 0 exactly where the value is defined
};

struct BatchCriteria {
  std::int64_t rows = 0;
  std::vector<CriterionColumn> columns;  ///< in the order of CriteriaRequest::names
  /// rows × embedding_dim, row-major, when the request stores embeddings (embedding_rows),
  /// and with them rows × classes probabilities (BADGE forms its gradient embeddings from both).
  std::int64_t embedding_dim = 0;
  std::vector<float> embeddings;
  std::int64_t classes = 0;
  std::vector<float> probabilities;

  /// The column named @p name; throws salient::Error when it was not requested.
  const CriterionColumn& column(std::string_view name) const;

  /// Appends the rows of @p more (the next batch of the same request: the same columns in
  /// the same order, else salient::Error), e.g. to collect one shard's score table.
  void append(const BatchCriteria& more);
};

/// The model outputs of one batch of N images; what a request does not need may stay undefined.
/// All defined tensors are moved to the maps' device (else the first defined one's) first.
struct CriteriaInputs {
  at::Tensor maps;           ///< N×H×W saliency maps (converted to float32)
  at::Tensor roi;            ///< N×Hr×Wr masks, nonzero inside; alignment upsamples each map to Hr×Wr
  at::Tensor probabilities;  ///< N×C class probabilities of one forward pass
  at::Tensor mc_samples;     ///< N×T×C probabilities of T MC-dropout samples
  at::Tensor patch_samples;  ///< N×m×C probabilities of m ACFT views
  models::OutputKind output = models::OutputKind::multi_class;  ///< see the note on multi-label above
};

/// Runs every kernel family @p request uses on @p inputs. Throws salient::Error when an input
/// the request needs is undefined or its shape is wrong. The columns are on the host.
BatchCriteria compute_criteria(const CriteriaInputs& inputs, const CriteriaRequest& request);

/// The model passes @p request needs beyond the saliency pass: probabilities (reused from
/// @p probabilities when defined, else one forward pass with the model in eval mode, no
/// gradient), MC-dropout samples and ACFT views. @p maps and @p roi are passed through.
/// @param input           N×ch×S×S model input on the model's device
/// @param global_indices  N int64 global image indices (they key MC dropout and the views)
/// @param trunk_output    model.trunk(input) from the saliency pass, or undefined: head-only
///                        MC dropout then runs only the head T times
CriteriaInputs run_model_passes(models::Classifier& model, const at::Tensor& input, const at::Tensor& global_indices,
                                const at::Tensor& maps, const at::Tensor& roi, const at::Tensor& probabilities,
                                const CriteriaRequest& request, const at::Tensor& trunk_output = {});

/// Each image's embedding: @p trunk_output (N×K×h×w) averaged over h and w, in float32 on
/// the host, row-major N×K.
std::vector<float> embedding_rows(const at::Tensor& trunk_output);

/// run_model_passes, then compute_criteria: every requested criterion of one batch.
/// @param maps           N×H×W saliency maps at the pool's image size on the model's device,
///                       or undefined when no map criterion is requested
/// @param roi            N×H×W uint8 ROI masks, or undefined when no alignment criterion is requested
/// @param probabilities  N×C probabilities of the batch (e.g. from the saliency pass's logits),
///                       or undefined: computed when a criterion needs them
BatchCriteria compute_batch_criteria(models::Classifier& model, const at::Tensor& input,
                                     const at::Tensor& global_indices, const at::Tensor& maps, const at::Tensor& roi,
                                     const at::Tensor& probabilities, const CriteriaRequest& request);

}  // namespace salient::criteria
