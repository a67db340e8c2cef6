import CTimelineSupport
import Testing

@testable import TimelineCore

/// The fast parser's shortcuts for strings whose first character is escaped (how a writer that escapes
/// each string's first character writes every value) against the general way: dates read by
/// `plainDate` after their escaped first digit (`FastEventParser.leadingEscapedDate`), and titles known not to be blank
/// from their escaped first character (`FastEventParser.isBlank`).
@Suite struct EscapedFastPathTests {
  /// What `date` came to (the date, whether approximate, where the cursor went) or why it stopped;
  /// with `general`, what `string`, `JSONString.decode` and `TimelineDate.parse` come to.
  private func dateOutcome(_ bytes: [UInt8], general: Bool) -> String {
    bytes.withUnsafeBufferPointer { b in
      let scratch = DecodeScratch()
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
      do throws(FastEventParser.Stop) {
        let d: TimelineDate
        if general {
          let s = try c.string()
          guard case .success(let parsed) = TimelineDate.parse(scratch.decode(c.bytes(s.start, s.length), escaped: s.escaped)) else {
            throw .anomaly
          }
          d = parsed
        } else {
          d = try c.date(scratch)
        }
        return "\(d) \(d.isApproximate) \(c.pos)"
      } catch {
        return "\(error)"
      }
    }
  }

  /// Dates of every usual form and near misses with their first digit escaped as `\u00XX`, then each
  /// byte of the first 22 after the opening quote (the escape's, the date's, the quote's and what
  /// follows, all that the shortcut looks at) set to every byte value in turn: `date` reads what the
  /// general way reads, or stops where it stops. The shortcut is taken for the usual forms.
  @Test func escapedDatesReadAsTheGeneralWay() {
    let dates = [
      "1995-01-01", "1995-01", "1995", "2024-02-29", "2023-02-29", "1995-01-01~", "1995-01~", "1995~", "0000-12-31", "1995-13-01",
      "1995-00-10", "1995-01-32", "1995-1-01", "19950", "1995-01-01T10:30",
    ]
    var failures: [String] = []
    var taken = 0
    var cases = 0
    for date in dates {
      let first = date.utf8.first!
      let escape = "\\u00" + String(first, radix: 16, uppercase: cases % 2 == 0)
      let content = Array((escape + date.dropFirst()).utf8)
      let tail = Array("\", \"title\": \"x\"}".utf8) + Array(repeating: UInt8(ascii: " "), count: 24)
      let original = [UInt8(ascii: "\"")] + content + tail
      let plain = dateOutcome(original, general: false)
      if !plain.hasPrefix("anomaly") {
        if original.withUnsafeBufferPointer({ FastEventParser.leadingEscapedDate($0.baseAddress! + 1, ByteScan.hexTable) }) != nil { taken += 1 }
      }
      for k in 1...22 {
        for v in 0...255 {
          var bytes = original
          bytes[k] = UInt8(v)
          cases += 1
          let fast = dateOutcome(bytes, general: false)
          let general = dateOutcome(bytes, general: true)
          if fast != general { failures.append("\(String(decoding: bytes.prefix(24), as: UTF8.self).debugDescription): \(fast) against \(general)") }
        }
      }
      // Cut by the end of the buffer anywhere: the shortcut then leaves the date to the general way.
      for cut in 1..<original.count {
        let bytes = Array(original[..<cut])
        let fast = dateOutcome(bytes, general: false)
        let general = dateOutcome(bytes, general: true)
        if fast != general { failures.append("cut \(cut) \(date): \(fast) against \(general)") }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    // Every usual form (the first eight) read in place.
    #expect(taken >= 8, "\(taken)")
    #expect(cases > 80000)
  }

  /// `FastEventParser.isBlank` against `Rules.isBlank`: strings starting with `\u00XX` for every byte
  /// value, and with other escapes of white space and not, then nothing, white space (raw and escaped)
  /// or a letter; and each of the escape's bytes set to every byte value.
  @Test func escapedTitlesBlankAsRulesIsBlank() {
    var firsts: [String] = (0...255).map { "\\u00" + String(format2($0)) }
    firsts += ["\\u2000", "\\u3000", "\\u00A0", "\\u0085", "\\uFEFF", "\\u200B", "\\u1680", "\\u0041", "\\n", "\\t", "\\\"", "\\\\", "\\/", " "]
    let rests = ["", " ", "a", "\\u0020", "\\u00a0", "\u{3000}", "\\n", "\\u0041", "  \\t"]
    var failures: [String] = []
    var shortcut = 0
    func check(_ bytes: [UInt8]) {
      let fast = bytes.withUnsafeBufferPointer { FastEventParser.isBlank($0, escaped: true, hex: ByteScan.hexTable) }
      let general = bytes.withUnsafeBufferPointer { Rules.isBlank($0, escaped: true) }
      if fast != general { failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(fast) against \(general)") }
    }
    for first in firsts {
      for rest in rests {
        let bytes = Array((first + rest).utf8)
        check(bytes)
        if bytes.count >= 6, bytes[0] == UInt8(ascii: "\\"), bytes[2] == UInt8(ascii: "0"), bytes[3] == UInt8(ascii: "0") { shortcut += 1 }
        if first == "\\u0041" || first == "\\u0020" {
          for k in 0..<6 {
            for v in 0...255 {
              var mutated = bytes
              mutated[k] = UInt8(v)
              check(mutated)
            }
          }
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(shortcut > 2000)
  }

  /// Escaped ids and tags interned through `ShortIDMap` from the scratch buffer they were decoded into
  /// (`DecodeScratch.intern(into:_:)`) get the numbers the interner gives them the general way, and the
  /// same numbers as the same keys read plain through the map: keys of every length up to 20, from three
  /// letters and the zero byte, each byte escaped or not, the buffer left with other bytes past the key
  /// by a longer string decoded before.
  @Test func escapedIDsThroughTheMapGetTheInternersNumbers() {
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    let viaMap = ByteInterner(), general = ByteInterner()
    let map = ShortIDMap()
    let scratch = DecodeScratch()
    for round in 0..<40000 {
      let n = Int.random(in: 0...(round % 3 == 0 ? 20 : 8), using: &rng)
      let key = (0..<n).map { _ in [0, 0x61, 0x62, 0x63][Int.random(in: 0..<4, using: &rng)] as UInt8 }
      let fast: Int
      if round % 4 == 0 {
        // Plain, as `Cursor.internID` reads it, with whatever follows in the buffer.
        let bytes = key + (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        fast = bytes.withUnsafeBufferPointer { b in
          let p = b.baseAddress!
          let raw = UnsafeRawPointer(p)
          return map.intern(p, count: n, low: raw.loadUnaligned(as: UInt64.self), high: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self), into: viaMap)
        }
      } else {
        if round % 2 == 1 {
          let other = (0..<24).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }.filter { $0 != UInt8(ascii: "\\") }
          other.withUnsafeBufferPointer { _ = scratch.decode($0, escaped: false) }
        }
        let escaped = key.map { b in b == 0 || Bool.random(using: &rng) ? "\\u00" + format2(Int(b)) : String(UnicodeScalar(b)) }.joined()
        let raw = Array(escaped.utf8)
        raw.withUnsafeBufferPointer { _ = scratch.decode($0, escaped: true) }
        if Array(scratch.bytes) != key { failures.append("decoded \(escaped) as \(Array(scratch.bytes))") }
        fast = scratch.intern(into: viaMap, map)
      }
      let slow = key.withUnsafeBufferPointer { general.intern($0).id }
      if fast != slow { failures.append("id of \(key): \(fast) against \(slow)") }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(viaMap.count == general.count)
    #expect(map.count > 1000, "the map keeps the short ids: \(map.count)")
  }

  /// What `Cursor.internID` came to (the interner's number for the id and where the cursor went) or why
  /// it stopped; with `general`, what `string`, `JSONString.decode`, `Rules.isValidID` and the interner
  /// come to. The same for an event's id (`leadingEscapedShortID` then `hash64(low:high:count:)`,
  /// against `id` then `hash64` of the decoded bytes), when the shortcut takes it.
  private func idOutcome(_ bytes: [UInt8], general: Bool, _ interner: ByteInterner, _ map: ShortIDMap, _ shortcut: inout Int) -> String {
    bytes.withUnsafeBufferPointer { b in
      let scratch = DecodeScratch()
      var c = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
      do throws(FastEventParser.Stop) {
        if general {
          let s = try c.string()
          let decoded = scratch.decode(c.bytes(s.start, s.length), escaped: s.escaped)
          guard Rules.isValidID(decoded) else { throw .anomaly }
          return "\(interner.intern(decoded).id) \(c.pos) \(FastEventParser.hash64(decoded)) \(s.length)"
        }
        var e = c
        let hash: UInt64, length: Int
        if let s = e.leadingEscapedShortID(scratch) {
          shortcut += 1
          hash = FastEventParser.hash64(low: s.low, high: s.high, count: s.count)
          length = s.length
        } else {
          let s = try e.id(scratch)
          hash = FastEventParser.hash64(s.escaped ? scratch.bytes : c.bytes(s.start, s.length))
          length = s.length
        }
        let id = try c.internID(into: interner, map, scratch)
        guard c.pos == e.pos else { return "cursor \(c.pos) against \(e.pos)" }
        return "\(id) \(c.pos) \(hash) \(length)"
      } catch {
        return "\(error)"
      }
    }
  }

  /// Ids whose first character is escaped as `\u00XX` read by `leadingEscapedShortID` (an event's id,
  /// hashed from its two words; a person's or source's, interned from them through `ShortIDMap`)
  /// against the general way: every byte value escaped first, then 0 to 20 bytes an id may have or
  /// not, the closing quote or something else, and the buffer ending anywhere after the opening quote.
  @Test func leadingEscapedShortIDsReadAsTheGeneralWay() {
    var rng = SystemRandomNumberGenerator()
    let plain = Array("aZ7-._:".utf8), other = Array(" /@[`{é\\\"\u{01}".utf8)
    var failures: [String] = []
    var shortcut = 0
    var ignored = 0
    let fastInterner = ByteInterner(), generalInterner = ByteInterner()
    let map = ShortIDMap()
    for round in 0..<60000 {
      let first = round % 256
      var content = Array(("\\u00" + format2(first)).utf8)
      if round % 11 == 0 { content[Int.random(in: 1..<content.count, using: &rng)] = UInt8.random(in: 0x20...0x7E, using: &rng) }
      // Then mostly bytes an id may have (up to 20 of them).
      for _ in 0..<Int.random(in: 0...(round % 5 == 0 ? 20 : 8), using: &rng) {
        content.append(round % 7 == 0 && Bool.random(using: &rng) ? other.randomElement(using: &rng)! : plain.randomElement(using: &rng)!)
      }
      var bytes = [UInt8(ascii: "\"")] + content + Array("\", \"x\"]".utf8) + Array(repeating: UInt8(ascii: " "), count: 20)
      if round % 3 == 0 { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
      let fast = idOutcome(bytes, general: false, fastInterner, map, &shortcut)
      let general = idOutcome(bytes, general: true, generalInterner, map, &ignored)
      // Cut short, an id with a byte no id may have is refused (`anomaly`) where the general way asks
      // for more first: both refuse it.
      if fast != general && !(general == "needMore" && fast == "anomaly") {
        failures.append("\(String(decoding: bytes, as: UTF8.self).debugDescription): \(fast) against \(general)")
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(shortcut > 5000, "\(shortcut)")
  }

  /// An event id read by `leadingEscapedShortID` is hashed as its decoded bytes are, so that it is
  /// found as a duplicate of the same id written plain (or escaped), in one thread's part or across
  /// both; and a file of such ids that are all distinct loads as the reference decoder reads it.
  @Test func escapedEventIDsHashedAsTheirDecodedBytes() throws {
    let base = PropertyTests.document(events: 1200, seed: 24)
    // `e3` written plain, then with its first character escaped (in the same half, and in the other).
    for (replaced, with) in [("\"id\": \"e40\"", "\"id\": \"\\u00653\""), ("\"id\": \"e1100\"", "\"id\": \"\\u00653\"")] {
      var text = base
      let at = try #require(text.range(of: replaced))
      text.replaceSubrange(at, with: with)
      let path = try PropertyTests.write(text)
      for threads in [1, 2] {
        #expect(throws: TimelineLoader.Failure.self, "\(with) for \(replaced), \(threads) threads") {
          try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: threads, parallelThreshold: 0))
        }
      }
    }
    // Every event id's first character escaped, and the first person and source (and tag) of each
    // event's lists (`Cursor.internID`): read as the reference reads them.
    let escaped = base.replacingOccurrences(of: "\"id\": \"e", with: "\"id\": \"\\u0065")
      .replacingOccurrences(of: "[\"p", with: "[\"\\u0070").replacingOccurrences(of: "[\"s", with: "[\"\\u0073")
    #expect(escaped.contains("[\"\\u0070") && escaped.contains("[\"\\u0073") && escaped.contains("\"id\": \"\\u0065"))
    try AssemblyTests.expectTwoThreadsEqualTheReference(escaped)
  }

  private func format2(_ v: Int) -> String { v < 16 ? "0" + String(v, radix: 16) : String(v, radix: 16) }
}
