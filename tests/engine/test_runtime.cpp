#include <gtest/gtest.h>
#include <torch/torch.h>

#include <malloc.h>

#include <regex>

#include "engine/cli/commands.h"
#include "engine/runtime/device.h"
#include "engine/runtime/heap.h"
#include "salient/check.h"
#include "salient/kernels/execution.h"

namespace salient {
namespace {

TEST(LibTorch, LinearLayerMatchesHandComputedOutput) {
  // y = W x + b with W = [[1,2],[3,4]], b = [0.5,-1], x = [1,-1]  →  y = [-0.5, -2].
  torch::nn::Linear layer(2, 2);
  {
    torch::NoGradGuard no_grad;
    layer->weight.copy_(torch::tensor({{1.0f, 2.0f}, {3.0f, 4.0f}}));
    layer->bias.copy_(torch::tensor({0.5f, -1.0f}));
  }
  const auto y = layer->forward(torch::tensor({{1.0f, -1.0f}}));
  EXPECT_FLOAT_EQ(y[0][0].item<float>(), -0.5f);
  EXPECT_FLOAT_EQ(y[0][1].item<float>(), -2.0f);
}

TEST(LibTorch, AutogradGivesTheAnalyticGradient) {
  // d/dx sum(x³) = 3x².
  auto x = torch::tensor({-2.0, 0.5, 3.0}, torch::requires_grad());
  x.pow(3).sum().backward();
  EXPECT_TRUE(torch::allclose(x.grad(), torch::tensor({12.0, 0.75, 27.0})));
}

TEST(DeviceChoice, ParsesTheThreeNamesAndRejectsOthers) {
  EXPECT_EQ(runtime::parse_device_choice("auto"), runtime::DeviceChoice::automatic);
  EXPECT_EQ(runtime::parse_device_choice("cpu"), runtime::DeviceChoice::cpu);
  EXPECT_EQ(runtime::parse_device_choice("cuda"), runtime::DeviceChoice::cuda);
  EXPECT_THROW(runtime::parse_device_choice("gpu"), Error);
}

TEST(DeviceChoice, AutoUsesCudaExactlyWhenADeviceIsPresent) {
  const bool has_device = kernels::cuda_device_count() > 0;
  EXPECT_EQ(runtime::resolve_device(runtime::DeviceChoice::automatic, 0).is_cuda(), has_device);
  EXPECT_TRUE(runtime::resolve_device(runtime::DeviceChoice::cpu, 0).is_cpu());
  if (has_device) {
    EXPECT_TRUE(runtime::resolve_device(runtime::DeviceChoice::cuda, 0).is_cuda());
  } else {
    EXPECT_THROW(runtime::resolve_device(runtime::DeviceChoice::cuda, 0), Error);
  }
}

TEST(VersionReport, NamesEveryComponentAndWhetherCudaIsUsable) {
  const std::string report = cli::version_report();
  EXPECT_TRUE(std::regex_search(report, std::regex(R"(^salient \d+\.\d+\.\d+ \(git [0-9a-z-]+\))"))) << report;
  EXPECT_NE(report.find("LibTorch: 2.11.0"), std::string::npos) << report;
  EXPECT_TRUE(std::regex_search(report, std::regex(R"(MPI: +Open MPI v\d)"))) << report;
  if (!kernels::cuda_compiled()) {
    EXPECT_NE(report.find("CUDA:     not compiled in"), std::string::npos) << report;
  } else if (kernels::cuda_device_count() == 0) {
    EXPECT_NE(report.find("not usable: no CUDA device"), std::string::npos) << report;
    EXPECT_TRUE(std::regex_search(report, std::regex(R"(NCCL: +2\.\d+\.\d+, not usable)"))) << report;
  } else {
    EXPECT_TRUE(std::regex_search(report, std::regex(R"(CUDA: +compiled in .*usable: \d+ device)"))) << report;
  }
}

// With salient's heap settings a freed tensor of 256 MiB stays in the heap as free memory
// for the next one (glibc's default would have unmapped it); the settings are the process's,
// as in salient's main(), so the tests after this one run with them too.
TEST(Heap, KeepsAFreedLargeTensorForReuse) {
  ASSERT_TRUE(runtime::keep_freed_memory_in_heap());
  constexpr std::size_t kBytes = std::size_t{256} << 20;
  const auto before = mallinfo2();
  {
    auto tensor = torch::ones({static_cast<std::int64_t>(kBytes / sizeof(float))});
    EXPECT_EQ(mallinfo2().hblkhd, before.hblkhd) << "the tensor was mmapped";
    EXPECT_EQ(tensor.sum().item<double>(), static_cast<double>(kBytes / sizeof(float)));
  }
  EXPECT_GE(mallinfo2().fordblks, kBytes);
}

}  // namespace
}  // namespace salient
