/// How many terminal columns text takes.
///
/// Swift's `String.count` counts grapheme clusters, not columns: "日本" is 2 characters and 4 columns.
/// A grapheme's width is that of its first scalar by glibc's table (2 for CJK and most emoji, 0 for
/// combining marks, 1 otherwise); the rest of the cluster (accents, variation selectors, joiners)
/// rides along. The backend draws a cluster's first scalar and its zero-width followers only, so what
/// the buffer assumes and what the terminal shows stay in step.
public enum DisplayWidth {
  /// Columns taken by one scalar: 0, 1 or 2.
  public static func of(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x300 { return 1 }  // ASCII and Latin: the common case, no search.
    if contains(wideRanges, v) { return 2 }
    if contains(zeroWidthRanges, v) { return 0 }
    return 1
  }

  /// Columns taken by one grapheme cluster.
  public static func of(_ character: Character) -> Int {
    guard let first = character.unicodeScalars.first else { return 0 }
    return of(first)
  }

  /// Columns a string takes when drawn by `Buffer.put` (control characters count as their one-column
  /// placeholders).
  public static func of(_ text: String) -> Int {
    // Printable ASCII: one column a byte.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
    var total = 0
    for ch in text { total += Buffer.glyph(ch).1 }
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
