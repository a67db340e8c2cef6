import Foundation

/// Case- and accent-insensitive text, for search and name matching.
///
/// Folding maps text to a form where "Chypre", "CHYPRE" and "chypre" agree, "Republique tcheque" finds
/// "République tchèque", "Lodz" finds "Łódź" and "Strasse" finds "Straße". Both the searched text and
/// the query are folded the same way, then compared byte for byte, which is what makes search fast.
///
/// Rules: ASCII letters are lower-cased; characters below U+2100 are decomposed (NFD), stripped of
/// combining marks and lower-cased, with a few letters that do not decompose spelled out (ß→ss, æ→ae,
/// œ→oe, ø→o, ł→l, đ→d, þ→th, ı→i); typographic quotes, dashes and no-break spaces become their ASCII
/// forms (French text uses U+202F before ; : ! ?); other combining marks are dropped; everything else is
/// lower-cased when it has case and kept as it is otherwise (CJK, emoji).
public enum TextFolding {
  /// Folded UTF-8 for scalars 0x80..<tableLimit, as offsets into one byte array.
  private struct Table {
    var starts: [UInt32]
    var bytes: [UInt8]
  }

  private static let tableLimit: UInt32 = 0x3000

  private static let table: Table = {
    var starts: [UInt32] = []
    var bytes: [UInt8] = []
    starts.reserveCapacity(Int(tableLimit) + 1)
    let decomposeRanges: [ClosedRange<UInt32>] = [0x80...0x24F, 0x370...0x3FF, 0x1E00...0x1FFF]
    let special: [UInt32: String] = [
      0xDF: "ss", 0x1E9E: "ss", 0xE6: "ae", 0xC6: "ae", 0x153: "oe", 0x152: "oe", 0xF8: "o", 0xD8: "o",
      0x142: "l", 0x141: "l", 0x111: "d", 0x110: "d", 0xFE: "th", 0xDE: "th", 0x131: "i", 0x127: "h",
      0x126: "h", 0x140: "l", 0x13F: "l", 0xA0: " ", 0xAB: "\"", 0xBB: "\"",
      0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'", 0x2032: "'", 0x201C: "\"", 0x201D: "\"",
      0x201E: "\"", 0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2015: "-",
      0x2212: "-", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200A: " ", 0x202F: " ", 0x2007: " ",
      0x2026: "...",
    ]
    for v in 0..<tableLimit {
      starts.append(UInt32(bytes.count))
      guard v >= 0x80, let scalar = Unicode.Scalar(v) else { continue }
      let folded: String
      if let s = special[v] {
        folded = s
      } else if decomposeRanges.contains(where: { $0.contains(v) }) {
        let decomposed = String(Character(scalar)).decomposedStringWithCanonicalMapping
        var kept = String.UnicodeScalarView()
        for u in decomposed.unicodeScalars where !isMark(u) { kept.append(u) }
        folded = String(kept).lowercased()
      } else if isMark(scalar) {
        folded = ""
      } else {
        folded = scalar.properties.changesWhenLowercased ? scalar.properties.lowercaseMapping : String(scalar)
      }
      bytes.append(contentsOf: folded.utf8)
    }
    starts.append(UInt32(bytes.count))
    return Table(starts: starts, bytes: bytes)
  }()

  @inline(__always)
  private static func isMark(_ u: Unicode.Scalar) -> Bool {
    switch u.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .spacingMark: return true
    default: return false
    }
  }

  /// The table as raw pointers that live for the whole run: the hot loop reads them without
  /// retaining an array or checking a lazy initialiser for every character.
  nonisolated(unsafe) private static let tableStarts: UnsafePointer<UInt32> = {
    let p = UnsafeMutablePointer<UInt32>.allocate(capacity: table.starts.count)
    p.initialize(from: table.starts, count: table.starts.count)
    return UnsafePointer(p)
  }()
  nonisolated(unsafe) private static let tableBytes: UnsafePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, table.bytes.count))
    p.initialize(from: table.bytes, count: table.bytes.count)
    return UnsafePointer(p)
  }()

  /// Appends the folded form of the UTF-8 text in `text` to `out`.
  ///
  /// ASCII is lower-cased eight bytes at a time; other characters go through the table (or the
  /// standard library's case mappings above U+3000). Folding never makes text more than three times
  /// longer, so the output is written in place into room reserved up front.
  public static func fold(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    let n = text.count
    guard n > 0, let src = text.baseAddress else { return }
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: roomNeeded(n)))
    let written = out.withUnsafeMutableBufferPointer { buffer -> Int in foldCore(src, n, into: buffer.baseAddress! + start, escapes: false, tables: .shared) }
    out.removeSubrange((start + written)...)
  }

  /// The room `foldUTF8` or `foldJSON` may need for `n` bytes of input.
  @inline(__always) static func roomNeeded(_ n: Int) -> Int { 3 * n + 8 }

  /// Folds `n` bytes of UTF-8 at `src` into `dst` (with `roomNeeded(n)` bytes of room); returns how
  /// many bytes it wrote.
  static func foldUTF8(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
    foldCore(src, n, into: dst, escapes: false, tables: .shared)
  }

  /// Folds the raw content of a JSON string (what lies between its quotes), `escaped` when it holds
  /// backslash escapes, into `out`: the same bytes as `fold` of its decoded text (`JSONString.unescape`),
  /// without decoding it first. An escape gives its scalar, which is folded directly (`\u00e9` is
  /// written as `e` without making `é` in between).
  public static func foldJSON(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool, into out: inout [UInt8]) {
    let n = raw.count
    guard n > 0, let src = raw.baseAddress else { return }
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: roomNeeded(n)))
    let written = out.withUnsafeMutableBufferPointer { buffer -> Int in
      foldJSON(src, n, escaped: escaped, into: buffer.baseAddress! + start, tables: .shared)
    }
    out.removeSubrange((start + written)...)
  }

  /// `foldJSON` into `dst` (`roomNeeded(n)` bytes of room); returns how many bytes it wrote.
  static func foldJSON(_ src: UnsafePointer<UInt8>, _ n: Int, escaped: Bool, into dst: UnsafeMutablePointer<UInt8>, tables: Tables) -> Int {
    escaped ? foldEscaped(src, n, into: dst, tables: tables) : foldCore(src, n, into: dst, escapes: false, tables: tables)
  }

  /// `foldJSON` of content without escapes, inlined into a caller that folds many strings (the word
  /// index, the text scan). Content with escapes goes to `foldEscaped`, not inlined: with both loops
  /// in one function, the compiler merged the two into one that checked for backslashes at run time
  /// in every eight bytes of every string.
  @inline(__always)
  static func foldJSONInline(
    _ src: UnsafePointer<UInt8>, _ n: Int, escaped: Bool, into dst: UnsafeMutablePointer<UInt8>, tables: Tables
  ) -> Int {
    escaped ? foldEscaped(src, n, into: dst, tables: tables) : foldCore(src, n, into: dst, escapes: false, tables: tables)
  }

  @inline(never)
  static func foldEscaped(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>, tables: Tables) -> Int {
    foldCore(src, n, into: dst, escapes: true, tables: tables)
  }

  /// The tables the folding loop reads, fetched once by a caller that folds many strings (each read of
  /// a global checks that it is set up).
  struct Tables {
    let packed: UnsafePointer<UInt32>
    let starts: UnsafePointer<UInt32>
    let bytes: UnsafePointer<UInt8>
    let hex: UnsafePointer<UInt32>

    static var shared: Tables { Tables(packed: tablePacked, starts: tableStarts, bytes: tableBytes, hex: ByteScan.hexTable) }
  }

  /// For each scalar below the table's limit, its folded form when it is at most three bytes (in the
  /// low bytes, the length in the high byte), else 0xFF in the high byte (read `tableStarts`).
  nonisolated(unsafe) private static let tablePacked: UnsafePointer<UInt32> = {
    let p = UnsafeMutablePointer<UInt32>.allocate(capacity: Int(tableLimit))
    let t = table
    for v in 0..<Int(tableLimit) {
      let s = Int(t.starts[v])
      let e = Int(t.starts[v + 1])
      if e - s > 3 {
        p[v] = 0xFF00_0000
        continue
      }
      var word = UInt32(e - s) << 24
      for k in s..<e { word |= UInt32(t.bytes[k]) << (8 * UInt32(k - s)) }
      p[v] = word
    }
    return UnsafePointer(p)
  }()

  /// The folding loop, for UTF-8 (`escapes` false) or for a JSON string's raw content with escapes.
  ///
  /// Eight bytes at a time: the word is written lower-cased, and the bytes before the first one that
  /// is not plain ASCII (a byte from 0x80, or a backslash when there are escapes) are kept; that one
  /// is then decoded as one scalar (a UTF-8 sequence, or an escape as `JSONString.decode` reads it,
  /// U+FFFD for one that is not valid) and folded by table.
  @inline(__always)
  private static func foldCore(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>, escapes: Bool, tables: Tables) -> Int {
    var i = 0
    var o = 0
    while i < n {
      if i + 8 <= n {
        let w = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
        // Lower-case A-Z in all eight bytes at once: bytes in 0x41...0x5A get 0x20 added. Only the
        // bytes before the first non-ASCII one are kept, and the sums below carry only upwards, into
        // later bytes.
        let aboveA = w &+ 0x3F3F_3F3F_3F3F_3F3F  // byte + (0x80 - 0x41): high bit set when >= 'A'
        let aboveZ = w &+ 0x2525_2525_2525_2525  // byte + (0x80 - 0x5B): high bit set when > 'Z'
        let upper = aboveA & ~aboveZ & 0x8080_8080_8080_8080
        UnsafeMutableRawPointer(dst + o).storeBytes(of: w | (upper >> 2), as: UInt64.self)
        var stop = w & 0x8080_8080_8080_8080
        if escapes { stop |= ByteScan.equal(w, UInt8(ascii: "\\")) }
        if stop == 0 {
          i += 8
          o += 8
          continue
        }
        let plain = stop.trailingZeroBitCount >> 3
        i += plain
        o += plain
      } else {
        let b = src[i]
        if b < 0x80 && (!escapes || b != UInt8(ascii: "\\")) {
          dst[o] = b &- 0x41 < 26 ? b | 0x20 : b
          i += 1
          o += 1
          continue
        }
      }
      let b = src[i]
      if escapes && b == UInt8(ascii: "\\") {
        let v = escape(src, n, &i, tables.hex)
        if v < 0x80 {
          let c = UInt8(truncatingIfNeeded: v)
          dst[o] = c &- 0x41 < 26 ? c | 0x20 : c
          o += 1
        } else if v >= 0x1_0000_0000 {
          // A byte after a backslash that is not an escape (not valid JSON): kept as the decoder keeps it.
          dst[o] = UInt8(truncatingIfNeeded: v)
          o += 1
        } else {
          o += foldScalar(UInt32(v), utf8: nil, length: 0, into: dst + o, tables: tables)
        }
        continue
      }
      // A non-ASCII byte. The commonest characters first, as the general path below would fold them
      // but without its decoding loop and range checks: two bytes (accented Latin, Greek, Cyrillic) by
      // the table; three from U+3000 to U+9FFF (kana, CJK: no case) and four from U+1F000 (emoji)
      // copied as they are.
      if b >= 0xC0 && b < 0xE0 && i + 2 <= n {
        let word = tables.packed[Int((UInt32(b) & 0x1F) << 6 | UInt32(src[i + 1] & 0x3F))]
        let count = Int(word >> 24)
        if count <= 3 {
          UnsafeMutableRawPointer(dst + o).storeBytes(of: word, as: UInt32.self)
          i += 2
          o += count
          continue
        }
      } else if b >= 0xE3 && b <= 0xE9 && i + 3 <= n {
        dst[o] = b
        dst[o + 1] = src[i + 1]
        dst[o + 2] = src[i + 2]
        i += 3
        o += 3
        continue
      } else if b == 0xF0 && i + 4 <= n && src[i + 1] & 0x3F >= 0x1F {
        UnsafeMutableRawPointer(dst + o).storeBytes(of: UnsafeRawPointer(src + i).loadUnaligned(as: UInt32.self), as: UInt32.self)
        i += 4
        o += 4
        continue
      }
      // Any other: decode one scalar (the input is valid UTF-8; anything else is copied byte by byte).
      let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
      guard len > 1, i + len <= n else {
        dst[o] = b
        i += 1
        o += 1
        continue
      }
      var v = UInt32(b) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
      for k in 1..<len { v = v << 6 | UInt32(src[i + k] & 0x3F) }
      o += foldScalar(v, utf8: src + i, length: len, into: dst + o, tables: tables)
      i += len
    }
    return o
  }

  /// Reads the escape at `i` (a backslash) as `JSONString.decode` does and moves `i` past it; returns
  /// its scalar (U+FFFD for one that is not valid), or, for a backslash before a byte that starts no
  /// escape (only in text that is not valid JSON), that byte plus 2^32.
  @inline(__always)
  private static func escape(_ src: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ hex: UnsafePointer<UInt32>) -> UInt64 {
    guard i + 1 < n else {
      i = n
      return 0xFFFD
    }
    let e = src[i + 1]
    i += 2
    switch e {
    case UInt8(ascii: "u"):
      guard i + 4 <= n, case let unit = ByteScan.hex4(src + i, hex), unit <= 0xFFFF else { return 0xFFFD }
      i += 4
      if unit >= 0xD800 && unit <= 0xDBFF, i + 6 <= n, src[i] == UInt8(ascii: "\\"), src[i + 1] == UInt8(ascii: "u"),
        case let low = ByteScan.hex4(src + i + 2, hex), low >= 0xDC00 && low <= 0xDFFF
      {
        i += 6
        return UInt64(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
      }
      return unit >= 0xD800 && unit <= 0xDFFF ? 0xFFFD : UInt64(unit)
    case UInt8(ascii: "n"): return 0x0A
    case UInt8(ascii: "t"): return 0x09
    case UInt8(ascii: "r"): return 0x0D
    case UInt8(ascii: "b"): return 0x08
    case UInt8(ascii: "f"): return 0x0C
    default: return e < 0x80 ? UInt64(e) : 0x1_0000_0000 | UInt64(e)  // \" \\ \/
    }
  }

  /// Writes the folded form of scalar `v` at `dst` and returns its length. `utf8` is its UTF-8
  /// (`length` bytes) when the caller has it, else nil (a scalar from an escape: encoded here when it
  /// is needed).
  @inline(__always)
  private static func foldScalar(
    _ v: UInt32, utf8: UnsafePointer<UInt8>?, length: Int, into dst: UnsafeMutablePointer<UInt8>, tables: Tables
  ) -> Int {
    if v < tableLimit {
      let word = tables.packed[Int(v)]
      let count = Int(word >> 24)
      if count <= 3 {
        UnsafeMutableRawPointer(dst).storeBytes(of: word, as: UInt32.self)
        return count
      }
      let s = Int(tables.starts[Int(v)])
      let e = Int(tables.starts[Int(v) + 1])
      dst.update(from: tables.bytes + s, count: e - s)
      return e - s
    }
    if (v >= 0x3000 && v < 0xA000) || (v >= 0xAC00 && v < 0xD7A4) || v >= 0x1F000 || v == 0x200D {
      // CJK, Hangul, kana and emoji have no case: copied as they are (the common case up here), or,
      // from an escape, encoded here (`\u8a18`, `\ud83d\udcc1`: most of the non-Latin text of a
      // file written by Python's `json.dump`), without a call out of the loop.
      guard let utf8 else {
        if v >= 0x10000 { return JSONString.put(v, dst) }
        dst[0] = UInt8(truncatingIfNeeded: 0xE0 | v >> 12)
        dst[1] = UInt8(truncatingIfNeeded: 0x80 | (v >> 6) & 0x3F)
        dst[2] = UInt8(truncatingIfNeeded: 0x80 | v & 0x3F)
        return 3
      }
      // Two to four bytes, copied without a call to memmove.
      dst[0] = utf8[0]
      dst[1] = utf8[1]
      if length > 2 { dst[2] = utf8[2] }
      if length > 3 { dst[3] = utf8[3] }
      return length
    }
    if v >> 4 == 0xFE0 {
      // Variation selectors (the one after ⚖ in "⚖️") are marks: dropped.
      return 0
    }
    return foldScalarSlowly(v, utf8: utf8, length: length, into: dst)
  }

  /// Scalars above the table: CJK, Hangul, kana and emoji (no case: copied), and the rest through the
  /// standard library's properties.
  @inline(never)
  private static func foldScalarSlowly(_ v: UInt32, utf8: UnsafePointer<UInt8>?, length: Int, into dst: UnsafeMutablePointer<UInt8>) -> Int {
    var encoded: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    return withUnsafeMutableBytes(of: &encoded) { raw in
      let scratch = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
      var source = utf8
      var len = length
      if source == nil {
        len = JSONString.put(v, scratch)
        source = UnsafePointer(scratch)
      }
      let from = source!
      if (v >= 0x3000 && v < 0xA000) || (v >= 0xAC00 && v < 0xD7A4) || v >= 0x1F000 || v == 0x200D {
        // CJK, Hangul, kana and emoji have no case: copied as they are (the common case up here).
        dst.update(from: from, count: len)
        return len
      }
      var tail: [UInt8] = []
      appendFolded(v, source: UnsafeBufferPointer(start: from, count: len), at: 0, length: len, into: &tail)
      for (k, byte) in tail.enumerated() { dst[k] = byte }
      return tail.count
    }
  }

  @inline(__always)
  private static func appendFolded(
    _ v: UInt32, source: UnsafeBufferPointer<UInt8>, at i: Int, length: Int, into out: inout [UInt8]
  ) {
    if v < tableLimit {
      let t = table
      let s = Int(t.starts[Int(v)])
      let e = Int(t.starts[Int(v) + 1])
      out.append(contentsOf: t.bytes[s..<e])
      return
    }
    // CJK, Hangul, kana and emoji have no case and no marks to strip: copy them as they are.
    let noCase = (v >= 0x3000 && v < 0xA000) || (v >= 0xAC00 && v < 0xD7A4) || v >= 0x1F000
    if noCase || v == 0x200D {
      out.append(contentsOf: UnsafeBufferPointer(rebasing: source[i..<i + length]))
      return
    }
    guard let scalar = Unicode.Scalar(v) else { return }
    if isMark(scalar) { return }
    if v == 0x2212 || (v >= 0x2010 && v <= 0x2015) {
      out.append(UInt8(ascii: "-"))
    } else if v >= 0xFF01 && v <= 0xFF5E {
      // Full-width ASCII (Ａ, ｂ, ３) folds to ASCII; checked before lower-casing, which would turn Ａ
      // into the full-width ａ.
      let ascii = UInt8(v - 0xFF01 + 0x21)
      out.append(ascii &- 0x41 < 26 ? ascii | 0x20 : ascii)
    } else if scalar.properties.changesWhenLowercased {
      out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
    } else {
      out.append(contentsOf: UnsafeBufferPointer(rebasing: source[i..<i + length]))
    }
  }

  /// Which scalars below the table's limit are capitals (they change when lower-cased).
  private static let capitals: [Bool] = (0..<tableLimit).map { v in
    Unicode.Scalar(v).map { $0.properties.changesWhenLowercased } ?? false
  }

  /// Like `fold`, but capitals stay capitals ("Zürich" gives "Zurich", "ÉTÉ" gives "ETE"): what a
  /// search term with a capital is compared against (smart case), so that case counts and accents
  /// still do not. Used for the few events a case-sensitive term is checked on, and for highlighting.
  public static func foldKeepingCase(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    let n = text.count
    var i = 0
    while i < n {
      let b = text[i]
      if b < 0x80 {
        out.append(b)
        i += 1
        continue
      }
      let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
      guard len > 1, i + len <= n else {
        out.append(b)
        i += 1
        continue
      }
      var v = UInt32(b) & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07)
      for k in 1..<len { v = v << 6 | UInt32(text[i + k] & 0x3F) }
      let start = out.count
      appendFolded(v, source: text, at: i, length: len, into: &out)
      let isCapital = v < tableLimit ? capitals[Int(v)] : Unicode.Scalar(v)?.properties.changesWhenLowercased ?? false
      if isCapital {
        if out[start...].allSatisfy({ $0 < 0x80 }) {
          for k in start..<out.count where out[k] &- 0x61 < 26 { out[k] -= 0x20 }
        } else {
          // A capital outside the Latin letters (Σ, Д): kept as it is written.
          out.removeSubrange(start...)
          out.append(contentsOf: UnsafeBufferPointer(rebasing: text[i..<i + len]))
        }
      }
      i += len
    }
  }

  /// `foldKeepingCase` of a string.
  public static func foldKeepingCase(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var copy = text
    copy.withUTF8 { foldKeepingCase($0, into: &out) }
    return out
  }

  /// The folded UTF-8 bytes of `text`.
  public static func fold(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var copy = text
    copy.withUTF8 { fold($0, into: &out) }
    return out
  }

  /// The folded form of `text` as a string (for display in tests and suggestions).
  public static func folded(_ text: String) -> String { String(decoding: fold(text), as: UTF8.self) }

  /// Whether a folded byte is a letter or digit (non-ASCII bytes count as letters, so words in any
  /// script stay whole). Capitals count too, for text folded keeping its case (`foldKeepingCase`).
  @inline(__always)
  public static func isWordByte(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80 || (b >= 0x41 && b <= 0x5A)
  }

  /// Whether folded `needle` occurs in folded `haystack` at the start of a word ("kor" in "south korea",
  /// not "or" in "korea").
  public static func containsAtWordStart(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= haystack.count else { return false }
    let first = needle[0]
    var i = 0
    let last = haystack.count - needle.count
    while i <= last {
      if haystack[i] == first && (i == 0 || !isWordByte(haystack[i - 1])) {
        var k = 1
        while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
        if k == needle.count { return true }
      }
      i += 1
    }
    return false
  }
}
