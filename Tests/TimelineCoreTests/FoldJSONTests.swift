import CTimelineSupport
import Foundation
import Testing

@testable import TimelineCore

/// The search's text scan folds each string straight from the file's bytes (`TextFolding.foldJSON`:
/// escapes decoded and folded in one pass), with a table of every scalar up to U+3000. These tests
/// hold it to the folding rules written out here, to `fold` of the decoded text, and the scan's
/// results to the word index's, whatever way the file is written.
@Suite("folding straight from JSON strings")
struct FoldJSONTests {
  /// The folding rules (see `TextFolding`), written out for one scalar without the tables.
  static func reference(_ v: UInt32) -> [UInt8] {
    guard let u = Unicode.Scalar(v) else { return [] }
    func isMark(_ u: Unicode.Scalar) -> Bool {
      [.nonspacingMark, .enclosingMark, .spacingMark].contains(u.properties.generalCategory)
    }
    if v < 0x80 { return [UInt8(v) &- 0x41 < 26 ? UInt8(v) | 0x20 : UInt8(v)] }
    let special: [UInt32: String] = [
      0xDF: "ss", 0x1E9E: "ss", 0xE6: "ae", 0xC6: "ae", 0x153: "oe", 0x152: "oe", 0xF8: "o", 0xD8: "o",
      0x142: "l", 0x141: "l", 0x111: "d", 0x110: "d", 0xFE: "th", 0xDE: "th", 0x131: "i", 0x127: "h",
      0x126: "h", 0x140: "l", 0x13F: "l", 0xA0: " ", 0xAB: "\"", 0xBB: "\"",
      0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'", 0x2032: "'", 0x201C: "\"", 0x201D: "\"",
      0x201E: "\"", 0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2015: "-",
      0x2212: "-", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200A: " ", 0x202F: " ", 0x2007: " ",
      0x2026: "...",
    ]
    if let s = special[v] { return Array(s.utf8) }
    let noCase = (v >= 0x3000 && v < 0xA000) || (v >= 0xAC00 && v < 0xD7A4) || v >= 0x1F000 || v == 0x200D
    if noCase { return Array(String(u).utf8) }
    if [0x80...0x24F, 0x370...0x3FF, 0x1E00...0x1FFF].contains(where: { $0.contains(v) }) {
      var kept = String.UnicodeScalarView()
      for d in String(Character(u)).decomposedStringWithCanonicalMapping.unicodeScalars where !isMark(d) { kept.append(d) }
      return Array(String(kept).lowercased().utf8)
    }
    if isMark(u) { return [] }
    if v >= 0xFF01 && v <= 0xFF5E {
      let a = UInt8(v - 0xFF01 + 0x21)
      return [a &- 0x41 < 26 ? a | 0x20 : a]
    }
    return Array((u.properties.changesWhenLowercased ? u.properties.lowercaseMapping : String(u)).utf8)
  }

  /// Every scalar below U+3100 (the table and just past it), the variation selectors and the
  /// full-width forms, and one in 61 of the rest.
  static let scalars: [UInt32] = Array(0..<0x3100) + Array(0xFE00...0xFFFF) + Array(stride(from: 0x3100, to: 0x110000, by: 61))
    .filter { Unicode.Scalar($0) != nil }

  /// `text` with every scalar above ASCII written as a `\u` escape (a surrogate pair above the BMP), in
  /// upper-case hex for the scalars whose value is a multiple of `upperEvery`.
  static func escapingNonASCII(_ text: String, upperEvery: UInt32) -> String {
    var out = ""
    for u in text.unicodeScalars {
      if u.value > 0x7F { out += escaped(u.value, upper: u.value % upperEvery == 0) } else { out.unicodeScalars.append(u) }
    }
    return out
  }

  /// A scalar as a JSON escape (a surrogate pair above U+FFFF), with lower- or upper-case digits.
  static func escaped(_ v: UInt32, upper: Bool = false) -> String {
    let f = upper ? "\\u%04X" : "\\u%04x"
    if v > 0xFFFF {
      let w = v - 0x10000
      return String(format: f + f, 0xD800 + (w >> 10), 0xDC00 + (w & 0x3FF))
    }
    return String(format: f, v)
  }

  static func fold(json raw: String, escaped: Bool) -> [UInt8] {
    var out: [UInt8] = []
    Array(raw.utf8).withUnsafeBufferPointer { TextFolding.foldJSON($0, escaped: escaped, into: &out) }
    return out
  }

  /// `fold` of what the raw content decodes to: what the scan's folding must give.
  static func foldOfDecoded(_ raw: String) -> [UInt8] {
    var decoded: [UInt8] = []
    Array(raw.utf8).withUnsafeBufferPointer { JSONString.unescape($0, into: &decoded) }
    var out: [UInt8] = []
    decoded.withUnsafeBufferPointer { TextFolding.fold($0, into: &out) }
    return out
  }

  @Test("each scalar folds by the rules, written plainly, escaped, and between other text")
  func everyScalar() {
    var wrong: [String] = []
    for v in Self.scalars {
      let expected = Self.reference(v)
      let plain = String(Character(Unicode.Scalar(v)!))
      let folded = TextFolding.fold(plain)
      if folded != expected { wrong.append(String(format: "U+%04X plain: %@", v, String(decoding: folded, as: UTF8.self))) }
      // Escaped, alone and inside ASCII (the eight-byte path), the digits in either case.
      for (raw, want) in [
        (Self.escaped(v), expected), ("ABCDEFGH" + Self.escaped(v, upper: true) + "xyz", Array("abcdefgh".utf8) + expected + Array("xyz".utf8)),
        // Written as itself (a backslash or a quote could not be, in a JSON string).
        ("Long ASCII " + plain + " then more ASCII", Array("long ascii ".utf8) + expected + Array(" then more ascii".utf8)),
      ] where !(raw.hasPrefix("Long") && (v == 0x5C || v == 0x22)) && Self.fold(json: raw, escaped: true) != want {
        wrong.append(String(format: "U+%04X in %@", v, raw))
      }
      if wrong.count > 20 { break }
    }
    #expect(wrong.isEmpty, "\(wrong)")
  }

  @Test("every character of the folding loop's shortcuts folds by the rules: two bytes, kana and CJK, emoji, and their edges")
  func everyShortcutScalar() {
    // The two-byte characters (from the table without decoding), U+2F00 to U+A0FF (three bytes: from
    // U+3000 to U+9FFF copied as they are), U+1E000 to U+1FFFF (four bytes: from U+1F000 copied), and
    // the four-byte ones just past them.
    let ranges: [ClosedRange<UInt32>] = [0x80...0x7FF, 0x2F00...0xA0FF, 0x1E000...0x1FFFF, 0x20000...0x200FF, 0x10000...0x100FF]
    var wrong: [String] = []
    for v in ranges.joined() {
      guard let u = Unicode.Scalar(v) else { continue }
      let expected = Self.reference(v)
      let plain = String(Character(u))
      // Alone (the loop's last bytes), and between ASCII and another of its kind.
      let text = "AB" + plain + plain + "cD"
      let want = Array("ab".utf8) + expected + expected + Array("cd".utf8)
      // Escaped too, with lower- and upper-case digits, after ASCII and before an escape of another kind.
      let escapedText = "AB" + Self.escaped(v) + Self.escaped(v, upper: true) + "\\n" + "cD"
      let escapedWant = Array("ab".utf8) + expected + expected + [0x0A] + Array("cd".utf8)
      if TextFolding.fold(plain) != expected || TextFolding.fold(text) != want || Self.fold(json: text, escaped: true) != want
        || Self.fold(json: escapedText, escaped: true) != escapedWant
      {
        wrong.append(String(format: "U+%04X", v))
      }
      if wrong.count > 20 { break }
    }
    #expect(wrong.isEmpty, "\(wrong)")
  }

  @Test("escaped content folds as fold of its decoded text, whatever it holds", arguments: [1, 2, 3] as [UInt64])
  func randomContent(seed: UInt64) {
    var r = PropertyTests.RNG(state: seed)
    let pieces = [
      "a", "Z", "Straße", " ", "Łódź", "ÉTÉ", "東京", "🎉", "⚖️", "e\u{301}", "\\n", "\\t", "\\r", "\\b", "\\f", "\\\"", "\\\\", "\\/",
      "\\u00e9", "\\u00C9", "\\u0041", "\\u0000", "\\u2026", "\\ud83c\\udf89", "\\uD83C\\uDF89", "\\u6771", "\\ufe0f", "\\u0301",
      "ABCDEFGHIJKLMNOP", "serveur", "\u{202F}", "\\u202f",
      // Not valid JSON (a file changed under the reader): decoded to U+FFFD or kept, never a crash.
      "\\ud800", "\\udc00", "\\ud800x", "\\uzzzz", "\\u12", "\\q",
    ]
    for _ in 0..<3000 {
      var raw = ""
      for _ in 0..<r.int(12) { raw += r.pick(pieces) }
      if r.int(10) == 0 { raw += "\\" }
      #expect(Self.fold(json: raw, escaped: true) == Self.foldOfDecoded(raw), "\(raw)")
      if !raw.contains("\\") {
        #expect(Self.fold(json: raw, escaped: false) == TextFolding.fold(raw), "\(raw)")
      }
    }
  }

  @Test("the scan finds what the word index finds, in every layout of the file and on both threads' halves")
  func scanEqualsIndexInEveryShape() throws {
    let queries = [
      "serveur", "reseau", "ZURICH", "Zürich", "zurich", "lodz", "東京", "会議", "🎉", "naive", "\"quoted\"", "back\\slash",
      "l'enquete", "hearing raid", "!serveur", "serveur | 東京", "\"serveur reseau\"", "t1", "t12 ", "raid", "scene", "e1",
      // Names (a person, a country, a confidence) and written dates, alone, negated and in clauses.
      "zoe", "!zoe", "cyprus", "serveur cyprus", "rumoured", "!rumoured serveur", "2001", "2001-0", "!2001", "2001 | serveur",
      "zoe 東京 | reseau",
    ]
    for shape in ShapeTests.Shape.allCases {
      // Escaped: over the 20,000 events from which the scan splits the work between two threads.
      let bytes = ShapeTests.document(events: shape == .escaped ? 20_500 : 4_000, seed: 5, shape: shape)
      let reference = try TimelineDecoder.decode(bytes, fileName: "shape.json")
      let streamed = try TimelineLoader.load(path: try ShapeTests.write(bytes), options: .init(forceStreaming: true))
      #expect(streamed.document.file != nil)
      var matched = 0
      for text in queries {
        let q = Query(text: text)
        let expected = reference.evaluate(q)
        #expect(streamed.evaluate(q, textSearch: .scan) == expected, "\(shape): \(text)")
        matched += expected.count
      }
      #expect(matched > 1000, "the queries match something")
      // With a date range, the scan reads only the candidates.
      var q = Query(text: "serveur")
      q.from = TimelineDate(year: 2000)
      #expect(streamed.evaluate(q, textSearch: .scan) == reference.evaluate(q), "\(shape): serveur from 2000")
    }
  }

  @Test("the same file written with escapes gives the same search results")
  func escapedAndPlainAgree() throws {
    let plain = String(decoding: ShapeTests.document(events: 21_000, seed: 8, shape: .canonical), as: UTF8.self)
    // Every non-ASCII character (only in strings) as an escape, and some ASCII letters too.
    var escaped = Self.escapingNonASCII(plain, upperEvery: 2)
    escaped = escaped.replacingOccurrences(of: "serveur", with: "\\u0073erv\\u0065ur").replacingOccurrences(of: "\"T", with: "\"\\u0054")
    let a = try TimelineLoader.load(path: try ShapeTests.write(Array(plain.utf8)), options: .init(forceStreaming: true))
    let b = try TimelineLoader.load(path: try ShapeTests.write(Array(escaped.utf8)), options: .init(forceStreaming: true))
    #expect(b.document.byteCount > a.document.byteCount)
    #expect((0..<b.count).allSatisfy { b.titles[$0].escaped }, "every title is written with escapes")
    for text in ["serveur", "reseau", "zurich", "東京", "🎉", "t1", "t20", "naive", "!serveur", "\"serveur reseau\"", "Zürich", "T1"] {
      let q = Query(text: text)
      let expected = a.evaluate(q, textSearch: .scan)
      #expect(b.evaluate(q, textSearch: .scan) == expected, "\(text)")
      #expect(a.evaluate(q) == expected, "\(text), index")
      #expect(b.evaluate(q) == expected, "\(text), index of the escaped file")
    }
  }

  /// `timeline_plain_contains` (or its scalar twin) on raw content and a needle.
  static func plainContains(_ raw: [UInt8], _ needle: [UInt8], vector: Bool = true) -> Bool {
    raw.withUnsafeBufferPointer { r in
      needle.withUnsafeBufferPointer { n in
        // Non-nil pointers for empty arrays.
        let rp = r.baseAddress ?? UnsafePointer(bitPattern: 1)!
        let np = n.baseAddress ?? UnsafePointer(bitPattern: 1)!
        return (vector ? timeline_plain_contains(rp, r.count, np, n.count) : timeline_plain_contains_scalar(rp, r.count, np, n.count)) != 0
      }
    }
  }

  @Test("a word found plainly in a string's raw JSON is in its folded text; one inside or just after an escape is not taken")
  func plainInRawIsInFolded() {
    var r = PropertyTests.RNG(state: 11)
    let pieces = [
      "a", "Z", "se", "rveur", "serveur", " ", "Łódź", "東京", "🎉", "\\n", "\\\\", "\\\\u0073", "\\\"", "\\u00e9", "\\u00E9", "\\u0073", "\\u0065ur",
      "\\ud83c\\udf89", "\\uD83D\\uDCC1", "\\u6771", "\\u0000", "u00e9", "0073", "\\ud800", "\\udc00", "\\uzzzz", "\\u12", "\\q", "\\",
      // Not UTF-8 (a file changed under the reader): the folding loop takes the next bytes as the character's.
      "\\u00", "e9serveur",
    ]
    let notUTF8: [[UInt8]] = [[0xC3], [0xE6, 0x9D], [0xF0], [0xF0, 0x9F]]
    let needles = ["serveur", "erveur", "u00e9", "00e9", "e9", "0073", "u0073", "dcc1", "df89", "udc00", "zzzz", "12", "q", "e", "r s", "ur", "n", "u", "0000"]
    var found = 0
    var foundInFolded = 0
    for _ in 0..<20_000 {
      var raw: [UInt8] = []
      for _ in 0..<r.int(10) {
        if r.int(20) == 0 { raw += r.pick(notUTF8) } else { raw += Array(r.pick(pieces).utf8) }
      }
      // Long enough, at times, for the 32-byte vector loop.
      if r.int(3) == 0 { raw = Array(String(repeating: "x", count: r.int(40)).utf8) + raw }
      var folded: [UInt8] = []
      raw.withUnsafeBufferPointer { TextFolding.foldJSON($0, escaped: true, into: &folded) }
      for needle in needles.map({ Array($0.utf8) }) {
        let plain = Self.plainContains(raw, needle)
        #expect(plain == Self.plainContains(raw, needle, vector: false), "\(raw) \(needle)")
        let inFolded = folded.withUnsafeBufferPointer { h in
          needle.withUnsafeBufferPointer { n in timeline_memmem(h.baseAddress ?? UnsafePointer(bitPattern: 1)!, h.count, n.baseAddress!, n.count) != nil }
        }
        if plain {
          found += 1
          #expect(inFolded, "\(String(decoding: raw, as: UTF8.self)) holds \(String(decoding: needle, as: UTF8.self)) plainly, not once folded")
        }
        if inFolded { foundInFolded += 1 }
      }
    }
    // The shortcut does take most words written plainly.
    #expect(found > foundInFolded / 3, "\(found) of \(foundInFolded)")
    // The cases it must pass over: inside an escape, just after one, after a byte that starts a character.
    for (raw, needle) in [
      ("caf\\u00e9", "u00e9"), ("caf\\u00e9", "00e9"), ("caf\\u00e9", "9"), ("\\u0073erveur", "0073erveur"), ("\\uD83D\\uDCC1", "dcc1"), ("\\ud83d\\udcc1", "dcc1"), ("\\ud83d\\udcc1", "cc1"), ("a\\\\serveur", "serveur"),
      ("\\uzzzz", "zzzz"),
    ] {
      #expect(!Self.plainContains(Array(raw.utf8), Array(needle.utf8)), "\(raw)")
    }
    #expect(!Self.plainContains([0xC3] + Array("serveur".utf8), Array("serveur".utf8)))
    #expect(!Self.plainContains([0xF0, 0x20, 0x20] + Array("serveur".utf8), Array("serveur".utf8)))
    #expect(Self.plainContains([0xF0, 0x20, 0x20, 0x20] + Array("serveur".utf8), Array("serveur".utf8)))
    #expect(Self.plainContains(Array("\\u0073 x serveur".utf8), Array("serveur".utf8)))
    #expect(Self.plainContains(Array((String(repeating: "ab", count: 40) + "serveur").utf8), Array("serveur".utf8)))
  }

  @Test("the scan takes a word found plainly in the file without folding, and never one that an escape holds")
  func plainShortcutInTheScan() throws {
    let plain = String(decoding: ShapeTests.document(events: 3_000, seed: 12, shape: .canonical), as: UTF8.self)
    var escaped = Self.escapingNonASCII(plain, upperEvery: 3)
    escaped = escaped.replacingOccurrences(of: "serveur", with: "\\u0073erv\\u0065ur serveur")
    // The word index of the plain file is the reference; the escaped file is only ever scanned (once
    // its index is built, `.scan` asks the index).
    let reference = try TimelineDecoder.decode(Array(plain.utf8), fileName: "plain.json")
    let b = try TimelineLoader.load(path: try ShapeTests.write(Array(escaped.utf8)), options: .init(forceStreaming: true))
    var matched = 0
    for text in [
      // Words whose bytes the escaped file holds only inside or right after escapes: found in neither.
      "u00e9", "00e9", "u0073erv", "0065ur", "0073", "dcc1", "u4eac", "e9",
      // Found plainly, in clauses, beside names and negations.
      "serveur", "serveur reseau", "serveur | tokyo", "!serveur", "serveur !reseau", "rumoured serveur", "\"serveur reseau\"", "erv",
      "reseau | !serveur", "!reseau | serveur", "rumoured | !serveur",
    ] {
      let expected = reference.evaluate(Query(text: text))
      #expect(b.evaluate(Query(text: text), textSearch: .scan) == expected, "\(text)")
      matched += expected.count
    }
    #expect(!b.isSearchIndexBuilt)
    #expect(matched > 3000)
  }

  @Test("events are read in file order: the candidates, however they are ordered, each once")
  func fileOrder() throws {
    let bytes = ShapeTests.document(events: 3_000, seed: 9, shape: .canonical)
    let t = try TimelineLoader.load(path: try ShapeTests.write(bytes), options: .init(forceStreaming: true, threads: 1))
    let all = t.inFileOrder((0..<UInt32(t.count)).map { $0 })
    #expect(all.count == t.count)
    #expect(zip(all, all.dropFirst()).allSatisfy { t.titles[Int($0)].offset < t.titles[Int($1)].offset })
    let some: [UInt32] = stride(from: 0, to: UInt32(t.count), by: 7).map { $0 }
    let ordered = t.inFileOrder(some)
    #expect(ordered.sorted() == some)
    #expect(zip(ordered, ordered.dropFirst()).allSatisfy { t.titles[Int($0)].offset < t.titles[Int($1)].offset })
  }
}
