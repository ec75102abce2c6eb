// Reference twin of uncertainty_criteria: one candidate per task, double accumulation.
#include <algorithm>

#include "detail/parallel_for.h"
#include "detail/uncertainty_terms.h"
#include "salient/kernels/uncertainty.h"

namespace salient::kernels::cpu_impl {

void uncertainty_criteria(const SampleBatch& batch, UncertaintyCriteria* out) {
  const int samples = static_cast<int>(batch.samples);
  const int input_classes = static_cast<int>(batch.classes);
  const int classes = detail::effective_classes(input_classes);
  const std::int64_t candidate_values = batch.samples * batch.classes;

  detail::parallel_for(batch.n, [&](std::int64_t i) {
    const float* candidate = batch.probabilities + i * candidate_values;
    const float* variances = batch.predicted_variance ? batch.predicted_variance + i * candidate_values : nullptr;
    if (!std::all_of(candidate, candidate + candidate_values, detail::is_valid_probability)) {
      out[i] = detail::invalid_uncertainty(ProbabilityStatus::invalid_probability);
      return;
    }
    if (variances && !std::all_of(variances, variances + candidate_values, [](float v) { return v >= 0.0f; })) {
      out[i] = detail::invalid_uncertainty(ProbabilityStatus::invalid_variance);
      return;
    }
    auto probability = [&](int t, int k) {
      return detail::class_probability(candidate + t * input_classes, input_classes, k);
    };

    detail::UncertaintyTotals totals;
    for (int k = 0; k < classes; ++k) {
      double sum = 0.0;
      double sum_of_squares = 0.0;
      for (int t = 0; t < samples; ++t) {
        const double p = probability(t, k);
        sum += p;
        sum_of_squares += p * p;
      }
      detail::add_class(totals, sum, sum_of_squares, samples);
    }
    for (int t = 0; t < samples; ++t) {
      for (int k = 0; k < classes; ++k) totals.sample_entropy += detail::entropy_term(probability(t, k));
    }
    if (variances) {
      for (std::int64_t v = 0; v < candidate_values; ++v) totals.predicted_variance += variances[v];
    }
    out[i] = detail::finish_uncertainty(totals, samples, input_classes);
  });
}

}  // namespace salient::kernels::cpu_impl
