// Reference twin of patch_criteria: one candidate per task, double accumulation.
#include <algorithm>
#include <numeric>
#include <vector>

#include "detail/parallel_for.h"
#include "detail/patch_terms.h"
#include "salient/kernels/patch_criteria.h"

namespace salient::kernels::cpu_impl {

void patch_criteria(const PatchBatch& batch, const PatchCriteriaConfig& config, PatchCriteria* out) {
  const int patches = static_cast<int>(batch.patches);
  const int input_classes = static_cast<int>(batch.classes);
  const int classes = detail::effective_classes(input_classes);
  const int majority = static_cast<int>(majority_patch_count(config.alpha, batch.patches));
  const std::int64_t candidate_values = batch.patches * batch.classes;

  detail::parallel_for(batch.n, [&](std::int64_t i) {
    const float* candidate = batch.probabilities + i * candidate_values;
    if (!std::all_of(candidate, candidate + candidate_values, detail::is_valid_probability)) {
      out[i] = detail::invalid_patch_criteria();
      return;
    }
    auto probability = [&](int j, int k) {
      return detail::class_probability(candidate + j * input_classes, input_classes, k);
    };

    // Scratch reused by each worker thread across candidates.
    thread_local std::vector<double> class_means, values, logs;
    thread_local std::vector<int> order;
    class_means.resize(classes);
    for (int k = 0; k < classes; ++k) {
      double sum = 0.0;
      for (int j = 0; j < patches; ++j) sum += probability(j, k);
      class_means[k] = sum / patches;
    }
    const int dominant = detail::dominant_class(class_means.data(), classes);

    order.resize(patches);
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + majority, order.end(), [&](int a, int b) {
      return detail::majority_before(probability(a, dominant), a, probability(b, dominant), b);
    });

    values.resize(static_cast<std::size_t>(majority) * classes);
    logs.resize(values.size());
    double entropy = 0.0;
    for (int r = 0; r < majority; ++r) {
      for (int k = 0; k < classes; ++k) {
        const double p = probability(order[r], k);
        values[r * classes + k] = p;
        logs[r * classes + k] = detail::diversity_log(p);
        entropy += detail::entropy_term(p);
      }
    }
    double diversity = 0.0;
    for (int r = 0; r < majority; ++r) {
      for (int s = r + 1; s < majority; ++s) {
        for (int k = 0; k < classes; ++k) {
          diversity += detail::diversity_term(values[r * classes + k], logs[r * classes + k], values[s * classes + k],
                                              logs[s * classes + k]);
        }
      }
    }
    entropy /= majority;
    const double score = config.lambda1 * entropy + config.lambda2 * diversity;
    out[i] = {static_cast<float>(entropy), static_cast<float>(diversity), static_cast<float>(score), dominant,
              ProbabilityStatus::ok};
  });
}

}  // namespace salient::kernels::cpu_impl
