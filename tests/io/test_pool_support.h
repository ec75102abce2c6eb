// Small pools whose every pixel, label and id follows from the image index, so whatever
// is read back can be checked against the formula.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "salient/io/pool_writer.h"

namespace salient::io::testing {

inline std::uint8_t expected_pixel(std::int64_t index, std::int64_t pixel) {
  return static_cast<std::uint8_t>((index * 7 + pixel * 3) % 251);
}
inline std::int8_t expected_label(std::int64_t index, std::int64_t column) {
  return static_cast<std::int8_t>((index + column) % 3 - 1);  // -1, 0, 1 in turn
}
inline std::string expected_id(std::int64_t index) { return fmt::format("img{:06d}", index); }
inline std::uint8_t expected_roi(std::int64_t index, std::int64_t pixel) { return (index + pixel) % 5 == 0; }

inline PoolSpec small_spec(std::int64_t total, std::int64_t shard_size, bool with_roi = false) {
  PoolSpec spec;
  spec.total = total;
  spec.height = 5;
  spec.width = 7;
  spec.label_names = {"Effusion", "Nodule"};
  spec.shard_size = shard_size;
  spec.with_roi = with_roi;
  spec.with_patient_ids = true;
  spec.source = "test";
  return spec;
}

inline PoolManifest write_small_pool(const std::string& dir, const PoolSpec& spec) {
  PoolWriter writer(dir, spec);
  const std::int64_t pixels = spec.height * spec.width;
  std::vector<std::uint8_t> image(static_cast<std::size_t>(pixels)), roi(image.size());
  for (std::int64_t i = 0; i < spec.total; ++i) {
    for (std::int64_t p = 0; p < pixels; ++p) {
      image[static_cast<std::size_t>(p)] = expected_pixel(i, p);
      roi[static_cast<std::size_t>(p)] = expected_roi(i, p);
    }
    ImageRecord record;
    record.id = expected_id(i);
    record.patient_id = fmt::format("patient{}", i / 2);
    record.pixels = image.data();
    record.labels = {expected_label(i, 0), expected_label(i, 1)};
    record.roi = spec.with_roi ? roi.data() : nullptr;
    if (i % 4 == 0) record.boxes.push_back({0, 1, 1.0f, 2.0f, 3.0f, 1.5f});
    writer.add(record);
  }
  return writer.finish();
}

}  // namespace salient::io::testing
