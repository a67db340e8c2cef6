import Foundation
import Testing

@testable import TimelineCore

/// The fast paths must keep their meaning: the streaming loader gives the same timeline as the
/// reference decoder, and indexed queries give the same events as a plain scan written here from the
/// documented rules.
@Suite("fast paths agree with the reference")
struct PropertyTests {
  // MARK: - A random timeline

  struct RNG {
    var base: SplitMix64
    init(state: UInt64) { base = SplitMix64(seed: state) }
    mutating func next() -> UInt64 { base.next() }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
  }

  static let words = [
    "serveur", "réseau", "Enquête", "saisie", "ÉTATS-UNIS", "Zürich", "Łódź", "straße", "東京", "会議", "🎉", "naïve",
    "hearing", "warrant", "Cyprus", "raid", "l'enquête", "rapport", "copper", "beacon", "Raid", "coöperation",
  ]
  static let codes = ["FR", "CY", "US", "CZ", "KR", "DE", "NO", "XK"]

  /// A document of `n` events in a random order, with escapes, spans, every precision and confidence.
  /// With `anyLayout`, each event's members come in a random order with random whitespace around
  /// the colons and commas, as hand-edited or other tools' files do (the fast parser recognises
  /// the usual keys from one load and must fall back correctly on everything else).
  static func document(events n: Int, seed: UInt64, anyLayout: Bool = false) -> String {
    var r = RNG(state: seed)
    func text(_ words: Int) -> String {
      (0..<words).map { _ in r.pick(Self.words) }.joined(separator: r.int(5) == 0 ? "-" : " ")
    }
    func json(_ s: String) -> String {
      var out = "\""
      for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default:
          // Some characters escaped, as other tools write them.
          if u.value > 0x7F && r.int(7) == 0 && u.value < 0x10000 {
            out += String(format: "\\u%04x", u.value)
          } else {
            out.unicodeScalars.append(u)
          }
        }
      }
      return out + "\""
    }
    var events: [String] = []
    for i in 0..<n {
      let year = 1990 + r.int(40) - (r.int(50) == 0 ? 2100 : 0)
      let month = 1 + r.int(12)
      let day = 1 + r.int(28)
      let yearText = year < 0 ? String(format: "-%04d", -year) : String(format: "%04d", year)
      var date: String
      switch r.int(3) {
      case 0: date = yearText
      case 1: date = "\(yearText)-\(String(format: "%02d", month))"
      default: date = "\(yearText)-\(String(format: "%02d", month))-\(String(format: "%02d", day))"
      }
      if r.int(6) == 0 { date += "~" }
      var members: [(String, String)] = [("id", "\"e\(i)\""), ("date", "\"\(date)\"")]
      if r.int(8) == 0 { members.append(("end", "\"\(year + 1)\"")) }
      members.append(("title", json("T\(i) " + text(1 + r.int(5)))))
      if r.int(10) != 0 { members.append(("summary", json(text(r.int(20))))) }
      let countries = (0..<r.int(4)).map { _ in "\"\(r.pick(Self.codes))\"" }
      members.append(("countries", "[\(countries.joined(separator: ", "))]"))
      let people = (0..<r.int(3)).map { _ in "\"p\(r.int(6))\"" }
      members.append(("people", "[\(people.joined(separator: ", "))]"))
      if r.int(3) != 0 { members.append(("tags", "[\"\(r.pick(["raid", "court", "scene", "arrest"]))\"]")) }
      members.append(("confidence", "\"\(r.pick(["confirmed", "reported", "rumoured", "disputed"]))\""))
      members.append(("sources", "[\"s\(r.int(3))\"]"))
      if r.int(5) == 0 { members.append(("notes", json(text(3)))) }
      if anyLayout {
        for k in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(k, r.int(k + 1)) }
        let colons = [": ", ":", " : ", "\n:\t", " :"], commas = [", ", ",", ",\n    ", " ,\r\n"]
        let body = members.map { "\"\($0.0)\"\(r.pick(colons))\($0.1)" }
        events.append("{" + r.pick(["", " ", "\n  "]) + body.map { $0 }.joined(separator: r.pick(commas)) + r.pick(["", " ", "\n"]) + "}")
      } else {
        events.append("{" + members.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
      }
    }
    let people = (0..<6).map { p in
      "{\"id\": \"p\(p)\", \"name\": \"Person \(["Ahmad", "Bridi", "Correa", "Łucja", "Dupré", "Kim"][p])\", \"aliases\": [\"\(["Artist", "Isle", "Raid", "Lu", "Élise", "서울"][p])\"], \"role\": \"r\"}"
    }
    let sources = [("Dépêche sur Zürich", "AFP"), ("Court record", "Reuters"), ("Police statement", "AFP")].enumerated().map { k, s in
      "{\"id\": \"s\(k)\", \"title\": \"\(s.0)\", \"publisher\": \"\(s.1)\", \"date\": \"2020\", \"language\": \"en\"}"
    }
    return """
      {"format": "timeline/1", "title": "Random \(seed)", "description": "d",
       "countries": {"XK": {"name": "Kosovo", "name_fr": "Kosovo"}},
       "people": [\(people.joined(separator: ",\n"))],
       "sources": [\(sources.joined(separator: ","))],
       "eras": [{"id": "a", "title": "Era", "start": "2000", "end": "2010"}, {"id": "b", "title": "Late", "start": "2008-06", "end": "2015-02-10"}],
       "events": [
      \(events.joined(separator: ",\n"))
      ]}
      """
  }

  static func write(_ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("timeline-props-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("t.json").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  // MARK: - Fast decoder against the reference

  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func streamingLoadEqualsTheReferenceDecoder(seed: UInt64) throws {
    let text = Self.document(events: 1500, seed: seed)
    let path = try Self.write(text)
    let reference = try TimelineDecoder.decode(Array(text.utf8), fileName: path)
    for options in [
      TimelineLoader.Options(forceStreaming: true, threads: 1),
      TimelineLoader.Options(forceStreaming: true, threads: 2, parallelThreshold: 0),
    ] {
      var timings = TimelineLoader.Timings()
      let fast = try TimelineLoader.load(path: path, options: options, timings: &timings)
      #expect(timings.path.hasPrefix("stream"), "the fast path took the file (\(timings.path))")
      if options.threads == 2 { #expect(timings.path == "stream-2", "two threads shared the file") }
      #expect(fast.count == reference.count)
      #expect(fast.events == reference.events)
      #expect(fast.people == reference.people)
      #expect(fast.sources == reference.sources)
      #expect(fast.eras == reference.eras)
      #expect(fast.tags.sorted() == reference.tags.sorted())
      #expect(fast.checkInvariants() == nil)
    }
  }

  @Test("the fast path gives the reference's timeline whatever the layout, with events cut by the end of a small window anywhere", arguments: [6, 7, 8] as [UInt64])
  func streamingLoadEqualsTheReferenceDecoderWhateverTheLayout(seed: UInt64) throws {
    let text = Self.document(events: 400, seed: seed, anyLayout: true)
    let path = try Self.write(text)
    let reference = try TimelineDecoder.decode(Array(text.utf8), fileName: path)
    for threads in [1, 2] {
      var options = TimelineLoader.Options(forceStreaming: true, threads: threads, parallelThreshold: 0)
      options.windowSize = 4096
      var timings = TimelineLoader.Timings()
      let fast = try TimelineLoader.load(path: path, options: options, timings: &timings)
      #expect(timings.path.hasPrefix("stream"), "the fast path took the file (\(timings.path))")
      #expect(fast.events == reference.events)
      #expect(fast.tags.sorted() == reference.tags.sorted())
      #expect(fast.checkInvariants() == nil)
    }
  }

  @Test func theFastPathHandsEveryProblemToTheReferenceDecoder() throws {
    // One bad event deep in a large file: the message is the reference decoder's, with its position.
    var text = Self.document(events: 1200, seed: 9)
    let marker = "\"id\": \"e700\", \"date\": \""
    let at = text.range(of: marker)!
    text.replaceSubrange(at, with: "\"id\": \"e700\", \"date\": \"2020-13-01\", \"x\": \"")
    let path = try Self.write(text)
    #expect(throws: TimelineLoader.Failure.self) {
      try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: 2, parallelThreshold: 0))
    }
    do {
      _ = try TimelineLoader.load(path: path, options: .init(forceStreaming: true))
      Issue.record("one thread: the bad date was accepted")
    } catch {
      guard case .invalid(let failure) = error else {
        Issue.record("expected invalid data, got \(error)")
        return
      }
      let messages = failure.diagnostics.map(\.message)
      #expect(messages.contains { $0.contains("invalid date \"2020-13-01\"") })
      #expect(failure.diagnostics.allSatisfy { $0.line > 0 })
    }
  }

  // MARK: - Indexed queries against a naive scan

  /// Each event's title, summary and notes (one line each), as the documented search sees them.
  static func texts(_ t: Timeline) -> [String] {
    (0..<t.count).map { t.title(at: $0) + "\n" + t.summary(at: $0) + "\n" + (t.notes(at: $0) ?? "") }
  }

  static func contains(_ text: [UInt8], _ term: [UInt8]) -> Bool {
    guard term.count <= text.count else { return false }
    outer: for i in 0...(text.count - term.count) {
      for k in 0..<term.count where text[i + k] != term[k] { continue outer }
      return true
    }
    return false
  }

  /// The documented semantics, written out plainly, from the events as values.
  static func naive(_ t: Timeline, _ q: Query, texts: [String]? = nil, events: [Event]? = nil) -> [UInt32] {
    let texts = texts ?? Self.texts(t)
    let events = events ?? t.events
    let pattern = SearchPattern(q.text, regex: q.regex)
    /// The values an event has for a facet, as keys.
    func keys(_ facet: Facet, _ i: Int) -> Set<String> {
      let e = events[i]
      switch facet {
      case .country: return Set(e.countries)
      case .person: return Set(e.people)
      case .tag: return Set(e.tags)
      case .confidence: return [e.confidence.name]
      case .era:
        let lo = e.date.lowerKey
        let hi = (e.end ?? e.date).upperKey
        return Set(t.eras.filter { $0.start.lowerKey <= hi && $0.end.upperKey >= lo }.map(\.id))
      case .source: return Set(e.sources.map { id in t.sources.first { $0.id == id }!.publisher })
      }
    }
    /// Every name the event answers to, by word start.
    func names(_ i: Int) -> [String] {
      let e = events[i]
      var out: [String] = []
      for id in e.people { let p = t.people.first { $0.id == id }!; out += [p.name] + p.aliases }
      for code in e.countries { out += t.countries[code: code]?.allNames ?? [code] }
      out += e.tags
      for id in e.sources { let s = t.sources.first { $0.id == id }!; out += [s.publisher, s.title, s.id] }
      out.append(e.confidence.name)
      return out
    }
    func termMatches(_ term: SearchPattern.Term, _ i: Int) -> Bool {
      func fold(_ s: String) -> [UInt8] { term.caseSensitive ? TextFolding.foldKeepingCase(s) : TextFolding.fold(s) }
      let needle = fold(term.text)
      if contains(fold(texts[i]), needle) { return true }
      if names(i).contains(where: { TextFolding.containsAtWordStart(fold($0), needle) }) { return true }
      let written = [events[i].date.description] + (events[i].end.map { [$0.description] } ?? [])
      return written.contains { $0.hasPrefix(term.text.lowercased()) }
    }
    return (0..<t.count).filter { i in
      for facet in Facet.allCases {
        let f = q[facet]
        let have = keys(facet, i)
        if !f.included.isEmpty && have.isDisjoint(with: f.included) { return false }
        if !have.isDisjoint(with: f.excluded) { return false }
      }
      if let from = q.from, t.endKey(at: i) < from.lowerKey { return false }
      if let to = q.to, t.startKey(at: i) > to.upperKey { return false }
      for clause in pattern.clauses {
        guard clause.contains(where: { termMatches($0, i) != $0.negated }) else { return false }
      }
      return true
    }.map { UInt32($0) }
  }

  static func randomQuery(_ r: inout RNG) -> Query {
    var q = Query()
    if r.int(3) == 0 { q.countries = Set((0..<1 + r.int(2)).map { _ in r.pick(codes) }) }
    if r.int(4) == 0 { q.people = Set((0..<1 + r.int(2)).map { _ in "p\(r.int(6))" }) }
    if r.int(5) == 0 { q.tags = [r.pick(["raid", "court", "scene"])] }
    if r.int(6) == 0 { q[.confidence].included = [r.pick(["confirmed", "reported", "rumoured", "disputed"])] }
    if r.int(6) == 0 { q[.era].included = [r.pick(["a", "b"])] }
    if r.int(6) == 0 { q[.source].included = [r.pick(["AFP", "Reuters"])] }
    // Exclusions, in any facet.
    if r.int(4) == 0 { q[.country].set(r.pick(codes), .excluded) }
    if r.int(6) == 0 { q[.person].set("p\(r.int(6))", .excluded) }
    if r.int(6) == 0 { q[.confidence].set(r.pick(["confirmed", "reported"]), .excluded) }
    if r.int(8) == 0 { q[.era].set("a", .excluded) }
    if r.int(8) == 0 { q[.source].set("AFP", .excluded) }
    if r.int(2) == 0 {
      // A piece of a word, a name, a code, a phrase across words, or two words; left out, or either of
      // two; with capitals (case counts) or a date.
      let word = r.pick(
        words + ["raid", "artist", "kosovo", "chypre", "us", "correa", "lo", "e", "-", "etats-unis", "\"rapport copper\"", "Correa", "AFP",
          "Reuters", "statement", "conf", "disputed", "2001", "199", "2010-0", "-0", "Zürich", "zurich", "Kim"])
      let start = word.hasPrefix("\"") ? 0 : r.int(max(1, word.count / 2))
      var piece = String(word.dropFirst(start))
      switch r.int(6) {
      case 0: piece += " " + r.pick(words).prefix(3)
      case 1: piece = "!" + piece + " " + r.pick(words).prefix(4)
      case 2: piece += " | " + r.pick(words).prefix(3)
      default: break
      }
      q.text = piece
    }
    if r.int(4) == 0 {
      q.from = TimelineDate(year: Int(1995 + r.int(20)), month: UInt8(r.int(13)))
      if r.int(2) == 0 { q.to = TimelineDate(year: Int(2010 + r.int(20))) }
    }
    return q
  }

  @Test(arguments: [11, 12, 13] as [UInt64])
  func indexedAndScannedQueriesEqualANaiveScan(seed: UInt64) throws {
    let text = Self.document(events: 800, seed: seed)
    let reference = try TimelineDecoder.decode(Array(text.utf8), fileName: "mem")
    let streamed = try TimelineLoader.load(path: try Self.write(text), options: .init(forceStreaming: true))
    var r = RNG(state: seed)
    let texts = Self.texts(reference)
    let events = reference.events
    for _ in 0..<120 {
      let q = Self.randomQuery(&r)
      let expected = Self.naive(reference, q, texts: texts, events: events)
      #expect(reference.evaluate(q) == expected, "index, in memory: \(q)")
      #expect(reference.evaluate(q, textSearch: .scan) == expected, "scan, in memory: \(q)")
      #expect(streamed.evaluate(q, textSearch: .scan) == expected, "scan, from the file: \(q)")
      #expect(streamed.evaluate(q) == expected, "index, from the file: \(q)")
    }
  }

  @Test func narrowingAsYouTypeEqualsAFreshSearch() throws {
    let t = try TimelineDecoder.decode(Array(Self.document(events: 800, seed: 21).utf8), fileName: "mem")
    let texts = Self.texts(t)
    let events = t.events
    for word in ["serveur", "etats-unis", "corr", "kosovo", "l'enq", "東京会", "raid court", "Corr", "2001-0", "-0044", "!raid cou", "afp | reu"] {
      var previous: (query: Query, result: [UInt32])?
      for k in 1...word.count {
        let q = Query(text: String(word.prefix(k)))
        let narrowed = t.evaluate(q, narrowing: previous)
        #expect(narrowed == t.evaluate(q), "\"\(q.text)\"")
        #expect(narrowed == Self.naive(t, q, texts: texts, events: events), "\"\(q.text)\"")
        previous = (q, narrowed)
      }
    }
  }
}
