#include "engine/round/study_feedback.h"

#include <filesystem>

#include "salient/check.h"
#include "salient/io/review_files.h"
#include "salient/io/study_dir.h"

namespace salient::round {

std::map<std::int64_t, training::SquareMarks> study_feedback(const std::string& study_dir) {
  std::map<std::int64_t, training::SquareMarks> marks;
  const io::StudyDir study(study_dir);
  for (std::int64_t round = 0; std::filesystem::is_directory(study.round(round)); ++round) {
    const auto path = study.feedback(round);
    if (!std::filesystem::exists(path)) continue;
    const auto feedback = io::read_feedback_masks(path);
    const auto cells = static_cast<std::size_t>(feedback.grid * feedback.grid);
    for (std::size_t m = 0; m < feedback.indices.size(); ++m) {
      auto& image = marks[feedback.indices[m]];
      if (image.grid != feedback.grid) image = {feedback.grid, std::vector<std::uint8_t>(cells, 0)};
      for (std::size_t cell = 0; cell < cells; ++cell) image.cells[cell] |= feedback.masks[m * cells + cell];
    }
  }
  return marks;
}

}  // namespace salient::round
