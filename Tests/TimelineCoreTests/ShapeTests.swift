import Foundation
import Testing

@testable import TimelineCore

/// Every valid file takes the fast path: the same events written in each layout a user's tools produce
/// load through the streaming parser (never falling back to the reference decoder) and give the
/// reference decoder's timeline.
@Suite("valid layouts take the fast path")
struct ShapeTests {
  /// How a document is written. The benchmark's generator writes the same shapes at scale
  /// (`timeline-bench shapes`).
  enum Shape: String, CaseIterable {
    case canonical
    /// One event in five has no summary.
    case summariesMissing
    /// Each event has an extension key; their values are every kind of JSON value, nested up to the limit.
    case extensionKeys
    /// Every value string starts with a `\u` escape, every non-ASCII character is escaped (surrogate
    /// pairs for emoji), and one key in each event is escaped.
    case escaped
    /// No whitespace at all.
    case minified
    /// Each event's members in a random order.
    case shuffledKeys
    /// A byte-order mark and CRLF line ends.
    case crlfBOM
    /// One member per line, arrays one element per line, two-space indents.
    case pretty
  }

  enum Value {
    case string(String)
    case strings([String])
    case raw(String)
  }

  static let words = ["serveur", "réseau", "Zürich", "Łódź", "東京", "会議", "🎉", "naïve", "hearing", "raid", "l'enquête", "\"quoted\"", "back\\slash"]

  static func members(event i: Int, _ r: inout PropertyTests.RNG, shape: Shape) -> [(String, Value)] {
    func text(_ n: Int) -> String { (0..<n).map { _ in r.pick(words) }.joined(separator: " ") }
    let year = 1990 + r.int(40)
    var date = String(format: "%04d", year)
    if r.int(3) > 0 { date += String(format: "-%02d", 1 + r.int(12)) }
    if date.count > 4 && r.int(2) == 0 { date += String(format: "-%02d", 1 + r.int(28)) }
    if date.count == 10 && r.int(4) == 0 { date += String(format: "T%02d:%02d", r.int(24), r.int(60)) }
    if r.int(6) == 0 { date += "~" }
    var m: [(String, Value)] = [("id", .string("e\(i)")), ("date", .string(date))]
    if r.int(8) == 0 { m.append(("end", .string("\(year + 1)"))) }
    m.append(("title", .string("T\(i) " + text(1 + r.int(4)))))
    if shape != .summariesMissing || r.int(5) != 0 { m.append(("summary", .string(text(3 + r.int(12))))) }
    m.append(("countries", .strings((0..<r.int(4)).map { _ in r.pick(["FR", "CY", "US", "XK", "DE"]) })))
    m.append(("people", .strings((0..<r.int(3)).map { _ in "p\(r.int(4))" })))
    if r.int(3) != 0 { m.append(("tags", .strings([r.pick(["raid", "court", "scène", "arrest"])]))) }
    m.append(("confidence", .string(r.pick(["confirmed", "reported", "rumoured", "disputed"]))))
    m.append(("sources", .strings(["s\(r.int(3))"])))
    if r.int(5) == 0 { m.append(("notes", .string(text(4)))) }
    if shape == .extensionKeys {
      let deep = String(repeating: "[", count: 62) + "{\"a\": [1, -2.5e+3, true, false, null]}" + String(repeating: "]", count: 62)
      let values = [
        "\"import\"", "42", "-0.5E-7", "true", "false", "null", "{}", "[]", "{\"nested\": {\"a\": [1, 2, {\"b\": \"c\\u00e9\"}]}}",
        "[\"}, {\\\"\", \"]\"]", deep,
      ]
      let key = r.pick(["x-origin", "x_origin", "x-", "x-\\u00e9"])
      m.insert((key, .raw(values[i % values.count])), at: r.int(m.count + 1))
    }
    if shape == .shuffledKeys {
      for k in stride(from: m.count - 1, to: 0, by: -1) { m.swapAt(k, r.int(k + 1)) }
    }
    return m
  }

  /// A JSON string literal; with `escaping`, the first character and every non-ASCII one as `\u` escapes.
  static func quoted(_ s: String, escaping: Bool) -> String {
    var out = "\""
    for (k, u) in s.unicodeScalars.enumerated() {
      if escaping && (k == 0 || u.value > 0x7F) {
        if u.value > 0xFFFF {
          let v = u.value - 0x10000
          out += String(format: "\\u%04x\\u%04x", 0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))
        } else {
          out += String(format: "\\u%04x", u.value)
        }
        continue
      }
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default: out.unicodeScalars.append(u)
      }
    }
    return out + "\""
  }

  static func document(events n: Int, seed: UInt64, shape: Shape) -> [UInt8] {
    var r = PropertyTests.RNG(state: seed)
    let escaping = shape == .escaped
    let (colon, comma, newline, indent): (String, String, String, String) =
      switch shape {
      case .minified: (":", ",", "", "")
      case .pretty: (": ", ",", "\n", "  ")
      default: (": ", ", ", "\n", "")
      }
    func value(_ v: Value, depth: Int) -> String {
      switch v {
      case .string(let s): return quoted(s, escaping: escaping)
      case .raw(let s): return s
      case .strings(let list):
        if list.isEmpty { return "[]" }
        if shape == .pretty {
          let pad = String(repeating: indent, count: depth + 1)
          return "[\n" + list.map { pad + quoted($0, escaping: escaping) }.joined(separator: ",\n") + "\n" + String(repeating: indent, count: depth) + "]"
        }
        return "[" + list.map { quoted($0, escaping: escaping) }.joined(separator: comma) + "]"
      }
    }
    func object(_ members: [(String, Value)], depth: Int) -> String {
      if shape == .pretty {
        let pad = String(repeating: indent, count: depth + 1)
        return "{\n" + members.map { pad + "\"\($0.0)\"" + colon + value($0.1, depth: depth + 1) }.joined(separator: ",\n") + "\n"
          + String(repeating: indent, count: depth) + "}"
      }
      return "{" + members.map { "\"\($0.0)\"" + colon + value($0.1, depth: depth) }.joined(separator: comma) + "}"
    }
    var events: [String] = []
    for i in 0..<n {
      var m = members(event: i, &r, shape: shape)
      if escaping {
        // One key written with an escape, as some tools write every key.
        let k = r.int(m.count)
        m[k].0 = "\\u00" + String(format: "%02x", m[k].0.utf8.first!) + m[k].0.dropFirst()
      }
      events.append(object(m, depth: 1))
    }
    let people = (0..<4).map { p in object([("id", .string("p\(p)")), ("name", .string("Person \(p) Zoë")), ("role", .string("r"))], depth: 1) }
    let sources = (0..<3).map { s in
      object([("id", .string("s\(s)")), ("title", .string("S")), ("publisher", .string("P")), ("date", .string("2020")), ("language", .string("en"))], depth: 1)
    }
    let top: [(String, String)] = [
      ("format", quoted("timeline/1", escaping: escaping)), ("title", quoted("Shapes", escaping: escaping)),
      ("description", quoted("d", escaping: escaping)),
      ("countries", "{\"XK\"" + colon + object([("name", .string("Kosovo"))], depth: 1) + "}"),
      ("people", "[" + newline + people.map { indent + $0 }.joined(separator: "," + newline) + newline + "]"),
      ("sources", "[" + newline + sources.map { indent + $0 }.joined(separator: "," + newline) + newline + "]"),
      ("events", "[" + newline + events.map { indent + $0 }.joined(separator: "," + newline) + newline + "]"),
    ]
    var text = "{" + newline + top.map { indent + "\"\($0.0)\"" + colon + $0.1 }.joined(separator: "," + newline) + newline + "}" + newline
    if shape == .crlfBOM { text = "\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n") }
    return Array(text.utf8)
  }

  static func write(_ bytes: [UInt8]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-shapes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("t.json").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test("each layout of valid events loads on the fast path, with the reference decoder's events", arguments: Shape.allCases)
  func fastPath(_ shape: Shape) throws {
    let bytes = Self.document(events: 400, seed: 31, shape: shape)
    let reference = try TimelineDecoder.decode(bytes, fileName: "shape.json")
    #expect(reference.count == 400)
    let path = try Self.write(bytes)
    for threads in [1, 2] {
      // A small window, so that events and extension values are cut by its end everywhere.
      var options = TimelineLoader.Options(forceStreaming: true, threads: threads, parallelThreshold: 0)
      options.windowSize = 4096
      var timings = TimelineLoader.Timings()
      let fast = try TimelineLoader.load(path: path, options: options, timings: &timings)
      #expect(timings.path == (threads == 1 ? "stream-1" : "stream-2"), "\(shape), \(threads) thread(s): \(timings.path)")
      #expect(fast.events == reference.events, "\(shape), \(threads) thread(s)")
      #expect(fast.tags == reference.tags, "\(shape)")
      #expect(fast.checkInvariants() == nil)
    }
  }

  /// Escaped short values that are one, and near misses that are not: the fast path reads the ones the
  /// reference decoder reads (and stays the fast path), and refuses the others.
  @Test(
    "an escaped word, code, date, tag or id is read or refused as the reference decoder does",
    arguments: [
      ("confidence", #""\u0063onfirmed""#, true), ("confidence", #""\u0063onfirme""#, false), ("confidence", #""\u0063onfirmedd""#, false),
      ("confidence", #""\u0072eported""#, true), ("confidence", #""\u0052eported""#, false), ("confidence", #""rumoure\u0064""#, true),
      ("confidence", #""\u0064isputed""#, true), ("confidence", #""disput\u0065""#, false), ("confidence", #""\u0064isputed\u0000""#, false),
      ("confidence", #""\u0072eportedly""#, false), ("confidence", #""\u0072\u0075\u006d\u006f\u0075\u0072\u0065\u0064""#, true), ("confidence", #""r\u00e9ported""#, false),
      ("countries", #"["\u0046R"]"#, true), ("countries", #"["\u0066R"]"#, false), ("countries", #"["\u0046"]"#, false),
      ("countries", #"["F\u0052\u0052"]"#, false), ("countries", #"["\u0046\u0052", "\u0046R"]"#, true),
      ("tags", #"["\u0020"]"#, false), ("tags", #"["\u0020x"]"#, true), ("tags", #"["\u00a0\t"]"#, false), ("tags", #"["a\u0009"]"#, true),
      ("tags", #"["\u0072aid", "r\u0061id", "raid"]"#, true), ("tags", #"["\u0000"]"#, true),
      ("date", #""\u0032020-08-2\u0035""#, true), ("date", #""\u0032020-08-3\u0032""#, false), ("date", #""\u00320\u00320""#, true),
      ("id", #""\u0065\u0031""#, true), ("id", #""\u0065 1""#, false), ("id", #""\u002d1""#, false), ("id", #""e\u00e9""#, false),
      ("people", #"["\u006aonatan-correa"]"#, true), ("people", #"["\u004aonatan-correa"]"#, false),
      ("sources", #"["\u0061fp"]"#, true), ("sources", #"["\u0061f"]"#, false),
    ] as [(String, String, Bool)])
  func escapedShortValues(field: String, value: String, valid: Bool) throws {
    var members: [(String, String)] = [
      ("id", #""e1""#), ("date", #""2020-08-25""#), ("title", #""T""#), ("countries", #"["FR"]"#),
      ("people", #"["jonatan-correa"]"#), ("tags", #"["raid"]"#), ("confidence", #""confirmed""#), ("sources", #"["afp"]"#),
    ]
    let k = members.firstIndex { $0.0 == field }!
    members[k].1 = value
    let event = "{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
    let doc = Array(Fixture.raw(events: [event, Fixture.rawEvent("e2")]).utf8)
    let reference = try? TimelineDecoder.decode(doc, fileName: "escaped.json")
    #expect((reference != nil) == valid, "\(field): \(value)")
    var timings = TimelineLoader.Timings()
    let fast = try? TimelineLoader.load(path: try Self.write(doc), options: .init(forceStreaming: true, threads: 1), timings: &timings)
    #expect((fast != nil) == valid, "\(field): \(value)")
    if valid {
      #expect(timings.path == "stream-1", "\(field): \(value)")
      #expect(fast?.events == reference?.events)
      #expect(fast?.tags == reference?.tags)
    }
  }

  @Test("an escaped id, code or word is what it decodes to, on both paths")
  func escapedValuesAreTheirValues() throws {
    let doc = Fixture.raw(events: [
      #"{"id": "\u0065\u0031", "date": "\u0032020-08-25", "title": "T", "countries": ["\u0046R"], "people": ["\u006aonatan-correa"], "tags": ["\u0072aid"], "confidence": "\u0063onfirmed", "sources": ["\u0061fp"]}"#,
      Fixture.rawEvent("e2", extra: #", "tags": ["raid"], "people": ["jonatan-correa"]"#),
    ])
    let t = try TimelineDecoder.decode(Array(doc.utf8), fileName: "escaped.json")
    #expect(t.event(at: 0).id == "e1")
    #expect(t.event(at: 0).countries == ["FR"])
    #expect(t.event(at: 0).people == ["jonatan-correa"])
    #expect(t.tags == ["raid"])
    var timings = TimelineLoader.Timings()
    let fast = try TimelineLoader.load(path: try Self.write(Array(doc.utf8)), options: .init(forceStreaming: true, threads: 1), timings: &timings)
    #expect(timings.path == "stream-1")
    #expect(fast.events == t.events)
    // The same id written two ways is a duplicate on both paths.
    let twice = Fixture.raw(events: [Fixture.rawEvent("e1"), Fixture.rawEvent(#"\u0065\u0031"#)])
    #expect(Fixture.diagnostics(twice).map(\.message) == ["duplicate event id; it is first used at line 5, column 8"])
    #expect(throws: TimelineLoader.Failure.self) {
      try TimelineLoader.load(path: try Self.write(Array(twice.utf8)), options: .init(forceStreaming: true, threads: 1))
    }
  }

  @Test("a title of white space is blank however it is written, on both paths", arguments: [
    #"\t"#, #"\u00a0"#, "\u{00A0}", "\u{3000}", "\u{2028}", #" \u0020 "#,
  ])
  func blankTitles(_ written: String) throws {
    let doc = Fixture.raw(events: [Fixture.rawEvent("e1").replacingOccurrences(of: #""title": "T""#, with: #""title": ""# + written + #"""#)])
    #expect(Fixture.diagnostics(doc).map(\.message) == ["must not be empty"])
    #expect(throws: TimelineLoader.Failure.self) {
      try TimelineLoader.load(path: try Self.write(Array(doc.utf8)), options: .init(forceStreaming: true, threads: 1))
    }
  }

  @Test("keys are compared as written: \"x-é\" and \"x-e\u{301}\" are two keys, not a duplicate")
  func keysAreNotCanonicalised() throws {
    let doc = Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: " \"x-\u{E9}\": 1, \"x-e\u{301}\": 2,")
    _ = try TimelineDecoder.decode(Array(doc.utf8), fileName: "keys.json")
  }

  @Test("text that is not stored is never read: each pass reads the file once, whatever the order of its fields")
  func missingTextIsNotRead() throws {
    for shape in [Shape.summariesMissing, .shuffledKeys] {
      // Larger than the 4 MiB the text reader reads at a time, so that a step back costs a read.
      let bytes = Self.document(events: 17_000, seed: 7, shape: shape)
      #expect(bytes.count > 4 << 20)
      let path = try Self.write(bytes)
      let t = try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: 1))
      let file = try #require(t.document.file)
      let windows = bytes.count / (4 << 20) + 1
      var before = file.reads.load(ordering: .relaxed)
      _ = t.evaluate(Query(text: "zzz"), textSearch: .scan)
      var reads = file.reads.load(ordering: .relaxed) - before
      #expect(reads <= windows + 1, "\(shape), a scan: \(reads) reads of \(bytes.count) bytes")
      before = file.reads.load(ordering: .relaxed)
      let bytesBefore = file.bytesRead.load(ordering: .relaxed)
      _ = t.searchIndex
      reads = file.reads.load(ordering: .relaxed) - before
      let read = file.bytesRead.load(ordering: .relaxed) - bytesBefore
      // The index is built by two threads taking the file's chunks in turn, each read front to back:
      // a read at each chunk's start, and one for each 4 MiB within it; and a read stops about where
      // its chunk's text ends, so that the file is read about once however many chunks there are.
      #expect(reads <= windows + SearchIndexBuilder.chunks + 2, "\(shape), the word index: \(reads) reads of \(bytes.count) bytes")
      #expect(read <= bytes.count + bytes.count / 4, "\(shape), the word index: \(read) bytes read of \(bytes.count)")
    }
  }
}
