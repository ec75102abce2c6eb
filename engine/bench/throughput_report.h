// What `salient bench` prints and writes: a table in the style of nccl-tests (every figure
// with its unit, aggregate and per rank, and a #wrong column), strong and weak scaling
// efficiency, the same as JSON for plotting, and PNG charts drawn by gnuplot.
#pragma once

#include <string>
#include <vector>

#include "engine/bench/throughput_run.h"

namespace salient::bench {

/// Aggregate and per-rank throughput of one stage of one run. The aggregate time is the
/// slowest rank's (the ranks work at once); per rank, images/s and GB/s are each rank's
/// own, averaged over the ranks.
struct StageThroughput {
  std::string name;
  std::int64_t images = 0;
  std::int64_t bytes = 0;
  double seconds = 0;
  double images_per_second = 0;
  double gigabytes_per_second = 0;
  double rank_images_per_second = 0;
  double rank_gigabytes_per_second = 0;
};

std::vector<StageThroughput> stage_throughputs(const BenchRun& run);

/// Images per second of the scoring itself (rank 0's time from first read to last table).
double scoring_images_per_second(const BenchRun& run);

/// Scaling efficiency of @p run against the run with the fewest ranks of the same kind:
/// strong, X(R) / (X(R₀) · R / R₀); weak, X(R) / (X(R₀) · R / R₀) too, with X the images
/// per second of scoring (so ideal weak scaling keeps the time per run flat). NaN for a
/// failed run.
double scaling_efficiency(const std::vector<BenchRun>& runs, const BenchRun& run);

/// The text table with a header naming the settings, the machine and the date.
std::string bench_table(const BenchSettings& settings, const std::vector<BenchRun>& runs);

/// Everything as JSON: settings, machine, date, each run's stages per rank, its check.
std::string bench_json(const BenchSettings& settings, const std::vector<BenchRun>& runs);

/// DIR/bench-stages.png (images/s of each stage, per run of strong scaling) and
/// DIR/bench-scaling.png (images/s against ranks, with ideal lines). Returns the files drawn.
std::vector<std::string> plot_bench(const std::vector<BenchRun>& runs, const std::string& dir);

/// The sum of every run's #wrong.
std::int64_t total_wrong(const std::vector<BenchRun>& runs);

}  // namespace salient::bench
