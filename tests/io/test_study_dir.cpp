// A study's layout, as docs/scoring.md "The study directory" describes it.
#include <gtest/gtest.h>

#include "salient/check.h"
#include "salient/io/study_dir.h"

namespace salient::io {
namespace {

TEST(StudyDir, NamesEveryFileAsTheDocsDescribe) {
  const StudyDir study("/data/studies/nih");
  EXPECT_EQ(study.config(), "/data/studies/nih/salient.toml");
  EXPECT_EQ(study.labels(), "/data/studies/nih/labels.csv");
  EXPECT_EQ(study.validation(), "/data/studies/nih/validation.csv");
  EXPECT_EQ(study.clusters(), "/data/studies/nih/clusters.csv");
  EXPECT_EQ(study.status(), "/data/studies/nih/status.json");
  EXPECT_EQ(study.lock(), "/data/studies/nih/.salient.lock");
  EXPECT_EQ(study.curve_csv(), "/data/studies/nih/curve.csv");
  EXPECT_EQ(study.curve_png(), "/data/studies/nih/curve.png");
  EXPECT_EQ(study.logs(), "/data/studies/nih/logs");
  EXPECT_EQ(study.launch(), "/data/studies/nih/launch");
  EXPECT_EQ(study.round(7), "/data/studies/nih/rounds/007");
  EXPECT_EQ(study.round(1234), "/data/studies/nih/rounds/1234");
  EXPECT_EQ(study.model(0), "/data/studies/nih/rounds/000/model.pt");
  EXPECT_EQ(study.metrics(3), "/data/studies/nih/rounds/003/metrics.json");
  EXPECT_EQ(study.training(3), "/data/studies/nih/rounds/003/training.json");
  EXPECT_EQ(study.training_state(3), "/data/studies/nih/rounds/003/training-state.pt");
  EXPECT_EQ(study.round_config(2), "/data/studies/nih/rounds/002/config.toml");
  EXPECT_EQ(study.scores(2), "/data/studies/nih/rounds/002/scores");
  EXPECT_EQ(study.score_report(2), "/data/studies/nih/rounds/002/score-report.json");
  EXPECT_EQ(study.selection(2), "/data/studies/nih/rounds/002/selection.csv");
  EXPECT_EQ(study.labels_set_aside(2), "/data/studies/nih/rounds/002/labels-set-aside.csv");
  EXPECT_EQ(study.review_maps(2), "/data/studies/nih/rounds/002/review.h5");
  EXPECT_EQ(study.review_state(2), "/data/studies/nih/rounds/002/review.json");
  EXPECT_EQ(study.feedback(2), "/data/studies/nih/rounds/002/feedback.h5");
  EXPECT_EQ(study.score_table(2, 41), "/data/studies/nih/rounds/002/scores/shard-00041.h5");
  EXPECT_EQ(study.score_part(2, 41, 16, 320), "/data/studies/nih/rounds/002/scores/shard-00041.rows-000016-000320.h5");
  EXPECT_EQ(StudyDir("relative").labels(), "relative/labels.csv");
}

TEST(StudyDir, RefusesAnEmptyPartOfAShard) {
  EXPECT_THROW(StudyDir("s").score_part(0, 1, 5, 5), Error);
  EXPECT_THROW(StudyDir("s").score_part(0, 1, -1, 5), Error);
}

}  // namespace
}  // namespace salient::io
