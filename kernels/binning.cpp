#include "salient/kernels/binning.h"

#include <cmath>

namespace salient::kernels {

void check_bin_spec(const BinSpec& spec) {
  if (spec.kind == BinSpec::Kind::width) {
    SALIENT_CHECK(std::isfinite(spec.width) && spec.width > 0, "binWidth must be a finite number > 0, got {}",
                  spec.width);
  } else {
    SALIENT_CHECK(spec.count > 0, "binCount must be > 0, got {}", spec.count);
  }
}

void discretize_maps(const MapBatch& batch, const BinSpec& spec, std::int32_t* levels, std::int32_t* gray_levels,
                     const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(spec);
  if (batch.n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::discretize_maps(batch, spec, levels, gray_levels, ctx.cuda_stream);
  } else {
    cpu_impl::discretize_maps(batch, spec, levels, gray_levels);
  }
}

void discretize_maps(const DoubleMapBatch& batch, const BinSpec& spec, std::int32_t* levels,
                     std::int32_t* gray_levels, const ExecutionContext& ctx) {
  check_map_batch(batch);
  check_bin_spec(spec);
  check_double_maps_on_cpu(ctx, "discretize_maps");
  if (batch.n == 0) return;
  cpu_impl::discretize_maps(batch, spec, levels, gray_levels);
}

}  // namespace salient::kernels
