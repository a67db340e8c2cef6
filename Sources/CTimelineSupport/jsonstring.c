#include <stdint.h>
#include "CTimelineSupport.h"

/* The end of a JSON string's content, 64 bytes at a time (AVX2): quotes, backslashes and control
 * characters become bit masks, and the scan jumps from one to the next; each escape is checked in place
 * (a short one, or \u with four hex digits, a high surrogate only with a low one after it). Anything
 * else, and running out of room, is left to the caller's byte-by-byte scan, which says what is wrong. */

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

static inline uint32_t hex_digit(uint8_t c) {
  if ((uint8_t)(c - '0') < 10) return c - '0';
  uint8_t l = c | 0x20;
  if ((uint8_t)(l - 'a') < 6) return l - 'a' + 10;
  return 0x10000; /* shifted by up to 12 bits, still above 0xFFFF */
}

static inline uint32_t hex4(const uint8_t *p) {
  return hex_digit(p[0]) << 12 | hex_digit(p[1]) << 8 | hex_digit(p[2]) << 4 | hex_digit(p[3]);
}

static inline int short_escape(uint8_t c) {
  switch (c) {
  case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': return 1;
  default: return 0;
  }
}

__attribute__((target("avx2"))) static inline uint64_t mask64(__m256i a, __m256i b) {
  return (uint32_t)_mm256_movemask_epi8(a) | (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << 32;
}

__attribute__((target("avx2,bmi"))) static long string_end_avx2(const uint8_t *p, size_t n, int *escaped) {
  const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\'), c1f = _mm256_set1_epi8(0x1F);
  size_t base = 0;
  unsigned skip = 0; /* bytes at the start of the block that an escape took */
  int esc = 0;
  while (base + 64 <= n) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(p + base));
    __m256i b = _mm256_loadu_si256((const __m256i *)(p + base + 32));
    uint64_t keep = ~0ULL << skip;
    uint64_t q = mask64(_mm256_cmpeq_epi8(a, quote), _mm256_cmpeq_epi8(b, quote)) & keep;
    uint64_t bs = mask64(_mm256_cmpeq_epi8(a, backslash), _mm256_cmpeq_epi8(b, backslash)) & keep;
    uint64_t ctl = mask64(_mm256_cmpeq_epi8(_mm256_max_epu8(a, c1f), c1f), _mm256_cmpeq_epi8(_mm256_max_epu8(b, c1f), c1f)) & keep;
    skip = 0;
    for (;;) {
      uint64_t stops = q | bs;
      if (!stops) {
        if (ctl) return -1;
        break;
      }
      unsigned i = (unsigned)__builtin_ctzll(stops);
      if (ctl & ((1ULL << i) - 1)) return -1;
      if (q >> i & 1) {
        *escaped = esc;
        return (long)(base + i);
      }
      size_t at = base + i;
      if (at + 12 > n) return -1;
      uint8_t c = p[at + 1];
      size_t len;
      if (c == 'u') {
        uint32_t unit = hex4(p + at + 2);
        if (unit > 0xFFFF) return -1;
        if ((unit & 0xF800) == 0xD800) {
          if (unit > 0xDBFF || p[at + 6] != '\\' || p[at + 7] != 'u') return -1;
          uint32_t low = hex4(p + at + 8);
          if (low < 0xDC00 || low > 0xDFFF) return -1;
          len = 12;
        } else {
          len = 6;
        }
      } else if (short_escape(c)) {
        len = 2;
      } else {
        return -1;
      }
      esc = 1;
      unsigned next = i + (unsigned)len;
      if (next >= 64) {
        skip = next - 64;
        break;
      }
      uint64_t after = ~0ULL << next;
      q &= after;
      bs &= after;
      ctl &= after;
    }
    base += 64;
  }
  return -1;
}

long timeline_string_end(const uint8_t *bytes, size_t count, int *escaped) {
  if (!__builtin_cpu_supports("avx2")) return -2;
  return string_end_avx2(bytes, count, escaped);
}

#else

long timeline_string_end(const uint8_t *bytes, size_t count, int *escaped) {
  (void)bytes;
  (void)count;
  (void)escaped;
  return -2;
}

#endif
