#include <stdint.h>
#include <string.h>
#include "CTimelineSupport.h"

/* Whether a needle of plain ASCII lies in a JSON string's raw content where no escape covers any of its
 * bytes. An escape covers at most the six bytes from its backslash (`\uXXXX`; a surrogate pair is two
 * such, each with its own backslash), and the needle holds no backslash, so an occurrence at i is clear
 * of escapes when none of the five bytes before it is a backslash. Its bytes then decode to themselves,
 * and (ASCII without capitals) fold to themselves: the folded text holds the needle. An occurrence with a
 * backslash a few bytes before it is passed over (`\u00e9` holds "u00e9" but decodes to "é"), even when
 * that backslash ends an escape (`\\serveur`): an answer of 0 says nothing, the caller folds the text.
 * So is one with a byte from 0xC0 in the three bytes before it: in text that is not UTF-8 (a file changed
 * under the reader), the folding loop takes the bytes after such a byte as its character's, whatever
 * they are. */

static inline int clear_of_escapes(const uint8_t *p, size_t i) {
  for (size_t k = i >= 5 ? i - 5 : 0; k < i; k++)
    if (p[k] == '\\' || (p[k] >= 0xC0 && k + 3 >= i)) return 0;
  return 1;
}

static int plain_contains_bytes(const uint8_t *p, size_t n, const uint8_t *needle, size_t m, size_t from) {
  for (size_t i = from; i + m <= n; i++)
    if (p[i] == needle[0] && memcmp(p + i, needle, m) == 0 && clear_of_escapes(p, i)) return 1;
  return 0;
}

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

/* 32 places at a time: where the needle's first byte is, and its last byte m - 1 further on (Muła's
 * "SIMD-friendly" substring search); each such place is then compared whole. */
__attribute__((target("avx2,bmi"))) static int plain_contains_avx2(const uint8_t *p, size_t n, const uint8_t *needle, size_t m) {
  const __m256i first = _mm256_set1_epi8((char)needle[0]), last = _mm256_set1_epi8((char)needle[m - 1]);
  size_t i = 0;
  for (; i + m - 1 + 32 <= n; i += 32) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(p + i)), b = _mm256_loadu_si256((const __m256i *)(p + i + m - 1));
    uint32_t places = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last)));
    while (places) {
      size_t at = i + (unsigned)__builtin_ctz(places);
      if (memcmp(p + at, needle, m) == 0 && clear_of_escapes(p, at)) return 1;
      places &= places - 1;
    }
  }
  return plain_contains_bytes(p, n, needle, m, i);
}
#endif

int timeline_plain_contains(const uint8_t *bytes, size_t count, const uint8_t *needle, size_t needle_count) {
  if (needle_count == 0) return 1;
  if (needle_count > count) return 0;
#if defined(__x86_64__) && defined(__clang__)
  if (__builtin_cpu_supports("avx2")) return plain_contains_avx2(bytes, count, needle, needle_count);
#endif
  return plain_contains_bytes(bytes, count, needle, needle_count, 0);
}

int timeline_plain_contains_scalar(const uint8_t *bytes, size_t count, const uint8_t *needle, size_t needle_count) {
  if (needle_count == 0) return 1;
  if (needle_count > count) return 0;
  return plain_contains_bytes(bytes, count, needle, needle_count, 0);
}
