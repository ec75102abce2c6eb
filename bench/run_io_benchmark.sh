#!/usr/bin/env bash
# Pool streaming, salient's ShardReader (which checks every shard's CRC-32 as it reads)
# beside h5py without and with the same check (zlib.crc32), on the same pools in the same
# run: one pool per compression level (0 = none, 1 and 4 = deflate with byte shuffle), read
# from the page cache by one rank in batches of 64; and the CRC-32 alone over a batch in
# memory. Prints a Markdown table.
#   bench/run_io_benchmark.sh [build_dir] [images] [size]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build/default}
images=${2:-4096}
size=${3:-320}
python=$root/.venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "| compression | MB on disk | reader | images/s | MB/s |"
echo "| --- | ---: | --- | ---: | ---: |"
for level in 0 1 4; do
  pool=$work/pool-$level
  "$build/salient" --log-level warn synth --count "$images" --size "$size" --seed 1 --deflate "$level" \
    --out "$pool" 2>/dev/null
  megabytes=$(du -sm "$pool" | cut -f1)
  cat "$pool"/*.h5 >/dev/null  # into the page cache
  SALIENT_BENCH_POOL=$pool "$build/bench/salient_bench_io" \
    --benchmark_filter='BM_ShardReader/batch:64/prefetch:2|BM_ImagesCrc32' \
    --benchmark_min_time=2 --benchmark_format=json >"$work/salient.json" 2>/dev/null
  "$python" "$root/bench/h5py_read_pool.py" "$pool" --batch 64 >"$work/h5py.json"
  "$python" "$root/bench/h5py_read_pool.py" "$pool" --batch 64 --checksum >"$work/h5py-crc.json"
  "$python" - "$work/salient.json" "$work/h5py.json" "$work/h5py-crc.json" "$level" "$megabytes" <<'PY'
import json, sys
salient = {b["name"].split("/")[0]: b for b in json.load(open(sys.argv[1]))["benchmarks"]}
level, megabytes = sys.argv[4], sys.argv[5]
name = "none" if level == "0" else f"deflate {level} + shuffle"
reader = salient["BM_ShardReader"]
print(f"| {name} | {megabytes} | salient ShardReader, CRC checked | {reader['images/s']:.0f} | {reader['bytes_per_second'] / 1e6:.0f} |")
for path in sys.argv[2:4]:
    h5py = json.load(open(path))
    print(f"| {name} | {megabytes} | {h5py['reader']} | {h5py['images_per_s']:.0f} | {h5py['MB_per_s']:.0f} |")
if level == "0":
    crc = salient["BM_ImagesCrc32"]
    print(f"| (in memory) | | CRC-32 alone (ISA-L) | {crc['images/s']:.0f} | {crc['bytes_per_second'] / 1e6:.0f} |")
PY
done
