#include "engine/round/study_pool.h"

#include <fmt/format.h>

#include <filesystem>

#include "salient/check.h"
#include "salient/io/pool_manifest.h"
#include "salient/io/study_dir.h"

namespace salient::round {

void bind_study_pool(StudyConfig& config, const std::string& recorded_in) {
  SALIENT_CHECK(!config.pool.directory.empty(), "no pool: give --pool, or set pool in [pool] of {}", recorded_in);
  const std::string fingerprint = io::pool_fingerprint(io::read_manifest(config.pool.directory));
  if (config.pool.fingerprint.empty()) {
    config.pool.fingerprint = fingerprint;
    return;
  }
  if (config.pool.fingerprint == fingerprint) return;
  const std::string recorded_path =
      std::filesystem::exists(recorded_in) ? load_study_config(recorded_in).pool.directory : std::string("?");
  throw Error(fmt::format(
      "pool '{}' (fingerprint {}) is not the pool this study was made with: {} records pool '{}' with fingerprint "
      "{}. The same pool moved elsewhere keeps its fingerprint; another pool needs another study",
      config.pool.directory, fingerprint, recorded_in, recorded_path, config.pool.fingerprint));
}

void record_study_pool(const std::string& study_dir, const StudyConfig& config) {
  const std::string path = io::StudyDir(study_dir).config();
  if (!std::filesystem::exists(path)) return;
  StudyConfig recorded = load_study_config(path);
  if (!recorded.pool.fingerprint.empty()) return;
  recorded.pool.fingerprint = config.pool.fingerprint;
  write_study_config(path, recorded);
}

}  // namespace salient::round
