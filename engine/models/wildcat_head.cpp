#include "engine/models/wildcat_head.h"

#include <torch/torch.h>

#include <algorithm>

#include "salient/check.h"

namespace salient::models {

at::Tensor wildcat_spatial_pool(const at::Tensor& class_maps, std::int64_t k_max, std::int64_t k_min,
                                double alpha) {
  SALIENT_CHECK(class_maps.dim() == 4, "WILDCAT pooling needs N×C×h×w class maps, got {} dimensions",
                class_maps.dim());
  SALIENT_CHECK(k_max >= 1 && k_min >= 0, "WILDCAT pooling needs k_max >= 1 and k_min >= 0 (got {}, {})", k_max,
                k_min);
  const auto values = class_maps.flatten(2);
  const std::int64_t positions = values.size(2);
  auto scores = std::get<0>(values.topk(std::min(k_max, positions), 2, /*largest=*/true)).mean(2);
  if (k_min > 0 && alpha != 0.0) {
    scores = scores + alpha * std::get<0>(values.topk(std::min(k_min, positions), 2, /*largest=*/false)).mean(2);
  }
  return scores;
}

WildcatHeadImpl::WildcatHeadImpl(std::int64_t trunk_channels, std::int64_t classes, const WildcatOptions& options)
    : classes_(classes), options_(options) {
  SALIENT_CHECK(options.maps_per_class >= 1 && options.k_max >= 1 && options.k_min >= 0,
                "the WILDCAT head needs maps_per_class >= 1, k_max >= 1 and k_min >= 0 (got {}, {}, {})",
                options.maps_per_class, options.k_max, options.k_min);
  conv_ = register_module(
      "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(trunk_channels, classes * options.maps_per_class, 1)));
}

at::Tensor WildcatHeadImpl::class_maps(const at::Tensor& features) {
  const auto maps = conv_->forward(features);
  return maps.view({maps.size(0), classes_, options_.maps_per_class, maps.size(2), maps.size(3)}).mean(2);
}

at::Tensor WildcatHeadImpl::forward(const at::Tensor& features) {
  return wildcat_spatial_pool(class_maps(features), options_.k_max, options_.k_min, options_.alpha);
}

}  // namespace salient::models
