#include "engine/review/review_outputs.h"

#include <fmt/format.h>

namespace salient::review {

std::map<std::int64_t, MergedLabels> merge_submitted(const ReviewState& state, const ReviewRules& rules) {
  const auto findings = rules.finding_names.size();
  std::map<std::int64_t, MergedLabels> merged;
  std::map<std::int64_t, std::vector<bool>> conflicting;
  for (const auto& [annotator, images] : state) {
    for (const auto& [position, review] : images) {
      if (!review.submitted) continue;
      auto [entry, first] = merged.try_emplace(position);
      auto& image = entry->second;
      auto& conflict = conflicting[position];
      if (first) {
        image.labels.assign(findings, -1);
        conflict.assign(findings, false);
      }
      image.annotators.push_back(annotator);
      for (std::size_t c = 0; c < findings; ++c) {
        const std::int8_t label = review.findings[c];
        if (label < 0) continue;
        if (conflict[c]) continue;
        if (image.labels[c] < 0) {
          image.labels[c] = label;
        } else if (image.labels[c] != label) {
          conflict[c] = true;
          image.labels[c] = -1;
        }
      }
    }
  }
  for (auto& [position, image] : merged) {
    const auto& conflict = conflicting[position];
    for (std::size_t c = 0; c < findings; ++c) {
      if (conflict[c]) image.conflicts.push_back(c);
    }
  }
  return merged;
}

std::string review_source(const MergedLabels& merged) {
  return fmt::format("review:{}", fmt::join(merged.annotators, "+"));
}

bool is_review_source(const std::string& source) { return source.rfind("review:", 0) == 0; }

io::LabelTable with_review_labels(const io::LabelTable& labels, std::int64_t round,
                                  const std::vector<QueueImage>& queue,
                                  const std::map<std::int64_t, MergedLabels>& merged) {
  io::LabelTable result;
  result.label_names = labels.label_names;
  for (const auto& row : labels.rows) {
    if (row.round != round || !is_review_source(row.source)) result.rows.push_back(row);
  }
  for (const auto& [position, image] : merged) {
    result.rows.push_back({queue[static_cast<std::size_t>(position)].id, image.labels, round, review_source(image)});
  }
  return result;
}

io::FeedbackMasks feedback_of(const ReviewState& state, const ReviewRules& rules, std::int64_t round,
                              const std::vector<QueueImage>& queue) {
  io::FeedbackMasks feedback;
  feedback.round = round;
  feedback.grid = rules.grid;
  const auto cells = static_cast<std::size_t>(rules.grid * rules.grid);
  for (const auto& [annotator, images] : state) {
    for (const auto& [position, review] : images) {
      if (!review.submitted || review.squares.empty()) continue;
      feedback.indices.push_back(queue[static_cast<std::size_t>(position)].index);
      feedback.annotators.push_back(annotator);
      const auto first = feedback.masks.size();
      feedback.masks.resize(first + cells, 0);
      for (const auto square : review.squares) feedback.masks[first + static_cast<std::size_t>(square)] = 1;
    }
  }
  return feedback;
}

}  // namespace salient::review
