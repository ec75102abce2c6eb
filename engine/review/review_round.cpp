#include "engine/review/review_round.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <numeric>

#include "salient/check.h"
#include "salient/io/atomic_file.h"
#include "salient/io/montage.h"
#include "salient/io/png_image.h"
#include "salient/io/study_dir.h"

namespace salient::review {
namespace {

using nlohmann::json;

std::string html_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

io::LabelTable study_labels(const std::string& path, const std::vector<std::string>& names) {
  if (std::filesystem::exists(path)) return io::read_labels_csv(path, names);
  io::LabelTable table;
  table.label_names = names;
  return table;
}

std::vector<std::int8_t> pool_labels(const io::Pool& pool, const std::vector<QueueImage>& queue) {
  const auto classes = pool.manifest().label_names.size();
  std::vector<std::int8_t> labels(queue.size() * classes, -1);
  for (std::size_t i = 0; i < queue.size(); ++i) {
    const auto at = pool.locate(queue[i].index);
    pool.open_shard(at.shard).read_labels(at.row, 1, labels.data() + i * classes);
  }
  return labels;
}

// The first pixel of cell @p cell: pixel i lies in cell ⌊i·grid/side⌋, as in HITL's loss
// (training/losses.h), so the first of cell k is ⌈k·side/grid⌉.
std::int64_t first_pixel(std::int64_t cell, std::int64_t side, std::int64_t grid) {
  return (cell * side + grid - 1) / grid;
}

}  // namespace

std::vector<std::int32_t> most_salient_squares(const float* map, std::int64_t side, std::int64_t grid,
                                               std::int64_t count) {
  std::vector<double> means(static_cast<std::size_t>(grid * grid), 0.0);
  for (std::int64_t r = 0; r < grid; ++r) {
    for (std::int64_t c = 0; c < grid; ++c) {
      const auto top = first_pixel(r, side, grid), bottom = first_pixel(r + 1, side, grid);
      const auto left = first_pixel(c, side, grid), right = first_pixel(c + 1, side, grid);
      double sum = 0.0;
      for (auto y = top; y < bottom; ++y) {
        for (auto x = left; x < right; ++x) sum += map[y * side + x];
      }
      const auto pixels = (bottom - top) * (right - left);
      means[static_cast<std::size_t>(r * grid + c)] = pixels > 0 ? sum / static_cast<double>(pixels) : 0.0;
    }
  }
  std::vector<std::int32_t> cells(means.size());
  std::iota(cells.begin(), cells.end(), 0);
  std::stable_sort(cells.begin(), cells.end(), [&](std::int32_t a, std::int32_t b) {
    return means[static_cast<std::size_t>(a)] > means[static_cast<std::size_t>(b)];
  });
  cells.resize(static_cast<std::size_t>(std::clamp<std::int64_t>(count, 0, grid * grid)));
  return cells;
}

ReviewRound::ReviewRound(ReviewSetup setup)
    : setup_(std::move(setup)), pool_(io::Pool::open(setup_.pool_dir)), leases_(setup_.lease) {
  const io::StudyDir study(setup_.study_dir);
  const auto maps_path = study.review_maps(setup_.round);
  SALIENT_CHECK(std::filesystem::exists(maps_path),
                "round {} of '{}' has no review maps ({}): they are written when a study whose labels are "
                "\"human\" selects a round (`salient run --labels human`, or `salient select` in such a study)",
                setup_.round, setup_.study_dir, maps_path);
  maps_ = io::read_review_maps(maps_path);
  SALIENT_CHECK(maps_.indices.size() == setup_.queue.size(), "'{}' holds {} images, the round's selection {}",
                maps_path, maps_.indices.size(), setup_.queue.size());
  for (std::size_t i = 0; i < setup_.queue.size(); ++i) {
    SALIENT_CHECK(maps_.indices[i] == setup_.queue[i].index,
                  "'{}', dataset 'index', position {}: image {} is not the selection's image {} ('{}'); select the "
                  "round again",
                  maps_path, i, maps_.indices[i], setup_.queue[i].index, setup_.queue[i].id);
  }
  const auto& names = pool_.manifest().label_names;
  SALIENT_CHECK(maps_.classes == static_cast<std::int64_t>(names.size()), "'{}' has {} classes, the pool {}", maps_path,
                maps_.classes, names.size());
  SALIENT_CHECK(setup_.grid >= 1 && setup_.grid <= maps_.side, "a {}x{} grid does not fit the {}x{} maps of '{}'",
                setup_.grid, setup_.grid, maps_.side, maps_.side, maps_path);
  rules_ = {names, setup_.grid, size()};
  truth_ = pool_labels(pool_, setup_.queue);
  const auto pixels = static_cast<std::size_t>(maps_.side * maps_.side);
  for (std::size_t i = 0; i < setup_.queue.size(); ++i) {
    presented_.push_back(
        most_salient_squares(maps_.saliency.data() + i * pixels, maps_.side, setup_.grid, setup_.squares));
  }
  state_ = read_review_state(study.review_state(setup_.round), rules_);
}

void ReviewRound::check_position(std::int64_t position) const {
  if (position < 0 || position >= size()) {
    throw RequestError(404, fmt::format("no image at position {} (the round has {})", position, size()));
  }
}

std::vector<std::int32_t> ReviewRound::presented_squares(std::int64_t position) const {
  check_position(position);
  return presented_[static_cast<std::size_t>(position)];
}

std::string ReviewRound::round_json() const {
  return json{{"study", setup_.study_dir},
              {"round", setup_.round},
              {"findings", rules_.finding_names},
              {"grid", setup_.grid},
              {"map_side", maps_.side},
              {"images", size()},
              {"height", pool_.manifest().height},
              {"width", pool_.manifest().width},
              {"method", maps_.method}}
      .dump();
}

std::string ReviewRound::queue_json(const std::string& annotator) const {
  std::lock_guard lock(mutex_);
  const auto mine = state_.find(annotator);
  json images = json::array();
  for (std::int64_t position = 0; position < size(); ++position) {
    json submitted_by = json::array();
    for (const auto& [name, reviews] : state_) {
      const auto review = reviews.find(position);
      if (review != reviews.end() && review->second.submitted) submitted_by.push_back(name);
    }
    std::string progress = "none";
    if (mine != state_.end()) {
      const auto review = mine->second.find(position);
      if (review != mine->second.end()) progress = review->second.submitted ? "submitted" : "saved";
    }
    const auto& image = setup_.queue[static_cast<std::size_t>(position)];
    images.push_back({{"position", position},
                      {"id", image.id},
                      {"index", image.index},
                      {"submitted_by", submitted_by},
                      {"mine", progress}});
  }
  return json{{"images", images}}.dump();
}

std::string ReviewRound::next_json(const std::string& annotator, std::int64_t after) {
  std::lock_guard lock(mutex_);
  const auto next = leases_.next(annotator, after, size(), state_, LeaseTable::Clock::now());
  return json{{"position", next ? json(*next) : json(nullptr)}}.dump();
}

std::string ReviewRound::image_json(std::int64_t position, const std::string& annotator) {
  check_position(position);
  std::lock_guard lock(mutex_);
  const auto now = LeaseTable::Clock::now();
  leases_.take(position, annotator, now);
  const auto p = static_cast<std::size_t>(position);
  const auto classes = rules_.finding_names.size();
  const auto& image = setup_.queue[p];
  ImageReview review;
  review.findings.assign(classes, -1);
  if (const auto mine = state_.find(annotator); mine != state_.end()) {
    if (const auto saved = mine->second.find(position); saved != mine->second.end()) review = saved->second;
  }
  const auto holder = leases_.holder(position, now);
  return json{{"position", position},
              {"id", image.id},
              {"index", image.index},
              {"probabilities",
               std::vector<float>(maps_.probabilities.begin() + static_cast<std::ptrdiff_t>(p * classes),
                                  maps_.probabilities.begin() + static_cast<std::ptrdiff_t>((p + 1) * classes))},
              {"truth", std::vector<int>(truth_.begin() + static_cast<std::ptrdiff_t>(p * classes),
                                         truth_.begin() + static_cast<std::ptrdiff_t>((p + 1) * classes))},
              {"target", rules_.finding_names[static_cast<std::size_t>(maps_.targets[p])]},
              {"squares", presented_[p]},
              {"state", json::parse(image_review_json(review, rules_, image.id))},
              {"lease", holder ? json(*holder) : json(nullptr)}}
      .dump();
}

void ReviewRound::save(std::int64_t position, const std::string& annotator, const std::string& body) {
  check_position(position);
  const auto& image = setup_.queue[static_cast<std::size_t>(position)];
  const auto& presented = presented_[static_cast<std::size_t>(position)];
  ImageReview review;
  try {
    review = parse_image_review(body, rules_, image.id, {presented.begin(), presented.end()});
  } catch (const Error& error) {
    throw RequestError(400, error.what());
  }
  std::lock_guard lock(mutex_);
  leases_.take(position, annotator, LeaseTable::Clock::now());  // working on it renews the lease
  const io::StudyDir study(setup_.study_dir);
  if (review.submitted) {
    const auto labels = study_labels(study.labels(), rules_.finding_names);
    for (const auto& row : labels.rows) {
      if (row.id == image.id && (row.round != setup_.round || !is_review_source(row.source))) {
        throw RequestError(409, fmt::format("'{}' has a label in {} already (round {}, source '{}'); correct it "
                                            "with `salient labels import FILE --replace`",
                                            image.id, study.labels(), row.round, row.source));
      }
    }
  }
  auto& saved = state_[annotator];
  const auto before = saved.find(position);
  const bool touches_outputs = review.submitted || (before != saved.end() && before->second.submitted);
  if (before != saved.end() && before->second == review) return;
  ReviewState next = state_;
  next[annotator][position] = review;
  write_review_state(study.review_state(setup_.round), next, rules_);
  state_ = std::move(next);
  if (touches_outputs) write_outputs();
}

void ReviewRound::write_outputs() {
  const io::StudyDir study(setup_.study_dir);
  const auto merged = merge_submitted(state_, rules_);
  const auto labels = study_labels(study.labels(), rules_.finding_names);
  io::write_labels_csv(study.labels(), with_review_labels(labels, setup_.round, setup_.queue, merged));
  const auto feedback = feedback_of(state_, rules_, setup_.round, setup_.queue);
  if (!feedback.indices.empty() || std::filesystem::exists(study.feedback(setup_.round))) {
    io::write_feedback_masks(study.feedback(setup_.round), feedback);
  }
}

std::string ReviewRound::xray_png(std::int64_t position) const {
  check_position(position);
  const auto& manifest = pool_.manifest();
  const auto pixels = static_cast<std::size_t>(manifest.height * manifest.width);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(pool_.image_bytes()));
  {
    std::lock_guard lock(mutex_);  // HDF5 is not built thread-safe
    const auto at = pool_.locate(setup_.queue[static_cast<std::size_t>(position)].index);
    pool_.open_shard(at.shard).read_images(at.row, 1, bytes.data());
  }
  switch (manifest.pixel_type) {
    case io::PixelType::uint8:
      return io::encode_png_gray(manifest.height, manifest.width, bytes.data());
    case io::PixelType::uint16: {
      std::vector<std::uint16_t> gray(pixels);
      std::memcpy(gray.data(), bytes.data(), pixels * sizeof(std::uint16_t));
      return io::encode_png_gray16(manifest.height, manifest.width, gray.data());
    }
    case io::PixelType::float32: {
      std::vector<float> unit(pixels);
      std::memcpy(unit.data(), bytes.data(), pixels * sizeof(float));
      std::vector<std::uint16_t> gray(pixels);
      for (std::size_t i = 0; i < pixels; ++i) {
        const float value = std::isfinite(unit[i]) ? std::clamp(unit[i], 0.0f, 1.0f) : 0.0f;
        gray[i] = static_cast<std::uint16_t>(std::lround(value * 65535.0f));
      }
      return io::encode_png_gray16(manifest.height, manifest.width, gray.data());
    }
  }
  throw Error("unknown pixel type");
}

std::string ReviewRound::saliency_png(std::int64_t position) const {
  check_position(position);
  const auto pixels = static_cast<std::size_t>(maps_.side * maps_.side);
  const float* map = maps_.saliency.data() + static_cast<std::size_t>(position) * pixels;
  const auto rgba = io::heat_rgba(std::vector<float>(map, map + pixels));
  return io::encode_png_rgba(maps_.side, maps_.side, rgba.data());
}

std::string ReviewRound::summary_html() const {
  std::lock_guard lock(mutex_);
  const auto merged = merge_submitted(state_, rules_);
  std::string rows;
  std::size_t conflicts = 0;
  for (std::int64_t position = 0; position < size(); ++position) {
    const auto& image = setup_.queue[static_cast<std::size_t>(position)];
    const auto entry = merged.find(position);
    std::string who = "—", disagreements;
    if (entry != merged.end()) {
      who = fmt::format("{}", fmt::join(entry->second.annotators, ", "));
      for (const auto finding : entry->second.conflicts) {
        std::vector<std::string> said;
        for (const auto& annotator : entry->second.annotators) {
          const auto label = state_.at(annotator).at(position).findings[finding];
          said.push_back(fmt::format("{} {}", annotator, label == 1 ? "present" : label == 0 ? "absent" : "unknown"));
        }
        disagreements += fmt::format("<li>{}: {}</li>", html_escaped(rules_.finding_names[finding]),
                                     html_escaped(fmt::format("{}", fmt::join(said, ", "))));
        ++conflicts;
      }
    }
    rows += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><ul>{}</ul></td></tr>\n",
                        disagreements.empty() ? "" : " class=\"conflict\"", position + 1, html_escaped(image.id),
                        image.index, html_escaped(who), disagreements);
  }
  return fmt::format(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Review summary: round {}</title>"
      "<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid "
      "#ccc;padding:4px 8px;vertical-align:top}}tr.conflict{{background:#fde2e2}}ul{{margin:0;padding-left:1.2em}}"
      "</style></head><body><h1>Round {}: {} of {} images submitted, {} conflict(s)</h1>"
      "<p>A finding one annotator marks present and another absent stays unknown in labels.csv until they agree.</p>"
      "<table id=\"summary\"><tr><th>#</th><th>id</th><th>index</th><th>submitted by</th><th>conflicts</th></tr>\n"
      "{}</table></body></html>\n",
      setup_.round, setup_.round, merged.size(), size(), conflicts, rows);
}

}  // namespace salient::review
