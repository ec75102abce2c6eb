// Selection across MPI ranks (engine/selection/select.h) on synthetic pools of 10⁵, 10⁶ and
// 10⁷ candidates: each rank builds its block of the pool (a contiguous run of global
// indices, as it would read its run of shards) and every rank selects together. Run it on
// 1 rank (one process holding every row: the single reader selection had before) and on 2
// ranks in the same session: bench/run_selection_benchmark.sh. Values are a hash of (global
// index, column), so every rank count selects from the same pool; 8 float criteria, d = 64
// embeddings, C = 4 probabilities, B = 100 (32 for the greedy strategies), no labels. Only
// rank 0 reports, the median of 3 runs; counters give this rank's table size and its peak
// resident memory so far (MiB).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/comm/mpi_session.h"
#include "engine/selection/rank_group.h"
#include "engine/selection/select.h"
#include "engine/selection/strategy_spec.h"

namespace {

using namespace salient::selection;

constexpr std::int64_t kDim = 64;
constexpr std::int64_t kClasses = 4;
std::unique_ptr<RankGroup> g_group;

/// A uniform in [0, 1) from (global index, column): splitmix64.
float hashed(std::int64_t index, std::int64_t column) {
  std::uint64_t z = static_cast<std::uint64_t>(index) * 0x9E3779B97F4A7C15ull + static_cast<std::uint64_t>(column);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return static_cast<float>(z >> 40) * 0x1p-24f;
}

const std::vector<std::string> kCriteria{"entropy", "margin", "ideal_Kurtosis", "alignment_HardDice",
                                         "acft_score", "bald", "least_confidence", "mc_variance"};

/// This rank's block of an @p n-candidate pool.
const CriteriaTable& block(std::int64_t n) {
  static std::map<std::int64_t, CriteriaTable> tables;
  const auto found = tables.find(n);
  if (found != tables.end()) return found->second;
  tables.clear();
  const auto first = n * g_group->rank() / g_group->size(), last = n * (g_group->rank() + 1) / g_group->size();
  std::vector<std::int64_t> indices;
  std::vector<std::string> ids;
  for (auto g = first; g < last; ++g) {
    indices.push_back(g);
    ids.push_back("image" + std::to_string(g));
  }
  CriteriaTable table(indices, ids);
  for (std::size_t c = 0; c < kCriteria.size(); ++c) {
    std::vector<float> values;
    for (auto g = first; g < last; ++g) values.push_back(hashed(g, static_cast<std::int64_t>(c)));
    table.set_column(kCriteria[c], std::move(values));
  }
  std::vector<float> embeddings, probabilities;
  for (auto g = first; g < last; ++g) {
    for (std::int64_t j = 0; j < kDim; ++j) embeddings.push_back(4.0f * hashed(g, 100 + j));
    for (std::int64_t k = 0; k < kClasses; ++k) probabilities.push_back(hashed(g, 200 + k));
  }
  table.set_embeddings(kDim, std::move(embeddings));
  table.set_probabilities(kClasses, std::move(probabilities), true);
  return tables.emplace(n, std::move(table)).first->second;
}

double table_mib(const CriteriaTable& table) {
  const auto rows = static_cast<double>(table.rows());
  return rows * (8.0 + 32.0 + 4.0 * (static_cast<double>(kCriteria.size()) + kDim + kClasses)) / (1 << 20);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void select_across_ranks(benchmark::State& state, const std::string& strategy, std::int64_t budget,
                         std::map<std::string, std::string> parameters) {
  const auto& table = block(state.range(0));
  parameters["budget"] = std::to_string(budget);
  const auto spec = parse_strategy_spec(strategy, parameters);
  for (auto _ : state) {
    const auto chosen = select(table, spec, {}, {}, *g_group);
    benchmark::DoNotOptimize(chosen.selected.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["ranks"] = g_group->size();
  state.counters["table_MiB"] = table_mib(table);
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void sizes(benchmark::internal::Benchmark* bench) {
  bench->Arg(100'000)->Arg(1'000'000)->Arg(10'000'000)->Iterations(1)->Repetitions(3)->ReportAggregatesOnly(true);
  bench->UseRealTime()->Unit(benchmark::kMillisecond);
}

void BM_Entropy(benchmark::State& state) { select_across_ranks(state, "entropy", 100, {}); }
void BM_Acft(benchmark::State& state) { select_across_ranks(state, "acft", 100, {}); }
void BM_Borda3(benchmark::State& state) {
  select_across_ranks(state, "borda", 100, {{"criteria", "entropy,margin,ideal_Kurtosis"}});
}
void BM_DiverseEntropy(benchmark::State& state) { select_across_ranks(state, "diverse:entropy", 100, {}); }
void BM_Coreset(benchmark::State& state) { select_across_ranks(state, "coreset", 32, {}); }
void BM_Badge(benchmark::State& state) { select_across_ranks(state, "badge", 32, {}); }
void BM_ClusterMargin(benchmark::State& state) {
  select_across_ranks(state, "cluster-margin", 100, {{"clusters", "20"}, {"sample", "1000"}});
}
BENCHMARK(BM_Entropy)->Apply(sizes);
BENCHMARK(BM_Acft)->Apply(sizes);
BENCHMARK(BM_Borda3)->Apply(sizes);
BENCHMARK(BM_DiverseEntropy)->Apply(sizes);
BENCHMARK(BM_Coreset)->Apply(sizes);
BENCHMARK(BM_Badge)->Apply(sizes);
BENCHMARK(BM_ClusterMargin)->Apply(sizes);

/// The other ranks run every benchmark with rank 0 and print nothing.
class Silent : public benchmark::BenchmarkReporter {
 public:
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>&) override {}
};

}  // namespace

int main(int argc, char** argv) {
  salient::comm::MpiSession mpi(&argc, &argv);
  g_group = make_mpi_rank_group(mpi);
  benchmark::Initialize(&argc, argv);
  if (mpi.rank() == 0) {
    benchmark::RunSpecifiedBenchmarks();
  } else {
    Silent silent;
    benchmark::RunSpecifiedBenchmarks(&silent);
  }
  benchmark::Shutdown();
  g_group.reset();
  return 0;
}
