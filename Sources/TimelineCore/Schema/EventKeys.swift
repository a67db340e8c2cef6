/// Event keys recognised from raw bytes, as both parsers read them.
///
/// A key is recognised with no branch on which key it is: its first and third bytes pick one of 32
/// slots (a multiplicative hash, `slot`), and the twelve bytes after its opening quote are compared,
/// under the slot's masks, with the slot's key and closing quote. The key's closing quote is part of the
/// comparison, so "id" cannot match "idx" and no length needs finding first. With no branch per key, a
/// file whose events list their keys in a different order each time costs no more than one in a fixed
/// order (a `switch` on the first letter was mispredicted on almost every key of such a file). The
/// table is built from `EventField.name`, so the schema's names are the only spelling of the keys.
extension EventField {
  /// One slot of the key table: a key with its closing quote as two little-endian words and their masks,
  /// its field's `rawValue + 1` (0 in an empty slot), and its length with the quote.
  struct KeySlot {
    var low: UInt64 = 0
    var lowMask: UInt64 = 0
    var high: UInt32 = 0
    var highMask: UInt32 = 0
    var code: Int32 = 0
    var length: Int32 = 0
  }

  /// The hash multiplier: with it, the first and third bytes of the eleven keys fall in eleven distinct
  /// slots (the table's construction checks that, and a test runs it).
  @inline(__always) static var keyMultiplier: UInt64 { 0xC6A5_3877_7733_0BDB }

  /// The slot of a key whose first eight bytes (after the opening quote) are `w`.
  @inline(__always) static func slot(_ w: UInt64) -> Int { Int(truncatingIfNeeded: ((w & 0xFF_00FF) &* keyMultiplier) >> 59) }

  /// The 32 slots, built once from the schema's names (read once per element by the parser: each read of
  /// a `static let` checks that it is set up).
  nonisolated(unsafe) static let keyTable: UnsafePointer<KeySlot> = {
    let table = UnsafeMutablePointer<KeySlot>.allocate(capacity: 32)
    table.initialize(repeating: KeySlot(), count: 32)
    for field in EventField.allCases {
      let key = Array(field.name.utf8) + [UInt8(ascii: "\"")]
      precondition(key.count <= 12, "key \(field.name) is longer than the table's twelve bytes")
      var bytes = [UInt8](repeating: 0, count: 12)
      var mask = [UInt8](repeating: 0, count: 12)
      for (i, b) in key.enumerated() {
        bytes[i] = b
        mask[i] = 0xFF
      }
      func word<T: FixedWidthInteger>(_ a: [UInt8], _ from: Int, _: T.Type) -> T {
        (0..<(T.bitWidth / 8)).reduce(T.zero) { $0 | T(a[from + $1]) << ($1 * 8) }
      }
      let low: UInt64 = word(bytes, 0, UInt64.self)
      let s = slot(low)
      precondition(table[s].code == 0, "keys \(field.name) and another share slot \(s): change keyMultiplier")
      table[s] = KeySlot(
        low: low, lowMask: word(mask, 0, UInt64.self), high: word(bytes, 8, UInt32.self),
        highMask: word(mask, 8, UInt32.self), code: Int32(field.rawValue + 1), length: Int32(key.count))
    }
    return UnsafePointer(table)
  }()

  /// The field whose key starts at `p` (just after its opening quote) and ends with a quote, as its
  /// `rawValue + 1`, and the length of key and quote; (0, 0) for any other key. Reads 12 bytes from `p`.
  @inline(__always) static func keyCode(_ p: UnsafePointer<UInt8>, _ table: UnsafePointer<KeySlot>) -> (code: Int, length: Int) {
    let raw = UnsafeRawPointer(p)
    let low = raw.loadUnaligned(as: UInt64.self)
    let high = raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
    let e = table[slot(low)]
    let diff = ((low ^ e.low) & e.lowMask) | UInt64((high ^ e.high) & e.highMask)
    // All ones when the key matches, zero when not: no branch.
    let keep = Int(truncatingIfNeeded: ((diff | (0 &- diff)) >> 63) &- 1)
    return (Int(e.code) & keep, Int(e.length) & keep)
  }

  /// The field whose key starts at `p` (just after its opening quote) and ends with a quote, as its
  /// bit, and the length of key and quote; (0, 0) for any other key. Reads 12 bytes from `p`.
  static func keyBits(_ p: UnsafePointer<UInt8>) -> (bit: Int, length: Int) {
    let (code, length) = keyCode(p, keyTable)
    return code == 0 ? (0, 0) : (1 << (code - 1), length)
  }

  /// The field named by a key's raw (unescaped) bytes, of any length; nil for any other key.
  static func named(_ key: UnsafeBufferPointer<UInt8>) -> EventField? {
    guard key.count <= 10 else { return nil }
    // Copied with its quote into a padded buffer, for the same match as in the document.
    var padded: (UInt64, UInt64) = (0, 0)
    let bit = withUnsafeMutableBytes(of: &padded) { b in
      if let base = key.baseAddress { b.copyMemory(from: UnsafeRawBufferPointer(start: base, count: key.count)) }
      b[key.count] = UInt8(ascii: "\"")
      return keyBits(b.baseAddress!.assumingMemoryBound(to: UInt8.self)).bit
    }
    return bit == 0 ? nil : EventField(rawValue: bit.trailingZeroBitCount)
  }
}
