// IDEAL's self-supervised informativeness levels (IDEAL Fig. 5 steps 3–5, Algorithm 2 step 9;
// docs/formulas.md "ideal-deep"), learnt after the labels of a round that ideal-deep selected:
//   1. The round's clusters are formed again from its score tables, exactly as the selection
//      formed them (selection/ideal_deep.h; the same codes, eligibility, seed and round give
//      the same bits), so that every member's cluster and every representative is known.
//   2. ΔAUC of each representative: for each seed s < gain_seeds, `replay` is the gain_replay
//      earlier labels (rounds before this one) of smallest counter uniform of (seed, round,
//      gain_replay, index · gain_seeds + s). From round R's model, one trial fine-tunes
//      gain_epochs epochs on replay ∪ {representative}, another on replay alone, with the
//      same training options (augmentation seed = seed + 1 + s); ΔAUC_k(s) is the difference of
//      their mean validation AUCs and ΔAUC_k the mean over the seeds. One image moves the AUC
//      little: the shared replay set, seeds and augmentation (common random numbers) keep the
//      trials' noise out of the difference, and the seeds average what is left.
//   3. Levels: the clusters in order of decreasing ΔAUC (ties: the lower cluster), level 0 the
//      most informative; every member of a cluster takes its level.
//   4. The forest of round R (RF_{n−1}, rounds/RRR/forest.cbor; a new one whose feature ranges
//      are this round's codes' ranges when there is none or the autoencoder was retrained,
//      deep_codes.h) learns every member's (code, level), in ascending global index, and is
//      saved as round R+1's forest, which ranks its pool.
// Rank 0 writes rounds/RRR/levels.json, then the forest (the step is done once it exists).
#pragma once

#include <cstdint>
#include <string>

#include "engine/round/study_config.h"
#include "engine/round/tune_round.h"

namespace salient::round {

/// True when round @p round of the study was selected by ideal-deep (its selection.json).
bool selected_by_ideal_deep(const std::string& study_dir, std::uint32_t round);

/// Learns round @p round's levels into round + 1's forest, unless that exists. A collective.
void learn_deep_levels(const StudyConfig& config, const std::string& study_dir, std::uint32_t round,
                       const TuneContext& context);

}  // namespace salient::round
