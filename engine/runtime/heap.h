// The process's heap for LibTorch's CPU tensors. glibc serves every block above its mmap
// threshold (at most 32 MiB, however it adapts) with a fresh mmap and unmaps it on free, so a
// network whose activations are hundreds of MiB gets new pages from the kernel for every
// tensor of every pass, and pays a page fault per 4 KiB on first touch: on the 2-core
// development machine DenseNet-121's forward pass at 320 px spent most of its time in the
// kernel (53 s of 67 s of a benchmark run were system time). keep_freed_memory_in_heap()
// turns mmap off (M_MMAP_MAX = 0) and lets the heap keep up to 1 GiB of free memory at its
// top (M_TRIM_THRESHOLD), so freed tensors' pages are reused without faults. The price is that
// the process keeps its peak memory until it exits, which suits a scoring or training job.
// Measured in docs/benchmarks.md ("Models and saliency, CPU").
#pragma once

namespace salient::runtime {

/// Call once, first thing in main(). Returns false where the C library refuses the settings.
bool keep_freed_memory_in_heap();

}  // namespace salient::runtime
