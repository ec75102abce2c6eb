#include "salient/kernels/patch_criteria.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace salient::kernels {

std::int64_t majority_patch_count(double alpha, std::int64_t patches) {
  SALIENT_CHECK(alpha > 0.0 && alpha <= 1.0, "majority fraction alpha = {} is outside (0, 1]", alpha);
  SALIENT_CHECK(patches >= 1, "a candidate needs at least one patch, got {}", patches);
  const auto count = static_cast<std::int64_t>(std::ceil(alpha * static_cast<double>(patches) - 1e-9));
  return std::clamp<std::int64_t>(count, 1, patches);
}

void patch_criteria(const PatchBatch& batch, const PatchCriteriaConfig& config, PatchCriteria* out,
                    const ExecutionContext& ctx) {
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  SALIENT_CHECK(batch.n >= 0 && batch.patches >= 1 && batch.classes >= 1,
                "invalid patch batch shape {}x{}x{} (candidates x patches x classes)", batch.n, batch.patches,
                batch.classes);
  SALIENT_CHECK(batch.patches <= kIntMax && batch.classes <= kIntMax, "patch batch {}x{} exceeds {} per axis",
                batch.patches, batch.classes, kIntMax);
  majority_patch_count(config.alpha, batch.patches);  // validates alpha
  SALIENT_CHECK(std::isfinite(config.lambda1) && std::isfinite(config.lambda2),
                "lambda1 = {}, lambda2 = {}: not finite", config.lambda1, config.lambda2);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::patch_criteria(batch, config, out, ctx.cuda_stream);
  } else {
    cpu_impl::patch_criteria(batch, config, out);
  }
}

}  // namespace salient::kernels
