// IDEAL's selection on deep saliency features (IDEAL Sec. III-C3, Fig. 5, Algorithm 2;
// docs/formulas.md "ideal-deep"). Each image's code comes from the study's saliency
// autoencoder (score-table columns deep_code_0 … deep_code_{l−1}). Each round:
//   1. the unlabeled codes are clustered into K clusters (k_means.h, seeded by the strategy's
//      seed and the round), and each cluster's representative, its member nearest the
//      centroid, is queried: the K representatives are the first K picks and count as labels;
//   2. the other B − K picks are ranked by the study's on-line forest (online_forest.h),
//      trained on the levels of earlier rounds: the predicted level ascending (level 0 is the
//      most informative), then the probability of that level descending, then the global
//      index. Each pick's score is level + (1 − probability), so the order is the score's
//      ascending order; a representative scores −1.
//   3. In the first ideal-deep round there is no forest yet: the B − K fill the clusters in
//      turn, each cluster's members nearest its centroid first (the round's representatives
//      left out), so that the first batch spreads over the clusters. Such a pick scores
//      turn + d² / (1 + d²), turn counting from 1, d² its squared distance to the centroid.
//      Images whose codes are not finite belong to no cluster: they come last (score NaN in
//      step 2, after the clusters in step 3), in ascending global index.
// After the round's labels, the representatives' ΔAUC orders the clusters into levels and
// the forest learns them (round/deep_levels.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/selection/k_means.h"
#include "engine/selection/strategy_table.h"

namespace salient::selection {

/// The score-table column of code element @p element: "deep_code_<element>".
std::string deep_code_column(std::int64_t element);

/// Every deep_code column of @p spec's autoencoder (spec.latent of them).
std::vector<StrategyCriterion> deep_code_criteria(const StrategySpec& spec);

/// The clustering of step 1 over the eligible rows of every rank, the same on any rank count.
KMeansResult deep_clusters(const EmbeddingRows& codes, const std::vector<std::uint8_t>& eligible,
                           const StrategySpec& spec, const std::int64_t* global_index, RankGroup& group);

/// The ideal-deep strategy (strategy_table.h).
StrategyResult select_ideal_deep(const StrategyInputs& inputs);

}  // namespace salient::selection
