// libFuzzer: any bytes as a weights file a user brings (`--weights`, a torch.save
// state_dict) are either read or refused with salient::Error naming the file. Another
// exception, a crash or a sanitizer report is a finding. Seeds: real state_dicts
// (tests/fuzz/corpus/torch_save/, written by torch.save).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "engine/models/torch_save_file.h"
#include "salient/check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/salient-fuzz-torch-save-" + std::to_string(::getpid()) + ".pt";
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                                 static_cast<std::streamsize>(size));
  try {
    salient::models::read_torch_save_tensors(path);
  } catch (const salient::Error&) {
  }
  return 0;
}
