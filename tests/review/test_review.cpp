// The review page's logic without a server or a browser (those: tests/round/check_review_page.py):
// which squares are offered, how an image's state is checked, how annotators' labels merge
// into labels.csv and their squares into feedback.h5, how leases hand out images, and the
// files written, each against values derived by hand.
#include <gtest/gtest.h>

#include <chrono>

#include "engine/review/review_leases.h"
#include "engine/review/review_outputs.h"
#include "engine/review/review_round.h"
#include "engine/review/review_state.h"
#include "salient/io/atomic_file.h"
#include "salient/io/review_files.h"
#include "support/expect_error.h"
#include "support/temp_dir.h"

namespace salient::review {
namespace {

using testing::expect_error_naming;

const ReviewRules kRules{{"Atelectasis", "Edema", "Mass"}, 2, 4};

TEST(ReviewSquares, CellsFollowTheLossAndRankByMean) {
  // A 5×5 map on a 2×2 grid: pixel i lies in cell ⌊2i/5⌋, so cell row 0 holds rows 0–2 and
  // cell row 1 rows 3–4 (columns alike). Values: 1 in the top-left 3×3 block (cell 0, mean 1),
  // 9 at (4, 4) alone (cell 3: mean 9/4), 2 everywhere in cell 1 (mean 2), 0 in cell 2.
  std::vector<float> map(25, 0.0f);
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 5; ++x) {
      if (y < 3 && x < 3) map[y * 5 + x] = 1.0f;
      if (y < 3 && x >= 3) map[y * 5 + x] = 2.0f;
    }
  }
  map[24] = 9.0f;
  EXPECT_EQ(most_salient_squares(map.data(), 5, 2, 4), (std::vector<std::int32_t>{3, 1, 0, 2}));
  EXPECT_EQ(most_salient_squares(map.data(), 5, 2, 2), (std::vector<std::int32_t>{3, 1}));
  // Equal means keep the cell order.
  const std::vector<float> flat(16, 0.5f);
  EXPECT_EQ(most_salient_squares(flat.data(), 4, 2, 3), (std::vector<std::int32_t>{0, 1, 2}));
}

TEST(ReviewState, ParsesAWholeImageState) {
  const auto review = parse_image_review(
      R"({"id": "a.png", "findings": {"Mass": 1, "Atelectasis": 0}, "squares": [3, 1], "submitted": true})", kRules,
      "a.png", {1, 2, 3});
  EXPECT_EQ(review.findings, (std::vector<std::int8_t>{0, -1, 1}));
  EXPECT_EQ(review.squares, (std::vector<std::int32_t>{1, 3}));
  EXPECT_TRUE(review.submitted);
  const auto empty = parse_image_review(R"({"id": "a.png"})", kRules, "a.png", {});
  EXPECT_EQ(empty.findings, (std::vector<std::int8_t>{-1, -1, -1}));
  EXPECT_FALSE(empty.submitted);
}

TEST(ReviewState, RefusesWhatDoesNotFitWithTheReason) {
  const std::set<std::int32_t> presented{1, 2};
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[1, 2", "not JSON"},
      {"[]", "not a JSON object"},
      {R"({"findings": {}})", "'id' is missing"},
      {R"({"id": "b.png"})", "id 'b.png' is not the image at this position ('a.png')"},
      {R"({"id": "a.png", "findings": {"Hernia": 1}})", "'Hernia' is not a finding"},
      {R"({"id": "a.png", "findings": {"Mass": 2}})", "2 is not a label"},
      {R"({"id": "a.png", "findings": {"Mass": "1"}})", "is not a label"},
      {R"({"id": "a.png", "squares": [4]})", "square 4 is not a cell of the 2x2 grid"},
      {R"({"id": "a.png", "squares": [0]})", "square 0 is not one of the squares presented"},
      {R"({"id": "a.png", "squares": [1, 1]})", "square 1 is marked twice"},
      {R"({"id": "a.png", "submitted": 1})", "'submitted' is not true or false"},
      {R"({"id": "a.png", "path": "/etc"})", "unknown key 'path'"},
  };
  for (const auto& [body, reason] : cases) {
    expect_error_naming([&] { parse_image_review(body, kRules, "a.png", presented); }, {reason});
  }
}

TEST(ReviewState, AnnotatorNamesAreShortAndPlain) {
  EXPECT_TRUE(valid_annotator("dr.a_b-2"));
  EXPECT_FALSE(valid_annotator(""));
  EXPECT_FALSE(valid_annotator("../x"));
  EXPECT_FALSE(valid_annotator("a b"));
  EXPECT_FALSE(valid_annotator(std::string(41, 'a')));
}

TEST(ReviewState, FileRoundTripsAndBadEntriesAreNamed) {
  salient::testing::TempDir temp;
  const auto path = temp / "review.json";
  EXPECT_TRUE(read_review_state(path, kRules).empty());
  ReviewState state;
  state["alice"][2] = {{1, 0, -1}, {0, 3}, true};
  state["bob"][0] = {{-1, -1, 1}, {}, false};
  write_review_state(path, state, kRules);
  const auto back = read_review_state(path, kRules);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back.at("alice").at(2), state["alice"][2]);
  EXPECT_EQ(back.at("bob").at(0), state["bob"][0]);
  auto text = io::read_whole_file(path);
  text.replace(text.find("\"2\""), 3, "\"7\"");
  io::write_file_atomically(path, text);
  expect_error_naming([&] { read_review_state(path, kRules); }, {path, "annotator 'alice'", "position 7"});
}

TEST(ReviewOutputs, AnnotatorsAgreeOrTheFindingStaysUnknown) {
  ReviewState state;
  state["alice"][1] = {{1, 0, -1}, {0}, true};
  state["bob"][1] = {{0, 0, 1}, {}, true};
  state["carol"][1] = {{1, 1, 1}, {2}, false};  // not submitted: not counted
  state["bob"][3] = {{-1, 1, -1}, {1, 2}, true};
  const auto merged = merge_submitted(state, kRules);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged.at(1).labels, (std::vector<std::int8_t>{-1, 0, 1}));
  EXPECT_EQ(merged.at(1).conflicts, (std::vector<std::size_t>{0}));
  EXPECT_EQ(review_source(merged.at(1)), "review:alice+bob");
  EXPECT_EQ(merged.at(3).labels, (std::vector<std::int8_t>{-1, 1, -1}));

  const std::vector<QueueImage> queue{{"q0", 10}, {"q1", 11}, {"q2", 12}, {"q3", 13}};
  io::LabelTable labels{
      kRules.finding_names,
      {{"old", {1, 1, 1}, 0, "oracle"}, {"q1", {0, 0, 0}, 2, "review:alice"}, {"imported", {0, 1, 0}, 2, "dr-x"}}};
  const auto table = with_review_labels(labels, 2, queue, merged);
  ASSERT_EQ(table.rows.size(), 4u);
  EXPECT_EQ(table.rows[0].id, "old");
  EXPECT_EQ(table.rows[1].id, "imported");
  EXPECT_EQ(table.rows[2].id, "q1");
  EXPECT_EQ(table.rows[2].labels, (std::vector<std::int8_t>{-1, 0, 1}));
  EXPECT_EQ(table.rows[2].round, 2);
  EXPECT_EQ(table.rows[3].id, "q3");
  EXPECT_EQ(table.rows[3].source, "review:bob");

  const auto feedback = feedback_of(state, kRules, 2, queue);
  EXPECT_EQ(feedback.indices, (std::vector<std::int64_t>{11, 13}));
  EXPECT_EQ(feedback.annotators, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(feedback.masks, (std::vector<std::uint8_t>{1, 0, 0, 0, 0, 1, 1, 0}));
}

TEST(ReviewOutputs, FeedbackFileRoundTrips) {
  salient::testing::TempDir temp;
  const auto path = temp / "feedback.h5";
  const io::FeedbackMasks feedback{3, 2, {11, 13}, {"alice", "bob"}, {1, 0, 0, 0, 0, 1, 1, 0}};
  io::write_feedback_masks(path, feedback);
  const auto back = io::read_feedback_masks(path);
  EXPECT_EQ(back.round, 3);
  EXPECT_EQ(back.grid, 2);
  EXPECT_EQ(back.indices, feedback.indices);
  EXPECT_EQ(back.annotators, feedback.annotators);
  EXPECT_EQ(back.masks, feedback.masks);
}

TEST(ReviewLeases, TwoAnnotatorsGetDifferentImages) {
  using namespace std::chrono_literals;
  LeaseTable leases(60s);
  const LeaseTable::Clock::time_point start{};
  ReviewState state;
  state["carol"][0] = {{-1, -1, -1}, {}, true};  // image 0 is done
  EXPECT_EQ(leases.next("alice", -1, 4, state, start), 1);
  EXPECT_EQ(leases.next("bob", -1, 4, state, start + 1s), 2);  // alice holds 1
  EXPECT_EQ(leases.holder(1, start + 2s), "alice");
  EXPECT_FALSE(leases.take(1, "bob", start + 2s));
  EXPECT_EQ(leases.next("alice", 1, 4, state, start + 3s), 3);  // bob holds 2; alice leaves 1
  EXPECT_EQ(leases.holder(1, start + 3s), std::nullopt);
  EXPECT_EQ(leases.holder(2, start + 62s), std::nullopt);        // bob's lease ran out
  EXPECT_EQ(leases.next("alice", 3, 4, state, start + 62s), 1);  // wraps around
  // Every image submitted by someone: alice is offered what she has not submitted herself.
  for (std::int64_t p = 1; p < 4; ++p) state["bob"][p] = {{-1, -1, -1}, {}, true};
  EXPECT_EQ(leases.next("alice", -1, 4, state, start + 200s), 0);
  for (std::int64_t p = 0; p < 4; ++p) state["alice"][p] = {{-1, -1, -1}, {}, true};
  EXPECT_EQ(leases.next("alice", -1, 4, state, start + 300s), std::nullopt);
}

}  // namespace
}  // namespace salient::review
