/// Event keys recognised from raw bytes, as both parsers read them.
///
/// The usual keys are recognised from one eight-byte load that includes their closing quote, compared
/// as a little-endian integer with the key's name, so "id" cannot match "idx" and no length needs
/// finding first. The constants are written out (a constant folds into the comparison; a table built
/// from the names would be read from memory on every key), and a test derives each one from
/// `EventField.name` so that a typo in a hex literal cannot pass.
extension EventField {
  /// The field whose key starts at `p` (just after its opening quote) and ends with a quote, as its
  /// bit, and the length of key and quote; (0, 0) for any other key. Reads up to 11 bytes from `p`.
  @inline(__always) static func keyBits(_ p: UnsafePointer<UInt8>) -> (bit: Int, length: Int) {
    let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
    switch p[0] {
    case UInt8(ascii: "i"): if w & 0xFF_FFFF == 0x22_6469 { return (EventField.id.bit, 3) }  // id"
    case UInt8(ascii: "d"): if w & 0xFF_FFFF_FFFF == 0x22_6574_6164 { return (EventField.date.bit, 5) }  // date"
    case UInt8(ascii: "e"): if w & 0xFFFF_FFFF == 0x2264_6E65 { return (EventField.end.bit, 4) }  // end"
    case UInt8(ascii: "t"):
      if w & 0xFFFF_FFFF_FFFF == 0x2265_6C74_6974 { return (EventField.title.bit, 6) }  // title"
      if w & 0xFF_FFFF_FFFF == 0x22_7367_6174 { return (EventField.tags.bit, 5) }  // tags"
    case UInt8(ascii: "s"):
      if w == 0x2279_7261_6D6D_7573 { return (EventField.summary.bit, 8) }  // summary"
      if w == 0x2273_6563_7275_6F73 { return (EventField.sources.bit, 8) }  // sources"
    case UInt8(ascii: "p"): if w & 0xFF_FFFF_FFFF_FFFF == 0x22_656C_706F_6570 { return (EventField.people.bit, 7) }  // people"
    case UInt8(ascii: "n"): if w & 0xFFFF_FFFF_FFFF == 0x2273_6574_6F6E { return (EventField.notes.bit, 6) }  // notes"
    case UInt8(ascii: "c"):
      if w == 0x6569_7274_6E75_6F63 && p[8] == UInt8(ascii: "s") && p[9] == UInt8(ascii: "\"") {  // countrie s"
        return (EventField.countries.bit, 10)
      }
      if w == 0x6E65_6469_666E_6F63 && p[8] == UInt8(ascii: "c") && p[9] == UInt8(ascii: "e") && p[10] == UInt8(ascii: "\"") {
        return (EventField.confidence.bit, 11)  // confiden ce"
      }
    default: break
    }
    return (0, 0)
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
