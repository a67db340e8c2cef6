import CTimelineSupport
import Testing

@testable import TimelineCore

/// The fast parser's scan of long strings (`Cursor.longString`, 64 bytes at a time by
/// `timeline_string_end` where the machine has it) against its byte-by-byte scan (`Cursor.string`), on
/// random strings of every escape, valid or not, lone and paired surrogates, control characters and
/// quotes, ending anywhere around the 64-byte blocks.
@Suite struct StringScanTests {
  /// What scanning the string at the start of `bytes` came to: where it is and where the cursor went,
  /// or why it stopped.
  private func outcome(_ bytes: [UInt8], long: Bool) -> String {
    bytes.withUnsafeBufferPointer { b in
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
      do throws(FastEventParser.Stop) {
        let s = long ? try c.longString() : try c.string()
        return "\(s.start) \(s.length) \(s.escaped) \(c.pos)"
      } catch {
        return "\(error)"
      }
    }
  }

  /// What each vector scan the machine has (`timeline_string_end_with`: AVX2, AVX-512) came to on the
  /// string at the start of `bytes`, as `outcome` gives it, when it took the string: nil where it left
  /// it to the byte-by-byte scan, or the machine does not have that one.
  private func vectorOutcomes(_ bytes: [UInt8]) -> [(Int32, String?)] {
    [256, 512].map { (vector: Int32) in
      guard bytes.count > 1, bytes[0] == UInt8(ascii: "\"") else { return (vector, nil) }
      var escaped: Int32 = 0
      let n = bytes.withUnsafeBufferPointer { timeline_string_end_with(vector, $0.baseAddress! + 1, $0.count - 1, &escaped) }
      return (vector, n >= 0 ? "1 \(n) \(escaped != 0) \(n + 2)" : nil)
    }
  }

  /// Every vector scan against the byte-by-byte one on `bytes`: a failure for each that took the string
  /// and ended elsewhere; `taken` counts, per vector scan, the strings it took.
  private func checkVectorScans(_ bytes: [UInt8], _ short: String, _ failures: inout [String], _ taken: inout [Int32: Int]) {
    for (vector, outcome) in vectorOutcomes(bytes) {
      guard let outcome else { continue }
      taken[vector, default: 0] += 1
      if outcome != short {
        failures.append("\(vector) \(String(decoding: bytes, as: UTF8.self).debugDescription): \(outcome) against \(short)")
      }
    }
  }

  /// Whether the machine has the vector scan `vector` (256: AVX2, 512: AVX-512).
  private func has(_ vector: Int32) -> Bool {
    var escaped: Int32 = 0
    return [UInt8](repeating: 0x61, count: 100).withUnsafeBufferPointer { timeline_string_end_with(vector, $0.baseAddress!, $0.count, &escaped) } != -2
  }

  @Test func longStringsScanAsByteByByte() {
    let pieces: [String] = [
      "a", "word ", "0123456789abcdef", "é", "会議", "🚢", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
      "\\u00e9", "\\u4F1A", "\\u0000", "\\uFFFF", "\\ud83d\\udea2", "\\uDBFF\\uDFFF", "\\ud83d", "\\udea2", "\\ud83dx",
      "\\ud83d\\u0041", "\\ud83d\\\\udea2", "\\uZZZZ", "\\u12", "\\u00G0", "\\x", "\\U0041", "\\", "\u{01}", "\u{1F}", "\t",
      "\u{7F}", "\\\\\\\"",
    ]
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var vector = 0
    var taken: [Int32: Int] = [:]
    for round in 0..<20000 {
      var text = "\""
      let valid = round % 3 != 0
      while text.utf8.count < Int.random(in: 1...300, using: &rng) {
        // Two rounds in three: only what is valid, so that the vector scan goes all the way.
        let piece = valid ? pieces[..<20].randomElement(using: &rng)! : pieces.randomElement(using: &rng)!
        text += piece
      }
      text += "\", \"tags\": [\"x\"]}" + String(repeating: " ", count: Int.random(in: 0...80, using: &rng))
      var bytes = Array(text.utf8)
      if round % 5 == 0 { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
      let long = outcome(bytes, long: true)
      let short = outcome(bytes, long: false)
      if long != short { failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(long) against \(short)") }
      var escaped: Int32 = 0
      if bytes.count > 1, bytes.withUnsafeBufferPointer({ timeline_string_end($0.baseAddress! + 1, $0.count - 1, &escaped) }) >= 0 { vector += 1 }
      checkVectorScans(bytes, short, &failures, &taken)
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    // Where the machine has the vector scan, most valid strings went through it, through each way.
    var escaped: Int32 = 0
    let available = [UInt8](repeating: 0x61, count: 100).withUnsafeBufferPointer { timeline_string_end($0.baseAddress!, $0.count, &escaped) } != -2
    if available { #expect(vector > 5000) }
    for v: Int32 in [256, 512] where has(v) { #expect(taken[v, default: 0] > 5000, "\(v): \(taken[v, default: 0])") }
  }

  /// Escapes at every offset around the end of a 64-byte block (where the vector scan cuts a block
  /// before an escape that would run past it, or before a surrogate pair), each followed by every other
  /// piece: the vector scan ends where the byte-by-byte scan ends, or stops where it stops.
  @Test func escapesAtEveryOffsetAroundABlockEnd() {
    let first = [
      "\\\"", "\\\\", "\\n", "\\u00e9", "\\uD83D\\uDEA2", "\\ud83d", "\\udea2", "\\u12", "\\x", "\\", "\"", "\u{01}", "é",
      // Runs of backslashes (which escape every other byte) across the block's end.
      "\\\\\\\\", "\\\\\\", "\\\\\\\\\\\"", "\\\\\\u0041", "\\\\u0041", "\\uDBFF\\uDFFF", "\\uDC00", "\\uD800\\uD800", "\\u00",
    ]
    let second = [
      "", "a", "\\\"", "\\\\", "\\u0041", "\\ud83d\\udea2", "\\udea2", "\\u00G0", "\"", "\u{1F}", "\\\\\\\"", "\\uDC00\\uD83D\\uDE00",
      "\\u\\u0041",
    ]
    var failures: [String] = []
    var taken: [Int32: Int] = [:]
    for k in 40..<140 {
      for a in first {
        for b in second {
          let bytes = Array(("\"" + String(repeating: "a", count: k) + a + b + "xyz\", \"tags\": []}" + String(repeating: " ", count: 70)).utf8)
          let long = outcome(bytes, long: true)
          let short = outcome(bytes, long: false)
          if long != short { failures.append("\(k) \(a.debugDescription) \(b.debugDescription): \(long) against \(short)") }
          checkVectorScans(bytes, short, &failures, &taken)
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    for v: Int32 in [256, 512] where has(v) { #expect(taken[v, default: 0] > 10000, "\(v): \(taken[v, default: 0])") }
  }

  /// Text with every character escaped (`\u00XX`, `\u4F1A`, surrogate pairs) or some plain, as a
  /// writer that escapes every non-ASCII character writes it, each string cut or changed at one byte
  /// (a backslash, a quote, a control character, a digit that is not hex, another `u`, `d` or surrogate
  /// digit) anywhere: every vector scan ends where the byte-by-byte scan ends, or leaves the string to
  /// it. Escapes across every block boundary and every carry from one block to the next come up.
  @Test func escapedTextWithOneByteChangedScansAsByteByByte() {
    let pieces = ["\\u0053", "\\u00e9", "\\u4f1a", "\\u8B70", "\\ud83d\\udea2", "\\uD83C\\uDF89", "ab", " ", "x", "\\n", "\\\\", "\\/"]
    let changes: [UInt8] = Array("\\\"u dDcC8bBfFg0\t".utf8) + [0x01, 0x1F, 0x7F]
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var taken: [Int32: Int] = [:]
    for round in 0..<6000 {
      var text = ""
      let target = Int.random(in: 1...260, using: &rng)
      while text.utf8.count < target { text += pieces.randomElement(using: &rng)! }
      var bytes = Array(("\"" + text + "\", \"tags\": [\"x\"]}").utf8) + Array(repeating: UInt8(ascii: " "), count: Int.random(in: 0...80, using: &rng))
      if round % 4 != 0 {
        bytes[Int.random(in: 1...target, using: &rng)] = changes.randomElement(using: &rng)!
      }
      let short = outcome(bytes, long: false)
      let long = outcome(bytes, long: true)
      if long != short { failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(long) against \(short)") }
      checkVectorScans(bytes, short, &failures, &taken)
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    for v: Int32 in [256, 512] where has(v) { #expect(taken[v, default: 0] > 1500, "\(v): \(taken[v, default: 0])") }
  }

  /// Dense escaped text (`\\u00XX`, `\\u4f1a`, surrogate pairs, short escapes, runs of backslashes)
  /// started at each of the 64 places in a block, so that every escape and every surrogate pair is cut
  /// by a block's end at each of its bytes; each string scanned whole, then with one byte changed at
  /// every offset in turn (a backslash, a quote, a `u`, a `d`, a surrogate's second digit of the other
  /// kind, a byte that is not hex, a control character), and cut short after every escape. Every vector
  /// scan ends where the byte-by-byte scan ends, or leaves the string to it; and it takes every string
  /// left whole.
  @Test func escapesCutByEveryBlockEndScanAsByteByByte() {
    let text = Array(
      ("\\u0053\\u00e9x\\ud83d\\udea2\\u4f1a\\n\\\\\\u8B70ab\\uD83C\\uDF89\\/\\u00FCz\\\"\\uDBFF\\uDFFF"
        + "\\u0041\\u0042\\ud800\\udc00 \\t\\\\\\\\\\u0063\\uD83D\\uDCC1\\u00e8s\\u0446\\u0435 q\\ud83d\\ude00\\u2696\\ufe0f"
        + "\\b\\f\\r\\u005a\\u00fc\\ud83d\\udcc1\\u00e3o").utf8)
    let changes = Array("\\\"udDcC8bBfFgG \t".utf8) + [0x01, 0x1F, 0x7F, 0x30]
    let tail = Array("\", \"tags\": [\"x\"]}".utf8) + Array(repeating: UInt8(ascii: " "), count: 70)
    var failures: [String] = []
    var taken: [Int32: Int] = [:]
    var whole: [Int32: Int] = [:]
    for shift in 0..<64 {
      let body = Array(repeating: UInt8(ascii: "a"), count: shift) + text
      let plain = [UInt8(ascii: "\"")] + body + tail
      let short = outcome(plain, long: false)
      if short.hasPrefix("anomaly") || short.hasPrefix("needMore") { failures.append("shift \(shift): the byte-by-byte scan took \(short)") }
      for (vector, o) in vectorOutcomes(plain) where o == short { whole[vector, default: 0] += 1 }
      checkVectorScans(plain, short, &failures, &taken)
      for offset in 0..<body.count {
        var bytes = plain
        bytes[1 + offset] = changes[(offset + shift) % changes.count]
        checkVectorScans(bytes, outcome(bytes, long: false), &failures, &taken)
        // Cut short where an escape starts: the string then ends there.
        if body[offset] == UInt8(ascii: "\\") {
          let cut = [UInt8(ascii: "\"")] + body[..<offset] + tail
          checkVectorScans(cut, outcome(cut, long: false), &failures, &taken)
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    for v: Int32 in [256, 512] where has(v) {
      #expect(whole[v, default: 0] == 64, "\(v): \(whole[v, default: 0])")
      #expect(taken[v, default: 0] > 5000, "\(v): \(taken[v, default: 0])")
    }
  }

  /// What `shortString` came to: where the string is, where the cursor went and its decoded bytes, or
  /// why it stopped; with `general`, what `string` then `JSONString.decode` come to.
  private func shortOutcome(_ bytes: [UInt8], general: Bool) -> String {
    bytes.withUnsafeBufferPointer { b in
      let scratch = DecodeScratch()
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
      do throws(FastEventParser.Stop) {
        let s = general ? try c.string() : try c.shortString(scratch)
        let decoded: [UInt8]
        if general {
          decoded = Array(scratch.decode(c.bytes(s.start, s.length), escaped: true))
        } else {
          decoded = s.escaped ? Array(scratch.bytes) : Array(c.bytes(s.start, s.length))
        }
        return "\(s.start) \(s.length) \(s.escaped) \(c.pos) \(decoded)"
      } catch {
        return "\(error)"
      }
    }
  }

  /// The short strings' one-pass decoding (`shortString`, `DecodeScratch.decodeSimple`) against the
  /// general way (`string`, then `JSONString.decode`), on random strings of ASCII escapes and of every
  /// other kind, valid or not, around its length limit, cut by the end of the buffer anywhere.
  @Test func shortStringsDecodeAsTheGeneralWay() {
    let pieces: [String] = [
      "a", "p1", "src-", "é", "会", "🚢", "\\u0041", "\\u0065", "\\u007f", "\\u007F", "\\u0000", "\\u001f", "\\u0022", "\\u005c",
      "\\u005C", "\\u0030", "0123456789abcdef",
      // Not for the one pass: other escapes, and what is not valid.
      "\\u0080", "\\u00e9", "\\u00FF", "\\u0100", "\\u1041", "\\u4f1a", "\\ud83d\\udea2", "\\ud83d", "\\u00G1", "\\u0G41", "\\u00 1",
      "\\u004", "\\u00", "\\u0", "\\u", "\\U0041", "\\x", "\\n", "\\\"", "\\\\", "\\/", "\\", "\u{01}", "\u{1F}", "\t", "\u{7F}",
    ]
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var simple = 0
    for round in 0..<20000 {
      var text = "\""
      // One round in two: only what the one pass takes.
      let easy = round % 2 == 0
      let target = round % 7 == 0 ? Int.random(in: 100...160, using: &rng) : Int.random(in: 0...24, using: &rng)
      while text.utf8.count < target {
        text += easy ? pieces[..<17].randomElement(using: &rng)! : pieces.randomElement(using: &rng)!
      }
      text += "\", \"tags\": [\"x\"]}"
      var bytes = Array(text.utf8)
      if round % 5 == 0 { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
      let one = shortOutcome(bytes, general: false)
      let general = shortOutcome(bytes, general: true)
      if one != general { failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(one) against \(general)") }
      // How often the one pass took the string by itself.
      bytes.withUnsafeBufferPointer { b in
        guard b.count > 1 else { return }
        let body = b.baseAddress! + 1
        let n = b.count - 1
        var stop = 0
        while stop < n && body[stop] != UInt8(ascii: "\\") && body[stop] != UInt8(ascii: "\"") && body[stop] >= 0x20 { stop += 1 }
        if stop < n && body[stop] == UInt8(ascii: "\\"),
          DecodeScratch().decodeSimple(plain: body, stop, rest: body + stop, available: n - stop) != nil
        {
          simple += 1
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    // Most of the easy strings went through the one pass.
    #expect(simple > 4000, "\(simple)")
  }

  /// What `id` came to (where the id is, where the cursor went, its decoded bytes) or why it stopped;
  /// with `general`, what `string`, `JSONString.decode` and `Rules.isValidID` come to.
  private func idOutcome(_ bytes: [UInt8], general: Bool) -> String {
    bytes.withUnsafeBufferPointer { b in
      let scratch = DecodeScratch()
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
      do throws(FastEventParser.Stop) {
        if general {
          let s = try c.string()
          let decoded = Array(scratch.decode(c.bytes(s.start, s.length), escaped: s.escaped))
          guard Rules.isValidID(decoded) else { throw .anomaly }
          return "\(s.start) \(s.length) \(s.escaped) \(c.pos) \(decoded)"
        }
        let s = try c.id(scratch)
        let decoded = s.escaped ? Array(scratch.bytes) : Array(c.bytes(s.start, s.length))
        return "\(s.start) \(s.length) \(s.escaped) \(c.pos) \(decoded)"
      } catch {
        return "\(error)"
      }
    }
  }

  /// Ids checked as they are decoded (`id`, `escapedID`) against the general way, on random ids of
  /// escaped and plain characters that an id may or may not have, first or later, around the length
  /// limits, cut by the end of the buffer anywhere.
  @Test func idsDecodeAndCheckAsTheGeneralWay() {
    let pieces: [String] = [
      "a", "Z", "7", "ev-", "src_1", "p:2", "x.y", "\\u0065", "\\u0041", "\\u0039", "\\u002d", "\\u005f", "\\u003a", "\\u002e",
      "\\u0020", "\\u002f", "\\u0040", "\\u005b", "\\u0060", "\\u007b", "\\u0000", "\\u00e9", "\\u0030\\u0030", "-", ".", " ", "é",
      "\\n", "\\/", "\\\"", "\\u004", "\\uZZZZ", "\u{01}", "0123456789abcdef",
    ]
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var escapedIDs = 0
    for round in 0..<20000 {
      var text = "\""
      let target = round % 9 == 0 ? Int.random(in: 110...240, using: &rng) : Int.random(in: 0...20, using: &rng)
      while text.utf8.count < target {
        // One round in two: only what an id may have, escaped or not.
        text += round % 2 == 0 ? pieces[..<14].randomElement(using: &rng)! : pieces.randomElement(using: &rng)!
      }
      text += "\", \"tags\": [\"x\"]}"
      var bytes = Array(text.utf8)
      let cut = round % 5 == 0
      if cut { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
      let fast = idOutcome(bytes, general: false)
      let general = idOutcome(bytes, general: true)
      // Cut short, an id with a byte no id may have is refused (`anomaly`) where the general way asks
      // for more first: both refuse it.
      let same = fast == general || (cut && general == "needMore" && fast == "anomaly")
      if !same { failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(fast) against \(general)") }
      if fast.hasPrefix("1 "), fast.contains(" true ") { escapedIDs += 1 }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(escapedIDs > 3000, "\(escapedIDs)")
  }

  /// Short strings and ids whose first character only is escaped (`DecodeScratch.leadingEscape`,
  /// `leadingEscapedID`) against the general way: every kind of first escape, valid or not, then plain
  /// runs of every length around the eight-byte steps, `DecodeScratch.simpleLimit` and
  /// `Rules.maxIDLength`, then the closing quote or something else (another escape, a control
  /// character, a byte no id may have, a non-ASCII character), cut by the end of the buffer anywhere.
  @Test func leadingEscapesDecodeAsTheGeneralWay() {
    let firsts = [
      "\\u0041", "\\u0061", "\\u0039", "\\u007a", "\\u002d", "\\u005f", "\\u0020", "\\u0000", "\\u001f", "\\u007f",
      "\\u007F", "\\u0080", "\\u00e9", "\\u0100", "\\u00G1", "\\u0G41", "\\u004", "\\u00", "\\n", "\\\"", "\\\\",
    ]
    let plains = ["a", "Z", "7", "-", ".", ":", "_"]
    // Then bytes around the ends of the ranges an id's bytes are in (`ByteScan.nonIDBytes`).
    let ends = [
      "\"", "\\u0041\"", "\\n\"", "\u{01}\"", "\u{1F}\"", " \"", "é\"", "/\"", "\\\"", ",\"", "+\"", ";\"", "@\"", "[\"",
      "^\"", "`\"", "{\"", "~\"", "\u{7F}\"", "a\u{80}\"",
    ]
    let lengths = Array(0...24) + Array(118...136) + Array(190...210)
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var taken = 0
    for first in firsts {
      for n in lengths {
        for end in ends {
          var body = ""
          for _ in 0..<n { body += plains.randomElement(using: &rng)! }
          let full = Array(("\"" + first + body + end + ", \"tags\": [\"x\"]}").utf8)
          var cuts = [full.count]
          for _ in 0..<3 { cuts.append(Int.random(in: 1...full.count, using: &rng)) }
          for cut in cuts {
            let bytes = Array(full[..<cut])
            let short = shortOutcome(bytes, general: false)
            let shortGeneral = shortOutcome(bytes, general: true)
            if short != shortGeneral { failures.append("short \(String(decoding: bytes, as: UTF8.self).debugDescription): \(short) against \(shortGeneral)") }
            let id = idOutcome(bytes, general: false)
            let idGeneral = idOutcome(bytes, general: true)
            let same = id == idGeneral || (cut < full.count && idGeneral == "needMore" && id == "anomaly")
            if !same { failures.append("id \(String(decoding: bytes, as: UTF8.self).debugDescription): \(id) against \(idGeneral)") }
            if cut == full.count, end == "\"", first == "\\u0041", !id.hasPrefix("anomaly") { taken += 1 }
          }
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(taken > 40, "\(taken)")
  }

  /// What `countrySlot` (with `general`: `string`, `JSONString.decode`, `CountryTable.slot`) or
  /// `confidence` (with `general`: the same, then `FastEventParser.confidence(named:)`) came to: the
  /// value and where the cursor went, or why it stopped.
  private func wordOutcome(_ bytes: [UInt8], country: Bool, general: Bool) -> String {
    bytes.withUnsafeBufferPointer { b in
      let scratch = DecodeScratch()
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
      do throws(FastEventParser.Stop) {
        if general {
          let d = c.decode(try c.string(), scratch)
          if country {
            guard d.count == 2, let slot = CountryTable.slot(d[0], d[1]) else { throw .anomaly }
            return "\(slot) \(c.pos)"
          }
          guard let w = FastEventParser.confidence(named: d) else { throw .anomaly }
          return "\(w) \(c.pos)"
        }
        return country ? "\(try c.countrySlot(scratch)) \(c.pos)" : "\(try c.confidence(scratch)) \(c.pos)"
      } catch {
        return "\(error)"
      }
    }
  }

  /// `ByteScan.nonIDBytes` against `Rules.isIDByte` (not first): every byte value at every place in a
  /// word, the other bytes random, and random words of bytes near the ranges' ends.
  @Test func idBytesFoundEightAtATimeAsOneByOne() {
    var rng = SystemRandomNumberGenerator()
    let near: [UInt8] = [0x00, 0x20, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x39, 0x3A, 0x3B, 0x40, 0x41, 0x5A, 0x5B, 0x5E, 0x5F, 0x60, 0x61, 0x7A, 0x7B, 0x7F, 0x80, 0xAD, 0xAE, 0xB0, 0xC1, 0xDF, 0xE1, 0xFA, 0xFF]
    var failures: [String] = []
    func check(_ bytes: [UInt8]) {
      let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
      let m = ByteScan.nonIDBytes(w)
      for (i, b) in bytes.enumerated() where (m >> UInt64(8 * i + 7) & 1 == 1) == Rules.isIDByte(b, first: false) {
        failures.append("byte \(b) at \(i) of \(bytes)")
      }
      if m & ~ByteScan.highs != 0 { failures.append("bits outside the high ones for \(bytes)") }
    }
    for b in 0...255 {
      for i in 0..<8 {
        var bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[i] = UInt8(b)
        check(bytes)
      }
    }
    for _ in 0..<20000 { check((0..<8).map { _ in near.randomElement(using: &rng)! }) }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
  }

  /// Country codes and confidence words taken in place when only their first letter is escaped
  /// (`escapedCountrySlot`, `escapedConfidence`) against the general way, on random codes and words
  /// of escaped and plain letters, one too many or too few, escapes of what is not a letter or not an
  /// escape, cut by the end of the buffer anywhere.
  @Test func escapedCodesAndWordsReadAsTheGeneralWay() {
    let escapes = [
      "\\u0054", "\\u0041", "\\u005a", "\\u005A", "\\u0061", "\\u0064", "\\u0072", "\\u0063", "\\u0040", "\\u005B",
      "\\u00G4", "\\u0G54", "\\u00d4", "\\u00D2", "\\u0154", "\\u1054", "\\u00", "\\u005", "\\n", "\\\"",
    ]
    let letters = ["T", "A", "Z", "a", "t", "[", "@", "é", "\\u0054", "\u{01}", " "]
    let words = ["confirmed", "reported", "rumoured", "disputed", "confirme", "reporte", "disputedd", "rumoureD"]
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var taken = 0
    for round in 0..<30000 {
      let country = round % 2 == 0
      var text = "\""
      if country {
        if round % 3 != 0 { text += escapes.randomElement(using: &rng)! }
        for _ in 0..<Int.random(in: 0...3, using: &rng) {
          text += Bool.random(using: &rng) ? letters[..<3].randomElement(using: &rng)! : letters.randomElement(using: &rng)!
        }
      } else {
        let word = Array(words.randomElement(using: &rng)!)
        let first = String(word[0])
        let escaped = first.unicodeScalars.first!.value
        switch round / 2 % 4 {
        case 1: text += escapes.randomElement(using: &rng)!
        case 3: text += first
        default: text += "\\u00" + String(escaped, radix: 16)
        }
        var rest = String(word.dropFirst())
        if round % 7 == 0, !rest.isEmpty {
          let k = rest.index(rest.startIndex, offsetBy: Int.random(in: 0..<rest.count, using: &rng))
          rest.replaceSubrange(k...k, with: letters.randomElement(using: &rng)!)
        }
        text += rest
      }
      text += "\", \"x\": [1, 2, 3]}"
      var bytes = Array(text.utf8)
      let cut = round % 5 == 0
      if cut { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
      let fast = wordOutcome(bytes, country: country, general: false)
      let general = wordOutcome(bytes, country: country, general: true)
      // Cut short, the fast way may ask for more where the general way already sees the string's end:
      // it then reads the string again with more bytes.
      let same = fast == general || (cut && fast == "needMore")
      if !same { failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(fast) against \(general)") }
      if !cut, text.hasPrefix("\"\\u00"), !fast.hasPrefix("anomaly"), !fast.hasPrefix("needMore") { taken += 1 }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(taken > 2000, "\(taken)")
  }

  /// Where skipping whitespace from `start` ends, and the cursor there (`Cursor.skipSpace`, whose runs
  /// of more than two bytes go eight at a time in `FastEventParser.spaceRunEnd`).
  private func skipped(_ bytes: [UInt8], from start: Int) -> Int {
    bytes.withUnsafeBufferPointer { b in
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: start, hex: ByteScan.hexTable)
      c.skipSpace()
      return c.pos
    }
  }

  /// The byte-by-byte way: JSON's whitespace is space, newline, return and tab, nothing else.
  private func skippedByteByByte(_ bytes: [UInt8], from start: Int) -> Int {
    var p = start
    while p < bytes.count && [0x20, 0x0A, 0x0D, 0x09].contains(bytes[p]) { p += 1 }
    return p
  }

  /// Whitespace skipped as byte by byte: runs of every length from 0 to 40 of spaces, newlines,
  /// returns and tabs in every mix, then every byte value (form feed, vertical tab, NUL, 0xA0 and the
  /// other bytes that differ from a space by one bit among them), or the end of the buffer, at every
  /// distance from the start; and random runs in random text.
  @Test func whitespaceSkippedAsByteByByte() {
    var rng = SystemRandomNumberGenerator()
    let spaces: [UInt8] = [0x20, 0x0A, 0x0D, 0x09]
    var failures: [String] = []
    func check(_ bytes: [UInt8], _ start: Int) {
      let fast = skipped(bytes, from: start)
      let slow = skippedByteByByte(bytes, from: start)
      if fast != slow { failures.append("\(bytes) from \(start): \(fast) against \(slow)") }
    }
    for length in 0...40 {
      for mix in 0..<6 {
        var run: [UInt8] = (0..<length).map { k in
          switch mix {
          case 0: 0x20
          case 1: k == 0 ? 0x0A : 0x20  // a pretty file's newline and indent
          case 2: k < 2 ? [0x0D, 0x0A][k] : 0x20  // the same with CRLF
          case 3: 0x09
          case 4: spaces[k % 4]
          default: spaces.randomElement(using: &rng)!
          }
        }
        for after in 0...256 {
          // 256: the buffer ends after the run.
          let bytes = [0x7B] + run + (after < 256 ? [UInt8(after)] : [])
          check(bytes, 1)
          // Ending after a few more bytes of the next token, or of more whitespace.
          if after < 256 { check(bytes + [0x22, 0x20, 0x20, 0x41], 1) }
        }
        // Cut by the end of the buffer at every point of the run.
        for cut in 0...run.count { check(Array(([0x3A] + run + [0x22]).prefix(1 + cut)), 1) }
        run.reverse()
        check([0x2C] + run + [0x5D], 1)
      }
    }
    for _ in 0..<20000 {
      var bytes: [UInt8] = []
      for _ in 0..<Int.random(in: 1...12, using: &rng) {
        for _ in 0..<Int.random(in: 0...20, using: &rng) { bytes.append(spaces.randomElement(using: &rng)!) }
        for _ in 0..<Int.random(in: 0...3, using: &rng) { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
      }
      guard !bytes.isEmpty else { continue }
      check(bytes, Int.random(in: 0..<bytes.count, using: &rng))
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
  }
}
