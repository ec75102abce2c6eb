#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <thread>

#include "salient/check.h"
#include "salient/io/score_table.h"
#include "support/temp_dir.h"
#include "salient/io/study_dir.h"

namespace salient::io {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ScoreTable table_for_shard(std::int64_t shard) {
  ScoreTable table;
  table.round = 2;
  table.shard = shard;
  table.indices = {shard * 10, shard * 10 + 1};
  table.ids = {"a" + std::to_string(shard), "b" + std::to_string(shard)};
  table.reason_names = {"defined", "constant map"};
  table.columns = {{"firstorder_Kurtosis", {2.5, kNaN}, {0, 1}}, {"entropy", {0.125, 1.0 / 3.0}, {0, 0}}};
  return table;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Shard 3 of a pool with shard_size 16: global indices 48..63; "entropy" is index/64 and
// NaN ("constant map") on every fifth row; "margin" is −index.
ScoreTable whole_shard(std::int64_t rows = 16) {
  ScoreTable table;
  table.round = 1;
  table.shard = 3;
  table.reason_names = {"defined", "constant map"};
  table.attributes = {{"request", "sha256:0f1e"}, {"model", "round-000/model.pt"}};
  table.columns = {{"margin", {}, {}}, {"entropy", {}, {}}};
  for (std::int64_t row = 0; row < rows; ++row) {
    const std::int64_t index = 48 + row;
    table.indices.push_back(index);
    table.ids.push_back("img" + std::to_string(index));
    table.columns[0].values.push_back(-static_cast<double>(index));
    table.columns[0].reasons.push_back(0);
    table.columns[1].values.push_back(row % 5 == 0 ? kNaN : static_cast<double>(index) / 64.0);
    table.columns[1].reasons.push_back(row % 5 == 0 ? 1 : 0);
  }
  return table;
}

// Rows [first, end) of @p table, as one rank writes them.
ScoreTable rows_of(const ScoreTable& table, std::int64_t first, std::int64_t end) {
  ScoreTable part = table;
  const auto slice = [&](auto& values) {
    values.assign(values.begin() + first, values.begin() + end);
  };
  slice(part.indices);
  slice(part.ids);
  for (auto& column : part.columns) {
    slice(column.values);
    slice(column.reasons);
  }
  for (auto* rows : {&part.embeddings, &part.probabilities}) {
    const auto& whole = rows == &part.embeddings ? table.embeddings : table.probabilities;
    rows->values.assign(whole.values.begin() + first * rows->dim, whole.values.begin() + end * rows->dim);
  }
  return part;
}

std::string write_and_return(const std::string& path, const ScoreTable& table) {
  write_score_table(path, table);
  return path;
}

void write_part(const std::string& study, const ScoreTable& whole, std::int64_t first, std::int64_t end) {
  write_score_table(io::StudyDir(study).score_part(whole.round, whole.shard, first, end), rows_of(whole, first, end));
}

TEST(ScoreTable, RoundTripsValuesBitForBitWithReasons) {
  salient::testing::TempDir dir;
  const std::string path = io::StudyDir(dir.path().string()).score_table(2, 7);
  EXPECT_EQ(std::filesystem::path(path).filename(), "shard-00007.h5");
  EXPECT_NE(path.find("rounds/002/scores"), std::string::npos);
  write_score_table(path, table_for_shard(7));
  const ScoreTable back = read_score_table(path);
  EXPECT_EQ(back.round, 2);
  EXPECT_EQ(back.shard, 7);
  EXPECT_EQ(back.indices, (std::vector<std::int64_t>{70, 71}));
  ASSERT_EQ(back.columns.size(), 2u);
  EXPECT_EQ(back.columns[0].name, "entropy");  // name order
  EXPECT_EQ(back.columns[0].values[1], 1.0 / 3.0);
  EXPECT_TRUE(std::isnan(back.columns[1].values[1]));
  EXPECT_EQ(back.reason_names[back.columns[1].reasons[1]], "constant map");
}

TEST(ScoreTable, RefusesANaNWithoutAReasonAndLeavesNoFile) {
  salient::testing::TempDir dir;
  ScoreTable table = table_for_shard(0);
  table.columns[1].values[0] = kNaN;
  const std::string path = io::StudyDir(dir.path().string()).score_table(2, 0);
  EXPECT_THROW(write_score_table(path, table), salient::Error);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ScoreTable, ListsScoredShardsAndExportsThemToCsv) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  write_score_table(io::StudyDir(study).score_table(2, 3), table_for_shard(3));
  write_score_table(io::StudyDir(study).score_table(2, 1), table_for_shard(1));
  // A temporary file of an interrupted writer is not a scored shard.
  std::ofstream(io::StudyDir(study).score_table(2, 4) + ".tmp-123") << "partial";
  EXPECT_EQ(scored_shards(study, 2), (std::vector<std::int64_t>{1, 3}));
  EXPECT_TRUE(scored_shards(study, 5).empty());
  EXPECT_EQ(export_scores_csv(study, 2, dir / "scores.csv"), 4);
  std::ifstream in(dir / "scores.csv");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text,
            "index,id,entropy,firstorder_Kurtosis,entropy_reason,firstorder_Kurtosis_reason\n"
            "10,a1,0.125,2.5,,\n"
            "11,b1,0.3333333333333333,nan,,constant map\n"
            "30,a3,0.125,2.5,,\n"
            "31,b3,0.3333333333333333,nan,,constant map\n");
}

TEST(ScoreTable, RoundTripsItsAttributesAndReadsThemAlone) {
  salient::testing::TempDir dir;
  ScoreTable table = whole_shard();
  table.attributes["note"] = "";
  const std::string path = dir / "scores.h5";
  write_score_table(path, table);
  const std::map<std::string, std::string> expected{
      {"model", "round-000/model.pt"}, {"note", ""}, {"request", "sha256:0f1e"}};
  EXPECT_EQ(read_score_table(path).attributes, expected);
  EXPECT_EQ(read_score_attributes(path), expected);
  // The format's own attributes cannot be overwritten by a table's.
  table.attributes["round"] = "7";
  EXPECT_THROW(write_score_table(dir / "taken.h5", table), salient::Error);
}

TEST(ScoreTable, SameTableGivesTheSameBytesWhenAndWhereverWritten) {
  salient::testing::TempDir dir;
  write_score_table(dir / "first.h5", whole_shard());
  // HDF5's object time stamps count seconds: a second later they would differ.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ScoreTable reordered = whole_shard();
  std::swap(reordered.columns[0], reordered.columns[1]);
  write_score_table(dir / "second.h5", reordered);
  const std::string first = file_bytes(dir / "first.h5");
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(first == file_bytes(dir / "second.h5")) << "the bytes differ";
}

TEST(ScoreTable, MergesTwoRanksPartsIntoTheTableWrittenWhole) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  const ScoreTable whole = whole_shard();
  write_part(study, whole, 0, 5);
  write_part(study, whole, 5, 16);
  EXPECT_EQ(std::filesystem::path(io::StudyDir(study).score_part(1, 3, 5, 16)).filename(), "shard-00003.rows-000005-000016.h5");
  EXPECT_TRUE(scored_shards(study, 1).empty()) << "parts are not a scored shard";
  EXPECT_EQ(score_part_files(study, 1, 3).size(), 2u);

  EXPECT_TRUE(merge_score_parts(study, 1, 3, 16, whole.attributes));
  EXPECT_EQ(scored_shards(study, 1), (std::vector<std::int64_t>{3}));
  EXPECT_TRUE(score_part_files(study, 1, 3).empty()) << "merged parts are removed";
  write_score_table(dir / "whole.h5", whole);
  EXPECT_TRUE(file_bytes(io::StudyDir(study).score_table(1, 3)) == file_bytes(dir / "whole.h5"))
      << "the merged table differs from the table written whole";
}

// whole_shard() with 3-dimensional embeddings: row r is (r, −r/3, 1e-3·r), as @p half or
// float32; and two sigmoid probabilities per image, (r/16, 1 − r/16).
ScoreTable with_embeddings(bool half) {
  ScoreTable table = whole_shard();
  table.embeddings.dim = 3;
  table.embeddings.half = half;
  table.probabilities.dim = 2;
  table.probabilities.half = false;
  table.probability_kind = "multi-label";
  for (std::int64_t row = 0; row < 16; ++row) {
    const auto r = static_cast<float>(row);
    table.embeddings.values.insert(table.embeddings.values.end(), {r, -r / 3.0f, 1e-3f * r});
    table.probabilities.values.insert(table.probabilities.values.end(), {r / 16.0f, 1.0f - r / 16.0f});
  }
  return table;
}

TEST(ScoreTable, ASubsetReadsOnlyTheNamedCriteriaAndEmbeddingsWhenAsked) {
  salient::testing::TempDir dir;
  write_score_table(dir / "t.h5", with_embeddings(false));
  ScoreTableSubset subset;
  subset.criteria = std::vector<std::string>{"margin"};
  subset.embeddings = false;
  const auto margin = read_score_table(dir / "t.h5", subset);
  ASSERT_EQ(margin.columns.size(), 1u);
  EXPECT_EQ(margin.columns[0].name, "margin");
  EXPECT_EQ(margin.columns[0].values[2], -50.0);  // index 48 + 2, negated
  EXPECT_EQ(margin.indices.size(), 16u);
  EXPECT_EQ(margin.embeddings.dim, 0);
  EXPECT_EQ(margin.probabilities.dim, 0);
  subset.criteria = std::vector<std::string>{};
  subset.embeddings = true;
  const auto distances = read_score_table(dir / "t.h5", subset);
  EXPECT_TRUE(distances.columns.empty());
  EXPECT_EQ(distances.embeddings.dim, 3);
  EXPECT_EQ(distances.probabilities.dim, 2);
  subset.criteria = std::vector<std::string>{"entropy", "bald"};
  try {
    read_score_table(dir / "t.h5", subset);
    FAIL() << "a missing criterion was not noticed";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("has no criterion 'bald': the round was scored without it"),
              std::string::npos)
        << error.what();
  }
}

TEST(ScoreTable, EmbeddingsRoundTripAsFloat16OrFloat32) {
  salient::testing::TempDir dir;
  write_score_table(dir / "half.h5", with_embeddings(true));
  const auto half = read_score_table(dir / "half.h5");
  ASSERT_EQ(half.embeddings.dim, 3);
  EXPECT_TRUE(half.embeddings.half);
  ASSERT_EQ(half.embeddings.values.size(), 48u);
  // Row 5: 5 is exact; −5/3 = −1.6667 rounds to −(1 + 683/1024) = −1.6669921875 (fraction
  // 0.6667 · 1024 = 682.67 → 683); 0.005 = 1.28 · 2⁻⁸ rounds to (1 + 287/1024) · 2⁻⁸ (0.28 · 1024 = 286.72).
  EXPECT_EQ(half.embeddings.values[15], 5.0f);
  EXPECT_EQ(half.embeddings.values[16], -1.6669921875f);
  EXPECT_EQ(half.embeddings.values[17], std::ldexp(1.0f + 287.0f / 1024.0f, -8));

  write_score_table(dir / "single.h5", with_embeddings(false));
  const auto single = read_score_table(dir / "single.h5");
  EXPECT_FALSE(single.embeddings.half);
  EXPECT_EQ(single.embeddings.values, with_embeddings(false).embeddings.values);
  EXPECT_EQ(half.probabilities, with_embeddings(true).probabilities);
  EXPECT_EQ(half.probability_kind, "multi-label");
  EXPECT_TRUE(half.attributes.count("probability_kind") == 0) << "a format attribute, not the table's own";
  EXPECT_EQ(read_score_table(dir / "half.h5").columns.size(), 2u);
  EXPECT_EQ(read_score_table(write_and_return(dir / "none.h5", whole_shard())).embeddings.dim, 0);
}

TEST(ScoreTable, RefusesEmbeddingsWithoutOneRowPerImage) {
  salient::testing::TempDir dir;
  ScoreTable table = with_embeddings(true);
  table.embeddings.values.pop_back();
  EXPECT_THROW(write_score_table(dir / "short.h5", table), salient::Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "short.h5"));
  ScoreTable unnamed = with_embeddings(true);
  unnamed.probability_kind.clear();
  EXPECT_THROW(write_score_table(dir / "unnamed.h5", unnamed), salient::Error);
}

TEST(ScoreTable, MergedPartsWithEmbeddingsGiveTheBytesOfTheWholeTable) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  const ScoreTable whole = with_embeddings(true);
  write_part(study, whole, 0, 7);
  write_part(study, whole, 7, 16);
  EXPECT_TRUE(merge_score_parts(study, 1, 3, 16, whole.attributes));
  write_score_table(dir / "whole.h5", whole);
  EXPECT_TRUE(file_bytes(io::StudyDir(study).score_table(1, 3)) == file_bytes(dir / "whole.h5"))
      << "the merged table differs from the table written whole";

  // Parts whose embeddings differ in precision are not one table.
  const std::string other = dir / "other";
  write_part(other, whole, 0, 7);
  write_part(other, with_embeddings(false), 7, 16);
  try {
    merge_score_parts(other, 1, 3, 16, whole.attributes);
    FAIL() << "parts with float16 and float32 embeddings were merged";
  } catch (const salient::Error& error) {
    EXPECT_NE(std::string(error.what()).find("embeddings: 3 float16 vs 3 float32"), std::string::npos)
        << error.what();
  }
}

TEST(ScoreTable, MergePicksATilingAmongPartsOfTwoSplits) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  const ScoreTable whole = whole_shard();
  // A run on two ranks cut the shard at row 9 and wrote only its first part; the resumed
  // run cut it at row 5. From row 0 the longer [0,9) is tried first and dead-ends.
  write_part(study, whole, 0, 9);
  write_part(study, whole, 0, 5);
  write_part(study, whole, 5, 16);
  EXPECT_EQ(score_part_files(study, 1, 3),
            (std::vector<std::string>{io::StudyDir(study).score_part(1, 3, 0, 5), io::StudyDir(study).score_part(1, 3, 0, 9),
                                      io::StudyDir(study).score_part(1, 3, 5, 16)}));
  EXPECT_TRUE(merge_score_parts(study, 1, 3, 16, whole.attributes));
  EXPECT_TRUE(score_part_files(study, 1, 3).empty()) << "the unused part [0,9) is removed too";
  write_score_table(dir / "whole.h5", whole);
  EXPECT_TRUE(file_bytes(io::StudyDir(study).score_table(1, 3)) == file_bytes(dir / "whole.h5"));
}

TEST(ScoreTable, MergeTakesTheChainFromTheLongestFirstPart) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  const ScoreTable whole = whole_shard();
  // Both splits are complete; [0,9),[9,16) is found first, [0,5),[5,16) is never read:
  // a broken [5,16) proves it.
  write_part(study, whole, 0, 5);
  write_part(study, whole, 0, 9);
  write_part(study, whole, 9, 16);
  std::ofstream(io::StudyDir(study).score_part(1, 3, 5, 16)) << "not HDF5";
  EXPECT_TRUE(merge_score_parts(study, 1, 3, 16, whole.attributes));
  EXPECT_EQ(read_score_table(io::StudyDir(study).score_table(1, 3)).indices, whole.indices);
  EXPECT_TRUE(score_part_files(study, 1, 3).empty());
}

TEST(ScoreTable, MergeWithoutATilingTouchesNothing) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  const ScoreTable whole = whole_shard();
  write_part(study, whole, 0, 9);
  EXPECT_FALSE(merge_score_parts(study, 1, 3, 16, whole.attributes)) << "rows 9..15 are missing";
  write_part(study, whole, 10, 16);
  EXPECT_FALSE(merge_score_parts(study, 1, 3, 16, whole.attributes)) << "row 9 is missing";
  EXPECT_FALSE(merge_score_parts(study, 1, 3, 11, whole.attributes)) << "[10,16) runs past a shard of 11 rows";
  EXPECT_EQ(score_part_files(study, 1, 3).size(), 2u);
  EXPECT_FALSE(std::filesystem::exists(io::StudyDir(study).score_table(1, 3)));
  EXPECT_FALSE(merge_score_parts(study, 1, 4, 16, whole.attributes)) << "a shard without parts";
}

TEST(ScoreTable, MergeOfPartsWithOtherCriteriaNamesBothFiles) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  const ScoreTable whole = whole_shard();
  write_part(study, whole, 0, 5);
  ScoreTable other = rows_of(whole, 5, 16);
  other.columns[0].name = "variance";
  write_score_table(io::StudyDir(study).score_part(1, 3, 5, 16), other);
  try {
    merge_score_parts(study, 1, 3, 16, whole.attributes);
    FAIL() << "parts with different criteria must not be merged";
  } catch (const salient::Error& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("shard-00003.rows-000000-000005.h5"), std::string::npos) << message;
    EXPECT_NE(message.find("shard-00003.rows-000005-000016.h5"), std::string::npos) << message;
  }
  EXPECT_FALSE(std::filesystem::exists(io::StudyDir(study).score_table(1, 3)));
  EXPECT_EQ(score_part_files(study, 1, 3).size(), 2u);
}

TEST(ScoreTable, MergeNeverTakesPartsOfOtherSettings) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  const ScoreTable whole = whole_shard();
  ScoreTable stale = whole;
  stale.attributes["request"] = "sha256:beef";
  for (auto& column : stale.columns) {
    for (auto& value : column.values) value = std::isnan(value) ? value : value + 1.0;
  }
  // A killed run with other settings tiled the shard at row 9; alone, they are never merged.
  write_part(study, stale, 0, 9);
  write_part(study, stale, 9, 16);
  EXPECT_FALSE(merge_score_parts(study, 1, 3, 16, whole.attributes));
  EXPECT_EQ(score_part_files(study, 1, 3).size(), 2u) << "a failed merge touches nothing";
  // This run's parts cut the shard at row 5: they are merged, and the stale ones removed.
  write_part(study, whole, 0, 5);
  write_part(study, whole, 5, 16);
  EXPECT_TRUE(merge_score_parts(study, 1, 3, 16, whole.attributes));
  EXPECT_TRUE(score_part_files(study, 1, 3).empty());
  write_score_table(dir / "whole.h5", whole);
  EXPECT_TRUE(file_bytes(io::StudyDir(study).score_table(1, 3)) == file_bytes(dir / "whole.h5"))
      << "the merged table holds values of the stale parts";
}

TEST(ScoreTable, ScoredShardsAndPartListsIgnoreEachOtherAndTemporaries) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  write_score_table(io::StudyDir(study).score_table(1, 2), table_for_shard(2));
  write_part(study, whole_shard(), 0, 5);
  std::ofstream(io::StudyDir(study).score_part(1, 3, 5, 16) + ".tmp-77") << "partial";
  std::ofstream(io::StudyDir(study).score_table(1, 3) + ".tmp-78") << "partial";
  EXPECT_EQ(scored_shards(study, 1), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(score_part_files(study, 1, 3), (std::vector<std::string>{io::StudyDir(study).score_part(1, 3, 0, 5)}));
  EXPECT_TRUE(score_part_files(study, 1, 2).empty());
}

}  // namespace
}  // namespace salient::io
