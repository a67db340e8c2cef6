#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif
#include "CTimelineSupport.h"

/* From this size a block is its own mapping. glibc's malloc does the same from its mmap threshold, but
 * that threshold rises to the largest mapped block freed (the loader frees blocks of tens of MiB), and
 * from then on the word index's buffers came from the threads' arenas, where what they freed (each
 * buffer doubled four times) stayed resident: 40 MB of the peak with the index at a million events.
 * Giving back or moving a mapping flushes the TLB of every core the process runs on: while the index's
 * two threads run, that cost them 0.1 s of a 0.9 s build on a two-core VM (the other core must answer
 * the interrupt), so its callers reserve room up front and free after both threads are done. */
#define PAGES_FROM ((size_t)256 << 10)

void *timeline_pages_allocate(size_t bytes) {
  if (bytes == 0) bytes = 1;
#ifdef __linux__
  if (bytes >= PAGES_FROM) {
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) abort();
    return p;
  }
#endif
  void *p = calloc(1, bytes);
  if (!p) abort();
  return p;
}

void timeline_pages_free(void *p, size_t bytes) {
  if (!p) return;
  if (bytes == 0) bytes = 1;
#ifdef __linux__
  if (bytes >= PAGES_FROM) {
    munmap(p, bytes);
    return;
  }
#endif
  free(p);
}

void timeline_pages_clear(void *p, size_t bytes) {
  if (!p || bytes == 0) return;
#ifdef __linux__
  if (bytes >= PAGES_FROM) {
    madvise(p, bytes, MADV_DONTNEED);
    return;
  }
#endif
  memset(p, 0, bytes);
}

void *timeline_pages_resize(void *p, size_t old_bytes, size_t new_bytes) {
  if (old_bytes == 0) old_bytes = 1;
  if (new_bytes == 0) new_bytes = 1;
#ifdef __linux__
  if (p && old_bytes >= PAGES_FROM && new_bytes >= PAGES_FROM) {
    void *q = mremap(p, old_bytes, new_bytes, MREMAP_MAYMOVE);
    if (q == MAP_FAILED) abort();
    /* A shrunk mapping keeps its last page whole: zero what lies past the new size on it, so that a
     * later growth reads zeros there, as it does everywhere else past the kept contents. */
    if (new_bytes < old_bytes) {
      size_t page = (size_t)sysconf(_SC_PAGESIZE);
      size_t end = (new_bytes + page - 1) / page * page;
      if (end > old_bytes) end = old_bytes;
      if (end > new_bytes) memset((char *)q + new_bytes, 0, end - new_bytes);
    }
    return q;
  }
#endif
  void *q = timeline_pages_allocate(new_bytes);
  if (p) {
    memcpy(q, p, old_bytes < new_bytes ? old_bytes : new_bytes);
    timeline_pages_free(p, old_bytes);
  }
  return q;
}
