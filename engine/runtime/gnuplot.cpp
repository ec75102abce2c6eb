#include "engine/runtime/gnuplot.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "engine/runtime/child_process.h"
#include "salient/io/atomic_file.h"

namespace salient::runtime {

std::string gnuplot_string(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted + "'";
}

bool draw_png(const std::string& commands, const std::string& png_path, int width, int height) {
  io::AtomicOutput output(png_path);
  const std::string script_path = output.temporary_path() + ".gp";
  {
    std::ofstream script(script_path);
    script << fmt::format("set terminal pngcairo size {},{} font 'sans,11'\nset output {}\n", width, height,
                          gnuplot_string(output.temporary_path()))
           << commands;
  }
  const ProcessResult gnuplot = run_process({"gnuplot", script_path}, /*capture=*/true);
  std::filesystem::remove(script_path);
  if (!gnuplot.started) {
    spdlog::warn("gnuplot {}: {} not drawn (Debian: apt install gnuplot-nox)",
                 gnuplot.start_error == ENOENT ? "is not installed" : "could not start", png_path);
    return false;
  }
  if (gnuplot.status != 0) {
    spdlog::warn("gnuplot failed (status {}): {} not drawn\n{}", gnuplot.status, png_path, gnuplot.output);
    return false;
  }
  std::error_code error;
  if (std::filesystem::file_size(output.temporary_path(), error) == 0 || error) {
    // gnuplot reports a failed write of its output only on its own terminal, and exits 0.
    spdlog::warn("gnuplot wrote nothing to {} (is the disk full?): {} not drawn\n{}", output.temporary_path(),
                 png_path, gnuplot.output);
    return false;
  }
  output.commit();
  return true;
}

}  // namespace salient::runtime
