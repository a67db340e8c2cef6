#include <stdint.h>
#include <string.h>
#include "CTimelineSupport.h"

/* The word index's tokeniser: which bytes of folded text are word bytes (TextFolding.isWordByte: an
 * ASCII letter or digit, or any byte from 0x80), one bit each, sixteen bytes at a time with SSE2 (every
 * x86-64 has it), or byte by byte elsewhere. The words are then walked by their bits
 * (SearchIndexBuilder.forEachWord): a few instructions a word, where finding each word's start and end
 * eight bytes at a time took about seventy. */

#if defined(__x86_64__)
#include <emmintrin.h>

/* The 16 bytes at p: bit k set when byte k is a word byte. */
static inline uint32_t word_bits16(const uint8_t *p) {
  __m128i x = _mm_loadu_si128((const __m128i *)p);
  /* A letter: x | 0x20 in 'a'...'z', so (x | 0x20) + 0x1F in 0x80...0x99, below 0x9A as a signed byte. */
  __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8(0x1F)), _mm_set1_epi8((char)0x9A));
  /* A digit: x + 0x50 in 0x80...0x89, below 0x8A as a signed byte. */
  __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x50)), _mm_set1_epi8((char)0x8A));
  /* A byte from 0x80: its own high bit. */
  return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), x));
}

void timeline_word_bits(const uint8_t *bytes, size_t count, uint64_t *bits) {
  size_t words = (count + 63) / 64;
  for (size_t w = 0; w < words; w++) {
    const uint8_t *p = bytes + w * 64;
    bits[w] = (uint64_t)word_bits16(p) | (uint64_t)word_bits16(p + 16) << 16 | (uint64_t)word_bits16(p + 32) << 32 |
              (uint64_t)word_bits16(p + 48) << 48;
  }
  if (count % 64 != 0) bits[words - 1] &= ((uint64_t)1 << (count % 64)) - 1;
}

#else

void timeline_word_bits(const uint8_t *bytes, size_t count, uint64_t *bits) {
  size_t words = (count + 63) / 64;
  for (size_t w = 0; w < words; w++) bits[w] = 0;
  for (size_t i = 0; i < count; i++) {
    uint8_t b = bytes[i];
    uint8_t lower = b | 0x20;
    if (b >= 0x80 || (b >= '0' && b <= '9') || (lower >= 'a' && lower <= 'z')) bits[i / 64] |= (uint64_t)1 << (i % 64);
  }
}

#endif
