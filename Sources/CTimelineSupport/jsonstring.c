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

__attribute__((target("avx2"))) static inline __m256i eq(__m256i x, char c) {
  return _mm256_cmpeq_epi8(x, _mm256_set1_epi8(c));
}

/* Bit masks (bit 7 of each byte) from a byte's class: which of `bits` it has. */
__attribute__((target("avx2"))) static inline uint64_t has(__m256i ca, __m256i cb, uint8_t bits) {
  const __m256i m = _mm256_set1_epi8((char)bits), top = _mm256_set1_epi8(0x7F);
  /* Adding 0x7F with saturation sets bit 7 exactly where some bit of `bits` is set. */
  return mask64(_mm256_adds_epu8(_mm256_and_si256(ca, m), top), _mm256_adds_epu8(_mm256_and_si256(cb, m), top));
}

/* The classes of bytes that an escape's checks need, each a bit, looked up by the byte's low and high
 * nibbles (a class is set where both nibbles' entries have its bit): */
enum {
  C_QUOTE_SLASH = 1 << 0, /* " / */
  C_BACKSLASH = 1 << 1,   /* \ */
  C_BFN = 1 << 2,         /* b f n */
  C_RT = 1 << 3,          /* r t */
  C_DIGIT = 1 << 4,       /* 0-9 */
  C_LETTER = 1 << 5,      /* a-f A-F */
  C_D = 1 << 6,           /* d D */
  C_SHORT = C_QUOTE_SLASH | C_BACKSLASH | C_BFN | C_RT,
  C_HEX = C_DIGIT | C_LETTER
};

/* A byte's low and high nibbles, as indexes for vpshufb. */
__attribute__((target("avx2"))) static inline void nibbles(__m256i x, __m256i *lo, __m256i *hi) {
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  *lo = _mm256_and_si256(x, nibble);
  *hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble);
}

__attribute__((target("avx2"))) static inline __m256i classes(__m256i lo, __m256i hi) {
  const __m256i by_low = _mm256_setr_epi8(
    C_DIGIT, C_DIGIT | C_LETTER, C_QUOTE_SLASH | C_BFN | C_RT | C_DIGIT | C_LETTER, C_DIGIT | C_LETTER,
    C_RT | C_DIGIT | C_LETTER | C_D, C_DIGIT | C_LETTER, C_BFN | C_DIGIT | C_LETTER, C_DIGIT, C_DIGIT, C_DIGIT, 0, 0,
    C_BACKSLASH, 0, C_BFN, C_QUOTE_SLASH,
    C_DIGIT, C_DIGIT | C_LETTER, C_QUOTE_SLASH | C_BFN | C_RT | C_DIGIT | C_LETTER, C_DIGIT | C_LETTER,
    C_RT | C_DIGIT | C_LETTER | C_D, C_DIGIT | C_LETTER, C_BFN | C_DIGIT | C_LETTER, C_DIGIT, C_DIGIT, C_DIGIT, 0, 0,
    C_BACKSLASH, 0, C_BFN, C_QUOTE_SLASH);
  /* 0x2_ " /, 0x3_ digits, 0x4_ A-F D, 0x5_ \, 0x6_ a-f d b f n, 0x7_ r t; non-ASCII bytes none. */
  const __m256i by_high = _mm256_setr_epi8(
    0, 0, C_QUOTE_SLASH, C_DIGIT, C_LETTER | C_D, C_BACKSLASH, C_BFN | C_LETTER | C_D, C_RT, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, C_QUOTE_SLASH, C_DIGIT, C_LETTER | C_D, C_BACKSLASH, C_BFN | C_LETTER | C_D, C_RT, 0, 0, 0, 0, 0, 0, 0, 0);
  return _mm256_and_si256(_mm256_shuffle_epi8(by_low, lo), _mm256_shuffle_epi8(by_high, hi));
}

/* The second digit of a surrogate's escape (after \u and d): 8 9 a b A B for a high one, c-f C-F for a
 * low one. Looked up like `classes`, in a table of their own. */
enum {
  S_HIGH_DIGIT = 1 << 0,  /* 8 9 */
  S_HIGH_LETTER = 1 << 1, /* a b A B */
  S_LOW = 1 << 2,         /* c-f C-F */
  S_HIGH = S_HIGH_DIGIT | S_HIGH_LETTER
};

__attribute__((target("avx2"))) static inline __m256i surrogate_classes(__m256i lo, __m256i hi) {
  const __m256i by_low = _mm256_setr_epi8(
    0, S_HIGH_LETTER, S_HIGH_LETTER, S_LOW, S_LOW, S_LOW, S_LOW, 0, S_HIGH_DIGIT, S_HIGH_DIGIT, 0, 0, 0, 0, 0, 0,
    0, S_HIGH_LETTER, S_HIGH_LETTER, S_LOW, S_LOW, S_LOW, S_LOW, 0, S_HIGH_DIGIT, S_HIGH_DIGIT, 0, 0, 0, 0, 0, 0);
  const __m256i by_high = _mm256_setr_epi8(
    0, 0, 0, S_HIGH_DIGIT, S_HIGH_LETTER | S_LOW, 0, S_HIGH_LETTER | S_LOW, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, S_HIGH_DIGIT, S_HIGH_LETTER | S_LOW, 0, S_HIGH_LETTER | S_LOW, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  return _mm256_and_si256(_mm256_shuffle_epi8(by_low, lo), _mm256_shuffle_epi8(by_high, hi));
}

/* The block's escapes checked all at once, without a branch per escape, when that is simple: no two
 * backslashes side by side (so none is itself escaped), each one a short escape or \u with four hex
 * digits, and each high surrogate followed at once by a low one and each low one preceded by a high one.
 * An escape that would run past the block is left to the next block: the block is cut before its
 * backslash (the first one in the last six bytes), or before a high surrogate whose low one starts
 * there; `*end` is where the block was cut (64 when it was not), and no escape before it runs past it.
 * Returns the bytes before the cut that the escapes cover (their characters after the backslash), or ~0
 * when the block must be checked escape by escape. */
__attribute__((target("avx2,bmi"))) static inline uint64_t escapes_at_once(__m256i a, __m256i b, uint64_t bs, unsigned *end) {
  if (bs & (bs << 1)) return ~0ULL;
  /* Every backslash starts an escape (none is escaped), so the first in the last six bytes is where an
   * escape begins that may end past the block; those before it end within it. 64 when there is none
   * (without a branch: which blocks have one is hard to predict). */
  unsigned cut = 58 + (unsigned)__builtin_ctzll(bs >> 58 | 64);
  bs &= (2ULL << (cut - 1)) - 1;
  __m256i alo, ahi, blo, bhi;
  nibbles(a, &alo, &ahi);
  nibbles(b, &blo, &bhi);
  __m256i ca = classes(alo, ahi), cb = classes(blo, bhi);
  uint64_t u = bs & (mask64(eq(a, 'u'), eq(b, 'u')) >> 1);
  uint64_t sh = 0;
  /* Short escapes looked for only when some escape is not \u (text with its accents escaped has only
   * \u ones). */
  if (bs & ~u) {
    sh = bs & (has(ca, cb, C_SHORT) >> 1);
    if (bs & ~(u | sh)) return ~0ULL;
  }
  if (!u) {
    *end = cut;
    return sh << 1;
  }
  /* Every \u before the cut starts at most at byte 57, so its digits are in the block. */
  uint64_t digits = u << 2 | u << 3 | u << 4 | u << 5;
  if (digits & ~has(ca, cb, C_HEX)) return ~0ULL;
  /* Surrogates: \u, d, then 8-b (\uD800-\uDBFF, high) or c-f (\uDC00-\uDFFF, low); without a branch,
   * since which blocks have one is hard to predict. */
  uint64_t ud = u & (mask64(_mm256_add_epi8(ca, ca), _mm256_add_epi8(cb, cb)) >> 2); /* C_D is bit 6 */
  __m256i sa = surrogate_classes(alo, ahi), sb = surrogate_classes(blo, bhi);
  uint64_t high = ud & (has(sa, sb, S_HIGH) >> 3);
  uint64_t low = ud & (has(sa, sb, S_LOW) >> 3);
  if (high >> (cut - 6)) {
    /* A high surrogate whose low one would start at or after the cut: cut before the pair instead. */
    cut = cut - 6 + (unsigned)__builtin_ctzll(high >> (cut - 6));
    uint64_t before = (1ULL << cut) - 1;
    u &= before;
    sh &= before;
    high &= before;
    low &= before;
    digits = u << 2 | u << 3 | u << 4 | u << 5;
  }
  if (low != high << 6) return ~0ULL;
  *end = cut;
  return sh << 1 | u << 1 | digits;
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
    if (bs) {
      unsigned end = 64;
      uint64_t covered = escapes_at_once(a, b, bs, &end);
      if (covered != ~0ULL) {
        /* The bytes before the cut; the rest are the next block's. */
        uint64_t in = (2ULL << (end - 1)) - 1;
        uint64_t real = q & ~covered & in;
        uint64_t before = real ? (real & (0 - real)) - 1 : in;
        if (ctl & before) return -1;
        if (real) {
          *escaped = esc | ((bs & before) != 0);
          return (long)(base + (unsigned)__builtin_ctzll(real));
        }
        esc = 1;
        base += end;
        continue;
      }
    }
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
