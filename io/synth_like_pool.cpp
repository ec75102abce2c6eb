#include <algorithm>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "phantom_drawing.h"
#include "salient/check.h"
#include "salient/io/pool_writer.h"
#include "salient/io/staging_directory.h"
#include "salient/io/synth_like.h"
#include "salient/io/synth_pool.h"

namespace salient::io {
namespace {

struct Census {
  std::int64_t rows = 0;
  std::unordered_map<std::string, std::int64_t> images_of_patient;
};

// The first pass: every row read and checked, each patient's images counted, and every
// boxed image found in the file.
Census take_census(const std::string& entries, const std::string& boxes_file,
                   const std::unordered_map<std::string, std::vector<NihBox>>& boxes) {
  Census census;
  std::unordered_map<std::string, bool> boxed_listed;
  for (const auto& [id, listed] : boxes) boxed_listed.emplace(id, false);
  NihEntryReader reader(entries);
  for (NihEntry entry; reader.next(entry);) {
    ++census.rows;
    ++census.images_of_patient[entry.patient_id];
    const auto boxed = boxed_listed.find(entry.id);
    if (boxed != boxed_listed.end()) boxed->second = true;
  }
  SALIENT_CHECK(census.rows > 0, "'{}' lists no image", entries);
  for (const auto& [id, listed] : boxed_listed) {
    SALIENT_CHECK(listed, "'{}' line {}: image '{}' is not listed in '{}'", boxes_file, boxes.at(id).front().line, id,
                  entries);
  }
  return census;
}

// Whole patients in an order drawn from the sample seed, each taken while it fits: first for
// the images skipped, then for the pool's.
std::unordered_set<std::string> choose_patients(const Census& census, std::int64_t rows, std::int64_t skip_rows,
                                                std::uint64_t seed) {
  std::unordered_set<std::string> chosen;
  if (rows == 0) {
    for (const auto& [patient, images] : census.images_of_patient) chosen.insert(patient);
    return chosen;
  }
  std::vector<std::pair<std::uint64_t, const std::string*>> order;
  for (const auto& [patient, images] : census.images_of_patient) {
    order.emplace_back(phantom_drawing::mix(phantom_drawing::mix(seed) ^ phantom_drawing::text_key(patient)), &patient);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  });
  std::unordered_set<std::string> skipped;
  for (auto [goal, into] : {std::pair{skip_rows, &skipped}, {rows, &chosen}}) {
    std::int64_t taken = 0;
    for (const auto& [key, patient] : order) {
      if (taken == goal) break;
      const std::int64_t images = census.images_of_patient.at(*patient);
      if (taken + images > goal || skipped.count(*patient) || chosen.count(*patient)) continue;
      into->insert(*patient);
      taken += images;
    }
  }
  return chosen;
}

}  // namespace

LikeSynthReport synthesize_like_pool(const std::string& pool_dir, const LikeSynthOptions& options) {
  SALIENT_CHECK(options.rows >= 0, "--rows {} must not be negative", options.rows);
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::unordered_map<std::string, std::vector<NihBox>> boxes;
  if (!options.boxes.empty()) {
    for (NihBox& box : read_nih_boxes(options.boxes)) boxes[box.id].push_back(std::move(box));
  }
  const Census census = take_census(options.entries, options.boxes, boxes);
  SALIENT_CHECK(options.skip_rows >= 0 && (options.rows > 0 || options.skip_rows == 0),
                "--skip-rows {} needs --rows and must not be negative", options.skip_rows);
  SALIENT_CHECK(options.rows + options.skip_rows <= census.rows, "--rows {}{}: '{}' lists only {} images", options.rows,
                options.skip_rows ? fmt::format(" after --skip-rows {}", options.skip_rows) : std::string(),
                options.entries, census.rows);
  const std::unordered_set<std::string> chosen =
      choose_patients(census, options.rows, options.skip_rows, options.sample_seed);
  std::int64_t total = 0;
  for (const std::string& patient : chosen) total += census.images_of_patient.at(patient);
  const LungAtlas atlas = LungAtlas::load(options.lung_masks, threads);

  StagingDirectory staging(prepare_pool_destination(pool_dir), "synth");
  LikeSynthReport report;
  report.removed_leftovers = staging.removed_leftovers();
  report.file_rows = census.rows;
  report.file_patients = static_cast<std::int64_t>(census.images_of_patient.size());
  report.patients = static_cast<std::int64_t>(chosen.size());
  report.masks = atlas.size();
  report.rejected_masks = atlas.rejected();
  PoolSpec spec;
  spec.total = total;
  spec.height = spec.width = options.phantom.size;
  spec.pixel_type = options.pixel_type;
  spec.label_names = nih_finding_names();
  spec.shard_size = options.shard_size;
  spec.image_deflate_level = options.deflate_level;
  spec.with_roi = spec.with_patient_ids = spec.with_views = true;
  spec.source = fmt::format("salient synth --like {}{}{} --size {} --seed {} --dtype {} --subtle {} --noise {}: "
                            "{} image(s) of {} patient(s), anatomy from {} lung masks in {}",
                            options.entries, options.boxes.empty() ? "" : " --boxes " + options.boxes,
                            options.rows ? fmt::format(" --rows {} --skip-rows {} --sample-seed {}", options.rows,
                                                       options.skip_rows, options.sample_seed)
                                         : std::string(),
                            options.phantom.size, options.phantom.seed, pixel_type_name(options.pixel_type),
                            options.phantom.subtle_fraction, options.phantom.noise_sigma, total, chosen.size(),
                            atlas.size(), options.lung_masks);
  PoolWriter writer(staging.path().string(), spec);

  const auto block = static_cast<std::size_t>(16 * threads);
  std::vector<NihEntry> entries;
  std::vector<NihPhantomImage> images(block);
  std::int64_t written = 0;
  const auto boxes_of = [&](const NihEntry& entry) {
    std::vector<Box> listed;
    const auto found = boxes.find(entry.id);
    if (found != boxes.end()) {
      for (const NihBox& box : found->second) listed.push_back(box.box);
    }
    return listed;
  };
  const auto flush = [&] {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (std::size_t i = static_cast<std::size_t>(t); i < entries.size(); i += static_cast<std::size_t>(threads)) {
          images[i] = draw_nih_phantom(options.phantom, atlas, entries[i], boxes_of(entries[i]));
        }
      });
    }
    for (auto& worker : workers) worker.join();
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const auto pixels = encode_intensities(images[i].pixels, options.pixel_type);
      ImageRecord record;
      record.id = entries[i].id;
      record.patient_id = entries[i].patient_id;
      record.view = entries[i].view;
      record.pixels = pixels.data();
      record.labels = entries[i].labels;
      record.roi = images[i].roi.data();
      record.boxes = images[i].boxes;
      writer.add(record);
    }
    written += static_cast<std::int64_t>(entries.size());
    entries.clear();
    if (options.progress) options.progress(written, total);
  };
  NihEntryReader reader(options.entries);
  for (NihEntry entry; reader.next(entry);) {
    if (!chosen.count(entry.patient_id)) continue;
    entries.push_back(std::move(entry));
    if (entries.size() == block) flush();
  }
  if (!entries.empty()) flush();
  report.manifest = writer.finish();
  staging.commit();
  return report;
}

}  // namespace salient::io
