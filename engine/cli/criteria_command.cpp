// `salient criteria`: prediction-based criteria (ACFT patch criteria or MC-dropout
// uncertainty) from probabilities computed elsewhere, read from HDF5, written as CSV.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <limits>

#include "engine/cli/commands.h"
#include "engine/criteria/batch_criteria.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/hdf5.h"

namespace salient::cli {
namespace {

struct CriteriaArguments {
  std::string in, probs, kind, variance, ids, out;
  kernels::PatchCriteriaConfig patch;
};

// A [N, m, C] probability array (float32 or float64) as a float tensor on @p device.
torch::Tensor read_probabilities(const io::h5::File& file, const std::string& name, const c10::Device& device) {
  const io::h5::Dataset dataset = file.dataset(name);
  const auto& shape = dataset.shape();
  SALIENT_CHECK(shape.size() == 3, "{} must have 3 dimensions [N, m or T, C], it has {}", dataset.where(), shape.size());
  const std::vector<std::int64_t> sizes(shape.begin(), shape.end());
  torch::Tensor host;
  if (dataset.holds<float>()) {
    host = torch::from_blob(dataset.read_all<float>().data(), sizes, torch::kFloat32).clone();
  } else if (dataset.holds<double>()) {
    host = torch::from_blob(dataset.read_all<double>().data(), sizes, torch::kFloat64).to(torch::kFloat32);
  } else {
    throw Error(fmt::format("{} holds {}, expected float32 or float64 probabilities", dataset.where(),
                            dataset.element_name()));
  }
  return host.to(device).contiguous();
}

/// The family of --kind in the table of criterion families.
const criteria::CriterionFamily& family_of_kind(const std::string& kind) {
  return *criteria::find_family(kind == "patch" ? "patches" : "mc_dropout");
}

void run_criteria(const CriteriaArguments& arguments, runtime::DeviceChoice choice) {
  const c10::Device device = runtime::resolve_device(choice, 0);
  const auto file = io::h5::File::open(arguments.in);
  const torch::Tensor probabilities = read_probabilities(file, arguments.probs, device);
  const auto n = probabilities.size(0);
  std::vector<std::string> ids;
  if (!arguments.ids.empty()) {
    ids = file.read_strings(arguments.ids);
    SALIENT_CHECK(static_cast<std::int64_t>(ids.size()) == n, "'{}', dataset '{}' has {} ids for {} candidates",
                  arguments.in, arguments.ids, ids.size(), n);
  }

  torch::Tensor variance;
  if (!arguments.variance.empty()) {
    SALIENT_CHECK(arguments.kind == "mc", "--variance is read by --kind mc only");
    variance = read_probabilities(file, arguments.variance, device);
    SALIENT_CHECK(variance.sizes() == probabilities.sizes(), "'{}', dataset '{}' must have the shape of '{}'",
                  arguments.in, arguments.variance, arguments.probs);
  }
  const criteria::CriterionFamily& family = family_of_kind(arguments.kind);
  criteria::CriteriaRequest settings;
  settings.acft = arguments.patch;
  family.check(settings);
  criteria::FamilyBatch batch;
  batch.samples = probabilities.data_ptr<float>();
  batch.predicted_variance = variance.defined() ? variance.data_ptr<float>() : nullptr;
  batch.sample_rows = n;
  batch.samples_per_row = probabilities.size(1);
  batch.classes = probabilities.size(2);
  const auto results = torch::empty({static_cast<std::int64_t>(family.result_bytes(n))},
                                    torch::TensorOptions().dtype(torch::kUInt8).device(device));
  kernels::ExecutionContext ctx;
  ctx.backend = device.is_cuda() ? kernels::Backend::cuda : kernels::Backend::cpu;
  family.run(batch, settings, results.data_ptr<std::uint8_t>(), ctx);
  const auto host = results.cpu();
  const auto* bytes = host.data_ptr<std::uint8_t>();

  std::string text = ids.empty() ? "index" : "index,id";
  for (const auto& output : family.outputs) text += fmt::format(",{}", output.name);
  text += ",reason\n";
  std::int64_t undefined = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    text += ids.empty() ? std::to_string(i) : fmt::format("{},{}", i, io::csv_field(ids[row]));
    criteria::Reason reason = criteria::Reason::defined;
    for (int output = 0; output < static_cast<int>(family.outputs.size()); ++output) {
      const auto value = family.read(bytes, n, i, output);
      reason = value.reason;
      // The kernels compute in float32: printed as floats, shortest round trip.
      text += reason == criteria::Reason::defined ? fmt::format(",{}", static_cast<float>(value.value))
                                                  : std::string(",nan");
    }
    text += fmt::format(",{}\n", reason == criteria::Reason::defined ? "" : criteria::reason_name(reason));
    undefined += reason == criteria::Reason::defined ? 0 : 1;
  }
  io::write_file_atomically(arguments.out, text);
  spdlog::info("wrote {} candidates to {}{}", n, arguments.out,
               undefined ? fmt::format(" ({} with invalid probabilities: NaN, reason given)", undefined) : "");
}

}  // namespace

void register_criteria(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<CriteriaArguments>();
  CLI::App* command = app.add_subcommand(
      "criteria", "Prediction-based criteria from your own model's probabilities (HDF5 [N, m|T, C]) to CSV");
  command->add_option("--in", arguments->in, "HDF5 file with the probabilities")->required();
  command->add_option("--probs", arguments->probs, "Dataset [N, m, C] (patch) or [N, T, C] (mc)")->required();
  command->add_option("--kind", arguments->kind, "patch: ACFT criteria over m patches; mc: uncertainty over T samples")
      ->required()
      ->check(CLI::IsMember({"patch", "mc"}));
  command->add_option("--alpha", arguments->patch.alpha, "ACFT majority fraction (1 disables majority selection)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  command->add_option("--lambda1", arguments->patch.lambda1, "ACFT weight of the entropy")->capture_default_str();
  command->add_option("--lambda2", arguments->patch.lambda2, "ACFT weight of the diversity")->capture_default_str();
  command->add_option("--variance", arguments->variance, "mc: dataset of model-predicted variances, shape of --probs");
  command->add_option("--ids", arguments->ids, "Dataset [N] of candidate ids to copy into the CSV");
  command->add_option("--out", arguments->out, "CSV to write")->required();
  command->callback([arguments, &context] { run_criteria(*arguments, context.device); });
}

}  // namespace salient::cli
