#include "engine/runtime/archive_file.h"

#include <fmt/format.h>

#include "salient/check.h"
#include "salient/io/atomic_file.h"

namespace salient::runtime {

void write_archive_atomically(torch::serialize::OutputArchive& archive, const std::string& path,
                              const std::string& what) {
  std::string bytes;
  try {
    archive.save_to([&bytes](const void* data, std::size_t size) {
      bytes.append(static_cast<const char*>(data), size);
      return size;
    });
  } catch (const c10::Error& error) {
    throw Error(fmt::format("{}: cannot serialize {} ({})", path, what, error.what_without_backtrace()));
  }
  io::write_file_atomically(path, bytes);
}

}  // namespace salient::runtime
