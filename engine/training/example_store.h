// The images a fine-tuning step trains or evaluates on, read from the pool once and kept in
// host memory as stored (a labeled set is thousands of images, not the pool's hundreds of
// thousands), with their labels and, when the pool has them, their ROI masks.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "engine/models/model_spec.h"
#include "salient/io/pool.h"

namespace salient::training {

/// Squares an expert marked for the model to disregard: a grid×grid mask, row-major, 1 marked.
struct SquareMarks {
  std::int64_t grid = 0;
  std::vector<std::uint8_t> cells;
};

class ExampleStore {
 public:
  /// Reads the images of @p global_indices (and their ROI masks when every shard has them)
  /// from @p pool; @p labels (N×C, 1 / 0 / −1 unknown) are theirs, row for row. Errors
  /// name the shard file and the image.
  static ExampleStore read(const io::Pool& pool, const std::vector<std::int64_t>& global_indices, at::Tensor labels);

  std::int64_t size() const { return static_cast<std::int64_t>(indices_.size()); }
  const std::vector<std::int64_t>& global_indices() const { return indices_; }
  /// N×C int8 on the CPU.
  const at::Tensor& labels() const { return labels_; }
  bool has_roi() const { return !roi_.empty(); }
  /// The experts' marked squares of the examples that have them (global index → marks; the
  /// review page's feedback, round/study_feedback.h).
  void set_feedback(const std::map<std::int64_t, SquareMarks>& feedback);
  bool has_feedback() const { return feedback_count_ > 0; }
  std::int64_t feedback_count() const { return feedback_count_; }

  /// Model inputs (models::model_input) of the examples at @p positions, on @p device.
  at::Tensor inputs(const std::vector<std::int64_t>& positions, const models::ModelSpec& spec,
                    const c10::Device& device) const;
  /// Their ROI masks N×1×S×S (0/1 float, nearest-neighbour to the model's input size S).
  at::Tensor roi(const std::vector<std::int64_t>& positions, std::int64_t side, const c10::Device& device) const;
  /// Their marked squares as N×1×S×S masks (1 marked, training/losses.h's cells), zero for
  /// an example without marks, and N flags (bool) saying which have marks, both on @p device.
  std::pair<at::Tensor, at::Tensor> feedback_marks(const std::vector<std::int64_t>& positions, std::int64_t side,
                                                   const c10::Device& device) const;
  /// Their labels N×C (int8) on @p device.
  at::Tensor labels_of(const std::vector<std::int64_t>& positions, const c10::Device& device) const;
  /// Global indices of the examples at @p positions, as an int64 tensor on the CPU.
  at::Tensor indices_of(const std::vector<std::int64_t>& positions) const;

 private:
  io::PixelType pixel_type_ = io::PixelType::uint8;
  std::int64_t height_ = 0;
  std::int64_t width_ = 0;
  std::vector<std::int64_t> indices_;
  std::vector<std::uint8_t> pixels_;  ///< example-major, as stored
  std::vector<std::uint8_t> roi_;     ///< example-major height × width, or empty
  std::vector<SquareMarks> feedback_;  ///< per example; grid 0 = none
  std::int64_t feedback_count_ = 0;
  at::Tensor labels_;
};

/// The pool's own labels (its `labels` dataset, the oracle) of @p global_indices, N×C int8.
at::Tensor pool_labels(const io::Pool& pool, const std::vector<std::int64_t>& global_indices);

}  // namespace salient::training
