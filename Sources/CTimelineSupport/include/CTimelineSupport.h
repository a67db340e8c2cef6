#ifndef CTIMELINESUPPORT_H
#define CTIMELINESUPPORT_H

#include <stddef.h>

/* glibc's memmem (two-way search with a fast path for short needles). It is a GNU extension, so
 * Swift's Glibc module does not import it; this wrapper compiles it with _GNU_SOURCE. */
void *timeline_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

#endif
