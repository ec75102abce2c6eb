#include "engine/models/counter_uniform_tensor.h"

#include <torch/torch.h>

namespace salient::models {

at::Tensor counter_uniform_rows(const at::Tensor& global_indices, std::int64_t per_image,
                                const kernels::RandomKey& key, const c10::Device& device) {
  SALIENT_CHECK(global_indices.dim() == 1, "global image indices must be a vector, not {} dimensions",
                global_indices.dim());
  const auto indices = global_indices.to(device, torch::kInt64).contiguous();
  const auto n = indices.size(0);
  auto out = torch::empty({n, per_image}, torch::TensorOptions().dtype(torch::kFloat32).device(device));
  kernels::ExecutionContext ctx;
  ctx.backend = device.is_cuda() ? kernels::Backend::cuda : kernels::Backend::cpu;
  kernels::counter_uniform_rows(key, indices.data_ptr<std::int64_t>(), n, per_image, out.data_ptr<float>(), ctx);
  return out;
}

}  // namespace salient::models
