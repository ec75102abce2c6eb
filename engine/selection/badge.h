// BADGE's batch (Ash et al., "Deep Batch Active Learning by Diverse, Uncertain Gradient Lower
// Bounds", ICLR 2020, Algorithm 1): k-means++ seeding on the gradient embeddings of the
// unlabeled candidates. A candidate's gradient embedding is the gradient of the loss at its
// own predicted labels with respect to the head's last weights,
//   g = s ⊗ h,  s = p − ŷ,  h = the embedding (the trunk's pooled features),
// ŷ = onehot(argmax p) for a softmax head and ŷ_k = [p_k ≥ ½] for C sigmoids (each finding
// its own binary problem). Large ‖g‖ = uncertain; spread-out g = diverse.
//
// ‖g_a − g_b‖² = ‖s_a‖²‖h_a‖² + ‖s_b‖²‖h_b‖² − 2⟨s_a, s_b⟩⟨h_a, h_b⟩ (the Kronecker product's
// inner product factorises), so a distance costs O(C + d), not O(C·d), and g is never formed;
// sums run in double in a fixed order (embedding_math.h) and a negative result of
// cancellation counts as 0.
// The first center is the candidate of largest ‖g‖ (as BADGE's code seeds); each next one is
// drawn with probability D²(x) / Σ D², D = the distance to the nearest center, by the counter
// uniform u of (seed, round, stream badge_draw, step), with integer weights that make the
// draw exact for any split over ranks (d2_draw.h). The same tables give the same batch on
// any machine and for any rank count.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/selection/k_center.h"

namespace salient::selection {

struct BadgeInputs {
  EmbeddingRows embeddings;     ///< h, n × d
  EmbeddingRows probabilities;  ///< p, n × C
  bool multi_label = true;      ///< C sigmoids, else a softmax
  std::uint64_t seed = 0;
  std::uint32_t round = 0;
};

/// Picks min(@p count, eligible rows of every rank) rows, as global indices (@p global_index:
/// this rank's, ascending, above the previous rank's; nullptr: 0…n−1); distances[k] is ‖g‖
/// for the first pick, then D at the draw (NaN for a row whose h or p is not finite: those
/// come after every other).
KCenterPicks badge_seeding(const BadgeInputs& inputs, const std::vector<std::uint8_t>& eligible, std::int64_t count,
                           const std::int64_t* global_index = nullptr, RankGroup& group = single_process());

}  // namespace salient::selection
