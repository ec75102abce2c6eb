// `salient criteria`: prediction-based criteria (ACFT patch criteria or MC-dropout
// uncertainty) from probabilities computed elsewhere, read from HDF5, written as CSV.
#include <torch/torch.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <limits>

#include "engine/cli/commands.h"
#include "salient/io/atomic_file.h"
#include "salient/io/csv.h"
#include "salient/io/hdf5.h"
#include "salient/kernels/patch_criteria.h"
#include "salient/kernels/uncertainty.h"

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

const char* status_name(kernels::ProbabilityStatus status) {
  switch (status) {
    case kernels::ProbabilityStatus::ok: return "";
    case kernels::ProbabilityStatus::invalid_probability: return "invalid_probability";
    case kernels::ProbabilityStatus::invalid_variance: return "invalid_variance";
  }
  return "unknown";
}

// Runs the kernel family on the device of @p probabilities and returns its results on the host.
template <typename Result, typename Kernel>
std::vector<Result> compute(const torch::Tensor& probabilities, Kernel kernel) {
  const auto n = probabilities.size(0);
  auto results = torch::empty({n * static_cast<std::int64_t>(sizeof(Result))},
                              torch::TensorOptions().dtype(torch::kUInt8).device(probabilities.device()));
  kernels::ExecutionContext ctx;
  ctx.backend = probabilities.is_cuda() ? kernels::Backend::cuda : kernels::Backend::cpu;
  kernel(reinterpret_cast<Result*>(results.data_ptr<std::uint8_t>()), ctx);
  const auto host = results.cpu();
  const auto* begin = reinterpret_cast<const Result*>(host.data_ptr<std::uint8_t>());
  return std::vector<Result>(begin, begin + n);
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

  std::vector<std::string> names;
  std::vector<std::vector<float>> columns;
  std::vector<kernels::ProbabilityStatus> status(static_cast<std::size_t>(n));
  if (arguments.kind == "patch") {
    const kernels::PatchBatch batch{probabilities.data_ptr<float>(), n, probabilities.size(1), probabilities.size(2)};
    const auto results = compute<kernels::PatchCriteria>(probabilities, [&](auto* out, const auto& ctx) {
      kernels::patch_criteria(batch, arguments.patch, out, ctx);
    });
    for (const auto& info : kernels::kPatchCriteria) names.push_back(info.name);
    columns.resize(3);
    for (std::size_t i = 0; i < results.size(); ++i) {
      columns[0].push_back(results[i].entropy);
      columns[1].push_back(results[i].diversity);
      columns[2].push_back(results[i].score);
      status[i] = results[i].status;
    }
  } else {
    torch::Tensor variance;
    if (!arguments.variance.empty()) {
      variance = read_probabilities(file, arguments.variance, device);
      SALIENT_CHECK(variance.sizes() == probabilities.sizes(), "'{}', dataset '{}' must have the shape of '{}'",
                    arguments.in, arguments.variance, arguments.probs);
    }
    const kernels::SampleBatch batch{probabilities.data_ptr<float>(), variance.defined() ? variance.data_ptr<float>() : nullptr,
                                     n, probabilities.size(1), probabilities.size(2)};
    const auto results = compute<kernels::UncertaintyCriteria>(probabilities, [&](auto* out, const auto& ctx) {
      kernels::uncertainty_criteria(batch, out, ctx);
    });
    for (const auto& info : kernels::kUncertaintyCriteria) names.push_back(info.name);
    columns.resize(5);
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      for (const auto& [column, value] : {std::pair{0, r.entropy}, {1, r.margin}, {2, r.least_confidence},
                                          {3, r.mc_variance}, {4, r.bald}}) {
        columns[static_cast<std::size_t>(column)].push_back(value);
      }
      status[i] = r.status;
    }
  }

  std::string text = ids.empty() ? "index" : "index,id";
  for (const auto& name : names) text += "," + name;
  text += ",reason\n";
  std::int64_t undefined = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    text += ids.empty() ? std::to_string(i) : fmt::format("{},{}", i, io::csv_field(ids[row]));
    const bool ok = status[row] == kernels::ProbabilityStatus::ok;
    for (const auto& column : columns) {
      text += ok ? fmt::format(",{}", column[row]) : std::string(",nan");
    }
    text += fmt::format(",{}\n", status_name(status[row]));
    undefined += ok ? 0 : 1;
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
