#include "engine/round/selection_maps.h"

#include <torch/torch.h>

#include <algorithm>

#include "engine/models/model_input.h"
#include "engine/round/study_model.h"
#include "engine/runtime/device.h"
#include "engine/saliency/saliency.h"

namespace salient::round {
namespace {

struct SelectedPixels {
  std::vector<std::uint8_t> pixels;  // n × image bytes, the pool's pixel type
  std::vector<std::uint8_t> roi;     // n × H × W, empty when the pool has none
};

SelectedPixels read_selected(const io::Pool& pool, const std::vector<std::int64_t>& indices) {
  const auto image_bytes = static_cast<std::size_t>(pool.image_bytes());
  const auto pixels = static_cast<std::size_t>(pool.manifest().height * pool.manifest().width);
  SelectedPixels images;
  images.pixels.resize(indices.size() * image_bytes);
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const io::ImageLocation at = pool.locate(indices[i]);
    const io::ShardFile shard = pool.open_shard(at.shard);
    shard.read_images(at.row, 1, images.pixels.data() + i * image_bytes);
    if (shard.has_roi()) {
      images.roi.resize(indices.size() * pixels);
      shard.read_roi(at.row, 1, images.roi.data() + i * pixels);
    }
  }
  return images;
}

}  // namespace

SelectionMaps selection_maps(const SelectJob& job, const io::Pool& pool,
                             const std::vector<selection::SelectedCandidate>& chosen) {
  const auto& manifest = pool.manifest();
  SelectionMaps result;
  for (const auto& candidate : chosen) result.indices.push_back(candidate.global_index);
  const auto n = static_cast<std::int64_t>(chosen.size());
  const SelectedPixels images = read_selected(pool, result.indices);
  const c10::Device device = runtime::resolve_device(job.device, 0);
  if (job.config.scoring.deterministic) runtime::use_deterministic_algorithms();
  auto model = open_study_model(job.config, manifest, device);
  const auto options = saliency_options_of(job.config, job.round);
  const auto batch = std::max<std::int64_t>(1, job.config.scoring.batch_size);
  const auto image_bytes = pool.image_bytes();
  std::vector<at::Tensor> maps, logits;
  for (std::int64_t first = 0; first < n; first += batch) {
    const auto count = std::min(batch, n - first);
    const auto input = models::model_input(images.pixels.data() + first * image_bytes, manifest.pixel_type, count,
                                           manifest.height, manifest.width, model->spec(), device);
    const auto indices = torch::tensor(
        std::vector<std::int64_t>(result.indices.begin() + first, result.indices.begin() + first + count));
    const auto saliency = saliency::compute_saliency(*model, input, {}, indices, options);
    maps.push_back(saliency.maps.detach().to(torch::kFloat32).cpu());
    logits.push_back(saliency.logits.detach().to(torch::kFloat32).cpu());
  }
  result.maps = torch::cat(maps);
  const auto all_logits = torch::cat(logits);
  result.probabilities = models::probabilities_from_logits(all_logits, model->spec().output);
  result.targets = all_logits.argmax(1);
  result.unit = models::unit_intensity(images.pixels.data(), manifest.pixel_type, n, manifest.height, manifest.width,
                                       c10::Device(c10::kCPU))
                    .squeeze(1);
  if (!images.roi.empty()) {
    result.roi = torch::from_blob(const_cast<std::uint8_t*>(images.roi.data()), {n, manifest.height, manifest.width},
                                  torch::kUInt8)
                     .clone();
  }
  return result;
}

io::ReviewMaps review_maps_of(const SelectionMaps& maps, const std::string& method, std::uint32_t round) {
  io::ReviewMaps review;
  review.round = round;
  review.method = method;
  review.indices = maps.indices;
  const auto n = maps.maps.size(0);
  review.side = maps.maps.size(1);
  review.classes = maps.probabilities.size(1);
  const auto flat = maps.maps.reshape({n, -1});
  const auto low = std::get<0>(flat.min(1, true));
  const auto span = std::get<0>(flat.max(1, true)) - low;
  const auto scaled =
      torch::where(span > 0, (flat - low) / span.clamp_min(1e-30), torch::zeros_like(flat)).contiguous();
  review.saliency.assign(scaled.data_ptr<float>(), scaled.data_ptr<float>() + scaled.numel());
  const auto probabilities = maps.probabilities.to(torch::kFloat32).contiguous();
  review.probabilities.assign(probabilities.data_ptr<float>(), probabilities.data_ptr<float>() + probabilities.numel());
  const auto targets = maps.targets.to(torch::kInt64).contiguous();
  review.targets.assign(targets.data_ptr<std::int64_t>(), targets.data_ptr<std::int64_t>() + n);
  return review;
}

}  // namespace salient::round
