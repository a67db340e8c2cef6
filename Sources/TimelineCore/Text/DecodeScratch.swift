/// A buffer that escaped strings are decoded into, reused for every one: a loading thread has one, so
/// decoding an escaped id, date or tag allocates nothing.
final class DecodeScratch {
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity = 256
  private var count = 0
  /// `ByteScan.hexTable`, read once.
  let hex = ByteScan.hexTable
  /// `EventField.keyTable`, read once.
  let keys = EventField.keyTable

  /// Sixteen bytes past `capacity` stay allocated, so that a decoded key can be read 16 bytes at a
  /// time (`ByteInterner.intern(_:count:)`).
  init() { base = .allocate(capacity: capacity + 16) }

  deinit { base.deallocate() }

  /// What the last `decode` gave; valid until the next.
  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  /// The id of what the last `decode` gave in `interner`, added if new; out of line, and comparing a
  /// key of up to 16 bytes with two loads rather than `memcmp` (the buffer has 16 bytes to spare).
  @inline(never) func intern(into interner: ByteInterner) -> Int { interner.intern(UnsafePointer(base), count: count) }

  /// `intern(into:)` through `map`, as a plain id or tag is interned: what the last `decode` gave, of up
  /// to 16 bytes, read as two words (the buffer has 16 bytes to spare; `ShortIDMap` and the hash look at
  /// none past `count`), so that an escaped id of up to eight bytes is found from one slot too.
  @inline(never) func intern(into interner: ByteInterner, _ map: ShortIDMap) -> Int {
    map.intern(UnsafePointer(base), count: count, into: interner)
  }

  /// The most raw bytes `decodeSimple` takes (the buffer always has room for them).
  static var simpleLimit: Int { 128 }

  /// Decodes a short string's content in the same pass that finds its end, when every escape in it is
  /// `\u00XX` for an ASCII character (how a writer that escapes characters one by one writes them):
  /// `plainCount` bytes at `plain` that hold no escape and no quote (copied as they are), then the
  /// bytes from `rest` (which start with a backslash) up to the closing quote, within `available`
  /// bytes and `simpleLimit` in all. Returns the length of the rest up to its closing quote, the decoded
  /// string then being `bytes`; nil for anything else (another escape, a control character, a longer
  /// string, the end of the buffer), which the caller scans and decodes the general way.
  ///
  /// With `id`, every decoded byte must also be one an id may have (`Rules.isIDByte`; the plain bytes
  /// the caller has checked), and nil otherwise: the decoded string is then a valid id.
  ///
  /// Out of line: it runs only for escaped strings, and inlined into the parser's hot function it
  /// moved the canonical load. The plain runs between escapes are copied eight bytes at a time (the
  /// buffer has room past `simpleLimit`), which is most of a date's or tag's bytes when only its
  /// first character is escaped.
  @inline(never) func decodeSimple(
    plain: UnsafePointer<UInt8>, _ plainCount: Int, rest: UnsafePointer<UInt8>, available: Int, id: Bool = false
  ) -> Int? {
    if plainCount == 0 && !id, let n = leadingEscape(rest, available: available) { return n }
    let limit = min(available, Self.simpleLimit - plainCount)
    guard limit > 0 else { return nil }
    let out = base
    out.update(from: plain, count: plainCount)
    var o = plainCount
    var i = 0
    let hex = self.hex
    while i < limit {
      let b = rest[i]
      if b == UInt8(ascii: "\\") {
        guard i + 6 <= limit, let v = ByteScan.escapedASCII(rest + i, hex) else { return nil }
        if id && !Rules.isIDByte(v, first: o == 0) { return nil }
        out[o] = v
        i += 6
      } else if b == UInt8(ascii: "\"") {
        count = o
        return i
      } else {
        if !id && i + 8 <= limit {
          // Up to eight plain bytes at once (stored whole: `out` has room for eight past `simpleLimit`).
          let k = ByteScan.firstStringStop(rest + i)
          if k > 0 {
            UnsafeMutableRawPointer(out + o).storeBytes(of: UnsafeRawPointer(rest + i).loadUnaligned(as: UInt64.self), as: UInt64.self)
            i += k
            o += k
            continue
          }
        }
        guard b >= 0x20 else { return nil }
        if id && !Rules.isIDByte(b, first: o == 0) { return nil }
        out[o] = b
        i += 1
      }
      o += 1
    }
    return nil
  }

  /// `decodeSimple` for the string it is most often given: its first character only escaped, as
  /// `\u00XX` for an ASCII one (how a writer that escapes each string's first character writes a date
  /// or a tag), `rest` being the string's content from that backslash. The plain bytes after the
  /// escape are found and copied eight at a time up to the closing quote, with no look at each byte.
  /// Returns the length of `rest` up to its closing quote, the decoded string then being `bytes`; nil
  /// for any other string (another escape, a control character, more than `simpleLimit` bytes, the
  /// end of the buffer), which `decodeSimple` then takes.
  @inline(__always) private func leadingEscape(_ rest: UnsafePointer<UInt8>, available: Int) -> Int? {
    let limit = min(available, Self.simpleLimit)
    guard limit >= 7, let v = ByteScan.escapedASCII(rest, hex) else { return nil }
    let out = base
    out[0] = v
    // Byte `i` of `rest` (after the escape's six) goes to `out[i - 5]`.
    var i = 6
    while i + 8 <= limit {
      let k = ByteScan.firstStringStop(rest + i)
      // Stored whole: `out` has room for eight past `simpleLimit`.
      UnsafeMutableRawPointer(out + i - 5).storeBytes(of: UnsafeRawPointer(rest + i).loadUnaligned(as: UInt64.self), as: UInt64.self)
      i += k
      if k < 8 {
        guard rest[i] == UInt8(ascii: "\"") else { return nil }
        count = i - 5
        return i
      }
    }
    while i < limit {
      let b = rest[i]
      if b == UInt8(ascii: "\"") {
        count = i - 5
        return i
      }
      guard b >= 0x20 && b != UInt8(ascii: "\\") else { return nil }
      out[i - 5] = b
      i += 1
    }
    return nil
  }

  /// An id whose first character only is escaped, as `\u00XX` for a letter or digit, then the id's
  /// other bytes plain up to the closing quote (`rest` is the string's content from the backslash,
  /// within `available` bytes): decoded into `bytes`, each byte checked as `Rules.isIDByte` checks it.
  /// Returns the length of `rest` up to its closing quote; nil for anything else (another escape, a
  /// byte no id may have, an id longer than `Rules.maxIDLength`, the end of the buffer), which the
  /// caller takes the general way.
  ///
  /// The plain bytes are checked eight at a time (`ByteScan.nonIDBytes`) when the buffer has 16 after
  /// the escape: an id of up to 16 bytes (the escape's and 15) is then checked, and its decoded bytes
  /// built, from two loads, with no branch per byte. Longer ids, and the end of the buffer near, go
  /// byte by byte.
  @inline(__always) func leadingEscapedID(_ rest: UnsafePointer<UInt8>, available: Int) -> Int? {
    guard available >= 7, let v = ByteScan.escapedASCII(rest, hex), Rules.isIDByte(v, first: true) else { return nil }
    if available >= 22 {
      let raw = UnsafeRawPointer(rest + 6)
      let w0 = raw.loadUnaligned(as: UInt64.self)
      let w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
      // Longer ids go byte by byte (below).
      if ByteScan.nonIDBytes(w0) | ByteScan.nonIDBytes(w1) != 0 { return leadingEscapedShortID(rest, v)?.length }
    }
    var i = 6
    while i < available && Rules.isIDByte(rest[i], first: false) { i += 1 }
    // One byte for the escape, then the plain ones.
    let n = i - 5
    guard i < available, rest[i] == UInt8(ascii: "\""), n <= Rules.maxIDLength, n <= capacity else { return nil }
    base[0] = v
    (base + 1).update(from: rest + 6, count: n - 1)
    count = n
    return i
  }

  /// `leadingEscapedID` for an id of up to 16 bytes, with 22 bytes of the buffer from `rest` (the
  /// backslash of its first character's escape, `v` that character, which `Rules.isIDByte` takes first):
  /// the id's other bytes are checked from two loads, with no branch per byte, and its decoded bytes are
  /// built from them, stored as `bytes` and given back as two words (`low`, `high`: the first eight
  /// bytes and the next eight; the bytes past the id's end are stored too, and are never read as the
  /// id's). Returns the length of `rest` up to the closing quote and the id's length; nil when the
  /// plain bytes after the escape do not end at a quote within 15 bytes (another escape, a byte no id
  /// may have, a longer id).
  @inline(__always) func leadingEscapedShortID(_ rest: UnsafePointer<UInt8>, _ v: UInt8) -> (length: Int, count: Int, low: UInt64, high: UInt64)? {
    // The plain bytes before the first that no id may have, which must be the closing quote.
    guard let (k, w0, w1) = ByteScan.quotedIDRun(rest + 6) else { return nil }
    // The escape's byte, then the plain ones.
    let low = UInt64(v) | w0 << 8, high = w0 >> 56 | w1 << 8
    let out = UnsafeMutableRawPointer(base)
    out.storeBytes(of: low, as: UInt64.self)
    out.storeBytes(of: high, toByteOffset: 8, as: UInt64.self)
    count = k + 1
    return (6 + k, k + 1, low, high)
  }

  /// Where `bytes` starts (16 bytes there are readable, whatever their count).
  var start: UnsafePointer<UInt8> { UnsafePointer(base) }

  /// The text raw string content stands for (escapes undone), valid until the next call.
  @discardableResult
  func decode(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> UnsafeBufferPointer<UInt8> {
    if JSONString.roomNeeded(raw.count) > capacity {
      base.deallocate()
      capacity = max(JSONString.roomNeeded(raw.count), capacity * 2)
      base = .allocate(capacity: capacity + 16)
    }
    if let src = raw.baseAddress {
      if escaped {
        count = JSONString.decode(src, raw.count, into: base, hex: hex)
      } else {
        base.update(from: src, count: raw.count)
        count = raw.count
      }
    } else {
      count = 0
    }
    return bytes
  }
}
