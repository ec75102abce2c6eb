// What one fine-tuning step is configured with (trainer.h), apart from the model and the
// examples: a study's [training] section holds it (round/study_config.h).
#pragma once

#include <cstdint>

#include "engine/runtime/precision.h"
#include "engine/training/augmentation.h"

namespace salient::training {

struct TrainingOptions {
  std::int64_t batch_size = 32;  ///< images per step over all ranks
  /// Adam with IDEAL's settings (Sec. IV-C): lr 1e-4, β = (0.93, 0.999).
  double learning_rate = 1e-4;
  double beta1 = 0.93;
  double beta2 = 0.999;
  bool augment = true;
  AugmentationOptions augmentation;  ///< its seed and round key the permutations too
  /// HITL's right-for-the-right-reasons weight λ (0 = off) and the expert's grid.
  double rrr_lambda = 0.0;
  std::int64_t rrr_grid = 8;
  /// EG-AL's explanation-guidance weight (0 = off): Grad-CAM mass outside the ROI.
  double guidance_weight = 0.0;
  runtime::Precision precision = runtime::Precision::fp32;  ///< autocast on a GPU
};

}  // namespace salient::training
