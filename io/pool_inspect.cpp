#include "salient/io/pool_inspect.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/checksum.h"
#include "salient/io/shard_checksum.h"
#include "salient/io/shard_schema.h"

namespace salient::io {
namespace {

constexpr std::int64_t kRowsPerRead = 64;

// Reads every image of @p shard, returning its CRC-32 and recording non-finite pixels.
std::uint32_t checksum_images(const Pool& pool, const ShardFile& shard, std::vector<std::string>& problems,
                              const std::function<void(std::int64_t)>& advance) {
  const std::int64_t image_bytes = pool.image_bytes();
  const std::int64_t pixels = pool.manifest().height * pool.manifest().width;
  std::vector<std::uint8_t> buffer(static_cast<std::size_t>(kRowsPerRead * image_bytes));
  std::uint32_t crc = 0;
  for (std::int64_t first = 0; first < shard.count(); first += kRowsPerRead) {
    const std::int64_t count = std::min(kRowsPerRead, shard.count() - first);
    shard.read_images(first, count, buffer.data());
    crc = crc32_update(crc, buffer.data(), static_cast<std::size_t>(count * image_bytes));
    if (pool.manifest().pixel_type == PixelType::float32) {
      const auto* values = reinterpret_cast<const float*>(buffer.data());
      for (std::int64_t i = 0; i < count * pixels; ++i) {
        if (!std::isfinite(values[i])) {
          problems.push_back(fmt::format("'{}', dataset '{}' index {}: pixel ({}, {}) is {}", shard.path(),
                                         shard_schema::kImages, first + i / pixels, i % pixels / pool.manifest().width,
                                         i % pool.manifest().width, values[i]));
          break;
        }
      }
    }
    advance(count);
  }
  return crc;
}

}  // namespace

PoolReport inspect_pool(const Pool& pool, bool verify, const std::function<void(std::int64_t)>& progress) {
  const PoolManifest& manifest = pool.manifest();
  PoolReport report;
  report.images = pool.size();
  report.shards = pool.shard_count();
  report.verified = verify;
  for (const auto& name : manifest.label_names) report.labels.push_back({name});
  const auto columns = static_cast<std::int64_t>(manifest.label_names.size());
  const std::int64_t pixels = manifest.height * manifest.width;

  std::unordered_set<std::string> patients;
  std::unordered_map<std::string, std::int64_t> first_seen;  // id → global index
  double roi_fraction_sum = 0.0;
  std::int64_t checked = 0;
  const auto advance = [&](std::int64_t images) {
    checked += images;
    if (progress) progress(checked);
  };

  for (std::int64_t s = 0; s < pool.shard_count(); ++s) {
    std::optional<ShardFile> shard;
    try {
      shard = pool.open_shard(s);
    } catch (const Error& error) {
      report.problems.push_back(error.what());
      continue;
    }
    try {
      std::vector<std::int8_t> labels(static_cast<std::size_t>(shard->count() * columns));
      shard->read_labels(0, shard->count(), labels.data());
      for (std::size_t i = 0; i < labels.size(); ++i) {
        auto& prevalence = report.labels[i % static_cast<std::size_t>(columns)];
        const std::int8_t value = labels[i];
        if (value == 1) ++prevalence.positive;
        else if (value == 0) ++prevalence.negative;
        else if (value == -1) ++prevalence.unknown;
        else
          report.problems.push_back(fmt::format("'{}', dataset '{}' index {}: label {} is not 1, 0 or -1", shard->path(),
                                                shard_schema::kLabels, static_cast<std::int64_t>(i) / columns, value));
      }
      for (const auto& patient : shard->patient_ids()) patients.insert(patient);
      report.boxes += static_cast<std::int64_t>(shard->boxes().size());
      const ShardEntry& entry = manifest.shards[static_cast<std::size_t>(s)];
      if (shard->has_roi()) {
        std::vector<std::uint8_t> roi(static_cast<std::size_t>(pixels));
        std::uint32_t roi_crc = 0;
        for (std::int64_t row = 0; row < shard->count(); ++row) {
          shard->read_roi(row, 1, roi.data());
          roi_crc = crc32_update(roi_crc, roi.data(), roi.size());
          const auto inside = std::count_if(roi.begin(), roi.end(), [](std::uint8_t v) { return v != 0; });
          if (inside > 0) {
            ++report.images_with_roi;
            roi_fraction_sum += static_cast<double>(inside) / static_cast<double>(pixels);
          }
        }
        if (verify) {
          expect_checksum(fmt::format("'{}', dataset '{}'", shard->path(), shard_schema::kRoi), roi_crc,
                          entry.roi_crc32);
        }
      }
      if (verify) {
        const auto ids = shard->ids();
        for (std::size_t row = 0; row < ids.size(); ++row) {
          const std::int64_t index = pool.first_index(s) + static_cast<std::int64_t>(row);
          const auto [at, fresh] = first_seen.emplace(ids[row], index);
          if (!fresh) {
            report.problems.push_back(fmt::format("'{}', dataset '{}' index {}: id '{}' repeats image {}", shard->path(),
                                                  shard_schema::kIds, row, ids[row], at->second));
          }
        }
        expect_checksum(fmt::format("'{}', dataset '{}'", shard->path(), shard_schema::kImages),
                        checksum_images(pool, *shard, report.problems, advance), entry.crc32);
      }
    } catch (const Error& error) {
      report.problems.push_back(error.what());
    }
  }
  report.patients = static_cast<std::int64_t>(patients.size());
  report.mean_roi_fraction = report.images_with_roi ? roi_fraction_sum / static_cast<double>(report.images_with_roi) : 0.0;
  return report;
}

}  // namespace salient::io
