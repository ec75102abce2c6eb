// ShardReader throughput from the page cache: one rank streaming a whole pool in batches,
// each shard's images checked against the manifest's CRC-32 as they arrive; and the CRC-32
// alone over a batch in memory, the share of the reader's time the check takes.
// The pool comes from $SALIENT_BENCH_POOL (bench/run_io_benchmark.sh makes it with
// `salient synth` and times h5py on the same files in the same run).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "salient/io/checksum.h"
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

// The reader's check alone: zlib's CRC-32 over one batch of the pool's images, in memory.
void BM_ImagesCrc32(benchmark::State& state) {
  if (!pool_dir()) {
    state.SkipWithError("set SALIENT_BENCH_POOL to a pool directory (see bench/run_io_benchmark.sh)");
    return;
  }
  const Pool pool = Pool::open(pool_dir());
  const std::int64_t batch = std::min<std::int64_t>(state.range(0), pool.manifest().shards[0].count);
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(batch * pool.image_bytes()));
  pool.open_shard(0).read_images(0, batch, pixels.data());
  std::uint32_t crc = 0;
  for (auto _ : state) {
    crc = crc32_update(crc, pixels.data(), pixels.size());
    benchmark::DoNotOptimize(crc);
  }
  const auto images = static_cast<std::int64_t>(state.iterations()) * batch;
  state.SetItemsProcessed(images);
  state.SetBytesProcessed(images * pool.image_bytes());
  state.counters["images/s"] = benchmark::Counter(static_cast<double>(images), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImagesCrc32)->ArgNames({"batch"})->Arg(64)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
