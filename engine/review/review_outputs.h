// The study files that follow from the review state (review_state.h), rewritten atomically
// after every change. Only submitted images count: an image's state is saved as the expert
// works on it, and becomes a label when they submit it.
//   labels.csv        one row per submitted image of the round, source "review:<annotators>";
//                     a finding's label is the one its annotators give; where one says
//                     present and another absent it is a conflict and stays unknown (−1)
//                     until they agree (the summary page lists every conflict)
//   rounds/RRR/feedback.h5  each annotator's marked squares of each submitted image
//                     (io/review_files.h), HITL's W for `salient tune`
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/review/review_state.h"
#include "salient/io/labels_csv.h"
#include "salient/io/review_files.h"

namespace salient::review {

struct QueueImage {
  std::string id;
  std::int64_t index = 0;  ///< global pool index
};

struct MergedLabels {
  std::vector<std::int8_t> labels;
  std::vector<std::string> annotators;  ///< who submitted the image, in name order
  std::vector<std::size_t> conflicts;   ///< findings labeled present by one and absent by another
};

/// Queue position → the merged labels of every submitted image.
std::map<std::int64_t, MergedLabels> merge_submitted(const ReviewState& state, const ReviewRules& rules);

/// The source column of a merged row: "review:" and the annotators joined by '+'.
std::string review_source(const MergedLabels& merged);
bool is_review_source(const std::string& source);

/// @p labels (the study's labels.csv) with round @p round's review rows replaced by @p merged.
io::LabelTable with_review_labels(const io::LabelTable& labels, std::int64_t round,
                                  const std::vector<QueueImage>& queue,
                                  const std::map<std::int64_t, MergedLabels>& merged);

/// rounds/RRR/feedback.h5's content: the squares of every submitted image with any, per annotator.
io::FeedbackMasks feedback_of(const ReviewState& state, const ReviewRules& rules, std::int64_t round,
                              const std::vector<QueueImage>& queue);

}  // namespace salient::review
