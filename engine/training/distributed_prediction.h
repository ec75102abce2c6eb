// Predictions of a set of examples shared out over the ranks: each rank runs the model on
// a contiguous part (balanced to within one image), and every rank receives all of them.
#pragma once

#include <ATen/core/Tensor.h>

#include "engine/comm/communicator.h"
#include "engine/models/classifier.h"
#include "engine/runtime/precision.h"
#include "engine/training/example_store.h"

namespace salient::training {

/// N×C probabilities (sigmoid or softmax, float32 on the CPU) of @p examples, in eval mode,
/// @p batch_size images at a time. A collective: every rank returns the same tensor.
at::Tensor predict_probabilities(models::Classifier& model, const ExampleStore& examples,
                                 comm::Communicator& communicator, std::int64_t batch_size,
                                 runtime::Precision precision);

}  // namespace salient::training
