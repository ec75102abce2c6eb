// libFuzzer: any bytes as pool.json are either a valid manifest or a salient::Error,
// and a manifest that is accepted never names a shard outside the pool directory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "salient/check.h"
#include "salient/io/pool_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto manifest = salient::io::parse_manifest(text, "fuzz/pool.json");
    for (const auto& shard : manifest.shards) {
      const auto normal = std::filesystem::path(shard.path).lexically_normal();
      if (normal.is_absolute() || normal.empty() || *normal.begin() == "..") std::abort();
    }
  } catch (const salient::Error&) {
  }
  return 0;
}
