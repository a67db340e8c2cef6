import Testing

@testable import TimelineCore

/// The fast parser's shortcuts for the usual values against the general way: plain short ids read
/// from two loads (`Cursor.plainShortID`), plain dates from one (`FastEventParser.plainDate`), event-id
/// hashes from an id's first sixteen bytes (`FastEventParser.hash64(low:high:count:)`) and keys interned
/// from their first sixteen (`ByteInterner.intern(_:count:hash:)`). Each shortcut must give what the
/// general way gives, and must be taken for the values it is for.
@Suite struct ParseFastPathTests {
  /// Random ids of plain and escaped characters an id may or may not have, of every length around the
  /// 8- and 16-byte words, then the closing quote (or not), cut by the end of the buffer anywhere:
  /// where `plainShortID` takes one, `id` reads the same; it takes every plain id of 1 to 15 bytes with
  /// 16 bytes of the buffer after its opening quote.
  @Test func plainShortIDsReadAsTheGeneralWay() {
    let pieces: [String] = [
      "a", "Z", "7", "ev-", "src_1", "p:2", "x.y", "0", "-", ".", "_", ":", " ", "é", "\\u0065", "\\n", "/", "@", "[", "`", "{",
      "\u{01}", "\u{7F}", "~",
    ]
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var taken = 0
    for round in 0..<30000 {
      var text = String(repeating: " ", count: round % 3) + "\""
      let target = Int.random(in: 1...20, using: &rng)
      var content = ""
      while content.utf8.count < target {
        // One round in two: only plain characters an id may have.
        content += round % 2 == 0 ? pieces[..<13].randomElement(using: &rng)! : pieces.randomElement(using: &rng)!
      }
      text += content + (round % 7 == 0 ? "" : "\"") + ", \"tags\": [\"x\"]}"
      var bytes = Array(text.utf8)
      if round % 5 == 0 { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
      let plainValid = content.utf8.count <= 15 && Rules.isValidID(Array(content.utf8)) && round % 7 != 0
      let quote = round % 3  // where the opening quote is, after the spaces
      bytes.withUnsafeBufferPointer { b in
        let scratch = DecodeScratch()
        var fast = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
        var general = fast
        let s = fast.plainShortID()
        if s == nil && plainValid && quote + 17 <= b.count { failures.append("not taken: \(text.debugDescription)") }
        guard let s else { return }
        taken += 1
        do throws(FastEventParser.Stop) {
          let g = try general.id(scratch)
          let low = UnsafeRawPointer(b.baseAddress! + s.start).loadUnaligned(as: UInt64.self)
          let high = UnsafeRawPointer(b.baseAddress! + s.start + 8).loadUnaligned(as: UInt64.self)
          if g.start != s.start || g.length != s.length || g.escaped || general.pos != fast.pos || low != s.low || high != s.high {
            failures.append("\(text.debugDescription): \(s) against \(g), at \(fast.pos) against \(general.pos)")
          }
        } catch {
          failures.append("\(text.debugDescription): taken, but the general way says \(error)")
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(taken > 3000, "\(taken)")
  }

  /// Dates of every form and near misses (digits too many or too few, a month or day out of range,
  /// Feb 29 in leap years and not, a time, `~` anywhere, another byte where the quote should be), cut by
  /// the end of the buffer anywhere: where `plainDate` reads one, `TimelineDate.parse` reads the same
  /// date from the bytes before the quote; it reads every valid `YYYY`, `YYYY-MM` and `YYYY-MM-DD`, with
  /// or without `~`.
  @Test func plainDatesReadAsTimelineDateParse() {
    var rng = SystemRandomNumberGenerator()
    func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) }) }
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    var texts: [String] = []
    for year in ["0000", "1900", "2000", "2023", "2024", "9999", "0004"] {
      texts.append(year)
      for month in 0...13 {
        texts.append("\(year)-\(two(month))")
        for day in 0...32 { texts.append("\(year)-\(two(month))-\(two(day))") }
      }
    }
    let pieces = ["-", "~", "T", ":", "\"", "\\", " ", "a", "/", "\u{10}"]
    for _ in 0..<30000 {
      var t = ""
      for _ in 0..<Int.random(in: 1...6, using: &rng) {
        t += Int.random(in: 0..<3, using: &rng) == 0 ? pieces.randomElement(using: &rng)! : digits(Int.random(in: 1...5, using: &rng))
      }
      texts.append(t)
    }
    var failures: [String] = []
    var taken = 0
    for base in texts {
      for text in [base, base + "~", base + "T10:30"] {
        var bytes = Array(("\"" + text + "\"").utf8) + Array(repeating: UInt8(ascii: " "), count: Int.random(in: 0...16, using: &rng))
        if Int.random(in: 0..<4, using: &rng) == 0 { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
        guard bytes.count >= 13 else { continue }
        let content = bytes.dropFirst().prefix { $0 != UInt8(ascii: "\"") }
        let closed = 1 + content.count < bytes.count
        let reference = closed ? try? TimelineDate.parse(Array(content)).get() : nil
        let usual = content.count >= 4 && content.count <= 11 && (content.last == UInt8(ascii: "~") ? content.dropLast() : content[...]).enumerated().allSatisfy { k, b in
          k == 4 || k == 7 ? b == UInt8(ascii: "-") : b &- UInt8(ascii: "0") < 10
        } && [4, 7, 10].contains(content.count - (content.last == UInt8(ascii: "~") ? 1 : 0))
        let fast = bytes.withUnsafeBufferPointer { FastEventParser.plainDate($0.baseAddress! + 1) }
        if let (d, n) = fast {
          taken += 1
          if d != reference || n != content.count || d.isApproximate != reference?.isApproximate {
            failures.append("\(text.debugDescription): \(d) (\(n)) against \(String(describing: reference))")
          }
        } else if reference != nil && usual {
          failures.append("not taken: \(text.debugDescription)")
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(taken > 3000, "\(taken)")
  }

  /// An event id's hash from its first sixteen bytes is its hash from its bytes, whatever follows it;
  /// and a key interned from its first sixteen bytes gets the id it gets the general way.
  @Test func hashesAndInternedIDsFromTwoLoadsAsFromTheBytes() {
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    let interner = ByteInterner()
    var hashes = Set<UInt64>()
    for round in 0..<20000 {
      let n = round % 17
      // Few distinct keys, so that most are met again.
      let key = (0..<n).map { _ in UInt8.random(in: 0x61...0x63, using: &rng) }
      let bytes = key + (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
      bytes.withUnsafeBufferPointer { b in
        let p = b.baseAddress!
        let low = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        let high = UnsafeRawPointer(p + 8).loadUnaligned(as: UInt64.self)
        let slow = FastEventParser.hash64(UnsafeBufferPointer(start: p, count: n))
        let fast = FastEventParser.hash64(low: low, high: high, count: n)
        if slow != fast { failures.append("hash of \(key): \(fast) against \(slow)") }
        hashes.insert(slow)
        let viaLoads = interner.intern(p, count: n, hash: ByteInterner.hash(low: low, high: high, count: n))
        let general = interner.intern(UnsafeBufferPointer(start: p, count: n)).id
        if viaLoads != general { failures.append("id of \(key): \(viaLoads) against \(general)") }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(hashes.count == interner.count, "one hash per distinct key: \(hashes.count) against \(interner.count)")
  }

  /// Person and source ids interned through `ShortIDMap` (one word compared for an id of up to eight
  /// bytes) get the numbers the interner gives them the general way: keys of every length up to 16,
  /// from three letters and the zero byte (so that keys differ only by a trailing zero, or only by
  /// their length), most met many times, the map starting small so that it grows.
  @Test func shortIDMapGivesTheInternersNumbers() {
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    let viaMap = ByteInterner(), general = ByteInterner()
    let map = ShortIDMap()
    for round in 0..<40000 {
      let n = Int.random(in: 0...(round % 3 == 0 ? 16 : 8), using: &rng)
      let key = (0..<n).map { _ in [0, 0x61, 0x62, 0x63][Int.random(in: 0..<4, using: &rng)] as UInt8 }
      let bytes = key + (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
      bytes.withUnsafeBufferPointer { b in
        let p = b.baseAddress!
        let low = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        let high = UnsafeRawPointer(p + 8).loadUnaligned(as: UInt64.self)
        let fast = map.intern(p, count: n, low: low, high: high, into: viaMap)
        let slow = general.intern(UnsafeBufferPointer(start: p, count: n)).id
        if fast != slow { failures.append("id of \(key): \(fast) against \(slow)") }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(viaMap.count == general.count)
    #expect(map.count > 1000, "the map keeps the short ids: \(map.count)")
  }

  /// The separator between members read in one go (`Cursor.separatedKey`) against the general way
  /// (whitespace, the comma, `key`): random runs of commas, braces, spaces, newlines and tabs, known,
  /// unknown, escaped and cut keys, with or without their quotes, whitespace and colon, cut by the end
  /// of the buffer anywhere. Where the shortcut reads a key, the general way reads the same key and
  /// stops at the same place (past the whitespace that any value skips first); where it does not, the
  /// cursor has not moved; it reads every `, "key": `, `,"key":` and `,\n` + up to seven spaces +
  /// `"key": ` of a known key with 24 bytes of the buffer from the comma.
  @Test func separatedKeysReadAsTheGeneralWay() {
    let before = [",", ",", ",", " ", "\n", "\t", "\r", "}", "]", ", ", ",\n", ",  ", ",\n  ", ",\n        ", ",\r\n  ", ",\n \t"]
    let names = EventField.allCases.map(\.name) + ["idx", "i", "x-a", "x_note", "titl", "summaryx", "\\u0069d", "", "confidences", "é"]
    let afterKey = ["", "", "", " ", "\n", "\t"]
    let afterColon = ["", " ", " ", "  ", "\n", "\t"]
    var rng = SystemRandomNumberGenerator()
    var failures: [String] = []
    var taken = 0
    for round in 0..<40000 {
      var text = ""
      for _ in 0..<Int.random(in: 1...2, using: &rng) { text += before.randomElement(using: &rng)! }
      let usual = round % 2 == 0
      let name = names.randomElement(using: &rng)!
      if usual {
        let indent = String(repeating: " ", count: Int.random(in: 0...7, using: &rng))
        text = [", \"", ",\"", ",\n" + indent + "\""].randomElement(using: &rng)! + name + "\":" + [" ", ""].randomElement(using: &rng)!
      } else {
        text += (Int.random(in: 0..<8, using: &rng) == 0 ? "" : "\"") + name + (Int.random(in: 0..<8, using: &rng) == 0 ? "" : "\"")
        text += afterKey.randomElement(using: &rng)! + (Int.random(in: 0..<6, using: &rng) == 0 ? "" : ":") + afterColon.randomElement(using: &rng)!
      }
      let separator = text
      text += "\"value\", \"tags\": [], \"notes\": \"\"}"
      var bytes = Array(text.utf8)
      if round % 5 == 0 { bytes = Array(bytes[..<Int.random(in: 1...bytes.count, using: &rng)]) }
      bytes.withUnsafeBufferPointer { b in
        let scratch = DecodeScratch()
        var fast = FastEventParser.Cursor(base: b.baseAddress!, end: b.count, pos: 0, hex: ByteScan.hexTable)
        var general = fast
        let f = fast.separatedKey()
        let known = EventField.allCases.contains { $0.name == name }
        if f == nil && usual && known && b.count >= 24 { failures.append("not taken: \(separator.debugDescription)") }
        guard let f else {
          if fast.pos != 0 { failures.append("\(separator.debugDescription): not taken, but the cursor moved to \(fast.pos)") }
          return
        }
        taken += 1
        do throws(FastEventParser.Stop) {
          general.skipSpace()
          let c = try general.peek()
          general.pos += 1
          guard c == UInt8(ascii: ",") else {
            failures.append("\(separator.debugDescription): read key \(f), but the general way meets \(c)")
            return
          }
          let g = try general.key(scratch)
          general.skipSpace()
          fast.skipSpace()
          if g != f || general.pos != fast.pos {
            failures.append("\(separator.debugDescription): key \(f) at \(fast.pos) against \(g) at \(general.pos)")
          }
        } catch {
          failures.append("\(separator.debugDescription): read key \(f), but the general way says \(error)")
        }
      }
    }
    #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(3))")
    #expect(taken > 6000, "\(taken)")
  }
}
