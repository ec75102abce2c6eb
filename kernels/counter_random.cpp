#include "salient/kernels/counter_random.h"

#include "detail/philox.h"

namespace salient::kernels {

double counter_uniform(const RandomKey& key, std::int64_t global_index) {
  SALIENT_CHECK(global_index >= 0, "image index {} is negative", global_index);
  return detail::philox_image_uniform(key.seed, key.round, static_cast<std::uint32_t>(key.stream),
                                      static_cast<std::uint64_t>(global_index));
}

void counter_uniforms(const RandomKey& key, const std::int64_t* global_index, std::int64_t n, double* out,
                      const ExecutionContext& ctx) {
  SALIENT_CHECK(n >= 0, "negative number of images {}", n);
  if (n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::counter_uniforms(key, global_index, n, out, ctx.cuda_stream);
  } else {
    cpu_impl::counter_uniforms(key, global_index, n, out);
  }
}

void counter_uniform_rows(const RandomKey& key, const std::int64_t* global_index, std::int64_t n,
                          std::int64_t per_image, float* out, const ExecutionContext& ctx) {
  SALIENT_CHECK(n >= 0, "negative number of images {}", n);
  SALIENT_CHECK(per_image >= 1 && per_image <= kMaxUniformsPerImage,
                "{} numbers per image: expected 1 … {}", per_image, kMaxUniformsPerImage);
  SALIENT_CHECK(static_cast<std::uint32_t>(key.stream) < 256, "random stream {} must be below 256",
                static_cast<std::uint32_t>(key.stream));
  if (n == 0) return;
  if (ctx.backend == Backend::cuda) {
    cuda_impl::counter_uniform_rows(key, global_index, n, per_image, out, ctx.cuda_stream);
  } else {
    cpu_impl::counter_uniform_rows(key, global_index, n, per_image, out);
  }
}

}  // namespace salient::kernels
