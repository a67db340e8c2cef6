#include <stdint.h>
#include <string.h>
#include "CTimelineSupport.h"

/* UTF-8 validation 32 bytes at a time (AVX2), after John Keiser and Daniel Lemire, "Validating UTF-8
 * in less than one instruction per byte" (Software: Practice and Experience, 2021), as simdjson does
 * it: every error is a property of two adjacent bytes (looked up by their nibbles in three tables and
 * ANDed) or a missing third or fourth byte after a three- or four-byte lead. */

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

enum {
  TOO_SHORT = 1 << 0,   /* 11______ 0_______ or 11______ 11______ */
  TOO_LONG = 1 << 1,    /* 0_______ 10______ */
  OVERLONG_3 = 1 << 2,  /* 11100000 100_____ */
  TOO_LARGE = 1 << 3,   /* 11110100 1001____ and above */
  SURROGATE = 1 << 4,   /* 11101101 101_____ */
  OVERLONG_2 = 1 << 5,  /* 1100000_ 10______ */
  TOO_LARGE_1000 = 1 << 6, /* 11110101 1000____ and above */
  OVERLONG_4 = 1 << 6,  /* 11110000 1000____ */
  TWO_CONTS = 1 << 7,   /* 10______ 10______ */
  CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

#define T16(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)
#define B(x) ((char)(x))

/* The bytes before each byte of `in`, `n` places back (1...3), from `prev` (the previous 32 bytes). */
#define PREV(in, prev, n) _mm256_alignr_epi8((in), _mm256_permute2x128_si256((prev), (in), 0x21), 16 - (n))

__attribute__((target("avx2"))) static inline __m256i high_nibbles(__m256i x) {
  return _mm256_and_si256(_mm256_srli_epi16(x, 4), _mm256_set1_epi8(0x0F));
}

__attribute__((target("avx2"))) static inline __m256i check(__m256i in, __m256i prev) {
  const __m256i byte1_high = T16(
    B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG), B(TOO_LONG),
    B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS), B(TWO_CONTS),
    B(TOO_SHORT | OVERLONG_2), B(TOO_SHORT), B(TOO_SHORT | OVERLONG_3 | SURROGATE),
    B(TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4));
  const __m256i byte1_low = T16(
    B(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4), B(CARRY | OVERLONG_2), B(CARRY), B(CARRY),
    B(CARRY | TOO_LARGE), B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE), B(CARRY | TOO_LARGE | TOO_LARGE_1000),
    B(CARRY | TOO_LARGE | TOO_LARGE_1000));
  const __m256i byte2_high = T16(
    B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    B(TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE),
    B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT), B(TOO_SHORT));
  __m256i prev1 = PREV(in, prev, 1);
  __m256i special = _mm256_and_si256(
    _mm256_and_si256(_mm256_shuffle_epi8(byte1_high, high_nibbles(prev1)),
                     _mm256_shuffle_epi8(byte1_low, _mm256_and_si256(prev1, _mm256_set1_epi8(0x0F)))),
    _mm256_shuffle_epi8(byte2_high, high_nibbles(in)));
  /* A third byte after 111_____ and a fourth after 1111____ must be continuations. */
  __m256i third = _mm256_subs_epu8(PREV(in, prev, 2), _mm256_set1_epi8(B(0xE0 - 0x80)));
  __m256i fourth = _mm256_subs_epu8(PREV(in, prev, 3), _mm256_set1_epi8(B(0xF0 - 0x80)));
  __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(B(0x80)));
  return _mm256_xor_si256(must23, special);
}

/* Nonzero where the last three bytes start a character that the block does not finish. */
__attribute__((target("avx2"))) static inline __m256i incomplete(__m256i in) {
  const __m256i max = _mm256_setr_epi8(
    B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255),
    B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255), B(255),
    B(255), B(0xF0 - 1), B(0xE0 - 1), B(0xC0 - 1));
  return _mm256_subs_epu8(in, max);
}

/* Every 32-byte block is checked, ASCII or not: a branch on "all ASCII" per block was mispredicted
 * whenever text with accents and plain keys came in no fixed order (a file whose events list their keys
 * in a different order each time spent a quarter more time here than the same bytes in a fixed order),
 * and checking an ASCII block costs less than a mispredicted branch. The check of each block also
 * finds a character that the previous block left unfinished (a lead byte followed by too few
 * continuations), so only the end of the input needs `incomplete`.
 *
 * 128 bytes at a time, though, are first tested for ASCII as a whole (one OR of four loads), and such
 * a run is skipped: its blocks would find nothing but a character that the block before it left
 * unfinished, which is what `incomplete` of that block finds. A file with all its text escaped (every
 * byte ASCII) takes that branch every time (its parse fell from about 0.53 to 0.48 s at 1 M events); in a file
 * with accents in most lines, runs of 128 ASCII bytes are few (the stretch between one event's text
 * and the next), so the branch is mostly not taken. */
__attribute__((target("avx2"))) static int valid_avx2(const uint8_t *p, size_t n) {
  __m256i prev = _mm256_setzero_si256();
  __m256i error = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 128 <= n; i += 128) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(p + i)), b = _mm256_loadu_si256((const __m256i *)(p + i + 32));
    __m256i c = _mm256_loadu_si256((const __m256i *)(p + i + 64)), d = _mm256_loadu_si256((const __m256i *)(p + i + 96));
    if (!_mm256_movemask_epi8(_mm256_or_si256(_mm256_or_si256(a, b), _mm256_or_si256(c, d)))) {
      error = _mm256_or_si256(error, incomplete(prev));
    } else {
      error = _mm256_or_si256(error, check(a, prev));
      error = _mm256_or_si256(error, check(b, a));
      error = _mm256_or_si256(error, check(c, b));
      error = _mm256_or_si256(error, check(d, c));
    }
    prev = d;
  }
  for (; i + 32 <= n; i += 32) {
    __m256i in = _mm256_loadu_si256((const __m256i *)(p + i));
    error = _mm256_or_si256(error, check(in, prev));
    prev = in;
  }
  if (i < n) {
    /* The tail, padded with ASCII (which finishes nothing, so a character cut by the end is an error). */
    uint8_t last[32];
    memset(last, 0, sizeof last);
    memcpy(last, p + i, n - i);
    __m256i in = _mm256_loadu_si256((const __m256i *)last);
    error = _mm256_or_si256(error, check(in, prev));
    prev = in;
  }
  error = _mm256_or_si256(error, incomplete(prev));
  return _mm256_testz_si256(error, error);
}

int timeline_utf8_valid(const uint8_t *bytes, size_t count) {
  /* Read from what the runtime found at startup: a load and a test. */
  if (!__builtin_cpu_supports("avx2")) return -1;
  return valid_avx2(bytes, count);
}

#else

int timeline_utf8_valid(const uint8_t *bytes, size_t count) {
  (void)bytes;
  (void)count;
  return -1;
}

#endif
