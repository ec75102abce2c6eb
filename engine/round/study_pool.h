// A study knows its pool by the pool's fingerprint (io::pool_fingerprint: the manifest with
// its shard CRCs and pool id), not by its path: salient.toml and every round's config.toml
// record it as pool.fingerprint, and score, select, tune and run refuse a pool whose
// fingerprint differs. The same pool moved to another folder keeps its fingerprint, so a
// study resumes with `--pool NEW_PATH`.
#pragma once

#include <string>

#include "engine/round/study_config.h"

namespace salient::round {

/// Sets @p config.pool.fingerprint to the fingerprint of the pool at @p config.pool.directory when the
/// study has none yet; throws salient::Error naming both pools when it differs from the one
/// recorded (in @p recorded_in, a salient.toml or round config).
void bind_study_pool(StudyConfig& config, const std::string& recorded_in);

/// Adds @p config's pool fingerprint to the study's salient.toml when that file exists and
/// has none (studies begun before pool fingerprints). Called by one rank.
void record_study_pool(const std::string& study_dir, const StudyConfig& config);

}  // namespace salient::round
