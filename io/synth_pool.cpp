#include "salient/io/synth_pool.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/pool_writer.h"
#include "salient/io/staging_directory.h"

namespace salient::io {

double stored_value(PixelType type, float intensity) {
  switch (type) {
    case PixelType::uint8: return std::round(255.0 * intensity);
    case PixelType::uint16: return std::round(4095.0 * intensity);
    case PixelType::float32: return intensity;
  }
  SALIENT_ASSERT(false);
}

std::vector<std::uint8_t> encode_intensities(const std::vector<float>& intensities, PixelType type) {
  std::vector<std::uint8_t> bytes(intensities.size() * pixel_bytes(type));
  for (std::size_t i = 0; i < intensities.size(); ++i) {
    const double value = stored_value(type, intensities[i]);
    switch (type) {
      case PixelType::uint8: bytes[i] = static_cast<std::uint8_t>(value); break;
      case PixelType::uint16: {
        const auto v = static_cast<std::uint16_t>(value);
        std::memcpy(bytes.data() + 2 * i, &v, 2);
        break;
      }
      case PixelType::float32: {
        const auto v = static_cast<float>(value);
        std::memcpy(bytes.data() + 4 * i, &v, 4);
        break;
      }
    }
  }
  return bytes;
}

SynthReport synthesize_pool(const std::string& pool_dir, const SynthOptions& options) {
  SALIENT_CHECK(options.count > 0, "--count must be positive");
  StagingDirectory staging(prepare_pool_destination(pool_dir), "synth");
  SynthReport report;
  report.removed_leftovers = staging.removed_leftovers();
  PoolSpec spec;
  spec.total = options.count;
  spec.height = spec.width = options.phantom.size;
  spec.pixel_type = options.pixel_type;
  spec.label_names = phantom_label_names();
  spec.shard_size = options.shard_size;
  spec.image_deflate_level = options.deflate_level;
  spec.with_roi = true;
  spec.with_patient_ids = true;
  spec.source = fmt::format("salient synth --count {} --size {} --seed {} --dtype {} --label-noise {} "
                            "--subtle {} --duplicates {} --noise-only {}",
                            options.count, options.phantom.size, options.phantom.seed,
                            pixel_type_name(options.pixel_type), options.phantom.label_noise,
                            options.phantom.subtle_fraction, options.phantom.near_duplicate_rate,
                            options.phantom.noise_only_rate);
  PoolWriter writer(staging.path().string(), spec);

  const int threads = options.threads > 0 ? options.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::int64_t block = 16 * threads;
  std::vector<PhantomImage> images(static_cast<std::size_t>(block));
  for (std::int64_t first = 0; first < options.count; first += block) {
    const std::int64_t size = std::min(block, options.count - first);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        for (std::int64_t i = t; i < size; i += threads) images[static_cast<std::size_t>(i)] = draw_phantom(options.phantom, first + i);
      });
    }
    for (auto& worker : workers) worker.join();
    for (std::int64_t i = 0; i < size; ++i) {
      const PhantomImage& image = images[static_cast<std::size_t>(i)];
      const auto pixels = encode_intensities(image.pixels, options.pixel_type);
      ImageRecord record;
      record.id = fmt::format("synth-{:08d}", first + i);
      record.patient_id = image.patient_id;
      record.pixels = pixels.data();
      record.labels.assign(image.labels.begin(), image.labels.end());
      record.roi = image.roi.data();
      writer.add(record);
    }
    if (options.progress) options.progress(first + size);
  }
  report.manifest = writer.finish();
  staging.commit();
  return report;
}

}  // namespace salient::io
