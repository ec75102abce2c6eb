// A progress line on stderr with count, rate and ETA: redrawn in place on a terminal,
// printed every few seconds otherwise (batch logs).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace salient::runtime {

class ProgressBar {
 public:
  ProgressBar(std::string what, std::int64_t total);
  /// Reports that @p done of the total are finished.
  void update(std::int64_t done);
  /// Prints the final line (total time and mean rate).
  void finish();

 private:
  void draw(std::int64_t done, bool final);
  std::string what_;
  std::int64_t total_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace salient::runtime
