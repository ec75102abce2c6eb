// A classifier as saliency and uncertainty need it: a convolutional trunk, whose stages
// Grad-CAM can tap, and a head from the trunk's output to logits. Built-in architectures
// and TorchScript models both implement it.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <string>
#include <vector>

#include "engine/models/model_spec.h"
#include "salient/check.h"

namespace salient::models {

class Classifier {
 public:
  virtual ~Classifier() = default;

  virtual const ModelSpec& spec() const = 0;

  /// Names of the trunk's stages in order, any of which trunk() can tap (the last one is
  /// the trunk's output, Grad-CAM's default layer).
  virtual std::vector<std::string> stages() const = 0;

  /// The trunk's output N×K×h×w for model input N×in_channels×S×S. When @p tap names a
  /// stage, *tapped receives that stage's output, part of the same autograd graph.
  virtual at::Tensor trunk(const at::Tensor& input, const std::string& tap = {}, at::Tensor* tapped = nullptr) = 0;

  /// Logits N×C from the trunk's output. A non-empty @p channel_mask (N×K, already scaled
  /// by 1/(1−p)) multiplies the trunk's channels first: head-only MC dropout with masks
  /// drawn per image.
  virtual at::Tensor head(const at::Tensor& trunk_output, const at::Tensor& channel_mask = {}) = 0;

  /// The WILDCAT head's class maps N×C×h×w (before spatial pooling); undefined when the
  /// head is not WILDCAT.
  virtual at::Tensor class_maps(const at::Tensor& trunk_output) = 0;

  /// K: the number of channels of trunk()'s output.
  virtual std::int64_t trunk_channels() const = 0;

  /// Training mode switches dropout (and batch-norm statistics) on.
  virtual void train(bool on) = 0;

  /// Dropout inside the trunk on or off while batch norm stays in inference mode: MC
  /// dropout throughout the network, as IDEAL does. Models that cannot refuse.
  virtual void sample_trunk_dropout(bool on) {
    SALIENT_CHECK(!on, "this model has no dropout inside its trunk: use head-only MC dropout");
  }
  virtual void to(const c10::Device& device) = 0;
  virtual c10::Device device() const = 0;
  virtual std::vector<at::Tensor> parameters() = 0;

  /// Logits N×C of model input N×in_channels×S×S. Virtual so that a model without a
  /// separate trunk and head (a TorchScript module exporting only forward) still predicts.
  virtual at::Tensor logits(const at::Tensor& input) { return head(trunk(input)); }
};

/// Sigmoid (multi_label) or softmax over classes (multi_class) of N×…×C logits.
at::Tensor probabilities_from_logits(const at::Tensor& logits, OutputKind kind);

}  // namespace salient::models
