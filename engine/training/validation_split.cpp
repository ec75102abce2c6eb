#include "engine/training/validation_split.h"

#include <algorithm>
#include <map>

#include "engine/models/counter_uniform_tensor.h"
#include "salient/check.h"

namespace salient::training {
namespace {

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 14695981039346656037ULL;  // FNV-1a 64-bit offset basis and prime
  for (const unsigned char byte : text) hash = (hash ^ byte) * 1099511628211ULL;
  return hash;
}

}  // namespace

double patient_draw(const std::string& patient, std::uint64_t seed) {
  // The top 53 bits as a double in [0, 1).
  return static_cast<double>(models::splitmix64(fnv1a(patient) ^ models::splitmix64(seed)) >> 11) * 0x1.0p-53;
}

std::vector<std::int64_t> validation_split(const io::Pool& pool, const ValidationSplitOptions& options) {
  SALIENT_CHECK(options.fraction >= 0.0 && options.fraction < 1.0,
                "the validation fraction must be in [0, 1), got {}", options.fraction);
  SALIENT_CHECK(options.limit >= 0, "the validation limit must not be negative, got {}", options.limit);
  // Held-out patients by their draw, each with its images.
  std::map<std::pair<double, std::string>, std::vector<std::int64_t>> held_out;
  for (std::int64_t shard = 0; shard < pool.shard_count(); ++shard) {
    const io::ShardFile file = pool.open_shard(shard);
    const auto patients = file.has_patient_ids() ? file.patient_ids() : file.ids();
    for (std::int64_t row = 0; row < static_cast<std::int64_t>(patients.size()); ++row) {
      const double draw = patient_draw(patients[row], options.seed);
      if (draw < options.fraction) held_out[{draw, patients[row]}].push_back(pool.first_index(shard) + row);
    }
  }
  std::vector<std::int64_t> indices;
  for (const auto& [patient, images] : held_out) {
    if (static_cast<std::int64_t>(indices.size() + images.size()) > options.limit) break;
    indices.insert(indices.end(), images.begin(), images.end());
  }
  std::sort(indices.begin(), indices.end());
  return indices;
}

}  // namespace salient::training
