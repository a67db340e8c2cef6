#!/usr/bin/env python3
"""Generates the explorer's column-width tables from the Unicode Character Database.

    python3 -m pip install unicodedata2==18.0.0      # the UCD 18.0.0, compiled (PyPI)
    python3 Tests/TimelineUITests/Support/generate-width-table.py [--compare]

Source of truth: the Unicode data files themselves, not any C library or terminal's table.
- General_Category and East_Asian_Width of every code point come from UnicodeData.txt and
  EastAsianWidth.txt of Unicode 18.0.0, through `unicodedata2` (CPython's unicodedata module built
  from those files; CPython 3.11's own module is Unicode 14, older than the terminals we target).
- The emoji variation sequences come from emoji-variation-sequences.txt (Emoji 17.0, the newest the
  offline package registry carries, in the `emoji-data` package), committed beside this script.
- Two short property lists that unicodedata2 does not expose are written out below from PropList.txt
  and DerivedCoreProperties.txt (they have not changed since Unicode 15.1).

Writes:
- Sources/TimelineUI/Rendering/DisplayWidth+Tables.swift: the ranges of zero-width and wide scalars,
  and the narrow scalars that VS16 turns into two-column emoji.
- Tests/TimelineUITests/Support/UnicodeData/ucd-width-properties.txt: General_Category and
  East_Asian_Width of every code point as runs, the compact derived form of the UCD that
  `UnicodeWidthTableTests` re-derives every code point's width from.

With --compare, also prints where the table differs from Python's `wcwidth` package (if installed)
and from glibc's wcwidth() under C.UTF-8, grouped into ranges.
"""
import ctypes
import ctypes.util
import os
import sys

import unicodedata2 as ucd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.join(HERE, "UnicodeData")
SWIFT_OUT = os.path.join(ROOT, "Sources", "TimelineUI", "Rendering", "DisplayWidth+Tables.swift")
PROPS_OUT = os.path.join(DATA, "ucd-width-properties.txt")
VARIATION_SEQUENCES = os.path.join(DATA, "emoji-variation-sequences.txt")

assert ucd.unidata_version == "18.0.0", f"unicodedata2 {ucd.unidata_version}: pip install unicodedata2==18.0.0"

# PropList.txt: Prepended_Concatenation_Mark. Format characters that are drawn (they span the digits
# after them), unlike every other Cf.
PREPENDED_CONCATENATION_MARKS = [(0x0600, 0x0605), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891),
                                 (0x08E2, 0x08E2), (0x110BD, 0x110BD), (0x110CD, 0x110CD)]
# DerivedCoreProperties.txt: Default_Ignorable_Code_Point, less the Mn and Cf ones (zero anyway): the
# Hangul fillers and the unassigned code points reserved as ignorable.
DEFAULT_IGNORABLE_OTHER = [(0x115F, 0x1160), (0x2065, 0x2065), (0x3164, 0x3164), (0xFFA0, 0xFFA0),
                           (0xFFF0, 0xFFF8), (0xE0000, 0xE0000), (0xE0002, 0xE001F), (0xE0080, 0xE00FF),
                           (0xE01F0, 0xE0FFF)]
# Hangul conjoining jamo: medial vowels and final consonants (Jamo and Jamo Extended-B, whole blocks),
# which join the leading consonant before them into one syllable two columns wide.
HANGUL_VOWELS_AND_FINALS = [(0x1160, 0x11FF), (0xD7B0, 0xD7FF)]
REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)


def within(cp, ranges):
    return any(lo <= cp <= hi for lo, hi in ranges)


def width(cp):
    """Columns for one scalar alone (clusters are measured in DisplayWidth.swift)."""
    ch = chr(cp)
    gc = ucd.category(ch)
    if within(cp, HANGUL_VOWELS_AND_FINALS):
        return 0
    if gc in ("Mn", "Me"):
        return 0
    if gc == "Cf" and not within(cp, PREPENDED_CONCATENATION_MARKS):
        return 0
    # U+115F HANGUL CHOSEONG FILLER is a leading consonant: it starts a two-column syllable.
    if within(cp, DEFAULT_IGNORABLE_OTHER) and cp != 0x115F:
        return 0
    if REGIONAL_INDICATORS[0] <= cp <= REGIONAL_INDICATORS[1]:
        return 2
    if ucd.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def vs16_bases():
    bases = set()
    with open(VARIATION_SEQUENCES, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            seq, style = [p.strip() for p in line.split(";")[:2]]
            base, selector = seq.split()
            if selector == "FE0F" and style == "emoji style":
                bases.add(int(base, 16))
    # Only the narrow ones change width: a wide base is two columns with or without VS16.
    return sorted(b for b in bases if width(b) == 1)


def ranges_of(values):
    out = []
    for v in values:
        if out and out[-1][1] == v - 1:
            out[-1][1] = v
        else:
            out.append([v, v])
    return out


def swift_array(name, ranges, doc):
    flat = [f"0x{v:X}" for r in ranges for v in r]
    lines = []
    line = "   "
    for item in flat:
        if len(line) + len(item) + 2 > 110:
            lines.append(line.rstrip())
            line = "   "
        line += " " + item + ","
    lines.append(line.rstrip())
    return f"  /// {doc}\n  static let {name}: [UInt32] = [\n" + "\n".join(lines) + "\n  ]\n"


def main():
    widths = [width(cp) for cp in range(0x110000)]
    zero = ranges_of([cp for cp, w in enumerate(widths) if w == 0])
    wide = ranges_of([cp for cp, w in enumerate(widths) if w == 2])
    vs16 = ranges_of(vs16_bases())

    swift = (
        "// Generated by Tests/TimelineUITests/Support/generate-width-table.py from the Unicode Character\n"
        "// Database 18.0.0 and emoji-variation-sequences.txt (Emoji 17.0); do not edit by hand.\n"
        "// Pairs of inclusive bounds, sorted. `UnicodeWidthTableTests` re-derives every code point from the\n"
        "// Unicode data committed beside the script and compares.\n"
        "extension DisplayWidth {\n"
        + swift_array("zeroWidthRanges", zero, "Scalars that take no column of their own.")
        + "\n"
        + swift_array("wideRanges", wide, "Scalars two columns wide.")
        + "\n"
        + swift_array("emojiVariationBases", vs16,
                      "One-column scalars that U+FE0F (VS16) makes two-column emoji (emoji-variation-sequences.txt).")
        + "}\n"
    )
    with open(SWIFT_OUT, "w", encoding="utf-8") as f:
        f.write(swift)

    runs = []
    for cp in range(0x110000):
        ch = chr(cp)
        key = (ucd.category(ch), ucd.east_asian_width(ch))
        if runs and runs[-1][2] == key and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, key])
    with open(PROPS_OUT, "w", encoding="utf-8") as f:
        f.write("# General_Category and East_Asian_Width of every code point, Unicode 18.0.0, as runs:\n")
        f.write("# first..last;gc;eaw (hexadecimal). Derived from UnicodeData.txt and EastAsianWidth.txt\n")
        f.write("# (through unicodedata2 18.0.0) by generate-width-table.py. Unicode data is (c) Unicode, Inc.,\n")
        f.write("# used under the Unicode License v3 (https://www.unicode.org/license.txt).\n")
        for lo, hi, (gc, eaw) in runs:
            f.write(f"{lo:X}..{hi:X};{gc};{eaw}\n")
    print(f"{len(zero)} zero-width ranges, {len(wide)} wide ranges, {len(vs16)} VS16 base ranges, {len(runs)} property runs")

    if "--compare" in sys.argv:
        compare(widths)


def compare(widths):
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.setlocale.argtypes = [ctypes.c_int, ctypes.c_char_p]
    libc.setlocale(6, b"C.UTF-8")
    libc.wcwidth.argtypes = [ctypes.c_wchar]
    libc.wcwidth.restype = ctypes.c_int
    oracles = [("glibc", lambda c: libc.wcwidth(chr(c)))]
    try:
        import wcwidth
        oracles.append(("wcwidth " + getattr(wcwidth, "__version__", "?"), lambda c: wcwidth.wcwidth(chr(c))))
    except ImportError:
        pass
    for name, oracle in oracles:
        groups = {}
        for cp in range(0x20, 0x110000):
            if 0xD800 <= cp <= 0xDFFF or 0x7F <= cp <= 0x9F:
                continue
            theirs = oracle(cp)
            if theirs != widths[cp]:
                assigned = ucd.category(chr(cp)) != "Cn"
                groups.setdefault((theirs, widths[cp], assigned), []).append(cp)
        print(f"\n== differences from {name} (theirs -> ours) ==")
        for (theirs, ours, assigned), cps in sorted(groups.items()):
            spans = ranges_of(cps)
            shown = ", ".join(f"{lo:04X}" if lo == hi else f"{lo:04X}..{hi:04X}" for lo, hi in spans[:40])
            more = f" (+{len(spans) - 40} ranges)" if len(spans) > 40 else ""
            kind = "assigned" if assigned else "unassigned"
            print(f"{theirs:>2} -> {ours}: {len(cps):6} {kind}: {shown}{more}")


if __name__ == "__main__":
    main()
