// `salient bench`: end-to-end scoring throughput. Each measurement is a whole
// `salient score --select` job started under mpirun (or srun) with R ranks on a synthetic
// pool, its stage times read from the job's score-report.json; every run's score tables and
// selection are compared with a reference run's, so each figure comes with a correctness
// check (nccl-tests' #wrong). Strong scaling keeps the pool and adds ranks; weak scaling
// grows the pool with the ranks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace salient::bench {

struct BenchSettings {
  std::string work_dir;          ///< pools and the runs' studies
  std::string pool;              ///< an existing pool; empty: synthesize one per image count
  std::int64_t images = 512;     ///< synthetic pool size (per rank with weak scaling)
  int size = 128;                ///< synthetic image side in pixels
  std::uint64_t seed = 1;
  std::vector<int> ranks{1, 2};  ///< the first is the reference of the correctness check
  bool strong = true;            ///< runs on the same pool for every rank count
  bool weak = false;             ///< runs on images × ranks images
  std::string model = "small-cnn";
  int input_size = 128;
  int batch_size = 32;
  std::string criteria = "prediction,mc_dropout,firstorder,glcm,shape2D,alignment";
  std::string strategy = "eg-al";
  int budget = 32;
  int threads = 0;  ///< LibTorch threads per rank; 0: this machine's cores shared by the ranks
  std::string launcher = "mpirun";  ///< mpirun or srun (inside a Slurm allocation)
  std::string salient;              ///< the binary the jobs run
  std::vector<std::string> extra_arguments;  ///< passed to every `salient score`
};

/// One stage of the scoring loop in one run, as every rank measured it.
struct StageMeasurement {
  std::string name;                       ///< read, saliency, model, kernels, write
  std::int64_t bytes = 0;                 ///< what the stage moved over the run (docs/benchmarks.md)
  std::vector<double> rank_seconds;       ///< per rank
  std::vector<std::int64_t> rank_images;  ///< images each rank computed
};

/// The correctness of one run against the reference run on the same pool.
struct RunCheck {
  bool is_reference = false;
  bool selection_identical = false;
  std::int64_t values_compared = 0;   ///< criterion values of every score table
  std::int64_t values_differing = 0;  ///< not bit-identical to the reference's
  double max_abs_difference = 0;
  std::string problem;  ///< why the run is wrong (empty when it is not)
  /// nccl-tests' #wrong: differing values, plus one for a different selection or a failure.
  std::int64_t wrong() const;
};

struct BenchRun {
  std::string scaling;  ///< "strong" or "weak"
  int ranks = 0;
  int threads_per_rank = 0;
  std::string pool;
  std::int64_t images = 0;
  double job_seconds = 0;    ///< the launcher's whole run: start, model, scoring, selection, exit
  double score_seconds = 0;  ///< scoring on rank 0, from its first read to the last table
  std::vector<StageMeasurement> stages;
  std::string device;  ///< rank 0's
  RunCheck check;
};

/// Every run of @p settings, in order: strong scaling, then weak. A run that fails is kept,
/// with RunCheck::problem saying why (and where its log is).
std::vector<BenchRun> run_benchmark(const BenchSettings& settings);

}  // namespace salient::bench
