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

void counter_uniform_rows(const RandomKey& key, const std::int64_t* global_index, std::int64_t n,
                          std::int64_t per_image, float* out) {
  const std::int64_t blocks = (per_image + 3) / 4;
  detail::parallel_for(n, [&](std::int64_t i) {
    const auto image = static_cast<std::uint64_t>(global_index ? global_index[i] : i);
    float* row = out + i * per_image;
    for (std::int64_t block = 0; block < blocks; ++block) {
      const auto bits = detail::philox_row_block(key.seed, key.round, static_cast<std::uint32_t>(key.stream), image,
                                                 static_cast<std::uint32_t>(block));
      for (std::int64_t w = 0; w < 4 && 4 * block + w < per_image; ++w) {
        row[4 * block + w] = detail::philox_open_unit_float(bits.word[w]);
      }
    }
  });
}

}  // namespace salient::kernels::cpu_impl
