// What annotators have said on the review page (`salient review`): per annotator, per image
// of the round's queue, each finding's label and the squares marked for the model to
// disregard. The whole state is kept in rounds/RRR/review.json, rewritten atomically on every
// change, so that reloading the page or restarting the server shows everything as it was.
//
// An image's state arrives as one JSON object (the page PUTs it whole, so saving twice is
// saving once):
//   {"id": "00000013_005.png", "findings": {"Atelectasis": 1, "Edema": 0, ...},
//    "squares": [3, 17], "submitted": true}
// findings: 1 present, 0 absent, −1 unknown (a finding left out is unknown); squares: cells
// of the G×G grid, row·G + column, each one of those the page presented; submitted: the
// annotator is done with the image (Enter). Anything else is refused with the reason.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace salient::review {

struct ImageReview {
  std::vector<std::int8_t> findings;  ///< one per finding: 1, 0 or −1
  std::vector<std::int32_t> squares;  ///< marked cells, ascending
  bool submitted = false;
};
bool operator==(const ImageReview& a, const ImageReview& b);

/// annotator → queue position → state.
using ReviewState = std::map<std::string, std::map<std::int64_t, ImageReview>>;

/// What a state is checked against.
struct ReviewRules {
  std::vector<std::string> finding_names;
  std::int64_t grid = 0;  ///< G
  std::int64_t queue_size = 0;
};

/// An annotator's name: 1–40 letters, digits, '.', '_' or '-'.
bool valid_annotator(const std::string& name);

/// Parses and checks one image's state PUT for queue position @p position, whose image id is
/// @p image_id and whose presented squares are @p presented. Throws salient::Error with the
/// reason (bad JSON, another image's id, an unknown finding, a label other than 1, 0 or −1,
/// a square outside the grid or not presented, a repeated square, an unknown key).
ImageReview parse_image_review(const std::string& body, const ReviewRules& rules, const std::string& image_id,
                               const std::set<std::int32_t>& presented);

/// The JSON object of @p review for the page (findings by name).
std::string image_review_json(const ImageReview& review, const ReviewRules& rules, const std::string& image_id);

/// review.json: empty when @p path does not exist; errors name the file and the entry.
ReviewState read_review_state(const std::string& path, const ReviewRules& rules);
void write_review_state(const std::string& path, const ReviewState& state, const ReviewRules& rules);

}  // namespace salient::review
