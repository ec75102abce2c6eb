#include "engine/models/saliency_autoencoder.h"

#include <torch/torch.h>

#include <fmt/ranges.h>

#include <filesystem>

#include "engine/runtime/archive_file.h"
#include "salient/check.h"

namespace salient::models {
namespace {

constexpr const char* kFormatKey = "salient_format";
constexpr const char* kFormat = "salient-saliency-autoencoder-1";
constexpr std::int64_t kDeepest = 64;  ///< channels after conv3

torch::nn::Conv2d down(std::int64_t in, std::int64_t out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).stride(2).padding(1));
}

torch::nn::ConvTranspose2d up(std::int64_t in, std::int64_t out) {
  return torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(in, out, 4).stride(2).padding(1));
}

}  // namespace

SaliencyAutoencoder::SaliencyAutoencoder(const AutoencoderSpec& spec, std::uint64_t seed) : spec_(spec) {
  SALIENT_CHECK(spec.map_size >= 8 && spec.map_size % 8 == 0 && spec.map_size <= 1024,
                "saliency autoencoder: maps of {}×{}: expected a multiple of 8 from 8 to 1024", spec.map_size,
                spec.map_size);
  SALIENT_CHECK(spec.latent >= 1 && spec.latent <= 4096, "saliency autoencoder: a code of {} values: expected 1 … 4096",
                spec.latent);
  torch::manual_seed(seed);
  const std::int64_t cells = kDeepest * (spec.map_size / 8) * (spec.map_size / 8);
  conv1_ = register_module("conv1", down(1, 16));
  conv2_ = register_module("conv2", down(16, 32));
  conv3_ = register_module("conv3", down(32, kDeepest));
  to_latent_ = register_module("to_latent", torch::nn::Linear(cells, spec.latent));
  from_latent_ = register_module("from_latent", torch::nn::Linear(spec.latent, cells));
  deconv1_ = register_module("deconv1", up(kDeepest, 32));
  deconv2_ = register_module("deconv2", up(32, 16));
  deconv3_ = register_module("deconv3", up(16, 1));
}

at::Tensor SaliencyAutoencoder::encode(const at::Tensor& maps) {
  SALIENT_CHECK(maps.dim() == 4 && maps.size(1) == 1 && maps.size(2) == spec_.map_size &&
                    maps.size(3) == spec_.map_size,
                "saliency autoencoder: input of shape [{}]: expected [N, 1, {}, {}]", fmt::join(maps.sizes(), ", "),
                spec_.map_size, spec_.map_size);
  auto x = torch::relu(conv1_->forward(maps));
  x = torch::relu(conv2_->forward(x));
  x = torch::relu(conv3_->forward(x));
  return to_latent_->forward(x.flatten(1));
}

at::Tensor SaliencyAutoencoder::decode(const at::Tensor& codes) {
  const std::int64_t side = spec_.map_size / 8;
  auto x = torch::relu(from_latent_->forward(codes)).view({codes.size(0), kDeepest, side, side});
  x = torch::relu(deconv1_->forward(x));
  x = torch::relu(deconv2_->forward(x));
  return torch::sigmoid(deconv3_->forward(x));
}

at::Tensor reconstruction_errors(const at::Tensor& reconstructions, const at::Tensor& maps) {
  return (reconstructions - maps).pow(2).flatten(1).mean(1);
}

void load_autoencoder_state(SaliencyAutoencoder& autoencoder, const std::map<std::string, at::Tensor>& tensors,
                            const std::string& where) {
  torch::NoGradGuard no_grad;
  std::size_t used = 0;
  for (auto& item : autoencoder.named_parameters()) {
    const auto found = tensors.find(item.key());
    SALIENT_CHECK(found != tensors.end(), "{}: no tensor '{}' for the saliency autoencoder", where, item.key());
    SALIENT_CHECK(found->second.sizes() == item.value().sizes(),
                  "{}: tensor '{}' has shape [{}], the autoencoder needs [{}]", where, item.key(),
                  fmt::join(found->second.sizes(), ", "), fmt::join(item.value().sizes(), ", "));
    item.value().copy_(found->second);
    ++used;
  }
  SALIENT_CHECK(used == tensors.size(), "{}: {} tensors, of which the saliency autoencoder has {}", where,
                tensors.size(), used);
}

void save_autoencoder(SaliencyAutoencoder& autoencoder, const std::string& path) {
  torch::serialize::OutputArchive archive;
  archive.write(kFormatKey, c10::IValue(std::string(kFormat)));
  archive.write("map_size", c10::IValue(autoencoder.spec().map_size));
  archive.write("latent", c10::IValue(autoencoder.spec().latent));
  for (const auto& item : autoencoder.named_parameters()) archive.write("parameter." + item.key(), item.value());
  runtime::write_archive_atomically(archive, path, "the saliency autoencoder");
}

std::shared_ptr<SaliencyAutoencoder> load_autoencoder(const std::string& path) {
  SALIENT_CHECK(std::filesystem::is_regular_file(path), "{}: no such autoencoder file", path);
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
    c10::IValue format, map_size, latent;
    SALIENT_CHECK(archive.try_read(kFormatKey, format) && format.isString() && format.toStringRef() == kFormat,
                  "{}: not a salient saliency autoencoder (expected format '{}')", path, kFormat);
    SALIENT_CHECK(archive.try_read("map_size", map_size) && map_size.isInt() && archive.try_read("latent", latent) &&
                      latent.isInt(),
                  "{}: the autoencoder's map size or code size is missing", path);
    auto autoencoder =
        std::make_shared<SaliencyAutoencoder>(AutoencoderSpec{map_size.toInt(), latent.toInt()}, /*seed=*/0);
    std::map<std::string, at::Tensor> tensors;
    for (const auto& item : autoencoder->named_parameters()) {
      at::Tensor tensor;
      SALIENT_CHECK(archive.try_read("parameter." + item.key(), tensor), "{}: no tensor '{}'", path, item.key());
      tensors[item.key()] = tensor;
    }
    load_autoencoder_state(*autoencoder, tensors, path);
    return autoencoder;
  } catch (const c10::Error& error) {
    throw Error(fmt::format("{}: not a readable saliency autoencoder ({})", path, error.what_without_backtrace()));
  }
}

}  // namespace salient::models
