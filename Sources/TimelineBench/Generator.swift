import Foundation
import TimelineCore

/// Writes large synthetic timelines in the timeline/1 format, the same for the same seed.
///
/// The shape follows what users' own timelines look like at scale (case files, release logs, court
/// dockets): titles of about 60 characters and summaries of about 200 with accents, CJK and emoji, one
/// to four countries among all ISO codes, up to three people among about 5,000, thirty years of dates in
/// mixed precision, a few hundred sources and a dozen eras. Everything is plainly synthetic: people are
/// "Synthetic person 0042", titles start with "Synthetic event", so nothing can pass for a real case.
struct Generator {
  var events: Int
  var seed: UInt64
  var people = 5_000
  var sources = 300

  /// The generator's ranges over `SplitMix64` (modulo mapping: the files of a seed stay the same).
  struct Random {
    var base: SplitMix64
    init(state: UInt64) { base = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { base.next() }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 1_000_000) < p * 1_000_000 }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
  }

  static let words = [
    "serveur", "réseau", "enquête", "saisie", "perquisition", "audience", "témoin", "dossier", "données",
    "archive", "procès", "tribunal", "signal", "rapport", "hearing", "warrant", "release", "archive", "ledger",
    "transfer", "notice", "shipment", "council", "harbour", "Zürich", "Kraków", "São", "Ålesund", "Łódź",
    "Málaga", "naïve", "façade", "coöperation", "東京", "会議", "記録", "서울", "회의", "北京", "資料",
    "🎉", "📁", "⚖️", "🚢", "ημέρα", "город", "центр", "orbit", "lantern", "meadow", "copper", "violet",
    "granite", "ember", "cascade", "quill", "tundra", "harvest", "beacon", "ripple", "thistle", "marble",
  ]
  static let syllables = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "zor", "an", "bri", "dus", "el", "fen", "gar", "hol", "is"]
  static let tags = ["hearing", "filing", "raid", "release", "statement", "transfer", "meeting", "report", "seizure", "appeal"]

  /// How the same events are written: the layouts users' files come in. Each keeps the events of the
  /// canonical file (the same random draws); the extra choices a shape makes come from its own stream.
  enum Shape: String, CaseIterable {
    case canonical
    /// One event in five has no summary.
    case summariesMissing = "summaries-missing"
    /// Each event has an extension member, `"x-origin": {"tool": "import", "row": N}`.
    case extensionKey = "extension-key"
    /// Every non-ASCII character written as a `\u` escape (surrogate pairs beyond U+FFFF), as Python's
    /// `json.dump` writes by default: every title and summary holds escapes.
    case escaped
    /// Beyond the shapes real tools write: every string value also starts with a `\u` escape, ids,
    /// dates, codes and words included.
    case escapedAll = "escaped-all"
    /// No whitespace at all.
    case minified
    /// Each event's members in a random order.
    case shuffledKeys = "shuffled-keys"
    /// A byte-order mark, and CRLF line ends.
    case crlfBOM = "crlf-bom"
    /// One member per line, arrays one element per line, two-space indents (as JSON pretty-printers do).
    case pretty
  }

  /// A value to write: a string (escaped as the shape says), a list of strings, raw JSON, or an object.
  indirect enum Value {
    case string(String)
    case strings([String])
    case raw(String)
    case object([(String, Value)])
  }

  /// Writes values in a shape.
  struct Writer {
    let shape: Shape
    var newline: String { shape == .minified ? "" : shape == .crlfBOM ? "\r\n" : "\n" }
    var colon: String { shape == .minified ? ":" : ": " }
    var comma: String { shape == .minified ? "," : ", " }
    func indent(_ depth: Int) -> String { shape == .minified ? "" : String(repeating: "  ", count: depth) }

    func string(_ s: String) -> String {
      var out = "\""
      for (k, u) in s.unicodeScalars.enumerated() {
        if (shape == .escaped && u.value > 0x7F) || (shape == .escapedAll && (k == 0 || u.value > 0x7F)) {
          if u.value > 0xFFFF {
            let v = u.value - 0x10000
            out += Self.hex(0xD800 + (v >> 10)) + Self.hex(0xDC00 + (v & 0x3FF))
          } else {
            out += Self.hex(u.value)
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

    static func hex(_ v: UInt32) -> String {
      let digits = String(v, radix: 16)
      return "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// A value whose first line is at `depth` (pretty objects and lists go on over several lines).
    func value(_ v: Value, depth: Int) -> String {
      switch v {
      case .string(let s): return string(s)
      case .raw(let s): return s
      case .strings(let list):
        if shape == .pretty && !list.isEmpty {
          return "[" + newline + list.map { indent(depth + 1) + string($0) }.joined(separator: "," + newline) + newline + indent(depth) + "]"
        }
        return "[" + list.map(string).joined(separator: comma) + "]"
      case .object(let members): return object(members, depth: depth)
      }
    }

    func object(_ members: [(String, Value)], depth: Int) -> String {
      if shape == .pretty {
        return "{" + newline + members.map { indent(depth + 1) + "\"\($0.0)\"" + colon + value($0.1, depth: depth + 1) }
          .joined(separator: "," + newline) + newline + indent(depth) + "}"
      }
      return "{" + members.map { "\"\($0.0)\"" + colon + value($0.1, depth: depth) }.joined(separator: comma) + "}"
    }
  }

  /// Writes the timeline to `handle` in `shape`.
  func write(to handle: FileHandle, shape: Shape = .canonical) {
    var out = Data()
    out.reserveCapacity(8 << 20)
    func flush(_ force: Bool = false) {
      if force || out.count > 4 << 20 {
        handle.write(out)
        out.removeAll(keepingCapacity: true)
      }
    }
    func emit(_ s: String) { out.append(contentsOf: s.utf8) }
    let w = Writer(shape: shape)
    let nl = w.newline
    /// A top-level list: one element per line.
    func list(_ name: String, _ count: Int, last: Bool = false, _ element: (Int) -> [(String, Value)]) {
      emit(w.indent(1) + "\"\(name)\"" + w.colon + "[" + nl)
      for k in 0..<count {
        emit(w.indent(2) + w.object(element(k), depth: 2))
        emit(k + 1 < count ? "," + nl : nl)
        flush()
      }
      emit(w.indent(1) + "]" + (last ? "" : ",") + nl)
    }

    var r = Random(state: seed)
    // The shape's own choices (which summaries go, how members are shuffled), apart from the events'.
    var shapeRandom = Random(state: seed ^ 0x5EED_5EED_5EED_5EED)
    let codes = CountryTable.builtIn.all.map(\.code)
    if shape == .crlfBOM { out.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    emit("{" + nl)
    emit(w.indent(1) + "\"format\"" + w.colon + w.string("timeline/1") + "," + nl)
    emit(w.indent(1) + "\"title\"" + w.colon + w.string("Synthetic timeline (\(events) events, seed \(seed))") + "," + nl)
    emit(
      w.indent(1) + "\"description\"" + w.colon
        + w.string("Generated by timeline-bench for benchmarks. Every person, event and source in it is synthetic.") + "," + nl)
    list("sources", sources) { s in
      let date = "\(1995 + r.int(30))-\(two(1 + r.int(12)))-\(two(1 + r.int(28)))"
      return [
        ("id", .string("src-\(s)")), ("title", .string("Synthetic source \(s)")), ("publisher", .string("Synthetic Gazette \(s % 17)")),
        ("date", .string(date)), ("language", .string(r.pick(["en", "fr", "de", "ja", "ko"]))),
      ]
    }
    list("people", people) { p in
      let name = "Synthetic person \(p) \(syllableName(&r))"
      let aliases = r.chance(0.3) ? ["\(syllableName(&r)) \(p)"] : []
      return [
        ("id", .string("p\(p)")), ("name", .string(name)), ("aliases", .strings(aliases)), ("country", .string(r.pick(codes))),
        ("role", .string("Synthetic role \(p % 40)")),
      ]
    }
    list("eras", 12) { e in
      let start = 1995 + e * 5 / 2
      return [
        ("id", .string("era-\(e)")), ("title", .string("Synthetic era \(e)")), ("start", .string("\(start)")),
        ("end", .string("\(start + 1 + r.int(3))")),
      ]
    }
    let span = 30 * 365
    list("events", events, last: true) { i in
      // Mostly in date order, as files tend to be, with one event in ten out of place.
      var dayIndex = i * span / max(1, events)
      if r.chance(0.1) { dayIndex = r.int(span) }
      let year = 1995 + dayIndex / 365
      let month = 1 + (dayIndex % 365) / 31 % 12
      let day = 1 + (dayIndex % 365) % 28
      let p = r.int(100)
      var date = p < 70 ? "\(year)-\(two(month))-\(two(day))" : p < 90 ? "\(year)-\(two(month))" : "\(year)"
      if r.chance(0.05) { date += "~" }
      var m: [(String, Value)] = [("id", .string("ev-\(i)")), ("date", .string(date))]
      if r.chance(0.1) { m.append(("end", .string("\(year + 1)"))) }
      m.append(("title", .string("Synthetic event \(i): \(phrase(&r, minLength: 40))")))
      let summary = phrase(&r, minLength: 190)
      if shape != .summariesMissing || !shapeRandom.chance(0.2) { m.append(("summary", .string(summary))) }
      let nc = 1 + r.int(4)
      m.append(("countries", .strings((0..<nc).map { _ in r.pick(codes) })))
      let np = r.int(4)
      m.append(("people", .strings((0..<np).map { _ in "p\(r.int(people))" })))
      m.append(("tags", .strings([r.pick(Self.tags)])))
      m.append(("confidence", .string(r.pick(["confirmed", "confirmed", "reported", "rumoured", "disputed"]))))
      m.append(("sources", .strings(["src-\(r.int(sources))"])))
      if r.chance(0.05) { m.append(("notes", .string("Synthetic note: \(phrase(&r, minLength: 40))"))) }
      if shape == .extensionKey { m.insert(("x-origin", .object([("tool", .string("import")), ("row", .raw("\(i + 2)"))])), at: 1) }
      if shape == .shuffledKeys {
        for k in stride(from: m.count - 1, to: 0, by: -1) { m.swapAt(k, shapeRandom.int(k + 1)) }
      }
      return m
    }
    emit("}" + nl)
    flush(true)
  }

  func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  func syllableName(_ r: inout Random) -> String {
    let n = 2 + r.int(2)
    let s = (0..<n).map { _ in r.pick(Self.syllables) }.joined()
    return s.prefix(1).uppercased() + s.dropFirst()
  }

  /// Words until at least `minLength` characters.
  func phrase(_ r: inout Random, minLength: Int) -> String {
    var s = ""
    while s.count < minLength {
      if !s.isEmpty { s += " " }
      s += r.pick(Self.words)
    }
    return s
  }
}
