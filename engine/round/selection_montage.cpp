#include "engine/round/selection_montage.h"

#include <torch/torch.h>

#include <algorithm>

#include "engine/models/model_input.h"
#include "engine/round/study_model.h"
#include "engine/runtime/device.h"
#include "engine/saliency/saliency.h"
#include "engine/saliency/saliency_montage.h"
#include "salient/io/montage.h"

namespace salient::round {
namespace {

struct SelectedImages {
  std::vector<std::uint8_t> pixels;  // n × image bytes, the pool's pixel type
  std::vector<std::uint8_t> roi;     // n × H × W, empty when the pool has none
  std::vector<std::int64_t> indices;
};

SelectedImages read_selected(const io::Pool& pool, const std::vector<selection::SelectedCandidate>& chosen) {
  const auto image_bytes = static_cast<std::size_t>(pool.image_bytes());
  const auto pixels = static_cast<std::size_t>(pool.manifest().height * pool.manifest().width);
  SelectedImages images;
  images.pixels.resize(chosen.size() * image_bytes);
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const io::ImageLocation at = pool.locate(chosen[i].global_index);
    const io::ShardFile shard = pool.open_shard(at.shard);
    shard.read_images(at.row, 1, images.pixels.data() + i * image_bytes);
    if (shard.has_roi()) {
      images.roi.resize(chosen.size() * pixels);
      shard.read_roi(at.row, 1, images.roi.data() + i * pixels);
    }
    images.indices.push_back(chosen[i].global_index);
  }
  return images;
}

}  // namespace

void write_selection_montage(const SelectJob& job, const io::Pool& pool, const selection::Selection& chosen,
                             const std::string& path) {
  const auto count = std::min<std::size_t>(static_cast<std::size_t>(job.montage_count), chosen.selected.size());
  const std::vector<selection::SelectedCandidate> shown(chosen.selected.begin(), chosen.selected.begin() + count);
  const SelectedImages images = read_selected(pool, shown);
  const auto& manifest = pool.manifest();
  const auto n = static_cast<std::int64_t>(count);
  const c10::Device device = runtime::resolve_device(job.device, 0);
  if (job.config.scoring.deterministic) runtime::use_deterministic_algorithms();
  auto model = open_study_model(job.config, manifest, device);

  const auto input = models::model_input(images.pixels.data(), manifest.pixel_type, n, manifest.height,
                                         manifest.width, model->spec(), device);
  const auto result = saliency::compute_saliency(*model, input, {}, torch::tensor(images.indices),
                                                 saliency_options_of(job.config, job.round));
  const auto maps = models::resize_maps(result.maps.detach().to(torch::kFloat32), manifest.height, manifest.width)
                        .cpu();
  const auto unit = models::unit_intensity(images.pixels.data(), manifest.pixel_type, n, manifest.height,
                                           manifest.width, c10::Device(c10::kCPU))
                        .squeeze(1);
  at::Tensor roi;
  if (!images.roi.empty()) {
    roi = torch::from_blob(const_cast<std::uint8_t*>(images.roi.data()), {n, manifest.height, manifest.width},
                           torch::kUInt8);
  }
  std::vector<io::MontageTile> tiles;
  for (std::int64_t i = 0; i < n; ++i) {
    tiles.push_back(saliency::overlay_tile(unit[i], maps[i], roi.defined() ? roi[i] : at::Tensor(), kMontageTileSize));
  }
  io::write_montage(path, tiles, kMontageTileSize, kMontageColumns);
}

}  // namespace salient::round
