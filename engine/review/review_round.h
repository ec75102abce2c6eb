// One round's review, as the server sees it: the queue (the round's selection, best first),
// each image's X-ray, saliency and probabilities (the pool and rounds/RRR/review.h5: no model
// is loaded), the annotators' state and the leases, and every request the page makes, each
// answered under one lock. Requests name images by queue position and carry the image's id;
// both are checked against the round, and no request text is ever used as a path.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/review/review_leases.h"
#include "engine/review/review_outputs.h"
#include "engine/review/review_state.h"
#include "salient/io/pool.h"
#include "salient/io/review_files.h"

namespace salient::review {

struct ReviewSetup {
  std::string study_dir;
  std::int64_t round = 0;
  std::string pool_dir;
  std::int64_t grid = 8;          ///< the study's HITL grid (training.rrr_grid)
  std::int64_t squares = 16;      ///< the most salient squares presented per image
  std::vector<QueueImage> queue;  ///< the round's selection.csv
  std::chrono::seconds lease{120};
};

/// A request the round refuses: status 400 (bad request), 404 (no such image) or 409 (conflicts
/// with the study), with the reason for the page.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, const std::string& reason) : std::runtime_error(reason), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

class ReviewRound {
 public:
  /// Opens the pool and review.h5 (whose images must be the queue's, in order) and the state
  /// saved in review.json. Throws salient::Error naming what does not fit.
  explicit ReviewRound(ReviewSetup setup);

  /// GET /api/round: the study, round, findings, grid, queue size and image size.
  std::string round_json() const;
  /// GET /api/queue: every image with who submitted it and @p annotator's progress.
  std::string queue_json(const std::string& annotator) const;
  /// GET /api/next: the next image for @p annotator after @p after (review_leases.h), or null.
  std::string next_json(const std::string& annotator, std::int64_t after);
  /// GET /api/image/P: the image's id, index, probabilities, ground truth, presented squares,
  /// @p annotator's state and the lease (taken when free).
  std::string image_json(std::int64_t position, const std::string& annotator);
  /// PUT /api/image/P: @p annotator's whole state of the image (renewing their lease);
  /// writes review.json and, when anything submitted changed, labels.csv and feedback.h5, each
  /// atomically.
  void save(std::int64_t position, const std::string& annotator, const std::string& body);
  /// GET /api/image/P/xray.png: the image at its stored resolution (8- or 16-bit gray).
  std::string xray_png(std::int64_t position) const;
  /// GET /api/image/P/saliency.png: the map as RGBA (the montage's colours, alpha a·h).
  std::string saliency_png(std::int64_t position) const;
  /// GET /summary: who submitted what, and every conflict.
  std::string summary_html() const;

  /// The squares of image @p position's map with the highest mean, most salient first (ties
  /// by cell index).
  std::vector<std::int32_t> presented_squares(std::int64_t position) const;

  std::int64_t size() const { return static_cast<std::int64_t>(setup_.queue.size()); }
  std::int64_t round_number() const { return setup_.round; }

 private:
  void check_position(std::int64_t position) const;
  void write_outputs();

  ReviewSetup setup_;
  io::Pool pool_;
  io::ReviewMaps maps_;
  ReviewRules rules_;
  std::vector<std::int8_t> truth_;  ///< queue × findings, the pool's labels
  std::vector<std::vector<std::int32_t>> presented_;
  mutable std::mutex mutex_;
  ReviewState state_;
  LeaseTable leases_;
};

/// The squares of a side×side map cut into grid×grid cells (pixel row i in cell row
/// ⌊i·grid/side⌋, columns alike, as HITL's loss cuts its input: training/losses.h), the
/// @p count with the highest mean value, highest first, ties by cell index.
std::vector<std::int32_t> most_salient_squares(const float* map, std::int64_t side, std::int64_t grid,
                                               std::int64_t count);

}  // namespace salient::review
