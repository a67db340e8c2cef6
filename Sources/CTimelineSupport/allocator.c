#include "CTimelineSupport.h"

#if defined(__GLIBC__)
#include <malloc.h>

int timeline_tune_allocator(long mmap_threshold, int arenas) {
  int threshold = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
  int count = mallopt(M_ARENA_MAX, arenas);
  return threshold == 1 && count == 1;
}
#else
int timeline_tune_allocator(long mmap_threshold, int arenas) {
  (void)mmap_threshold;
  (void)arenas;
  return -1;
}
#endif
