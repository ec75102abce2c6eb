// LibTorch archives (salient checkpoints, training state) written whole or not at all.
//
// OutputArchive::save_to(path) writes through LibTorch's zip writer, whose destructor
// finishes the zip: when the disk fills, the write fails, and the destructor throws again
// during unwinding, which terminates the process ("unexpected pos …", exit 134). The
// archive is therefore serialized in memory and written by io::write_file_atomically,
// whose errors name the file and the cause (errno: "No space left on device").
#pragma once

#include <torch/serialize/output-archive.h>

#include <string>

namespace salient::runtime {

/// Writes @p archive to @p path atomically; @p what names the file in errors
/// ("the checkpoint", "the training state").
void write_archive_atomically(torch::serialize::OutputArchive& archive, const std::string& path,
                              const std::string& what);

}  // namespace salient::runtime
