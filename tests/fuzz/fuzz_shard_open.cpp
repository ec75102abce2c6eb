// libFuzzer, structured: the input chooses a manifest and a shard file whose datasets
// may be missing or have other shapes and types (written through the HDF5 library, so
// the fuzzer exercises salient's validation, not HDF5's own parser). Opening either
// fails with salient::Error, or succeeds, and then every read the reader does succeeds.
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "salient/check.h"
#include "salient/io/pool.h"
#include "salient/io/pool_manifest.h"

namespace {

using namespace salient::io;

std::uint64_t perturbed(FuzzedDataProvider& input, std::uint64_t value) {
  return input.ConsumeBool() ? value : input.ConsumeIntegralInRange<std::uint64_t>(0, value + 2);
}

void write_dataset(h5::File& file, FuzzedDataProvider& input, const std::string& name,
                   std::vector<std::uint64_t> dims, int natural_type) {
  if (input.ConsumeProbability<float>() >= 0.9f) return;  // usually present
  for (auto& d : dims) d = perturbed(input, d);
  if (input.ConsumeIntegralInRange(0, 9) == 0) dims.push_back(1);  // an extra dimension
  std::uint64_t elements = 1;
  for (const auto d : dims) elements *= d;
  const int type = input.ConsumeIntegralInRange(0, 5) == 0 ? input.ConsumeIntegralInRange(0, 4) : natural_type;
  switch (type) {
    case 0: file.write(name, dims, std::vector<std::uint8_t>(elements, 3).data()); break;
    case 1: file.write(name, dims, std::vector<std::int8_t>(elements, -1).data()); break;
    case 2: file.write(name, dims, std::vector<std::uint16_t>(elements, 7).data()); break;
    case 3: file.write(name, dims, std::vector<float>(elements, 0.5f).data()); break;
    default: {
      if (dims.size() != 1) return;
      file.write_strings(name, std::vector<std::string>(dims[0], "id"));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // tmpfs where there is one: the manifest is fsync'd on every write.
  static const std::string dir = (std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : "/tmp") +
                                 std::string("/salient-fuzz-shard-") + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  FuzzedDataProvider input(data, size);

  PoolManifest manifest;
  manifest.height = input.ConsumeIntegralInRange(1, 6);
  manifest.width = input.ConsumeIntegralInRange(1, 6);
  const int pixel = input.ConsumeIntegralInRange(0, 2);
  manifest.pixel_type = static_cast<PixelType>(pixel);
  const int labels = input.ConsumeIntegralInRange(0, 3);
  for (int c = 0; c < labels; ++c) manifest.label_names.push_back("L" + std::to_string(c));
  manifest.shard_size = input.ConsumeIntegralInRange(1, 5);
  manifest.shards.push_back({"shard.h5", input.ConsumeIntegralInRange<std::int64_t>(1, manifest.shard_size), 0});
  const auto n = static_cast<std::uint64_t>(manifest.shards[0].count);
  const auto h = static_cast<std::uint64_t>(manifest.height), w = static_cast<std::uint64_t>(manifest.width);
  try {
    write_manifest(dir, manifest);
    auto file = h5::File::create(dir + "/shard.h5");
    const int image_type = pixel == 0 ? 0 : pixel == 1 ? 2 : 3;
    write_dataset(file, input, "images", {n, h, w}, image_type);
    write_dataset(file, input, "ids", {n}, 4);
    write_dataset(file, input, "labels", {n, static_cast<std::uint64_t>(labels)}, 1);
    write_dataset(file, input, "roi", {n, h, w}, 0);
    write_dataset(file, input, "patient_ids", {n}, 4);
  } catch (const salient::Error&) {
    return 0;  // HDF5 refused a shape (e.g. zero-sized): nothing to open
  }

  const Pool pool = Pool::open(dir);
  std::optional<ShardFile> shard;
  try {
    shard = pool.open_shard(0);
  } catch (const salient::Error&) {
    return 0;
  }
  // Opened: the reads the reader relies on must all work.
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(pool.image_bytes()) * n);
  std::vector<std::int8_t> label_values(n * static_cast<std::size_t>(labels));
  std::vector<std::uint8_t> roi(n * h * w);
  try {
    shard->read_images(0, shard->count(), pixels.data());
    shard->read_labels(0, shard->count(), label_values.data());
    if (shard->has_roi()) shard->read_roi(0, shard->count(), roi.data());
    if (shard->ids().size() != n) std::abort();
  } catch (const salient::Error&) {
    std::abort();
  }
  try {
    shard->patient_ids();
    shard->boxes();
  } catch (const salient::Error&) {
  }
  return 0;
}
