// The two files of a human-in-the-loop round's review (`salient review`, docs/training.md):
//
// rounds/RRR/review.h5, what the review page shows of the round's selection beyond the pool
// itself, written when a human-mode round is selected (the server loads no model):
//   index        int64    B        each selected image's global pool index, in selection order
//   saliency     float16  B×S×S    the saliency map of the image's most probable class at the
//                                  model's input size S, min-max scaled to [0, 1]
//   probability  float32  B×C      the model's class probabilities
//   target       int64    B        the class each map explains
//   attributes   method (the saliency method's name), round
//
// rounds/RRR/feedback.h5, the squares annotators marked for the model to disregard (HITL's
// W, Serrano e Silva et al. Sec. 3.3), one mask per image and annotator:
//   index        int64    M        the image's global pool index
//   annotator    string   M        who marked it
//   mask         uint8    M×G×G    1 on a marked square of the G×G grid over the image
//   attributes   grid (G), round
// Both are written whole and atomically; readers check every shape and name the file and
// dataset of anything that does not fit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::io {

struct ReviewMaps {
  std::int64_t round = 0;
  std::string method;
  std::int64_t side = 0;     ///< S
  std::int64_t classes = 0;  ///< C
  std::vector<std::int64_t> indices;
  std::vector<float> saliency;       ///< B×S×S, row-major
  std::vector<float> probabilities;  ///< B×C
  std::vector<std::int64_t> targets;
};

void write_review_maps(const std::string& path, const ReviewMaps& maps);
ReviewMaps read_review_maps(const std::string& path);

struct FeedbackMasks {
  std::int64_t round = 0;
  std::int64_t grid = 0;  ///< G
  std::vector<std::int64_t> indices;
  std::vector<std::string> annotators;
  std::vector<std::uint8_t> masks;  ///< M×G×G, row-major: square (row, column) at row·G + column
};

void write_feedback_masks(const std::string& path, const FeedbackMasks& feedback);
FeedbackMasks read_feedback_masks(const std::string& path);

}  // namespace salient::io
