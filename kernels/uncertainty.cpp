#include "salient/kernels/uncertainty.h"

#include <limits>

namespace salient::kernels {

void uncertainty_criteria(const SampleBatch& batch, UncertaintyCriteria* out, const ExecutionContext& ctx) {
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  SALIENT_CHECK(batch.n >= 0 && batch.samples >= 1 && batch.classes >= 1,
                "invalid sample batch shape {}x{}x{} (candidates x samples x classes)", batch.n, batch.samples,
                batch.classes);
  SALIENT_CHECK(batch.samples <= kIntMax && batch.classes <= kIntMax, "sample batch {}x{} exceeds {} per axis",
                batch.samples, batch.classes, kIntMax);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::uncertainty_criteria(batch, out, ctx.cuda_stream);
  } else {
    cpu_impl::uncertainty_criteria(batch, out);
  }
}

}  // namespace salient::kernels
