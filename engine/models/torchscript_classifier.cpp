#include "engine/models/torchscript_classifier.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <filesystem>

#include "salient/check.h"

namespace salient::models {
namespace {

constexpr const char* kTrunkStage = "trunk";

class TorchScriptClassifier final : public Classifier {
 public:
  TorchScriptClassifier(torch::jit::Module module, std::string path, const ModelSpec& hint)
      : module_(std::move(module)), path_(std::move(path)), spec_(spec_from_attributes(hint)) {
    SALIENT_CHECK(module_.find_method("forward").has_value(), "'{}': the TorchScript module has no forward method",
                  path_);
    has_trunk_and_head_ = module_.find_method("trunk").has_value() && module_.find_method("head").has_value();
    if (module_.hasattr("salient_trunk_channels")) trunk_channels_ = module_.attr("salient_trunk_channels").toInt();
    module_.eval();
  }

  const ModelSpec& spec() const override { return spec_; }
  std::vector<std::string> stages() const override { return {kTrunkStage}; }

  at::Tensor trunk(const at::Tensor& input, const std::string& tap, at::Tensor* tapped) override {
    require_trunk_and_head("trunk");
    SALIENT_CHECK(tap.empty() || tap == kTrunkStage,
                  "'{}': a TorchScript model can only be tapped at stage '{}', not '{}'", path_, kTrunkStage, tap);
    auto output = module_.get_method("trunk")({input}).toTensor();
    if (trunk_channels_ < 0) trunk_channels_ = output.size(1);
    if (tapped != nullptr && !tap.empty()) *tapped = output;
    return output;
  }

  at::Tensor head(const at::Tensor& trunk_output, const at::Tensor& channel_mask) override {
    require_trunk_and_head("head");
    if (!channel_mask.defined()) return module_.get_method("head")({trunk_output}).toTensor();
    SALIENT_CHECK(channel_mask.dim() == 2 && channel_mask.size(0) == trunk_output.size(0) &&
                      channel_mask.size(1) == trunk_output.size(1),
                  "'{}': channel mask {} does not match trunk output {} (expected N×K)", path_,
                  c10::str(channel_mask.sizes()), c10::str(trunk_output.sizes()));
    const auto masked = trunk_output * channel_mask.view({channel_mask.size(0), channel_mask.size(1), 1, 1});
    return module_.get_method("head")({masked}).toTensor();
  }

  at::Tensor class_maps(const at::Tensor&) override { return {}; }

  std::int64_t trunk_channels() const override {
    if (trunk_channels_ < 0) {
      require_trunk_and_head("trunk");
      // The module does not declare K (salient_trunk_channels): run the trunk on one blank image.
      torch::NoGradGuard no_grad;
      const auto blank = torch::zeros({1, spec_.in_channels, spec_.input_size, spec_.input_size},
                                      torch::TensorOptions().device(device_));
      trunk_channels_ = module_.get_method("trunk")({blank}).toTensor().size(1);
    }
    return trunk_channels_;
  }

  void train(bool on) override { module_.train(on); }

  void to(const c10::Device& device) override {
    module_.to(device);
    device_ = device;
  }
  c10::Device device() const override { return device_; }

  std::vector<at::Tensor> parameters() override {
    std::vector<at::Tensor> out;
    for (const auto& parameter : module_.parameters()) out.push_back(parameter);
    return out;
  }

  at::Tensor logits(const at::Tensor& input) override { return module_.forward({input}).toTensor(); }

 private:
  ModelSpec spec_from_attributes(const ModelSpec& hint) const {
    ModelSpec spec = hint;
    spec.architecture = Architecture::torchscript;
    if (module_.hasattr("salient_output")) {
      const std::string kind = module_.attr("salient_output").toStringRef();
      SALIENT_CHECK(kind == "multi-label" || kind == "multi-class",
                    "'{}': attribute salient_output is '{}', expected 'multi-label' or 'multi-class'", path_, kind);
      spec.output = kind == "multi-label" ? OutputKind::multi_label : OutputKind::multi_class;
    }
    if (module_.hasattr("salient_classes")) spec.classes = module_.attr("salient_classes").toInt();
    if (module_.hasattr("salient_in_channels")) spec.in_channels = module_.attr("salient_in_channels").toInt();
    if (module_.hasattr("salient_input_size")) spec.input_size = module_.attr("salient_input_size").toInt();
    return spec;
  }

  void require_trunk_and_head(const char* needed_by) const {
    SALIENT_CHECK(has_trunk_and_head_,
                  "'{}': the TorchScript module has no '{}' method (it needs both trunk(x) and head(f), exported "
                  "with @torch.jit.export, for Grad-CAM and head-only MC dropout; see docs/models.md)",
                  path_, needed_by);
  }

  mutable torch::jit::Module module_;  // running a method is not const in TorchScript's API
  std::string path_;
  ModelSpec spec_;
  bool has_trunk_and_head_ = false;
  mutable std::int64_t trunk_channels_ = -1;
  c10::Device device_{c10::kCPU};
};

}  // namespace

std::unique_ptr<Classifier> load_torchscript_classifier(const std::string& path, const ModelSpec& hint) {
  SALIENT_CHECK(std::filesystem::is_regular_file(path), "'{}': no such TorchScript model file", path);
  torch::jit::Module module;
  try {
    module = torch::jit::load(path, torch::Device(torch::kCPU));
  } catch (const c10::Error& error) {
    throw Error(fmt::format("'{}': not a loadable TorchScript module: {}", path, error.what_without_backtrace()));
  }
  return std::make_unique<TorchScriptClassifier>(std::move(module), path, hint);
}

}  // namespace salient::models
