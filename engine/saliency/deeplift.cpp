#include "engine/saliency/deeplift.h"

#include <torch/torch.h>

#include <variant>

#include "engine/models/builtin_classifier.h"
#include "salient/check.h"

namespace salient::saliency {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

/// Below this |Δx| the ordinary gradient is kept (Captum's eps).
constexpr double kSmallDifference = 1e-10;

/// The difference of the batch's two halves (input − reference), repeated for both halves.
at::Tensor halves_difference(const at::Tensor& both) {
  const auto halves = both.chunk(2);
  const auto difference = halves[0] - halves[1];
  return torch::cat({difference, difference});
}

/// ReLU whose backward pass multiplies by Δy/Δx (the Rescale rule).
struct RescaleRelu : public torch::autograd::Function<RescaleRelu> {
  static at::Tensor forward(AutogradContext* context, const at::Tensor& x) {
    const auto y = torch::relu(x);
    const auto delta_in = halves_difference(x);
    const auto multiplier =
        torch::where(delta_in.abs() < kSmallDifference, x.gt(0).to(x.scalar_type()), halves_difference(y) / delta_in);
    context->save_for_backward({multiplier});
    return y;
  }
  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    return {gradients[0] * context->get_saved_variables()[0]};
  }
};

/// Max pooling whose backward pass carries each window's Δy to the arg-maxes of the input
/// and the reference, divided by Δx there.
struct RescaleMaxPool : public torch::autograd::Function<RescaleMaxPool> {
  static at::Tensor forward(AutogradContext* context, const at::Tensor& x, std::vector<std::int64_t> kernel,
                            std::vector<std::int64_t> stride, std::vector<std::int64_t> padding,
                            std::vector<std::int64_t> dilation, bool ceil_mode) {
    auto [y, indices] = torch::max_pool2d_with_indices(x, kernel, stride, padding, dilation, ceil_mode);
    const auto outputs = y.chunk(2);
    const auto cross_max = torch::max(outputs[0], outputs[1]);
    const auto delta_out = torch::cat({cross_max - outputs[1], outputs[0] - cross_max});
    context->save_for_backward({x, indices, delta_out});
    context->saved_data["kernel"] = kernel;
    context->saved_data["stride"] = stride;
    context->saved_data["padding"] = padding;
    context->saved_data["dilation"] = dilation;
    context->saved_data["ceil_mode"] = ceil_mode;
    return y;
  }
  static tensor_list backward(AutogradContext* context, tensor_list gradients) {
    const auto saved = context->get_saved_variables();
    const auto& x = saved[0];
    const auto& indices = saved[1];
    const auto& delta_out = saved[2];
    const auto kernel = context->saved_data["kernel"].toIntVector();
    const auto stride = context->saved_data["stride"].toIntVector();
    const auto padding = context->saved_data["padding"].toIntVector();
    const auto dilation = context->saved_data["dilation"].toIntVector();
    const bool ceil_mode = context->saved_data["ceil_mode"].toBool();
    const auto back = [&](const at::Tensor& gradient) {
      return at::max_pool2d_with_indices_backward(gradient, x, kernel, stride, padding, dilation, ceil_mode, indices);
    };
    const auto plain = back(gradients[0]);
    const auto spread = back(gradients[0] * delta_out).chunk(2);
    const auto moved = spread[0] + spread[1];
    const auto delta_in = halves_difference(x);
    const auto rescaled = torch::cat({moved, moved}) / delta_in;
    return {torch::where(delta_in.abs() < kSmallDifference, plain, rescaled), {}, {}, {}, {}, {}};
  }
};

std::vector<std::int64_t> pair_of(const torch::ExpandingArray<2>& values) { return {values->at(0), values->at(1)}; }

class DeepLiftOps final : public models::LayerOps {
 public:
  at::Tensor relu(const at::Tensor& x) override { return RescaleRelu::apply(x); }

  at::Tensor max_pool(torch::nn::MaxPool2dImpl& pool, const at::Tensor& x) override {
    const auto& options = pool.options;
    return RescaleMaxPool::apply(x, pair_of(options.kernel_size()), pair_of(options.stride()),
                                 pair_of(options.padding()), pair_of(options.dilation()), options.ceil_mode());
  }
};

/// The attributions and the input's logits.
std::pair<at::Tensor, at::Tensor> attribute(models::Classifier& model, const at::Tensor& input,
                                            const at::Tensor& baseline, const at::Tensor& targets) {
  SALIENT_CHECK(baseline.sizes() == input.sizes(), "deeplift: a baseline of shape {} for an input of shape {}",
                c10::str(baseline.sizes()), c10::str(input.sizes()));
  auto& network = rule_based_network(model, "deeplift");
  model.train(false);
  torch::AutoGradMode enable_grad(true);
  const auto n = input.size(0);
  const auto both = torch::cat({input.detach(), baseline.detach().to(input.dtype())}).requires_grad_(true);
  DeepLiftOps ops;
  const auto logits = network.head(network.trunk(both, ops), {}, ops);
  const auto input_logits = logits.narrow(0, 0, n);
  const auto classes = checked_targets(targets, input_logits);
  const auto chosen = torch::cat({classes, classes}).view({-1, 1});
  const auto gradient = torch::autograd::grad({logits.gather(1, chosen).sum()}, {both})[0].narrow(0, 0, n);
  return {(input.detach() - baseline.detach()) * gradient, input_logits.detach()};
}

}  // namespace

at::Tensor deeplift_attributions(models::Classifier& model, const at::Tensor& input, const at::Tensor& baseline,
                                 const at::Tensor& targets) {
  return attribute(model, input, baseline, targets).first;
}

SaliencyResult deeplift_rescale(models::Classifier& model, const at::Tensor& input, const at::Tensor& baseline,
                                const at::Tensor& targets) {
  auto [attributions, logits] = attribute(model, input, baseline, targets);
  return {attributions.sum(1), logits};
}

}  // namespace salient::saliency
