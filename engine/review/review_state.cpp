#include "engine/review/review_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "salient/check.h"
#include "salient/io/atomic_file.h"

namespace salient::review {
namespace {

using nlohmann::json;

constexpr const char* kStateFormat = "salient review state 1";
constexpr std::size_t kLongestAnnotator = 40;

std::int8_t label_of(const json& value, const std::string& where) {
  SALIENT_CHECK(value.is_number_integer() && (value == 1 || value == 0 || value == -1),
                "{}: {} is not a label (1 present, 0 absent, -1 unknown)", where, value.dump());
  return static_cast<std::int8_t>(value.get<int>());
}

// The squares of @p value: integers in [0, G²), none repeated, in ascending order.
std::vector<std::int32_t> squares_of(const json& value, std::int64_t grid, const std::string& where) {
  SALIENT_CHECK(value.is_array(), "{}: 'squares' is not an array", where);
  std::vector<std::int32_t> squares;
  for (const auto& square : value) {
    SALIENT_CHECK(
        square.is_number_integer() && square.get<std::int64_t>() >= 0 && square.get<std::int64_t>() < grid * grid,
        "{}: square {} is not a cell of the {}x{} grid (0 to {})", where, square.dump(), grid, grid, grid * grid - 1);
    squares.push_back(square.get<std::int32_t>());
  }
  std::sort(squares.begin(), squares.end());
  const auto repeated = std::adjacent_find(squares.begin(), squares.end());
  SALIENT_CHECK(repeated == squares.end(), "{}: square {} is marked twice", where,
                repeated == squares.end() ? 0 : *repeated);
  return squares;
}

const json& field(const json& entry, const char* name, const std::string& where) {
  SALIENT_CHECK(entry.is_object() && entry.contains(name), "{}: '{}' is missing", where, name);
  return entry[name];
}

json review_json(const ImageReview& review) {
  return {{"findings", review.findings}, {"squares", review.squares}, {"submitted", review.submitted}};
}

}  // namespace

bool operator==(const ImageReview& a, const ImageReview& b) {
  return a.findings == b.findings && a.squares == b.squares && a.submitted == b.submitted;
}

bool valid_annotator(const std::string& name) {
  return !name.empty() && name.size() <= kLongestAnnotator && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

ImageReview parse_image_review(const std::string& body, const ReviewRules& rules, const std::string& image_id,
                               const std::set<std::int32_t>& presented) {
  json value;
  try {
    value = json::parse(body);
  } catch (const json::parse_error& error) {
    throw Error(fmt::format("the body is not JSON: {}", error.what()));
  }
  SALIENT_CHECK(value.is_object(), "the body is not a JSON object");
  for (const auto& [key, _] : value.items()) {
    SALIENT_CHECK(key == "id" || key == "findings" || key == "squares" || key == "submitted",
                  "unknown key '{}' (expected id, findings, squares, submitted)", key);
  }
  SALIENT_CHECK(value.contains("id") && value["id"].is_string(), "'id' is missing or not a string");
  SALIENT_CHECK(value["id"] == image_id, "id '{}' is not the image at this position ('{}')",
                value["id"].get<std::string>(), image_id);
  ImageReview review;
  review.findings.assign(rules.finding_names.size(), -1);
  if (value.contains("findings")) {
    SALIENT_CHECK(value["findings"].is_object(), "'findings' is not an object");
    for (const auto& [name, label] : value["findings"].items()) {
      const auto at = std::find(rules.finding_names.begin(), rules.finding_names.end(), name);
      SALIENT_CHECK(at != rules.finding_names.end(), "'{}' is not a finding of this pool", name);
      review.findings[static_cast<std::size_t>(at - rules.finding_names.begin())] =
          label_of(label, fmt::format("finding '{}'", name));
    }
  }
  if (value.contains("squares")) {
    review.squares = squares_of(value["squares"], rules.grid, "the body");
    for (const auto square : review.squares) {
      SALIENT_CHECK(presented.count(square), "square {} is not one of the squares presented for this image", square);
    }
  }
  if (value.contains("submitted")) {
    SALIENT_CHECK(value["submitted"].is_boolean(), "'submitted' is not true or false");
    review.submitted = value["submitted"].get<bool>();
  }
  return review;
}

std::string image_review_json(const ImageReview& review, const ReviewRules& rules, const std::string& image_id) {
  json findings = json::object();
  for (std::size_t c = 0; c < rules.finding_names.size(); ++c) {
    findings[rules.finding_names[c]] = c < review.findings.size() ? review.findings[c] : -1;
  }
  return json{{"id", image_id}, {"findings", findings}, {"squares", review.squares}, {"submitted", review.submitted}}
      .dump();
}

ReviewState read_review_state(const std::string& path, const ReviewRules& rules) {
  ReviewState state;
  if (!std::filesystem::exists(path)) return state;
  const json file = json::parse(io::read_whole_file(path), nullptr, false);
  SALIENT_CHECK(!file.is_discarded() && file.is_object() && file.value("format", "") == kStateFormat,
                "'{}' is not a {} file", path, kStateFormat);
  SALIENT_CHECK(file.value("findings", json::array()) == json(rules.finding_names),
                "'{}' names other findings than the pool's ({})", path, fmt::join(rules.finding_names, ", "));
  SALIENT_CHECK(file.value("grid", std::int64_t{0}) == rules.grid, "'{}' has a {}x{} grid, the study {}x{}", path,
                file.value("grid", 0), file.value("grid", 0), rules.grid, rules.grid);
  const json annotators = file.value("annotators", json::object());
  SALIENT_CHECK(annotators.is_object(), "'{}': 'annotators' is not an object", path);
  for (const auto& [annotator, images] : annotators.items()) {
    SALIENT_CHECK(valid_annotator(annotator), "'{}': '{}' is not an annotator's name", path, annotator);
    SALIENT_CHECK(images.is_object(), "'{}', annotator '{}': not an object of positions", path, annotator);
    for (const auto& [key, entry] : images.items()) {
      const auto where = fmt::format("'{}', annotator '{}', position {}", path, annotator, key);
      std::int64_t position = -1;
      try {
        std::size_t used = 0;
        position = std::stoll(key, &used);
        if (used != key.size()) position = -1;
      } catch (const std::exception&) {
        position = -1;
      }
      SALIENT_CHECK(position >= 0 && position < rules.queue_size, "{}: not a position of the {} images", where,
                    rules.queue_size);
      ImageReview review;
      const auto& findings = field(entry, "findings", where);
      SALIENT_CHECK(findings.is_array() && findings.size() == rules.finding_names.size(), "{}: {} findings expected",
                    where, rules.finding_names.size());
      for (const auto& label : findings) review.findings.push_back(label_of(label, where));
      review.squares = squares_of(field(entry, "squares", where), rules.grid, where);
      const auto& submitted = field(entry, "submitted", where);
      SALIENT_CHECK(submitted.is_boolean(), "{}: 'submitted' is not true or false", where);
      review.submitted = submitted.get<bool>();
      state[annotator][position] = std::move(review);
    }
  }
  return state;
}

void write_review_state(const std::string& path, const ReviewState& state, const ReviewRules& rules) {
  json annotators = json::object();
  for (const auto& [annotator, images] : state) {
    json entries = json::object();
    for (const auto& [position, review] : images) entries[std::to_string(position)] = review_json(review);
    annotators[annotator] = entries;
  }
  const json file{
      {"format", kStateFormat}, {"findings", rules.finding_names}, {"grid", rules.grid}, {"annotators", annotators}};
  io::write_file_atomically(path, file.dump(1) + "\n");
}

}  // namespace salient::review
