// The squares annotators marked on the review page for the model to disregard, over every
// round of a study (rounds/RRR/feedback.h5, io/review_files.h): HITL's W for fine-tuning.
// An image marked by several annotators gets the union of their squares: any expert's "do not
// look here" counts.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "engine/training/example_store.h"

namespace salient::round {

/// Global pool index → the image's marked squares; empty when no round has feedback.
/// Errors name the file, the dataset and the mask.
std::map<std::int64_t, training::SquareMarks> study_feedback(const std::string& study_dir);

}  // namespace salient::round
