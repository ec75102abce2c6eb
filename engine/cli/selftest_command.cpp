// `salient selftest`: every dependency used once, on every rank, against known answers.
#include <torch/torch.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <vector>

#include "engine/cli/commands.h"
#include "engine/comm/mpi_session.h"
#include "salient/io/hdf5.h"
#include "salient/kernels/map_summary.h"

namespace salient::cli {
namespace {

struct CheckResult {
  std::string name;
  bool ok;
  std::string detail;
};

CheckResult check_torch(const c10::Device& device) {
  // A = [[0,1,2],[3,4,5],[6,7,8]]; the entries of A·A sum to 486 (by hand).
  const auto a = torch::arange(9, torch::TensorOptions().dtype(torch::kFloat64).device(device)).reshape({3, 3});
  const double sum = torch::matmul(a, a).sum().item<double>();
  return {"LibTorch matmul on " + device.str(), sum == 486.0, fmt::format("sum(A·A) = {} (expected 486)", sum)};
}

CheckResult check_mpi(const comm::MpiSession& mpi) {
  long long contribution = mpi.rank() + 1;
  long long total = 0;
  SALIENT_MPI_CHECK(MPI_Allreduce(&contribution, &total, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD));
  const long long expected = static_cast<long long>(mpi.size()) * (mpi.size() + 1) / 2;
  return {"MPI_Allreduce over " + std::to_string(mpi.size()) + " rank(s)", total == expected,
          fmt::format("sum of rank+1 = {} (expected {})", total, expected)};
}

CheckResult check_hdf5(const comm::MpiSession& mpi) {
  const auto path = std::filesystem::temp_directory_path() /
                    fmt::format("salient-selftest-{}-{}.h5", ::getpid(), mpi.rank());
  const std::vector<float> written{0.5f, -1.25f, 3.0f, 1e-7f, 65504.0f, -0.0f};
  {
    auto file = io::h5::File::create(path.string());
    file.write("values", {2, 3}, written.data());
  }
  const auto read_back = io::h5::File::open(path.string()).read<float>("values");
  std::filesystem::remove(path);
  return {"HDF5 write and read back", read_back == written,
          read_back == written ? "6 floats identical" : "the floats read back differ"};
}

CheckResult check_kernels(const c10::Device& device) {
  // Map 0 = 1..12 on a 3×4 grid (sum 78); map 1 is masked to its first row {-2,-1,0,1}.
  std::vector<float> maps(24);
  for (int i = 0; i < 12; ++i) maps[i] = static_cast<float>(i + 1);
  for (int i = 0; i < 12; ++i) maps[12 + i] = static_cast<float>(i - 2);
  std::vector<std::uint8_t> masks(24, 1);
  for (int i = 16; i < 24; ++i) masks[i] = 0;

  const auto options = torch::TensorOptions().device(device);
  const auto maps_on_device = torch::from_blob(maps.data(), {2, 3, 4}).to(device);
  const auto masks_on_device = torch::from_blob(masks.data(), {2, 3, 4}, torch::kUInt8).to(device);
  auto out = torch::empty({2 * static_cast<long>(sizeof(kernels::MapSummary))}, options.dtype(torch::kUInt8));
  kernels::ExecutionContext ctx;
  ctx.backend = device.is_cuda() ? kernels::Backend::cuda : kernels::Backend::cpu;
  kernels::summarize_maps({maps_on_device.data_ptr<float>(), masks_on_device.data_ptr<std::uint8_t>(), 2, 3, 4},
                          reinterpret_cast<kernels::MapSummary*>(out.data_ptr<std::uint8_t>()), ctx);
  const auto host = out.cpu();
  const auto* s = reinterpret_cast<const kernels::MapSummary*>(host.data_ptr<std::uint8_t>());
  const bool ok = s[0].count == 12 && s[0].min == 1 && s[0].max == 12 && s[0].sum == 78 && s[1].count == 4 &&
                  s[1].min == -2 && s[1].max == 1 && s[1].sum == -2;
  return {std::string("map summary kernel (") + (device.is_cuda() ? "CUDA twin, CUB" : "CPU twin") + ")", ok,
          fmt::format("map 0: n={} sum={}; map 1 masked: n={} sum={}", s[0].count, s[0].sum, s[1].count, s[1].sum)};
}

int run_selftest(runtime::DeviceChoice choice, const comm::MpiSession& mpi) {
  const c10::Device device = runtime::resolve_device(choice, mpi.local_rank());
  std::vector<std::function<CheckResult()>> checks{
      [&] { return check_torch(device); },
      [&] { return check_mpi(mpi); },
      [&] { return check_hdf5(mpi); },
      [&] { return check_kernels(device); },
  };
  int local_failures = 0;
  for (const auto& check : checks) {
    CheckResult result;
    try {
      result = check();
    } catch (const std::exception& error) {
      result = {"(check threw)", false, error.what()};
    }
    local_failures += result.ok ? 0 : 1;
    spdlog::info("{:<40} {}  {}", result.name, result.ok ? "ok  " : "FAIL", result.detail);
  }
  int failures = 0;
  SALIENT_MPI_CHECK(MPI_Allreduce(&local_failures, &failures, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD));
  if (mpi.rank() == 0) {
    std::printf("selftest: %d rank(s), %zu checks each, %d failed\n", mpi.size(), checks.size(), failures);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

void register_selftest(CLI::App& app, CommandContext& context) {
  app.add_subcommand("selftest", "Use every component once on every rank and check the results")
      ->callback([&context] { context.exit_code = run_selftest(context.device, context.mpi()); });
}

}  // namespace salient::cli
