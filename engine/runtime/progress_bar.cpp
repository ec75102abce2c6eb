#include "engine/runtime/progress_bar.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace salient::runtime {

ProgressBar::ProgressBar(std::string what, std::int64_t total)
    : what_(std::move(what)), total_(total), terminal_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

void ProgressBar::update(std::int64_t done) {
  const auto now = std::chrono::steady_clock::now();
  const auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
  if (now - last_draw_ < interval) return;
  last_draw_ = now;
  draw(done, false);
}

void ProgressBar::finish() { draw(total_, true); }

void ProgressBar::draw(std::int64_t done, bool final) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  constexpr int kWidth = 30;
  const int filled = total_ > 0 ? static_cast<int>(kWidth * done / total_) : kWidth;
  const std::string bar = std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(kWidth - filled), '.');
  const std::string line =
      final ? fmt::format("{} [{}] {}/{} in {:.1f} s, {:.0f} {}/s", what_, bar, done, total_, seconds, rate, what_)
            : fmt::format("{} [{}] {}/{}  {:.0f} {}/s  ETA {:.0f} s", what_, bar, done, total_, rate, what_, eta);
  std::fprintf(stderr, terminal_ ? "\r%s\033[K%s" : "%s%s", line.c_str(), final || !terminal_ ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace salient::runtime
