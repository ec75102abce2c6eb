// ShardReader throughput from the page cache: one rank streaming a whole pool in batches.
// The pool comes from $SALIENT_BENCH_POOL (bench/run_io_benchmark.sh makes it with
// `salient synth` and times h5py on the same files in the same run).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "salient/io/shard_reader.h"

namespace {

using namespace salient::io;

const char* pool_dir() { return std::getenv("SALIENT_BENCH_POOL"); }

void BM_ShardReader(benchmark::State& state) {
  if (!pool_dir()) {
    state.SkipWithError("set SALIENT_BENCH_POOL to a pool directory (see bench/run_io_benchmark.sh)");
    return;
  }
  const Pool pool = Pool::open(pool_dir());
  ReaderOptions options;
  options.batch_size = state.range(0);
  options.prefetch = static_cast<int>(state.range(1));
  std::int64_t images = 0;
  for (auto _ : state) {
    ShardReader reader(pool, options);
    while (auto batch = reader.next()) {
      benchmark::DoNotOptimize(batch->pixels);
      images += batch->size();
    }
  }
  state.SetItemsProcessed(images);
  state.SetBytesProcessed(images * pool.image_bytes());
  state.counters["images/s"] = benchmark::Counter(static_cast<double>(images), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ShardReader)
    ->ArgNames({"batch", "prefetch"})
    ->Args({64, 2})
    ->Args({256, 2})
    ->Args({64, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
