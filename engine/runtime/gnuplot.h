// Charts drawn by gnuplot (Debian's gnuplot-nox: the pngcairo terminal): learning curves,
// `salient compare`, `salient bench --plot`. A missing or failing gnuplot costs the chart,
// with a warning, never the job.
#pragma once

#include <string>

namespace salient::runtime {

/// Draws @p png_path (atomically) with gnuplot's pngcairo terminal at @p width × @p height
/// pixels, then @p commands (set …, plot … with inline data). Returns false, with a
/// warning that says why, when gnuplot is not installed or fails.
bool draw_png(const std::string& commands, const std::string& png_path, int width = 900, int height = 600);

/// @p text as a gnuplot string literal (single quotes; a quote inside is doubled).
std::string gnuplot_string(const std::string& text);

}  // namespace salient::runtime
