#include "engine/saliency/lrp.h"

#include <torch/torch.h>

#include <variant>

#include "engine/models/builtin_classifier.h"
#include "salient/check.h"

namespace salient::saliency {
namespace {

/// A tensor with the value @p value whose gradient is the gradient of @p surrogate: how each
/// rule replaces a layer's backward pass while the forward pass computes the same values.
/// A surrogate s(x) = f(x ⊙ c) / d with constants c and d has the gradient c ⊙ J_fᵀ(R / d)
/// for the incoming relevance R: with f linear, c = the layer's input and d = its stabilised
/// denominator z, that is the rule R_i = x_i Σ_j w_ij R_j / z_j.
at::Tensor with_gradient_of(const at::Tensor& value, const at::Tensor& surrogate) {
  return value.detach() + (surrogate - surrogate.detach());
}

/// zennit.core.stabilize: z + ε·(sign(z) + [z = 0]).
at::Tensor stabilize(const at::Tensor& z, double epsilon) {
  return z + (z.eq(0).to(z.scalar_type()) + z.sign()) * epsilon;
}

at::Tensor convolve(const torch::nn::Conv2dImpl& conv, const at::Tensor& x, const at::Tensor& weight) {
  const auto& options = conv.options;
  SALIENT_ASSERT(std::holds_alternative<torch::ExpandingArray<2>>(options.padding()));
  const auto& padding = std::get<torch::ExpandingArray<2>>(options.padding());
  return torch::conv2d(x, weight, {}, options.stride(), padding, options.dilation(), options.groups());
}

class LrpOps final : public models::LayerOps {
 public:
  /// @p low, @p high: the z^B bounds; @p stabilizer: ε of every rule's denominator.
  LrpOps(double low, double high, double stabilizer) : low_(low), high_(high), stabilizer_(stabilizer) {}

  at::Tensor conv(torch::nn::Conv2dImpl& conv, const at::Tensor& x) override {
    const auto value = conv.forward(x);
    const auto weight = conv.weight.detach();
    const auto positive = weight.clamp_min(0);
    const auto negative = weight.clamp_max(0);
    const auto input = x.detach();
    if (first_conv_) {
      // z^B (zennit ZBox): the pixel bounds l and h contribute through w⁺ and w⁻.
      first_conv_ = false;
      const auto z = convolve(conv, input, weight) - convolve(conv, torch::full_like(input, low_), positive) -
                     convolve(conv, torch::full_like(input, high_), negative);
      const auto surrogate = (convolve(conv, x * input, weight) - convolve(conv, x * low_, positive) -
                              convolve(conv, x * high_, negative)) /
                             stabilize(z, stabilizer_);
      return with_gradient_of(value, surrogate);
    }
    const auto input_positive = input.clamp_min(0);
    const auto input_negative = input.clamp_max(0);
    const auto z = convolve(conv, input_positive, positive) + convolve(conv, input_negative, negative);
    const auto surrogate = (convolve(conv, x * input_positive, positive) + convolve(conv, x * input_negative, negative)) /
                           stabilize(z, stabilizer_);
    return with_gradient_of(value, surrogate);
  }

  at::Tensor linear(torch::nn::LinearImpl& linear, const at::Tensor& x) override {
    const auto value = linear.forward(x);
    const auto weight = linear.weight.detach();
    const auto positive = weight.clamp_min(0);
    const auto negative = weight.clamp_max(0);
    const auto input_positive = x.detach().clamp_min(0);
    const auto input_negative = x.detach().clamp_max(0);
    const auto z = torch::linear(input_positive, positive) + torch::linear(input_negative, negative);
    const auto surrogate = (torch::linear(x * input_positive, positive) + torch::linear(x * input_negative, negative)) /
                           stabilize(z, stabilizer_);
    return with_gradient_of(value, surrogate);
  }

  at::Tensor batch_norm(torch::nn::BatchNorm2dImpl& norm, const at::Tensor& x) override {
    return pass(norm.forward(x), x);
  }

  at::Tensor relu(const at::Tensor& x) override { return pass(torch::relu(x), x); }

  at::Tensor avg_pool(torch::nn::AvgPool2dImpl& pool, const at::Tensor& x) override {
    const auto value = pool.forward(x);
    return with_gradient_of(value, pool.forward(x * x.detach()) / stabilize(value.detach(), stabilizer_));
  }

  at::Tensor global_avg_pool(const at::Tensor& x) override {
    const auto value = LayerOps::global_avg_pool(x);
    return with_gradient_of(value,
                            LayerOps::global_avg_pool(x * x.detach()) / stabilize(value.detach(), stabilizer_));
  }

  at::Tensor add(const at::Tensor& branch, const at::Tensor& shortcut) override {
    const auto value = branch + shortcut;
    return with_gradient_of(value, (branch * branch.detach() + shortcut * shortcut.detach()) /
                                       stabilize(value.detach(), stabilizer_));
  }

 private:
  /// R_in = R_out: the value of @p value, the gradient of the identity on @p x.
  static at::Tensor pass(const at::Tensor& value, const at::Tensor& x) { return value.detach() + (x - x.detach()); }

  double low_, high_, stabilizer_;
  bool first_conv_ = true;
};

/// Relevance at the input and the logits.
std::pair<at::Tensor, at::Tensor> propagate(models::Classifier& model, const at::Tensor& input,
                                            const at::Tensor& targets, const LrpOptions& options) {
  auto& network = rule_based_network(model, "lrp");
  const double low = options.low.value_or(model.spec().normalisation.of(0.0));
  const double high = options.high.value_or(model.spec().normalisation.of(1.0));
  SALIENT_CHECK(low < high, "LRP's pixel bounds need low < high (got {}, {})", low, high);
  model.train(false);
  torch::AutoGradMode enable_grad(true);
  const auto x = input.detach().requires_grad_(true);
  LrpOps ops(low, high, options.stabilizer);
  const auto logits = network.head(network.trunk(x, ops), {}, ops);
  const auto classes = checked_targets(targets, logits);
  // The relevance at the output: y_c at class c, 0 elsewhere.
  const auto output_relevance =
      torch::zeros_like(logits).scatter(1, classes.view({-1, 1}), target_logits(logits, classes).detach().view({-1, 1}));
  auto relevance = torch::autograd::grad({logits}, {x}, {output_relevance})[0];
  return {relevance, logits.detach()};
}

}  // namespace

at::Tensor lrp_relevance(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                         const LrpOptions& options) {
  return propagate(model, input, targets, options).first;
}

SaliencyResult lrp_zplus(models::Classifier& model, const at::Tensor& input, const at::Tensor& targets,
                         const LrpOptions& options) {
  auto [relevance, logits] = propagate(model, input, targets, options);
  return {relevance.sum(1), logits};
}

}  // namespace salient::saliency
