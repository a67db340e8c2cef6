#include <stdint.h>
#include "CTimelineSupport.h"

/* The end of a JSON string's content, 64 bytes at a time (AVX-512 where the machine has it, else AVX2):
 * quotes, backslashes and control characters become bit masks, and a block with no escape in it or
 * running into it goes straight to its first quote. In a block with escapes, the bytes that follow an
 * escaping backslash are found from the backslashes (runs of them included), and every escape is
 * checked from the bytes' classes at once: a short one, or \u with four hex digits, a high surrogate
 * only with a low one right after it, a low one only after a high one. An escape that runs past its
 * block is finished in the next, from what the block carries over to it (no block is cut short).
 * Anything wrong, and running out of room, is left to the caller's byte-by-byte scan, which says what. */

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

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
  C_U = 1 << 7,           /* u (bit 7, so that a byte's movemask gives it) */
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
    C_RT | C_DIGIT | C_LETTER | C_D, (char)(C_DIGIT | C_LETTER | C_U), C_BFN | C_DIGIT | C_LETTER, C_DIGIT, C_DIGIT, C_DIGIT, 0, 0,
    C_BACKSLASH, 0, C_BFN, C_QUOTE_SLASH,
    C_DIGIT, C_DIGIT | C_LETTER, C_QUOTE_SLASH | C_BFN | C_RT | C_DIGIT | C_LETTER, C_DIGIT | C_LETTER,
    C_RT | C_DIGIT | C_LETTER | C_D, (char)(C_DIGIT | C_LETTER | C_U), C_BFN | C_DIGIT | C_LETTER, C_DIGIT, C_DIGIT, C_DIGIT, 0, 0,
    C_BACKSLASH, 0, C_BFN, C_QUOTE_SLASH);
  /* 0x2_ " /, 0x3_ digits, 0x4_ A-F D, 0x5_ \, 0x6_ a-f d b f n, 0x7_ r t; non-ASCII bytes none. */
  const __m256i by_high = _mm256_setr_epi8(
    0, 0, C_QUOTE_SLASH, C_DIGIT, C_LETTER | C_D, C_BACKSLASH, C_BFN | C_LETTER | C_D, (char)(C_RT | C_U), 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, C_QUOTE_SLASH, C_DIGIT, C_LETTER | C_D, C_BACKSLASH, C_BFN | C_LETTER | C_D, (char)(C_RT | C_U), 0, 0, 0, 0, 0, 0, 0, 0);
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

/* The bytes after an escaping backslash, from the backslashes of a block and whether its first byte
 * is escaped (`*carry`, bit 0; set for the next block when this one ends with an escaping backslash):
 * a run of backslashes escapes every other byte from its start. After simdjson's `find_escaped`
 * (Langdale and Lemire, "Parsing gigabytes of JSON per second", 2019). */
static inline uint64_t escaped_bytes(uint64_t backslash, uint64_t *carry) {
  const uint64_t even = 0x5555555555555555ULL;
  backslash &= ~*carry;
  uint64_t follows = backslash << 1 | *carry;
  uint64_t odd_starts = backslash & ~even & ~follows;
  uint64_t even_starts;
  *carry = __builtin_add_overflow(odd_starts, backslash, &even_starts);
  return (even ^ (even_starts << 1)) & follows;
}

/* A block's bytes by class, as bit masks (bit i for byte i): what every block needs, and what only a
 * block with escapes in it (or one after an escape that ran past its block) needs. */
struct plain_masks {
  uint64_t quote, backslash, control;
};
struct escape_masks {
  uint64_t may_follow; /* a byte that may follow a backslash: " \ / b f n r t u */
  uint64_t u, hex, d;
  uint64_t high, low;  /* a surrogate's second digit: 8 9 a b A B (high), c-f C-F (low) */
};

/* The escapes of the string, checked across blocks with what each block leaves to the next:
 * `in.escaped` (bit 0: the block's first byte follows an escaping backslash), `in.digits` (bits 0-3:
 * the digits of a \u that the previous block began), `in.d` and `in.second` (bit 0: where the \u's first
 * or second digit falls, whose class decides a surrogate) and `in.low` (bits 0-5: where the low
 * surrogate that the previous block's high one needs has its second digit). */
struct carry {
  uint64_t escaped, digits, d, second, low;
};

/* A block with escapes in it or coming into it: `esc` its bytes that follow an escaping backslash
 * before the string's closing quote (all of them when the string goes on). 0 when every escape that
 * starts before the quote is valid as far as this block shows (a short one, or \u with four hex
 * digits, a high surrogate only with a low one right after it, a low one only after a high one), the
 * carry then updated for the next block; nonzero otherwise. A high surrogate whose low one would be in
 * the next block is left in `c->low`, which the caller checks when the string ends in this block.
 *
 * With the escapes cut at the quote, nothing needs the quote's place again: a \u's digits that run
 * into or past the quote take the quote for one (not hex), and a high surrogate before it whose low
 * one is not before it leaves its expected place unmatched. About thirty scalar operations, no
 * branch. */
static inline uint64_t check_escapes(const struct escape_masks *m, uint64_t esc, struct carry *c) {
  uint64_t u = esc & m->u;
  uint64_t first = u << 1;                    /* each \u's first digit */
  uint64_t two = first | first << 1;
  uint64_t digits = two | two << 2 | c->digits; /* its four digits */
  uint64_t d = (first | c->d) & m->d;
  uint64_t second = d << 1 | c->second;
  uint64_t high = second & m->high, low = second & m->low;
  /* A low surrogate's second digit exactly where a high one's expects it, 6 bytes on: */
  uint64_t bad = (esc & ~m->may_follow) | (digits & ~m->hex) | ((high << 6 | c->low) ^ low);
  /* Digits past the block: a \u at 60 + k (k = 0..3) has its digits 0..k of the next block, x * 15 >> 3
   * for x the one bit 1 << k (two \u's there are already wrong in this block, each in the other's digits). */
  c->digits = (u >> 60) * 15 >> 3;
  c->d = u >> 63;
  c->second = d >> 63;
  c->low = high >> 58;
  return bad;
}

/* The scan, for one way of finding the masks (AVX2, AVX-512): every block's quotes, backslashes and
 * control characters; a block with no escape in or into it goes straight to its first quote. */
#define STRING_END_LOOP(PLAIN, ESCAPES)                                                                   \
  struct carry c = {0, 0, 0, 0, 0};                                                                       \
  uint64_t any = 0;                                                                                       \
  for (size_t base = 0; base + 64 <= n; base += 64) {                                                    \
    struct plain_masks pm;                                                                                \
    PLAIN(p + base, &pm);                                                                                 \
    if (!(pm.backslash | c.escaped | c.digits | c.d | c.second | c.low)) {                                 \
      if (pm.quote) {                                                                                     \
        unsigned t = (unsigned)__builtin_ctzll(pm.quote);                                                 \
        if (pm.control & ((1ULL << t) - 1)) return -1;                                                   \
        *escaped = any != 0;                                                                              \
        return (long)(base + t);                                                                          \
      }                                                                                                   \
      if (pm.control) return -1;                                                                          \
      continue;                                                                                           \
    }                                                                                                     \
    struct escape_masks em;                                                                               \
    ESCAPES(p + base, &em);                                                                               \
    uint64_t esc = escaped_bytes(pm.backslash, &c.escaped);                                               \
    uint64_t real = pm.quote & ~esc;                                                                      \
    uint64_t before = (real & (0 - real)) - 1; /* all of them when there is no quote */                   \
    esc &= before;                                                                                        \
    if ((pm.control & before) | check_escapes(&em, esc, &c)) return -1;                                   \
    any |= esc;                                                                                           \
    if (real) {                                                                                           \
      /* A high surrogate whose low one would be in the next block, past the quote. */                    \
      if (c.low) return -1;                                                                               \
      *escaped = any != 0;                                                                                \
      return (long)(base + (unsigned)__builtin_ctzll(real));                                              \
    }                                                                                                     \
  }                                                                                                       \
  return -1;

__attribute__((target("avx2"))) static inline void plain_avx2(const uint8_t *p, struct plain_masks *m) {
  __m256i a = _mm256_loadu_si256((const __m256i *)p), b = _mm256_loadu_si256((const __m256i *)(p + 32));
  const __m256i c1f = _mm256_set1_epi8(0x1F);
  m->quote = mask64(eq(a, '"'), eq(b, '"'));
  m->backslash = mask64(eq(a, '\\'), eq(b, '\\'));
  m->control = mask64(_mm256_cmpeq_epi8(_mm256_max_epu8(a, c1f), c1f), _mm256_cmpeq_epi8(_mm256_max_epu8(b, c1f), c1f));
}

__attribute__((target("avx2"))) static inline void escapes_avx2(const uint8_t *p, struct escape_masks *m) {
  __m256i a = _mm256_loadu_si256((const __m256i *)p), b = _mm256_loadu_si256((const __m256i *)(p + 32));
  __m256i alo, ahi, blo, bhi;
  nibbles(a, &alo, &ahi);
  nibbles(b, &blo, &bhi);
  __m256i ca = classes(alo, ahi), cb = classes(blo, bhi);
  m->may_follow = has(ca, cb, C_SHORT | C_U);
  m->u = mask64(ca, cb); /* C_U is bit 7 */
  m->hex = has(ca, cb, C_HEX);
  m->d = mask64(_mm256_add_epi8(ca, ca), _mm256_add_epi8(cb, cb)); /* C_D is bit 6 */
  __m256i sa = surrogate_classes(alo, ahi), sb = surrogate_classes(blo, bhi);
  m->high = has(sa, sb, S_HIGH);
  m->low = has(sa, sb, S_LOW);
}

__attribute__((target("avx2,bmi"))) static long string_end_avx2(const uint8_t *p, size_t n, int *escaped) {
  STRING_END_LOOP(plain_avx2, escapes_avx2)
}

/* The same with AVX-512 (BW): one 64-byte register per block, and the masks straight from compares. */
__attribute__((target("avx512f,avx512bw"))) static inline void plain_avx512(const uint8_t *p, struct plain_masks *m) {
  __m512i x = _mm512_loadu_si512((const void *)p);
  m->quote = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"'));
  m->backslash = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\\'));
  m->control = _mm512_cmple_epu8_mask(x, _mm512_set1_epi8(0x1F));
}

/* `classes` and `surrogate_classes` on 64 bytes (vpshufb looks up within each 16-byte lane, so the
 * tables are the same 16 bytes four times). */
#define LANES(...) _mm512_broadcast_i32x4(_mm_setr_epi8(__VA_ARGS__))

__attribute__((target("avx512f,avx512bw"))) static inline void escapes_avx512(const uint8_t *p, struct escape_masks *m) {
  __m512i x = _mm512_loadu_si512((const void *)p);
  const __m512i nibble = _mm512_set1_epi8(0x0F);
  __m512i lo = _mm512_and_si512(x, nibble), hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), nibble);
  const __m512i by_low = LANES(
    C_DIGIT, C_DIGIT | C_LETTER, C_QUOTE_SLASH | C_BFN | C_RT | C_DIGIT | C_LETTER, C_DIGIT | C_LETTER,
    C_RT | C_DIGIT | C_LETTER | C_D, (char)(C_DIGIT | C_LETTER | C_U), C_BFN | C_DIGIT | C_LETTER, C_DIGIT, C_DIGIT, C_DIGIT, 0, 0,
    C_BACKSLASH, 0, C_BFN, C_QUOTE_SLASH);
  const __m512i by_high = LANES(
    0, 0, C_QUOTE_SLASH, C_DIGIT, C_LETTER | C_D, C_BACKSLASH, C_BFN | C_LETTER | C_D, (char)(C_RT | C_U), 0, 0, 0, 0, 0, 0, 0, 0);
  __m512i c = _mm512_and_si512(_mm512_shuffle_epi8(by_low, lo), _mm512_shuffle_epi8(by_high, hi));
  m->may_follow = _mm512_test_epi8_mask(c, _mm512_set1_epi8((char)(C_SHORT | C_U)));
  m->u = _mm512_movepi8_mask(c);
  m->hex = _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_HEX));
  m->d = _mm512_test_epi8_mask(c, _mm512_set1_epi8(C_D));
  const __m512i s_low = LANES(
    0, S_HIGH_LETTER, S_HIGH_LETTER, S_LOW, S_LOW, S_LOW, S_LOW, 0, S_HIGH_DIGIT, S_HIGH_DIGIT, 0, 0, 0, 0, 0, 0);
  const __m512i s_high = LANES(
    0, 0, 0, S_HIGH_DIGIT, S_HIGH_LETTER | S_LOW, 0, S_HIGH_LETTER | S_LOW, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  __m512i s = _mm512_and_si512(_mm512_shuffle_epi8(s_low, lo), _mm512_shuffle_epi8(s_high, hi));
  m->high = _mm512_test_epi8_mask(s, _mm512_set1_epi8(S_HIGH));
  m->low = _mm512_test_epi8_mask(s, _mm512_set1_epi8(S_LOW));
}

__attribute__((target("avx512f,avx512bw,bmi"))) static long string_end_avx512(const uint8_t *p, size_t n, int *escaped) {
  STRING_END_LOOP(plain_avx512, escapes_avx512)
}

long timeline_string_end(const uint8_t *bytes, size_t count, int *escaped) {
  if (__builtin_cpu_supports("avx512bw")) return string_end_avx512(bytes, count, escaped);
  if (!__builtin_cpu_supports("avx2")) return -2;
  return string_end_avx2(bytes, count, escaped);
}

long timeline_string_end_with(int vector, const uint8_t *bytes, size_t count, int *escaped) {
  if (vector == 512 && __builtin_cpu_supports("avx512bw")) return string_end_avx512(bytes, count, escaped);
  if (vector == 256 && __builtin_cpu_supports("avx2")) return string_end_avx2(bytes, count, escaped);
  return -2;
}

#else

long timeline_string_end(const uint8_t *bytes, size_t count, int *escaped) {
  (void)bytes;
  (void)count;
  (void)escaped;
  return -2;
}

long timeline_string_end_with(int vector, const uint8_t *bytes, size_t count, int *escaped) {
  (void)vector;
  return timeline_string_end(bytes, count, escaped);
}

#endif
