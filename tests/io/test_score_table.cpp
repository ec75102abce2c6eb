#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include "salient/check.h"
#include "salient/io/score_table.h"
#include "support/temp_dir.h"

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

TEST(ScoreTable, RoundTripsValuesBitForBitWithReasons) {
  salient::testing::TempDir dir;
  const std::string path = score_table_path(dir.path().string(), 2, 7);
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
  const std::string path = score_table_path(dir.path().string(), 2, 0);
  EXPECT_THROW(write_score_table(path, table), salient::Error);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ScoreTable, ListsScoredShardsAndExportsThemToCsv) {
  salient::testing::TempDir dir;
  const std::string study = dir.path().string();
  write_score_table(score_table_path(study, 2, 3), table_for_shard(3));
  write_score_table(score_table_path(study, 2, 1), table_for_shard(1));
  // A temporary file of an interrupted writer is not a scored shard.
  std::ofstream(score_table_path(study, 2, 4) + ".tmp-123") << "partial";
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

}  // namespace
}  // namespace salient::io
