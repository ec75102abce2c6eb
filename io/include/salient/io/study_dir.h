// A study directory's layout, in one place. Every file salient reads or writes in a study
// is named here:
//   STUDY/salient.toml            the study's configuration (round/study_config.h)
//   STUDY/labels.csv              the labels acquired so far
//   STUDY/validation.csv          the validation split
//   STUDY/clusters.csv            cluster-margin's clusters of the pool, formed once
//   STUDY/status.json             what the running or last job did (`salient run`)
//   STUDY/.salient.lock           the lock a job holds while it writes
//   STUDY/curve.csv, curve.png    the learning curve
//   STUDY/logs/, STUDY/launch/    batch scripts and their logs (`salient launch`)
//   STUDY/rounds/RRR/             round RRR: model.pt, metrics.json, training.json,
//                                 training-state.pt, config.toml,
//                                 scores/shard-SSSSS.h5 (and parts .rows-FFFFFF-EEEEEE.h5),
//                                 score-report.json, selection.csv, labels-set-aside.csv,
//                                 review.h5, review.json, feedback.h5 (`salient review`)
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace salient::io {

class StudyDir {
 public:
  /// The configuration's file name, for messages that name it.
  static constexpr const char* kConfigName = "salient.toml";

  explicit StudyDir(std::string root) : root_(std::move(root)) {}

  const std::string& root() const { return root_; }
  std::string config() const;      ///< salient.toml
  std::string labels() const;      ///< labels.csv
  std::string validation() const;  ///< validation.csv
  std::string clusters() const;    ///< clusters.csv
  std::string status() const;      ///< status.json
  std::string lock() const;        ///< .salient.lock
  std::string curve_csv() const;   ///< curve.csv
  std::string curve_png() const;   ///< curve.png
  std::string logs() const;        ///< logs/
  std::string launch() const;      ///< launch/

  std::string round(std::int64_t round) const;             ///< rounds/RRR
  std::string model(std::int64_t round) const;             ///< rounds/RRR/model.pt: the model that scores round RRR
  std::string metrics(std::int64_t round) const;           ///< rounds/RRR/metrics.json
  std::string round_config(std::int64_t round) const;      ///< rounds/RRR/config.toml
  std::string scores(std::int64_t round) const;            ///< rounds/RRR/scores
  std::string score_report(std::int64_t round) const;      ///< rounds/RRR/score-report.json
  std::string selection(std::int64_t round) const;         ///< rounds/RRR/selection.csv
  std::string labels_set_aside(std::int64_t round) const;  ///< rounds/RRR/labels-set-aside.csv
  std::string training(std::int64_t round) const;          ///< rounds/RRR/training.json: how model.pt was tuned
  std::string training_state(std::int64_t round) const;    ///< rounds/RRR/training-state.pt: to resume tuning
  /// ideal-deep: rounds/RRR/autoencoder.pt, the saliency autoencoder trained on round RRR's maps
  std::string autoencoder(std::int64_t round) const;
  /// ideal-deep: rounds/RRR/forest.cbor, the on-line forest that ranks round RRR's pool
  std::string forest(std::int64_t round) const;
  /// ideal-deep: rounds/RRR/levels.json, each cluster's representative, ΔAUC and level
  std::string levels(std::int64_t round) const;
  /// human mode: rounds/RRR/review.h5, the review page's saliency maps and probabilities of the selection
  std::string review_maps(std::int64_t round) const;
  /// human mode: rounds/RRR/review.json, every annotator's state of every image on the review page
  std::string review_state(std::int64_t round) const;
  /// human mode: rounds/RRR/feedback.h5, the squares annotators marked for the model to disregard
  std::string feedback(std::int64_t round) const;
  /// rounds/RRR/scores/shard-SSSSS.h5
  std::string score_table(std::int64_t round, std::int64_t shard) const;
  /// rounds/RRR/scores/shard-SSSSS.rows-FFFFFF-EEEEEE.h5: the part of shard @p shard's table
  /// that holds its rows [first_row, end_row).
  std::string score_part(std::int64_t round, std::int64_t shard, std::int64_t first_row, std::int64_t end_row) const;

 private:
  std::string root_;
};

}  // namespace salient::io
