/// Finding the bytes that matter in JSON text eight at a time, and decoding `\u` escapes by table:
/// shared by the fast parser, the reference scanner and the unescaper.
///
/// A word of eight bytes is tested for a quote, a backslash or a control character with a few integer
/// operations (no per-byte branch), and the first such byte is found from the lowest set bit. In strings
/// written with many escapes (every non-ASCII character as `\u00e9`) the next escape is a few bytes
/// away, and a search that stopped at the end of a sixteen-byte block and then walked it byte by byte
/// took a quarter of the load.
enum ByteScan {
  @inline(__always) static var ones: UInt64 { 0x0101_0101_0101_0101 }
  @inline(__always) static var highs: UInt64 { 0x8080_8080_8080_8080 }

  /// The high bit of each byte of `w` equal to `c` (exact for the lowest such byte; bytes above it may
  /// be marked falsely, which the lowest-bit search never sees).
  @inline(__always) static func equal(_ w: UInt64, _ c: UInt8) -> UInt64 {
    let x = w ^ (ones &* UInt64(c))
    return (x &- ones) & ~x & highs
  }

  /// The high bit of each byte of `w` below 0x20 (same caveat).
  @inline(__always) static func control(_ w: UInt64) -> UInt64 { (w &- ones &* 0x20) & ~w & highs }

  /// The offset (0...7) of the first quote, backslash or control byte in the eight bytes at `p`, or 8.
  @inline(__always) static func firstStringStop(_ p: UnsafePointer<UInt8>) -> Int {
    let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
    let m = equal(w, UInt8(ascii: "\"")) | equal(w, UInt8(ascii: "\\")) | control(w)
    return m.trailingZeroBitCount >> 3
  }

  /// The high bit of each byte of `w` that an id may not have after its first byte (anything but an
  /// ASCII letter, digit, `.`, `_`, `:` or `-`; `Rules.isIDByte(_:first: false)`), exact for every byte:
  /// the bytes' low seven bits are compared with each range's ends by adding to each byte what takes
  /// its high bit set at the end (at most 0x7F + 0x7F, so nothing carries into the next byte).
  @inline(__always) static func nonIDBytes(_ w: UInt64) -> UInt64 {
    let y = w & ~highs
    // The high bit of each byte of `v` (seven-bit bytes) at or above `c` (1...0x80).
    @inline(__always) func atLeast(_ v: UInt64, _ c: UInt64) -> UInt64 { v &+ ones &* (0x80 &- c) }
    let digitOrColon = atLeast(y, 0x30) & ~atLeast(y, 0x3B)  // 0-9 :
    let dashOrDot = atLeast(y, 0x2D) & ~atLeast(y, 0x2F)  // - .
    let folded = y | ones &* 0x20
    let letter = atLeast(folded, 0x61) & ~atLeast(folded, 0x7B)  // a-z A-Z
    let u = y ^ (ones &* 0x5F)
    let underscore = ~((u &+ ones &* 0x7F) | u)  // the byte is 0x5F
    let allowed = (digitOrColon | dashOrDot | letter | underscore) & ~w & highs
    return ~allowed & highs
  }

  /// The id bytes at `p` (16 readable) before the first byte no id may have, when that byte is a closing
  /// quote within the sixteen: their count (0 to 15) and the sixteen bytes as two words (`w0` the
  /// first eight). Nil when the sixteen bytes are all id bytes or the first other byte is not a quote.
  /// The short ids' one check: a plain id after its opening quote (`Cursor.plainShortID`), the plain
  /// bytes after an id's escaped first character (`DecodeScratch.leadingEscapedShortID`).
  @inline(__always) static func quotedIDRun(_ p: UnsafePointer<UInt8>) -> (count: Int, w0: UInt64, w1: UInt64)? {
    let raw = UnsafeRawPointer(p)
    let w0 = raw.loadUnaligned(as: UInt64.self)
    let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
    let m0 = nonIDBytes(w0)
    let m = m0 != 0 ? m0 : nonIDBytes(w1)
    guard m != 0 else { return nil }
    let k = (m0 != 0 ? 0 : 8) + m.trailingZeroBitCount >> 3
    guard p[k] == UInt8(ascii: "\"") else { return nil }
    return (k, w0, w1)
  }

  /// The offset (0...7) of the first backslash in the eight bytes at `p`, or 8.
  @inline(__always) static func firstBackslash(_ p: UnsafePointer<UInt8>) -> Int {
    equal(UnsafeRawPointer(p).loadUnaligned(as: UInt64.self), UInt8(ascii: "\\")).trailingZeroBitCount >> 3
  }

  /// The characters in `n` bytes of UTF-8: the bytes that are not continuation bytes, eight at a time.
  static func characters(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var count = 0
    var i = 0
    while i + 8 <= n {
      let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
      // Continuation bytes are 10xxxxxx: the high bit set and the next one clear.
      count += 8 - (w & ~(w << 1) & highs).nonzeroBitCount
      i += 8
    }
    while i < n {
      if p[i] & 0xC0 != 0x80 { count += 1 }
      i += 1
    }
    return count
  }

  /// The value of four hex digits at `p`, or a value above 0xFFFF if one of them is not a hex digit.
  /// `t` is `hexTable`, read once by the caller (each read of a `static let` checks that it is set up).
  @inline(__always) static func hex4(_ p: UnsafePointer<UInt8>, _ t: UnsafePointer<UInt32>) -> UInt32 {
    t[Int(p[0])] << 12 | t[Int(p[1])] << 8 | t[Int(p[2])] << 4 | t[Int(p[3])]
  }

  /// The ASCII character that the six bytes at `p` escape as `\u00XX` (`\u0031` for `1`: how a writer
  /// that escapes each string's first character writes it), or nil when they are not such an escape.
  /// `\u00` is compared as one little-endian load; a byte that is not a hex digit looks up a value far
  /// above 0x7F. `t` is `hexTable`; six bytes at `p` must be readable.
  @inline(__always) static func escapedASCII(_ p: UnsafePointer<UInt8>, _ t: UnsafePointer<UInt32>) -> UInt8? {
    guard UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) == 0x3030_755C else { return nil }
    let v = t[Int(p[4])] << 4 | t[Int(p[5])]
    return v < 0x80 ? UInt8(truncatingIfNeeded: v) : nil
  }

  /// Each byte's value as a hex digit; for other bytes, high bits that survive every shift in `hex4`.
  nonisolated(unsafe) static let hexTable: UnsafePointer<UInt32> = {
    let p = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
    for b in 0..<256 {
      switch UInt8(b) {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): p[b] = UInt32(b) - 0x30
      case UInt8(ascii: "a")...UInt8(ascii: "f"): p[b] = UInt32(b) - 0x57
      case UInt8(ascii: "A")...UInt8(ascii: "F"): p[b] = UInt32(b) - 0x37
      default: p[b] = 0xFFFF_0000
      }
    }
    return UnsafePointer(p)
  }()
}
