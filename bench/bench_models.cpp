// Model throughput in images/s: forward only, forward + Grad-CAM, forward + the full input
// gradient, and WILDCAT class maps, for DenseNet-121 at 320×320 and the small CNN, on the
// GPU when there is one (fp32 and bf16 autocast, channels-last) and otherwise on the CPU
// (fp32, all cores). bench/baselines/models_pytorch.py times the same cases in PyTorch
// eager Python (torchvision + autograd, as Captum computes them); bench/run_model_benchmarks.sh
// runs both.
#include <benchmark/benchmark.h>
#include <torch/cuda.h>
#include <torch/torch.h>

#include <string>

#include "engine/models/model_factory.h"
#include "engine/runtime/heap.h"
#include "engine/runtime/precision.h"
#include "engine/runtime/threads.h"
#include "engine/saliency/saliency.h"

namespace salient {
namespace {

enum class Work { forward, gradcam, input_gradient, wildcat };

const char* work_name(Work work) {
  switch (work) {
    case Work::forward: return "forward";
    case Work::gradcam: return "gradcam";
    case Work::input_gradient: return "input_gradient";
    case Work::wildcat: return "wildcat";
  }
  return "?";
}

struct Case {
  models::Architecture architecture;
  Work work;
  std::int64_t batch;
  runtime::Precision precision;
};

void run_case(benchmark::State& state, const Case& c, const c10::Device& device) {
  models::ModelSpec spec;
  spec.architecture = c.architecture;
  spec.classes = 14;
  spec.input_size = 320;
  spec.wildcat.enabled = c.work == Work::wildcat;
  auto model = models::make_classifier(spec, 0);
  model->to(device);
  const bool cuda = device.is_cuda();
  if (cuda) runtime::use_channels_last(model->parameters());
  auto input = torch::randn({c.batch, 1, spec.input_size, spec.input_size}, torch::TensorOptions().device(device));
  if (cuda) input = input.contiguous(at::MemoryFormat::ChannelsLast);
  const auto targets = torch::zeros({c.batch}, torch::kInt64);
  const auto indices = torch::arange(c.batch);
  saliency::SaliencyOptions options;
  options.method = c.work == Work::gradcam   ? saliency::Method::gradcam
                   : c.work == Work::wildcat ? saliency::Method::wildcat
                                             : saliency::Method::grad;
  const auto step = [&] {
    const runtime::AutocastScope autocast(device, c.precision);
    if (c.work == Work::forward) {
      torch::NoGradGuard no_grad;
      benchmark::DoNotOptimize(model->logits(input));
    } else {
      benchmark::DoNotOptimize(saliency::compute_saliency(*model, input, targets, indices, options).maps);
    }
    if (cuda) torch::cuda::synchronize();
  };
  step();  // warm-up: cuDNN algorithm choice, allocator
  for (auto _ : state) step();
  state.SetItemsProcessed(state.iterations() * c.batch);
  state.counters["images/s"] = benchmark::Counter(static_cast<double>(c.batch), benchmark::Counter::kIsIterationInvariantRate);
}

void register_cases() {
  const bool cuda = torch::cuda::is_available();
  const c10::Device device = cuda ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
  runtime::use_all_cpu_threads(1);
  const std::vector<std::int64_t> batches = cuda ? std::vector<std::int64_t>{32, 128, 256} : std::vector<std::int64_t>{32};
  const std::vector<runtime::Precision> precisions =
      cuda ? std::vector<runtime::Precision>{runtime::Precision::fp32, runtime::Precision::bf16}
           : std::vector<runtime::Precision>{runtime::Precision::fp32};
  for (const auto architecture : {models::Architecture::densenet121, models::Architecture::small_cnn}) {
    for (const auto work : {Work::forward, Work::gradcam, Work::input_gradient, Work::wildcat}) {
      for (const auto batch : batches) {
        for (const auto precision : precisions) {
          const Case c{architecture, work, batch, precision};
          const std::string name = models::architecture_name(architecture) + "/" + work_name(work) + "/" +
                                   (cuda ? "cuda" : "cpu") + "/" + runtime::precision_name(precision) +
                                   "/batch:" + std::to_string(batch);
          benchmark::RegisterBenchmark(name.c_str(), [c, device](benchmark::State& state) { run_case(state, c, device); })
              ->Unit(benchmark::kMillisecond)
              ->UseRealTime()
              ->MinTime(cuda ? 2.0 : 0.1);
        }
      }
    }
  }
}

}  // namespace
}  // namespace salient

int main(int argc, char** argv) {
  salient::runtime::keep_freed_memory_in_heap();  // as salient's main() does (runtime/heap.h)
  benchmark::Initialize(&argc, argv);
  salient::register_cases();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
