// A deterministic chest X-ray phantom: a PA view with body outline, lung fields, ribs,
// clavicles, spine and mediastinum, heart and diaphragm shadows, acquisition noise and
// exposure variation; and findings whose subtlety is controlled: pleural effusion
// (blunting a costophrenic angle), pulmonary nodules, consolidation, cardiomegaly.
// Each image follows from (seed, index) alone, so any image of any pool can be
// regenerated, in any order, on any number of threads.
//
// Intensities are transmitted-X-ray brightness in [0, 1] (air dark, bone and soft tissue
// bright), as a radiograph is displayed.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

/// Findings the phantom draws, in label-column order.
inline const std::vector<std::string>& phantom_label_names() {
  static const std::vector<std::string> names{"Effusion", "Nodule", "Consolidation", "Cardiomegaly"};
  return names;
}

struct PhantomOptions {
  std::uint64_t seed = 0;
  std::int64_t size = 320;  ///< width and height in pixels, 64–1024
  /// Probability that an image has each finding (independently).
  std::array<double, 4> prevalence{0.15, 0.12, 0.12, 0.10};
  /// Fraction of findings drawn subtle (low contrast, small); the rest are obvious.
  double subtle_fraction = 0.5;
  /// Probability that each stored label is flipped (annotation noise).
  double label_noise = 0.0;
  /// Probability that an image is a near-duplicate of an earlier one (same anatomy and
  /// findings, fresh acquisition noise).
  double near_duplicate_rate = 0.02;
  /// Probability that an image holds acquisition noise only (a failed exposure).
  double noise_only_rate = 0.01;
  /// Standard deviation of the acquisition noise, in intensity units.
  double noise_sigma = 0.02;
};

/// What was drawn in one phantom image.
struct PhantomImage {
  std::vector<float> pixels;           ///< size × size, in [0, 1]
  std::vector<std::uint8_t> roi;       ///< size × size: 1 on any finding
  std::array<std::int8_t, 4> truth{};  ///< findings present (before label noise)
  std::array<std::int8_t, 4> labels{}; ///< labels as an annotator gave them
  double subtlety = 0.0;               ///< 0 = obvious … 1 = subtle; mean over findings
  std::int64_t duplicate_of = -1;      ///< the earlier image this repeats, or -1
  bool noise_only = false;
  std::string patient_id;
};

/// Draws image @p index of the pool described by @p options.
PhantomImage draw_phantom(const PhantomOptions& options, std::int64_t index);

}  // namespace salient::io
