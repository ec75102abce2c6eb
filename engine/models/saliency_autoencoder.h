// IDEAL's saliency autoencoder (IDEAL Sec. III-C3, Fig. 5): trained without labels to
// reconstruct the pool's saliency maps; its l-dimensional code is the image's "deep saliency
// features", which IDEAL clusters and classifies into informativeness levels.
//
// The paper gives no architecture; salient's is a small convolutional one for maps of
// S × S (S a multiple of 8, 64 by default), each map scaled to [0, 1]:
//   encoder  conv1 (1→16), conv2 (16→32), conv3 (32→64): 3×3, stride 2, padding 1, ReLU
//            after each, then flatten and to_latent (linear 64·(S/8)² → l)
//   decoder  from_latent (linear l → 64·(S/8)²) and ReLU, then deconv1 (64→32),
//            deconv2 (32→16), deconv3 (16→1): 4×4 transposed convolutions, stride 2,
//            padding 1, ReLU between them and a sigmoid at the end
// The loss is each map's mean squared error. Parameters start as PyTorch's defaults (Kaiming
// uniform) from the global generator seeded with the given seed. Module names match the
// PyTorch twin in tests/engine/reference/autoencoder_reference.py.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace salient::models {

struct AutoencoderSpec {
  std::int64_t map_size = 64;  ///< S: maps are S × S, S a multiple of 8, at least 8
  std::int64_t latent = 32;    ///< l
};

class SaliencyAutoencoder : public torch::nn::Module {
 public:
  /// Throws salient::Error for a spec out of range.
  SaliencyAutoencoder(const AutoencoderSpec& spec, std::uint64_t seed);

  /// [N, 1, S, S] maps in [0, 1] → [N, l] codes.
  at::Tensor encode(const at::Tensor& maps);
  /// [N, l] codes → [N, 1, S, S] reconstructions in (0, 1).
  at::Tensor decode(const at::Tensor& codes);
  at::Tensor forward(const at::Tensor& maps) { return decode(encode(maps)); }

  const AutoencoderSpec& spec() const { return spec_; }

 private:
  AutoencoderSpec spec_;
  torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr};
  torch::nn::Linear to_latent_{nullptr}, from_latent_{nullptr};
  torch::nn::ConvTranspose2d deconv1_{nullptr}, deconv2_{nullptr}, deconv3_{nullptr};
};

/// Per map, the mean over its pixels of (reconstruction − map)²: [N].
at::Tensor reconstruction_errors(const at::Tensor& reconstructions, const at::Tensor& maps);

/// Copies @p tensors (a state_dict by name) into @p autoencoder's parameters. Throws
/// salient::Error naming @p where for a missing, extra or misshapen tensor.
void load_autoencoder_state(SaliencyAutoencoder& autoencoder, const std::map<std::string, at::Tensor>& tensors,
                            const std::string& where);

/// Writes the autoencoder (spec and parameters) to @p path atomically.
void save_autoencoder(SaliencyAutoencoder& autoencoder, const std::string& path);
/// The autoencoder saved at @p path, on the CPU. Throws salient::Error naming @p path when
/// it is missing, unreadable or not a saved autoencoder.
std::shared_ptr<SaliencyAutoencoder> load_autoencoder(const std::string& path);

}  // namespace salient::models
