#include "engine/saliency/saliency_montage.h"

#include <torch/torch.h>

namespace salient::saliency {

std::vector<std::uint8_t> tile_bytes(const at::Tensor& unit, std::int64_t tile) {
  const auto resized = torch::nn::functional::interpolate(
      unit.to(torch::kCPU, torch::kFloat32).unsqueeze(0).unsqueeze(0),
      torch::nn::functional::InterpolateFuncOptions().size(std::vector<std::int64_t>{tile, tile}).mode(torch::kArea));
  const auto bytes = resized.squeeze().mul(255.0).round().clamp(0, 255).to(torch::kUInt8).contiguous();
  return std::vector<std::uint8_t>(bytes.data_ptr<std::uint8_t>(), bytes.data_ptr<std::uint8_t>() + tile * tile);
}

at::Tensor unit_scaled(const at::Tensor& map) {
  const auto low = map.min(), high = map.max();
  return (map - low) / (high - low).clamp_min(1e-12);
}

io::MontageTile overlay_tile(const at::Tensor& unit_image, const at::Tensor& map, const at::Tensor& roi,
                             std::int64_t tile) {
  io::MontageTile result;
  result.gray = tile_bytes(unit_image, tile);
  result.heat = tile_bytes(unit_scaled(map.to(torch::kFloat32)), tile);
  if (roi.defined()) result.roi = tile_bytes(roi.ne(0).to(torch::kFloat32), tile);
  return result;
}

}  // namespace salient::saliency
