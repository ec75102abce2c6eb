// Reference twin of counter_uniforms.
#include "detail/parallel_for.h"
#include "detail/philox.h"
#include "salient/kernels/counter_random.h"

namespace salient::kernels::cpu_impl {

void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out) {
  detail::parallel_for(n, [&](std::int64_t i) {
    const std::int64_t image = global_index ? global_index[i] : i;
    out[i] = detail::philox_image_uniform(key.seed, key.round, static_cast<std::uint32_t>(key.stream),
                                          static_cast<std::uint64_t>(image));
  });
}

}  // namespace salient::kernels::cpu_impl
