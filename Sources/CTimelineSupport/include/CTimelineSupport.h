#ifndef CTIMELINESUPPORT_H
#define CTIMELINESUPPORT_H

#include <stddef.h>
#include <stdint.h>

/* glibc's memmem (two-way search with a fast path for short needles). It is a GNU extension, so
 * Swift's Glibc module does not import it; this wrapper compiles it with _GNU_SOURCE. */
void *timeline_memmem(const void *haystack, size_t haystack_len, const void *needle, size_t needle_len);

/* Whether `count` bytes are UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF,
 * no character cut at either end): 1 if they are, 0 if not, -1 when this machine has no vector code for
 * it (not x86-64 with AVX2), and the caller checks them itself. */
int timeline_utf8_valid(const uint8_t *bytes, size_t count);

/* Zero-filled memory for large buffers that are built, grown and freed (the word index's): from 256 KiB
 * (on Linux) a mapping of its own, whose pages are made resident only when written, grown without a
 * copy (`mremap`) and given back when freed; smaller, `calloc`. Free or resize a block with the size
 * it was allocated or last resized with. Aborts when memory runs out. */
void *timeline_pages_allocate(size_t bytes);
void *timeline_pages_resize(void *p, size_t old_bytes, size_t new_bytes);
void timeline_pages_free(void *p, size_t bytes);
/* Zeros a block of `timeline_pages_allocate`, giving back its pages when it is a mapping. */
void timeline_pages_clear(void *p, size_t bytes);

/* Asks for the cache line at p ahead of a write to it (the word index's interner: the slot of a word
 * that is probably new, looked up a little later). */
static inline void timeline_prefetch(const void *p) { __builtin_prefetch(p, 1, 3); }

/* Where a JSON string's content that starts at `bytes` ends (the offset of its closing quote), with
 * `*escaped` set when it has escapes, for text that is UTF-8 already: every escape checked as RFC 8259
 * has it (surrogates in pairs, as the timeline decoder requires), no control character. -1 when the
 * caller must scan it byte by byte instead: something is wrong, or the string goes on past `count` less
 * 64 bytes. -2 when this machine has no vector code for it (not x86-64 with AVX2). */
long timeline_string_end(const uint8_t *bytes, size_t count, int *escaped);

/* `timeline_string_end` with the given vector code (256: AVX2, 512: AVX-512), for tests that check
 * each way the machine has; -2 when it does not have that one. */
long timeline_string_end_with(int vector, const uint8_t *bytes, size_t count, int *escaped);

/* Sets bit i % 64 of bits[i / 64] when byte i of the `count` bytes at `bytes` is a word byte (an ASCII
 * letter or digit, or any byte from 0x80: TextFolding.isWordByte) and clears it otherwise, for
 * (count + 63) / 64 words of `bits`; the bits past `count` are cleared. The bytes are read 64 at a time:
 * the 63 bytes after the text must be readable (their values do not matter). */
void timeline_word_bits(const uint8_t *bytes, size_t count, uint64_t *bits);

/* Whether `needle` (ASCII from 0x20 to 0x7E, no backslash and no capital) occurs in the raw content of a
 * JSON string (what lies between its quotes) with no backslash in the five bytes before it and no byte
 * from 0xC0 in the three before it: where no escape (nor, in text that is not UTF-8, a character)
 * covers it, so that the string's folded text (TextFolding.foldJSON) holds it too. 0 says nothing: the
 * needle may still be in the folded text (written with escapes, or after one). 1 for an empty needle. */
int timeline_plain_contains(const uint8_t *bytes, size_t count, const uint8_t *needle, size_t needle_count);

/* The same without vector code, for tests that compare the two. */
int timeline_plain_contains_scalar(const uint8_t *bytes, size_t count, const uint8_t *needle, size_t needle_count);

#endif
