#include "engine/runtime/heap.h"

#include <malloc.h>

namespace salient::runtime {

bool keep_freed_memory_in_heap() {
  constexpr int kTrimThreshold = 1 << 30;  // bytes of free memory the heap may keep at its top
  return mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
}

}  // namespace salient::runtime
