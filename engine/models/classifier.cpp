#include "engine/models/classifier.h"

#include <torch/torch.h>

namespace salient::models {

at::Tensor probabilities_from_logits(const at::Tensor& logits, OutputKind kind) {
  return kind == OutputKind::multi_label ? torch::sigmoid(logits) : torch::softmax(logits, -1);
}

}  // namespace salient::models
