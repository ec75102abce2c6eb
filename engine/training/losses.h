// The fine-tuning loss: the classification loss of the acquired labels, plus two penalties
// that teach the model where to look from an expert's marks.
//
// Classification, per image: multi-label, the mean over its known labels (±1 in labels.csv;
// -1 = unknown is left out) of binary cross-entropy with logits; multi-class, the
// cross-entropy of the softmax against the image's positive label. Images without a known
// label add nothing.
//
// Right for the right reasons (HITL, Serrano e Silva et al., Eq. 2, after Ross et al. 2017):
// λ Σ_pixels W · (∂ŷ/∂x)², W = 1 on the input pixels the expert marked as irrelevant and
// ŷ = Σ_c log p_c, the log-probabilities of the image's classes (Ross et al.'s choice). The
// input gradient is taken with create_graph, so the penalty's own gradient with respect to
// the weights is a double backward.
//
// Explanation guidance (EG-AL, Uddin et al.): the share of the image's Grad-CAM mass outside
// the expert's ROI, Σ cam·(1 − roi) / (Σ cam + ε), with Grad-CAM of the sum of the image's
// positive logits at the trunk's output (Selvaraju et al. 2017: ReLU(Σ_k α_k A_k), α_k the
// spatial mean of ∂y/∂A_k), resized to the input, differentiable through α (double backward).
#pragma once

#include <ATen/core/Tensor.h>

#include "engine/models/classifier.h"

namespace salient::training {

/// Per-image classification loss, N, from logits N×C and labels N×C (1, 0, or −1 unknown;
/// any integer or float type). Zero for images without a known label.
at::Tensor classification_loss(const at::Tensor& logits, const at::Tensor& labels, models::OutputKind kind);

/// Per-image input-gradient penalty Σ W·(∂ŷ/∂x)², N, for @p input (N×ch×S×S, requiring a
/// gradient, the tensor @p logits were computed from) and @p ignore_mask W (N×1×S×S, 1 where
/// the model must not look). Differentiable with respect to the model's weights.
at::Tensor input_gradient_penalty(const at::Tensor& input, const at::Tensor& logits, const at::Tensor& ignore_mask,
                                  models::OutputKind kind);

/// Per-image share of Grad-CAM mass outside @p roi (N×1×S×S, 1 inside), N, for the trunk
/// output @p trunk_output (N×K×h×w, part of the graph of @p logits) and @p labels (N×C):
/// the map of the sum of the image's positive logits. Zero for an image without a positive
/// label or with an empty ROI. Differentiable with respect to the model's weights.
at::Tensor gradcam_outside_roi(const at::Tensor& trunk_output, const at::Tensor& logits, const at::Tensor& labels,
                               const at::Tensor& roi);

/// HITL's W from the squares an expert marked on a grid: @p squares N×1×g×g (1 marked) to
/// N×1×S×S, pixel i of a side in cell ⌊i·g/S⌋ (the cells ignore_mask_from_roi cuts).
at::Tensor marks_from_squares(const at::Tensor& squares, std::int64_t side);

/// HITL's expert marks from an ROI, as an annotator on a grid would give them: the input is
/// cut into @p grid × @p grid cells, and every cell without an ROI pixel is marked
/// irrelevant (1), for images whose ROI is not empty; an image without an ROI gets no marks.
/// @p roi N×1×S×S (0/1 float); returns N×1×S×S.
at::Tensor ignore_mask_from_roi(const at::Tensor& roi, std::int64_t grid);

}  // namespace salient::training
