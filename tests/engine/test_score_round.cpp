// A whole scoring round on the in-process communicator, ranks as threads: two ranks, with a
// shard split between them, write the score tables of one rank byte for byte, and rank 0's
// report counts every image once. (round.score_determinism runs the same under mpirun.)
#include <gtest/gtest.h>

#include <exception>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "engine/comm/communicator.h"
#include "engine/models/checkpoint.h"
#include "engine/models/model_factory.h"
#include "engine/round/score_round.h"
#include "salient/io/synth_pool.h"
#include "support/temp_dir.h"

namespace salient::round {
namespace {

std::string bytes_of(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << path;
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// Rank 0's report of the round scored into @p study on @p ranks threads.
ScoreReport score_on_threads(const StudyConfig& config, const std::string& study, int ranks) {
  const ScoreJob job{config, study, 0, runtime::DeviceChoice::cpu, /*progress_bar=*/false};
  auto communicators = comm::make_in_process_communicators(ranks);
  std::vector<ScoreReport> reports(static_cast<std::size_t>(ranks));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int r = 0; r < ranks; ++r) {
    threads.emplace_back([&, r] {
      const auto at = static_cast<std::size_t>(r);
      try {
        reports[at] = score_round(job, *communicators[at], comm::RankPlacement{r, ranks, r, ranks, "in-process"});
      } catch (...) {
        errors[at] = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  return reports[0];
}

TEST(ScoreRound, TwoInProcessRanksWriteTheTablesOfOne) {
  salient::testing::TempDir dir;
  io::SynthOptions synth;
  synth.count = 40;
  synth.shard_size = 16;
  synth.phantom.size = 64;
  synth.phantom.seed = 5;
  synth.threads = 1;
  io::synthesize_pool(dir / "pool", synth);
  // A checkpoint rather than a seeded built-in model: building from a seed draws from the
  // process-wide generator, which the two rank threads would share.
  models::ModelSpec spec;
  spec.architecture = models::Architecture::small_cnn;
  spec.classes = 4;
  spec.input_size = 32;
  models::save_checkpoint(*models::make_classifier(spec, 3), dir / "model.pt");

  StudyConfig config;
  config.pool.directory = dir / "pool";
  config.model.model = dir / "model.pt";
  config.model.input_size = 32;
  config.scoring.criteria = {"prediction", "firstorder"};
  config.scoring.batch_size = 4;
  config.scoring.threads = 1;
  const ScoreReport one = score_on_threads(config, dir / "one", 1);
  const ScoreReport two = score_on_threads(config, dir / "two", 2);

  // 10 batches of 4: rank 0 scores images 0–19, rank 1 images 20–39, so shard 1 (16–31) is
  // written in two parts and merged by rank 0.
  ASSERT_EQ(two.ranks.size(), 2u);
  EXPECT_EQ(two.ranks[0].images_scored + two.ranks[1].images_scored, 40);
  EXPECT_EQ(two.ranks[0].images_scored, 20);
  EXPECT_EQ(two.parts_merged, 1);
  EXPECT_EQ(one.parts_merged, 0);
  for (const char* table : {"shard-00000.h5", "shard-00001.h5", "shard-00002.h5"}) {
    const std::string scores = std::string("rounds/000/scores/") + table;
    EXPECT_EQ(bytes_of(dir / ("two/" + scores)), bytes_of(dir / ("one/" + scores))) << table;
  }
}

}  // namespace
}  // namespace salient::round
