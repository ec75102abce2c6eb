#include "salient/io/study_dir.h"

#include <fmt/format.h>

#include <filesystem>

#include "salient/check.h"

namespace salient::io {
namespace {

std::string under(const std::string& directory, const std::string& name) {
  return (std::filesystem::path(directory) / name).string();
}

}  // namespace

std::string StudyDir::config() const { return under(root_, kConfigName); }
std::string StudyDir::labels() const { return under(root_, "labels.csv"); }
std::string StudyDir::validation() const { return under(root_, "validation.csv"); }
std::string StudyDir::clusters() const { return under(root_, "clusters.csv"); }
std::string StudyDir::status() const { return under(root_, "status.json"); }
std::string StudyDir::lock() const { return under(root_, ".salient.lock"); }
std::string StudyDir::curve_csv() const { return under(root_, "curve.csv"); }
std::string StudyDir::curve_png() const { return under(root_, "curve.png"); }
std::string StudyDir::logs() const { return under(root_, "logs"); }
std::string StudyDir::launch() const { return under(root_, "launch"); }

std::string StudyDir::round(std::int64_t round) const {
  return under(under(root_, "rounds"), fmt::format("{:03d}", round));
}
std::string StudyDir::model(std::int64_t round) const { return under(this->round(round), "model.pt"); }
std::string StudyDir::metrics(std::int64_t round) const { return under(this->round(round), "metrics.json"); }
std::string StudyDir::round_config(std::int64_t round) const { return under(this->round(round), "config.toml"); }
std::string StudyDir::scores(std::int64_t round) const { return under(this->round(round), "scores"); }
std::string StudyDir::score_report(std::int64_t round) const { return under(this->round(round), "score-report.json"); }
std::string StudyDir::selection(std::int64_t round) const { return under(this->round(round), "selection.csv"); }
std::string StudyDir::labels_set_aside(std::int64_t round) const {
  return under(this->round(round), "labels-set-aside.csv");
}

std::string StudyDir::training(std::int64_t round) const { return under(this->round(round), "training.json"); }
std::string StudyDir::autoencoder(std::int64_t round) const { return under(this->round(round), "autoencoder.pt"); }
std::string StudyDir::forest(std::int64_t round) const { return under(this->round(round), "forest.cbor"); }
std::string StudyDir::levels(std::int64_t round) const { return under(this->round(round), "levels.json"); }
std::string StudyDir::review_maps(std::int64_t round) const { return under(this->round(round), "review.h5"); }
std::string StudyDir::review_state(std::int64_t round) const { return under(this->round(round), "review.json"); }
std::string StudyDir::feedback(std::int64_t round) const { return under(this->round(round), "feedback.h5"); }
std::string StudyDir::training_state(std::int64_t round) const {
  return under(this->round(round), "training-state.pt");
}

std::string StudyDir::score_table(std::int64_t round, std::int64_t shard) const {
  return under(scores(round), fmt::format("shard-{:05d}.h5", shard));
}

std::string StudyDir::score_part(std::int64_t round, std::int64_t shard, std::int64_t first_row,
                                 std::int64_t end_row) const {
  SALIENT_CHECK(0 <= first_row && first_row < end_row, "shard {}: rows [{}, {}) are not a part", shard, first_row,
                end_row);
  return under(scores(round), fmt::format("shard-{:05d}.rows-{:06d}-{:06d}.h5", shard, first_row, end_row));
}

}  // namespace salient::io
