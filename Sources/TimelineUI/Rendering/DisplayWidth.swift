import TimelineCore

/// How many terminal columns text takes: one policy for every scalar of Unicode 18, and for the grapheme
/// clusters built from them.
///
/// Swift's `String.count` counts grapheme clusters, not columns: "日本" is 2 characters and 4 columns.
///
/// **Scalars** (the table in `DisplayWidth+Tables.swift`, generated from the Unicode Character Database
/// 18.0.0): East Asian Wide and Fullwidth are 2 columns, regional indicators too; nonspacing and
/// enclosing marks, format characters, default-ignorable code points and the Hangul medial vowels and
/// final consonants are 0; everything else is 1 (Ambiguous included, as outside CJK locales).
///
/// **Clusters** are measured as terminals draw them: the columns of their scalars added up (so Indic
/// spacing vowel signs and conjuncts, Thai SARA AM, halfwidth voiced marks take the columns terminals
/// give them, and NFD Hangul L+V+T is one two-column syllable), except emoji sequences, which are one
/// two-column glyph: a flag (two regional indicators), a skin tone after an emoji, anything joined by a
/// ZWJ after an emoji, and VS16 after a narrow emoji (❤️, #️⃣) make no extra column, and VS16 makes the
/// emoji itself two columns.
///
/// **Where terminals disagree** (measured by the ucs-detect project across 23 terminals, as published in
/// Python's `wcwidth` package, and by glibc's older tables), the wider answer is taken, so that a glyph is
/// never cut: the backend blanks the columns first, draws the cluster, then moves the cursor to where the
/// next cell begins, so a terminal that draws it narrower shows a blank column, and one that draws it
/// wider (a ZWJ family as four people on terminals that do not join emoji) only has its overflow drawn
/// over. The cases:
/// - a lone regional indicator: 2 (16 terminals draw 1, wcwidth says 2);
/// - VS16 after a narrow emoji: 2 (xterm, VTE, Alacritty and others ignore it for about 40 bases);
/// - VS15 after a wide emoji (⌚︎, ㊗︎): 2, the VS15 ignored (15 of 23 terminals ignore it; wcwidth says 1);
/// - an emoji modifier on its own: 2 (kitty draws 0, foot 1);
/// - the prepended concatenation marks U+0600–U+0605, U+06DD, U+070F, U+0890–U+0891, U+08E2, U+110BD,
///   U+110CD: 1 (glibc, xterm, wcwidth), although VTE, kitty and foot draw 0;
/// - the Unicode 16 trigrams, monograms and counting rods (U+2630.., U+268A.., U+1D300..): 2, glibc 1;
/// - U+3248–U+324F (circled numbers on black squares, Ambiguous): 1, although glibc and xterm draw 2.
/// And the other way, where not drawing a character at all is what every terminal agrees with:
/// - U+00AD SOFT HYPHEN: 0 and not drawn (glibc, xterm and VTE draw a hyphen, kitty, WezTerm and Konsole
///   nothing); a terminal never breaks a line there, so it is invisible;
/// - U+3164 HANGUL FILLER and U+FFA0 HALFWIDTH HANGUL FILLER: 0 and not drawn (default-ignorable,
///   blank anyway; glibc says 2 and 1).
/// A cluster of more than `maxClusterScalars` scalars (a stack of marks, a title that is one cluster of
/// 180 skin tones) is cut there and followed by "…", as a cut title is.
public enum DisplayWidth {
  /// Longer clusters are cut. Unicode's stream-safe format allows 30 marks after a base; the longest
  /// emoji sequence (a kiss with two skin tones) has 10 scalars.
  static let maxClusterScalars = 32

  /// Columns taken by one scalar on its own: 0, 1 or 2.
  @inline(__always)
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x300 { return v == 0xAD ? 0 : 1 }  // ASCII and Latin: the common case, no search.
    if v < 0x10000 { return Int(basicPlane[Int(v)] & 3) }
    if contains(wideRanges, v) { return 2 }
    if contains(zeroWidthRanges, v) { return 0 }
    return 1
  }

  /// Whether VS16 after this one-column scalar makes it a two-column emoji.
  public static func isEmojiVariationBase(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    return v < 0x10000 ? basicPlane[Int(v)] & 4 != 0 : contains(emojiVariationBases, v)
  }

  /// The Basic Multilingual Plane, where most text is, one byte a scalar: its width in the low two
  /// bits, 4 for an emoji variation base (64 KiB, made from the ranges on first use, so that the
  /// frame's non-ASCII cells cost one load instead of two binary searches).
  private static let basicPlane: [UInt8] = {
    var table = [UInt8](repeating: 1, count: 0x10000)
    func mark(_ ranges: [UInt32], _ apply: (inout UInt8) -> Void) {
      for k in stride(from: 0, to: ranges.count, by: 2) where ranges[k] < 0x10000 {
        for v in ranges[k]...min(ranges[k + 1], 0xFFFF) { apply(&table[Int(v)]) }
      }
    }
    mark(zeroWidthRanges) { $0 = 0 }
    mark(wideRanges) { $0 = 2 }
    mark(emojiVariationBases) { $0 |= 4 }
    return table
  }()

  /// Columns taken by one grapheme cluster when drawn (a cut cluster counts its "…").
  public static func of(_ character: Character) -> Int {
    let g = Buffer.glyph(character, keep: false)
    return g.width + (g.cut ? 1 : 0)
  }

  /// Columns a string takes when drawn by `Buffer.put` (control characters count as their one-column
  /// placeholders).
  public static func of(_ text: String) -> Int {
    // Printable ASCII: one column a byte.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    var total = 0
    for ch in text { total += of(ch) }
    return total
  }

  private static func contains(_ ranges: [UInt32], _ v: UInt32) -> Bool {
    // Binary search over (low, high) pairs.
    var lo = 0
    var hi = ranges.count / 2 - 1
    while lo <= hi {
      let mid = (lo + hi) / 2
      if v < ranges[2 * mid] {
        hi = mid - 1
      } else if v > ranges[2 * mid + 1] {
        lo = mid + 1
      } else {
        return true
      }
    }
    return false
  }
}
