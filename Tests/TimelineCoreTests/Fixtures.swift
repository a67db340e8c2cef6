import BundledTimeline
import Foundation
import Testing
import TimelineCore

// Hand-made timelines for the tests, written as JSON text so that the tests go through the real decoder.

/// An event of a hand-made timeline; the defaults are the least a valid event needs.
struct FixtureEvent {
  var id: String
  var date: String
  var end: String? = nil
  var title: String
  var summary: String = ""
  var countries: [String] = []
  var people: [String] = []
  var tags: [String] = []
  var confidence: String = "confirmed"
  var sources: [String] = ["afp"]
  var notes: String? = nil
}

struct FixturePerson {
  var id: String
  var name: String
  var aliases: [String] = []
  var country: String? = nil
  var role: String = "Someone in the case."
}

struct FixtureSource {
  var id: String
  var title: String
  var publisher: String
  var date: String = "2020-08-26"
  var language: String = "en"
}

enum Fixture {
  static let sources = [
    FixtureSource(id: "afp", title: "Dépêche AFP", publisher: "AFP", language: "fr"),
    FixtureSource(id: "doj", title: "DOJ press release", publisher: "U.S. Department of Justice"),
    FixtureSource(id: "bbc", title: "BBC report", publisher: "BBC News", date: "2020-09-07"),
  ]

  static let people = [
    FixturePerson(id: "jonatan-correa", name: "Jonatan Correa", aliases: ["Raid", "Jonathan Correa"], country: "US"),
    FixturePerson(id: "george-bridi", name: "George Bridi", country: "GB"),
    FixturePerson(id: "umar-ahmad", name: "Umar Ahmad", aliases: ["Artist"], country: "NO"),
  ]

  /// A small case, deliberately written out of chronological order. Its chronological order (equal
  /// days keep file order) is `caseOrder`.
  static let caseEvents: [FixtureEvent] = [
    FixtureEvent(
      id: "correa-arrested", date: "2020-08-25", title: "Correa arrested in Kansas", summary: "Federal agents detain him at home.",
      countries: ["US"], people: ["jonatan-correa"], sources: ["doj"]),
    FixtureEvent(
      id: "bridi-arrested", date: "2020-08-23", title: "Arrest in Paphos", summary: "Police in Paphos detain Bridi on an American warrant.",
      countries: ["CY"], people: ["george-bridi"]),
    FixtureEvent(
      id: "moscow-servers", date: "2020-08-26", title: "Servers rented in Moscow", summary: "A report places two servers in Moscow.",
      countries: ["RU"], confidence: "rumoured", sources: ["bbc"]),
    FixtureEvent(
      id: "czech-confirms", date: "2020-08-26", title: "La République tchèque confirme sa participation",
      summary: "Prague annonce des saisies.", countries: ["CZ"]),
    FixtureEvent(
      id: "extradition-hearing", date: "2020-09", title: "Audience d'extradition à CHYPRE",
      summary: "Bridi conteste son extradition vers les États-Unis.", people: ["george-bridi"]),
    FixtureEvent(
      id: "correa-pleads", date: "2021-01", title: "Correa pleads guilty", summary: "The plea covers copyright conspiracy.",
      countries: ["US"], people: ["jonatan-correa"], tags: ["court"], sources: ["doj"]),
    FixtureEvent(
      id: "correa-sentenced", date: "2021-05-19", title: "Sentenced without prison", summary: "Judge Berman orders supervised release.",
      countries: ["US"], people: ["jonatan-correa"], tags: ["court"], confidence: "disputed", sources: ["doj", "bbc"],
      notes: "The length of supervised release is disputed."),
    FixtureEvent(
      id: "ahmad-steps-back", date: "2019-12", title: "Ahmad steps back", summary: "He reportedly stops releasing.",
      countries: ["NO"], people: ["umar-ahmad"], confidence: "reported", sources: ["bbc"]),
    FixtureEvent(
      id: "oslo-raid", date: "2020-08-25", title: "Police raid in Oslo", summary: "Three men are questioned.", countries: ["NO"]),
    FixtureEvent(
      id: "scene-quiet", date: "2020-08-25", end: "2020-09-07", title: "Scene goes quiet", summary: "Release groups stop posting.",
      confidence: "reported", sources: ["bbc"]),
    FixtureEvent(
      id: "bridi-extradited", date: "2021-08-31", title: "Bridi extradited", summary: "Flown to New York.",
      countries: ["CY", "US"], people: ["george-bridi"], tags: ["court"], sources: ["doj"]),
    FixtureEvent(
      id: "danish-questioning", date: "2020-08-25", title: "Danish police question four men",
      summary: "The raid in Horsens ends without charges.", countries: ["DK"]),
  ]

  static let caseOrder = [
    "ahmad-steps-back", "bridi-arrested", "correa-arrested", "oslo-raid", "scene-quiet", "danish-questioning",
    "moscow-servers", "czech-confirms", "extradition-hearing", "correa-pleads", "correa-sentenced", "bridi-extradited",
  ]

  /// The small case, decoded.
  static func caseTimeline() throws -> Timeline { try timeline(events: caseEvents) }

  // MARK: - Writing documents

  /// A JSON string literal for `s`, escaping quotes, backslashes and control characters.
  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default:
        if u.value < 0x20 || (0x7F...0x9F).contains(u.value) {
          out += String(format: "\\u%04x", u.value)
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }

  static func quote(_ list: [String]) -> String { "[" + list.map(quote).joined(separator: ", ") + "]" }

  /// A timeline document holding the given events, people and sources, one event per line.
  /// - Parameter extraTop: raw members added to the top-level object, such as `"countries": {...}`.
  static func document(
    title: String = "Test timeline", events: [FixtureEvent], people: [FixturePerson] = Fixture.people,
    sources: [FixtureSource] = Fixture.sources, extraTop: String? = nil
  ) -> String {
    var lines = ["{"]
    lines.append("  \"format\": \"timeline/1\",")
    lines.append("  \"title\": \(quote(title)),")
    lines.append("  \"description\": \"A hand-made fixture.\",")
    if let extraTop { lines.append("  \(extraTop),") }
    let sourceLines = sources.map { s in
      "    {\"id\": \(quote(s.id)), \"title\": \(quote(s.title)), \"publisher\": \(quote(s.publisher)), "
        + "\"date\": \(quote(s.date)), \"language\": \(quote(s.language))}"
    }
    lines.append("  \"sources\": [\n" + sourceLines.joined(separator: ",\n") + "\n  ],")
    let personLines = people.map { p in
      var fields = ["\"id\": \(quote(p.id))", "\"name\": \(quote(p.name))"]
      if !p.aliases.isEmpty { fields.append("\"aliases\": \(quote(p.aliases))") }
      if let c = p.country { fields.append("\"country\": \(quote(c))") }
      fields.append("\"role\": \(quote(p.role))")
      return "    {" + fields.joined(separator: ", ") + "}"
    }
    lines.append("  \"people\": [\n" + personLines.joined(separator: ",\n") + "\n  ],")
    let eventLines = events.map { e in
      var fields = ["\"id\": \(quote(e.id))", "\"date\": \(quote(e.date))"]
      if let end = e.end { fields.append("\"end\": \(quote(end))") }
      fields.append("\"title\": \(quote(e.title))")
      if !e.summary.isEmpty { fields.append("\"summary\": \(quote(e.summary))") }
      if !e.countries.isEmpty { fields.append("\"countries\": \(quote(e.countries))") }
      if !e.people.isEmpty { fields.append("\"people\": \(quote(e.people))") }
      if !e.tags.isEmpty { fields.append("\"tags\": \(quote(e.tags))") }
      fields.append("\"confidence\": \(quote(e.confidence))")
      fields.append("\"sources\": \(quote(e.sources))")
      if let n = e.notes { fields.append("\"notes\": \(quote(n))") }
      return "    {" + fields.joined(separator: ", ") + "}"
    }
    lines.append("  \"events\": [\n" + eventLines.joined(separator: ",\n") + "\n  ]")
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Decodes a hand-made document; a failure is recorded as a test issue with every diagnostic.
  static func timeline(
    title: String = "Test timeline", events: [FixtureEvent], people: [FixturePerson] = Fixture.people,
    sources: [FixtureSource] = Fixture.sources, extraTop: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Timeline {
    let text = document(title: title, events: events, people: people, sources: sources, extraTop: extraTop)
    do {
      return try TimelineDecoder.decode(Array(text.utf8), fileName: "fixture.json")
    } catch {
      Issue.record("the fixture does not decode:\n\(error.description)", sourceLocation: sourceLocation)
      throw error
    }
  }

  // MARK: - Built without JSON

  /// The same timeline as `timeline(...)`, made by `TimelineBuilder` from values instead of decoded
  /// from JSON text (for tests that want a timeline, not a test of the decoder).
  static func built(
    title: String = "Test timeline", events: [FixtureEvent], people: [FixturePerson] = Fixture.people,
    sources: [FixtureSource] = Fixture.sources, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Timeline {
    let b = TimelineBuilder(fileName: "fixture")
    b.title = title
    b.description = "A hand-made fixture."
    for s in sources {
      b.add(Source(id: s.id, title: s.title, publisher: s.publisher, date: try .at(s.date), language: s.language))
    }
    for p in people { b.add(Person(id: p.id, name: p.name, aliases: p.aliases, country: p.country, role: p.role)) }
    for e in events {
      b.add(
        Event(
          id: e.id, date: try .at(e.date), end: try e.end.map { try .at($0) }, title: e.title, summary: e.summary,
          countries: e.countries, people: e.people, tags: e.tags, confidence: Confidence(name: e.confidence) ?? .confirmed,
          sources: e.sources, notes: e.notes))
    }
    do {
      return try b.build()
    } catch {
      Issue.record("the fixture does not build:\n\(error.description)", sourceLocation: sourceLocation)
      throw error
    }
  }

  // MARK: - Raw documents for positioned errors

  /// The first four lines of a raw document; events follow from line 5, one per line.
  ///
  /// Line 1 holds the title and description (and `extraTop`), line 2 the sources `afp` and `doj`, line 3
  /// the people (Jonatan Correa, alias Raid, and George Bridi unless `people` replaces them), line 4
  /// opens the events array.
  static func rawHead(people: String? = nil, extraTop: String = "") -> String {
    let defaultPeople =
      #"{"id": "jonatan-correa", "name": "Jonatan Correa", "aliases": ["Raid"], "role": "Copied the discs."}, "#
      + #"{"id": "george-bridi", "name": "George Bridi", "role": "Organised pick-ups."}"#
    return #"{"title": "Test timeline", "description": "Hand-made fixture.","# + extraTop + "\n"
      + #""sources": [{"id": "afp", "title": "AFP wire", "publisher": "AFP", "date": "2020-08-26", "language": "fr"}, "#
      + #"{"id": "doj", "title": "DOJ release", "publisher": "DOJ", "date": "2020-08-26", "language": "en"}],"# + "\n"
      + #""people": ["# + (people ?? defaultPeople) + "],\n"
      + #""events": ["# + "\n"
  }

  /// A raw document: `rawHead`, then the given event lines (line 5 onward, joined with commas), then
  /// `]}` on a line of its own and a final newline.
  static func raw(events: [String], people: String? = nil, extraTop: String = "") -> String {
    rawHead(people: people, extraTop: extraTop) + events.joined(separator: ",\n") + "\n]}\n"
  }

  /// A valid event line for raw documents.
  static func rawEvent(_ id: String, _ date: String = "2020-08-25", extra: String = "") -> String {
    #"{"id": ""# + id + #"", "date": ""# + date + #"", "title": "T", "confidence": "confirmed", "sources": ["afp"]"# + extra + "}"
  }

  /// The diagnostics of a document that must not decode; records an issue if it decodes.
  static func diagnostics(
    _ bytes: [UInt8], fileName: String = "test.json", sourceLocation: SourceLocation = #_sourceLocation
  ) -> [Diagnostic] {
    failure(bytes, fileName: fileName, sourceLocation: sourceLocation)?.diagnostics ?? []
  }

  static func diagnostics(
    _ text: String, fileName: String = "test.json", sourceLocation: SourceLocation = #_sourceLocation
  ) -> [Diagnostic] {
    diagnostics(Array(text.utf8), fileName: fileName, sourceLocation: sourceLocation)
  }

  static func failure(
    _ bytes: [UInt8], fileName: String = "test.json", sourceLocation: SourceLocation = #_sourceLocation
  ) -> DecodeFailure? {
    do {
      let t = try TimelineDecoder.decode(bytes, fileName: fileName)
      Issue.record("expected the document to be refused, but it decoded with \(t.count) events", sourceLocation: sourceLocation)
      return nil
    } catch {
      return error
    }
  }

  static func failure(
    _ text: String, fileName: String = "test.json", sourceLocation: SourceLocation = #_sourceLocation
  ) -> DecodeFailure? {
    failure(Array(text.utf8), fileName: fileName, sourceLocation: sourceLocation)
  }

  // MARK: - The bundled case

  /// The bundled Sparks Group timeline, decoded once.
  static let bundled: Timeline = {
    do {
      return try TimelineDecoder.decode(BundledTimeline.sparksGroup, fileName: BundledTimeline.displayName)
    } catch {
      fatalError("the bundled timeline does not decode:\n\(error)")
    }
  }()

  /// The repository's root folder, found from this file's path (Tests/TimelineCoreTests/Fixtures.swift).
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

extension Timeline {
  /// Event ids for a list of event numbers, in the list's order.
  func ids(_ events: [UInt32]) -> [String] { events.map { id(at: Int($0)) } }

  /// Every event id in the timeline's (chronological) order.
  var allIDs: [String] { (0..<count).map { id(at: $0) } }

  /// The ids of the events matching a query.
  func matching(_ query: Query) -> [String] { ids(evaluate(query)) }

  /// The event number of an id.
  func index(of id: String) -> Int? { (0..<count).first { self.id(at: $0) == id } }
}

extension TimelineDate {
  /// A date from its written form, for tests; a bad literal is a test bug and stops the test.
  static func at(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> TimelineDate {
    switch TimelineDate.parse(s) {
    case .success(let d): return d
    case .failure(let e):
      Issue.record("bad date literal \"\(s)\": \(e)", sourceLocation: sourceLocation)
      throw e
    }
  }
}
