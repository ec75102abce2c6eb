// The validation split of a study: images held out of selection and training, on which
// every round's model is evaluated. It is fixed at patient level, so that no patient has
// images on both sides (a model that recognises a patient would otherwise look better than
// it is): patient p is held out when u(p) < fraction, u(p) ∈ [0, 1) a hash of (seed, p)
// (FNV-1a of the id, mixed by SplitMix64). When that holds out more than `limit` images,
// the patients with the smallest u(p) are kept until the next would pass the limit. A pool
// without patient ids splits image by image. The split depends only on the pool, seed,
// fraction and limit: every rank and every rerun computes the same one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "salient/io/pool.h"

namespace salient::training {

struct ValidationSplitOptions {
  double fraction = 0.2;
  std::int64_t limit = 2000;  ///< most images held out
  std::uint64_t seed = 0;
};

/// Global indices of the held-out images, ascending.
std::vector<std::int64_t> validation_split(const io::Pool& pool, const ValidationSplitOptions& options);

/// u(p) of the split: the patient's place in [0, 1).
double patient_draw(const std::string& patient, std::uint64_t seed);

}  // namespace salient::training
