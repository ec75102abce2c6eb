#include "engine/models/model_input.h"

#include <torch/torch.h>

#include "salient/check.h"

namespace salient::models {

namespace F = torch::nn::functional;

at::Tensor unit_intensity(const void* pixels, io::PixelType type, std::int64_t n, std::int64_t height,
                          std::int64_t width, const c10::Device& device) {
  const std::vector<std::int64_t> shape{n, 1, height, width};
  // from_blob does not own the host memory: copy to the device (or clone) before returning.
  auto* data = const_cast<void*>(pixels);
  switch (type) {
    case io::PixelType::uint8:
      return torch::from_blob(data, shape, torch::kUInt8).to(device).to(torch::kFloat32).div_(255.0);
    case io::PixelType::uint16:
      // LibTorch has no arithmetic on uint16: widen on the host side of the copy.
      return torch::from_blob(data, shape, torch::kUInt16).to(torch::kInt32).to(device).to(torch::kFloat32).div_(65535.0);
    case io::PixelType::float32:
      return torch::from_blob(data, shape, torch::kFloat32).to(device, /*non_blocking=*/false, /*copy=*/true);
  }
  throw Error("unknown pixel type");
}

at::Tensor model_input(const void* pixels, io::PixelType type, std::int64_t n, std::int64_t height,
                       std::int64_t width, const ModelSpec& spec, const c10::Device& device) {
  SALIENT_CHECK(n > 0 && height > 0 && width > 0, "empty image batch {}×{}×{}", n, height, width);
  SALIENT_CHECK(spec.in_channels >= 1, "a model needs at least one input channel, not {}", spec.in_channels);
  auto input = unit_intensity(pixels, type, n, height, width, device);
  const auto size = spec.input_size;
  if (height != size || width != size) {
    const bool shrinking = height > size || width > size;
    input = F::interpolate(input, F::InterpolateFuncOptions()
                                      .size(std::vector<std::int64_t>{size, size})
                                      .mode(torch::kBilinear)
                                      .align_corners(false)
                                      .antialias(shrinking));
  }
  input = input.sub_(spec.normalisation.mean).div_(spec.normalisation.std);
  return spec.in_channels == 1 ? input : input.expand({n, spec.in_channels, size, size}).contiguous();
}

at::Tensor resize_maps(const at::Tensor& maps, std::int64_t height, std::int64_t width) {
  SALIENT_CHECK(maps.dim() == 3, "saliency maps must be N×S×S, not {} dimensions", maps.dim());
  if (maps.size(1) == height && maps.size(2) == width) return maps;
  return F::interpolate(maps.unsqueeze(1), F::InterpolateFuncOptions()
                                               .size(std::vector<std::int64_t>{height, width})
                                               .mode(torch::kBilinear)
                                               .align_corners(false))
      .squeeze(1);
}

}  // namespace salient::models
