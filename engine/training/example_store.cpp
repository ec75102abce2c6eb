#include "engine/training/example_store.h"

#include <fmt/ranges.h>
#include <torch/torch.h>

#include <cstring>
#include <map>

#include "engine/models/model_input.h"
#include "engine/training/losses.h"
#include "salient/check.h"

namespace salient::training {
namespace {

// Calls @p read(shard file, row, position) for every index, opening each shard once.
template <typename Read>
void for_each_image(const io::Pool& pool, const std::vector<std::int64_t>& global_indices, Read read) {
  std::map<std::int64_t, std::vector<std::int64_t>> positions_by_shard;
  for (std::size_t position = 0; position < global_indices.size(); ++position) {
    const std::int64_t index = global_indices[position];
    SALIENT_CHECK(index >= 0 && index < pool.size(), "image index {} is outside the pool '{}' of {} images", index,
                  pool.dir(), pool.size());
    positions_by_shard[pool.locate(index).shard].push_back(static_cast<std::int64_t>(position));
  }
  for (const auto& [shard, positions] : positions_by_shard) {
    const io::ShardFile file = pool.open_shard(shard);
    for (const std::int64_t position : positions) read(file, pool.locate(global_indices[position]).row, position);
  }
}

}  // namespace

ExampleStore ExampleStore::read(const io::Pool& pool, const std::vector<std::int64_t>& global_indices,
                                at::Tensor labels) {
  const auto& manifest = pool.manifest();
  const auto classes = static_cast<std::int64_t>(manifest.label_names.size());
  const auto count = static_cast<std::int64_t>(global_indices.size());
  SALIENT_CHECK(labels.dim() == 2 && labels.size(0) == count && labels.size(1) == classes,
                "{} images need {}×{} labels, got {}", count, count, classes, labels.sizes());
  ExampleStore store;
  store.pixel_type_ = manifest.pixel_type;
  store.height_ = manifest.height;
  store.width_ = manifest.width;
  store.indices_ = global_indices;
  store.labels_ = labels.to(torch::kInt8).contiguous();
  const std::int64_t pixels = manifest.height * manifest.width;
  const std::int64_t image_bytes = pool.image_bytes();
  store.pixels_.resize(static_cast<std::size_t>(count * image_bytes));
  bool every_roi = true;
  for_each_image(pool, global_indices, [&](const io::ShardFile& file, std::int64_t row, std::int64_t position) {
    file.read_images(row, 1, store.pixels_.data() + position * image_bytes);
    every_roi = every_roi && file.has_roi();
  });
  if (every_roi && count > 0) {
    store.roi_.resize(static_cast<std::size_t>(count * pixels));
    for_each_image(pool, global_indices, [&](const io::ShardFile& file, std::int64_t row, std::int64_t position) {
      file.read_roi(row, 1, store.roi_.data() + position * pixels);
    });
  }
  return store;
}

at::Tensor ExampleStore::inputs(const std::vector<std::int64_t>& positions, const models::ModelSpec& spec,
                                const c10::Device& device) const {
  const std::size_t image_bytes = pixels_.size() / std::max<std::size_t>(indices_.size(), 1);
  std::vector<std::uint8_t> batch(positions.size() * image_bytes);
  for (std::size_t i = 0; i < positions.size(); ++i) {
    std::memcpy(batch.data() + i * image_bytes, pixels_.data() + positions[i] * image_bytes, image_bytes);
  }
  return models::model_input(batch.data(), pixel_type_, static_cast<std::int64_t>(positions.size()), height_, width_,
                             spec, device);
}

at::Tensor ExampleStore::roi(const std::vector<std::int64_t>& positions, std::int64_t side,
                             const c10::Device& device) const {
  SALIENT_CHECK(has_roi(), "the pool has no ROI masks for these images");
  const auto all = torch::from_blob(const_cast<std::uint8_t*>(roi_.data()), {size(), 1, height_, width_}, torch::kUInt8);
  const auto chosen = all.index_select(0, torch::tensor(positions, torch::kLong));
  namespace F = torch::nn::functional;
  return F::interpolate(chosen.to(torch::kFloat).gt(0).to(torch::kFloat),
                        F::InterpolateFuncOptions().size(std::vector<std::int64_t>{side, side}).mode(torch::kNearest))
      .to(device);
}

void ExampleStore::set_feedback(const std::map<std::int64_t, SquareMarks>& feedback) {
  feedback_.assign(indices_.size(), SquareMarks{});
  feedback_count_ = 0;
  for (std::size_t i = 0; i < indices_.size(); ++i) {
    const auto marks = feedback.find(indices_[i]);
    if (marks == feedback.end()) continue;
    feedback_[i] = marks->second;
    ++feedback_count_;
  }
}

std::pair<at::Tensor, at::Tensor> ExampleStore::feedback_marks(const std::vector<std::int64_t>& positions,
                                                               std::int64_t side, const c10::Device& device) const {
  const auto n = static_cast<std::int64_t>(positions.size());
  auto masks = torch::zeros({n, 1, side, side});
  auto flags = torch::zeros({n}, torch::kBool);
  for (std::int64_t i = 0; i < n && !feedback_.empty(); ++i) {
    const auto& marks = feedback_[static_cast<std::size_t>(positions[static_cast<std::size_t>(i)])];
    if (marks.grid == 0) continue;
    const auto squares = torch::from_blob(const_cast<std::uint8_t*>(marks.cells.data()), {1, 1, marks.grid, marks.grid},
                                          torch::kUInt8)
                             .to(torch::kFloat);
    masks[i] = marks_from_squares(squares, side)[0];
    flags[i] = true;
  }
  return {masks.to(device), flags.to(device)};
}

at::Tensor ExampleStore::labels_of(const std::vector<std::int64_t>& positions, const c10::Device& device) const {
  return labels_.index_select(0, torch::tensor(positions, torch::kLong)).to(device);
}

at::Tensor ExampleStore::indices_of(const std::vector<std::int64_t>& positions) const {
  std::vector<std::int64_t> indices;
  indices.reserve(positions.size());
  for (const std::int64_t position : positions) indices.push_back(indices_[position]);
  return torch::tensor(indices, torch::kLong);
}

at::Tensor pool_labels(const io::Pool& pool, const std::vector<std::int64_t>& global_indices) {
  const auto classes = static_cast<std::int64_t>(pool.manifest().label_names.size());
  auto labels = torch::empty({static_cast<std::int64_t>(global_indices.size()), classes}, torch::kInt8);
  auto* data = labels.data_ptr<std::int8_t>();
  for_each_image(pool, global_indices, [&](const io::ShardFile& file, std::int64_t row, std::int64_t position) {
    file.read_labels(row, 1, data + position * classes);
  });
  return labels;
}

}  // namespace salient::training
