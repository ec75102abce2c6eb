#include "salient/io/pool_manifest.h"

#include <filesystem>
#include <fstream>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "salient/check.h"
#include "salient/io/atomic_file.h"

namespace salient::io {
namespace {

using nlohmann::json;

constexpr const char* kFormatName = "salient-pool";

std::string manifest_path(const std::string& pool_dir) {
  return (std::filesystem::path(pool_dir) / kManifestName).string();
}

// A shard path must stay inside the pool directory: relative, and no ".." that climbs out.
bool stays_inside(const std::string& relative) {
  const std::filesystem::path path(relative);
  if (relative.empty() || path.is_absolute() || path.has_root_name()) return false;
  const auto normal = path.lexically_normal();
  return !normal.empty() && *normal.begin() != ".." && normal != ".";
}

template <typename T>
T required(const json& object, const char* key, const std::string& where) {
  SALIENT_CHECK(object.is_object() && object.contains(key), "{}: '{}' is missing", where, key);
  if constexpr (std::is_integral_v<T>) {
    // nlohmann converts a float to an integer without a range check (undefined behaviour).
    const json& value = object.at(key);
    SALIENT_CHECK(value.is_number_integer(), "{}: '{}' must be an integer, not {}", where, key, value.dump());
    SALIENT_CHECK(value.is_number_unsigned() ? value.get<std::uint64_t>() <= std::numeric_limits<std::int64_t>::max()
                                             : true,
                  "{}: '{}' = {} is too large", where, key, value.dump());
  }
  try {
    return object.at(key).get<T>();
  } catch (const json::exception& error) {
    throw Error(fmt::format("{}: '{}' has the wrong type: {}", where, key, error.what()));
  }
}

template <typename T>
T optional_field(const json& object, const char* key, const T& fallback, const std::string& where) {
  return object.contains(key) ? required<T>(object, key, where) : fallback;
}

// A CRC-32 as the manifest writes it: 8 hexadecimal digits.
std::uint32_t parse_crc(const std::string& text, const char* key, const std::string& where) {
  std::size_t parsed = 0;
  unsigned long value = 0;
  try {
    value = std::stoul(text, &parsed, 16);
  } catch (const std::exception&) {
    parsed = 0;
  }
  SALIENT_CHECK(parsed == text.size() && text.size() == 8 && value <= 0xFFFFFFFFul,
                "{}: {} '{}' must be 8 hexadecimal digits", where, key, text);
  return static_cast<std::uint32_t>(value);
}

}  // namespace

std::int64_t PoolManifest::total_images() const {
  std::int64_t total = 0;
  for (const auto& shard : shards) total += shard.count;
  return total;
}

PoolManifest read_manifest(const std::string& pool_dir) {
  const std::string path = manifest_path(pool_dir);
  std::ifstream stream(path);
  SALIENT_CHECK(stream, "cannot open the pool manifest '{}' (is '{}' a salient pool?)", path, pool_dir);
  std::ostringstream text;
  text << stream.rdbuf();
  return parse_manifest(text.str(), path);
}

PoolManifest parse_manifest(const std::string& text, const std::string& path) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& error) {
    throw Error(fmt::format("'{}' is not valid JSON: {}", path, error.what()));
  }
  SALIENT_CHECK(document.is_object(), "'{}' must hold a JSON object", path);
  SALIENT_CHECK(required<std::string>(document, "format", path) == kFormatName, "'{}': format must be '{}'", path,
                kFormatName);
  const auto version = required<std::int64_t>(document, "version", path);
  SALIENT_CHECK(version == PoolManifest::kFormatVersion, "'{}': format version {} is not supported (expected {})",
                path, version, PoolManifest::kFormatVersion);

  PoolManifest manifest;
  const auto image = required<json>(document, "image", path);
  manifest.height = required<std::int64_t>(image, "height", path + " image");
  manifest.width = required<std::int64_t>(image, "width", path + " image");
  SALIENT_CHECK(manifest.height > 0 && manifest.width > 0, "'{}': image shape {}x{} must be positive", path,
                manifest.height, manifest.width);
  try {
    manifest.pixel_type = parse_pixel_type(required<std::string>(image, "dtype", path + " image"));
  } catch (const Error& error) {
    throw Error(fmt::format("'{}': image dtype: {}", path, error.what()));
  }
  manifest.label_names = required<std::vector<std::string>>(document, "labels", path);
  const std::set<std::string> unique_labels(manifest.label_names.begin(), manifest.label_names.end());
  SALIENT_CHECK(unique_labels.size() == manifest.label_names.size(), "'{}': label names repeat", path);
  manifest.shard_size = required<std::int64_t>(document, "shard_size", path);
  SALIENT_CHECK(manifest.shard_size > 0, "'{}': shard_size must be positive", path);
  manifest.source = optional_field<std::string>(document, "source", "", path);

  const auto shards = required<json>(document, "shards", path);
  SALIENT_CHECK(shards.is_array() && !shards.empty(), "'{}': 'shards' must be a non-empty list", path);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string where = fmt::format("'{}', shards[{}]", path, i);
    ShardEntry entry;
    entry.path = required<std::string>(shards[i], "path", where);
    SALIENT_CHECK(stays_inside(entry.path), "{}: path '{}' escapes the pool directory (paths are relative to it)",
                  where, entry.path);
    SALIENT_CHECK(seen.insert(std::filesystem::path(entry.path).lexically_normal().string()).second,
                  "{}: path '{}' is listed twice", where, entry.path);
    entry.count = required<std::int64_t>(shards[i], "count", where);
    const bool last = i + 1 == shards.size();
    SALIENT_CHECK(last ? entry.count > 0 && entry.count <= manifest.shard_size : entry.count == manifest.shard_size,
                  "{}: holds {} images; every shard but the last must hold shard_size = {} (the last 1..{})", where,
                  entry.count, manifest.shard_size, manifest.shard_size);
    entry.crc32 = parse_crc(required<std::string>(shards[i], "crc32", where), "crc32", where);
    const auto optional_crc = [&](const char* key) -> std::optional<std::uint32_t> {
      if (!shards[i].contains(key)) return std::nullopt;
      return parse_crc(required<std::string>(shards[i], key, where), key, where);
    };
    entry.labels_crc32 = optional_crc("labels_crc32");
    entry.ids_crc32 = optional_crc("ids_crc32");
    entry.roi_crc32 = optional_crc("roi_crc32");
    manifest.shards.push_back(entry);
  }
  if (document.contains("total")) {
    const auto total = required<std::int64_t>(document, "total", path);
    SALIENT_CHECK(total == manifest.total_images(), "'{}': total is {}, but its shards hold {} images", path, total,
                  manifest.total_images());
  }
  manifest.pool_id = optional_field<std::string>(document, "pool_id", "", path);
  return manifest;
}

namespace {

std::string crc_text(std::uint32_t crc) { return fmt::format("{:08x}", crc); }

json manifest_json(const PoolManifest& manifest) {
  json shards = json::array();
  for (const auto& shard : manifest.shards) {
    json entry = {{"path", shard.path}, {"count", shard.count}, {"crc32", crc_text(shard.crc32)}};
    if (shard.labels_crc32) entry["labels_crc32"] = crc_text(*shard.labels_crc32);
    if (shard.ids_crc32) entry["ids_crc32"] = crc_text(*shard.ids_crc32);
    if (shard.roi_crc32) entry["roi_crc32"] = crc_text(*shard.roi_crc32);
    shards.push_back(std::move(entry));
  }
  json document = {
      {"format", kFormatName},
      {"version", PoolManifest::kFormatVersion},
      {"image", {{"height", manifest.height}, {"width", manifest.width}, {"dtype", pixel_type_name(manifest.pixel_type)}}},
      {"labels", manifest.label_names},
      {"shard_size", manifest.shard_size},
      {"total", manifest.total_images()},
      {"source", manifest.source},
      {"shards", shards},
  };
  if (!manifest.pool_id.empty()) document["pool_id"] = manifest.pool_id;
  return document;
}

// FNV-1a, 64 bits (Fowler, Noll, Vo): an identity check of a pool, not a defence.
std::uint64_t fnv1a_64(const std::string& bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const unsigned char byte : bytes) hash = (hash ^ byte) * 0x100000001b3ull;
  return hash;
}

}  // namespace

void write_manifest(const std::string& pool_dir, const PoolManifest& manifest) {
  write_file_atomically(manifest_path(pool_dir), manifest_json(manifest).dump(2) + "\n");
}

std::string pool_fingerprint(const PoolManifest& manifest) {
  return fmt::format("{}:{:016x}", manifest.pool_id.empty() ? "no-id" : manifest.pool_id,
                     fnv1a_64(manifest_json(manifest).dump()));
}

std::string new_pool_id() {
  std::random_device entropy;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", entropy(), entropy(), entropy(), entropy());
}

}  // namespace salient::io
