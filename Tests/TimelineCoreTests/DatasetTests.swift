import BundledTimeline
import Foundation
import Testing
import TimelineCore

@Suite("Bundled dataset")
struct DatasetTests {
  let t = Fixture.bundled

  @Test("the bundled file decodes without a single problem")
  func decodes() {
    #expect(throws: Never.self) {
      _ = try TimelineDecoder.decode(BundledTimeline.sparksGroup, fileName: BundledTimeline.displayName)
    }
    #expect(t.title == "The Sparks Group case")
    #expect(!t.description.isEmpty)
  }

  @Test("it holds at least 40 events, with unique ids")
  func size() {
    #expect(t.count >= 40)
    let ids = t.allIDs
    #expect(Set(ids).count == ids.count)
    #expect(Set(t.people.map(\.id)).count == t.people.count)
    #expect(Set(t.sources.map(\.id)).count == t.sources.count)
  }

  @Test("every event cites at least one source, and every cited source exists")
  func sources() {
    let known = Set(t.sources.map(\.id))
    for e in t.events {
      #expect(!e.sources.isEmpty, "\(e.id) cites no source")
      for s in e.sources { #expect(known.contains(s), "\(e.id) cites unknown source \(s)") }
      #expect(!e.title.isEmpty, "\(e.id) has no title")
    }
    // Each source is cited by some event (none is dead weight).
    let cited = Set(t.events.flatMap(\.sources))
    #expect(known.subtracting(cited).sorted() == [])
  }

  /// The events the case must have, by date: (date as written, id, countries it must carry, people).
  static let required: [(date: String, id: String, countries: [String], people: [String])] = [
    ("2016-09", "2016-09-investigation-begins", [], []),
    ("2020-08-23", "2020-08-23-bridi-arrested-paphos", ["CY"], ["george-bridi"]),
    ("2020-08-25", "2020-08-25-action-day", ["US", "FR", "DE", "GB", "NO", "DK", "CZ"], []),
    ("2020-08-25", "2020-08-25-correa-arrested", ["US"], ["jonatan-correa"]),
    ("2020-08-26", "2020-08-26-europol-announcement", [], []),
    ("2020-08-26", "2020-08-26-eurojust-announcement", [], []),
    ("2020-08-26", "2020-08-26-doj-unseals-charges", ["US"], ["umar-ahmad", "george-bridi", "jonatan-correa"]),
    ("2020-09-01", "2020-09-01-scene-notice", [], []),
    ("2021-05-19", "2021-05-19-correa-sentenced", ["US"], ["jonatan-correa"]),
    ("2021-08-31", "2021-08-31-bridi-extradited", ["CY", "US"], ["george-bridi"]),
    ("2021-11-18", "2021-11-18-bridi-pleads-guilty", ["US"], ["george-bridi"]),
    ("2022-02-07", "2022-02-07-bridi-sentenced", ["US"], ["george-bridi"]),
  ]

  @Test("the key events exist on their dates, with their countries and people")
  func requiredEvents() {
    let byID = Dictionary(uniqueKeysWithValues: t.events.map { ($0.id, $0) })
    for r in Self.required {
      guard let e = byID[r.id] else {
        Issue.record("missing event \(r.id)")
        continue
      }
      #expect(e.date.description == r.date, "\(r.id)")
      for c in r.countries { #expect(e.countries.contains(c), "\(r.id) lacks \(c)") }
      for p in r.people { #expect(e.people.contains(p), "\(r.id) lacks \(p)") }
    }
    // The investigation start is month-precision, and an era starts with it.
    #expect(byID["2016-09-investigation-begins"]?.date.precision == .month)
    #expect(t.eras.contains { $0.start.description == "2016-09" })
    // Bridi's arrest is the only event on 23 Aug 2020, and it is in Cyprus.
    let aug23 = t.events.filter { $0.date.description == "2020-08-23" }
    #expect(aug23.map(\.id) == ["2020-08-23-bridi-arrested-paphos"])
    #expect(aug23.first?.countries == ["CY"])
  }

  @Test("the three charged men, with their aliases")
  func people() throws {
    let byID = Dictionary(uniqueKeysWithValues: t.people.map { ($0.id, $0) })
    let ahmad = try #require(byID["umar-ahmad"])
    #expect(ahmad.name == "Umar Ahmad")
    #expect(ahmad.aliases.contains("Artist"))
    let bridi = try #require(byID["george-bridi"])
    #expect(bridi.name == "George Bridi")
    let correa = try #require(byID["jonatan-correa"])
    #expect(correa.name == "Jonatan Correa")
    #expect(correa.aliases.contains("Raid"))
    #expect(correa.aliases.contains("Jonathan Correa"))
    // Each is in the charges event.
    #expect(t.matching(Query(people: ["umar-ahmad", "george-bridi", "jonatan-correa"])).contains("2020-08-26-doj-unseals-charges"))
  }

  @Test("the notes record both counts of countries, 18 and 19")
  func countryCounts() {
    let notes = t.events.compactMap(\.notes)
    #expect(notes.contains { $0.contains("'18 other countries'") || $0.contains("18 countries") })
    #expect(notes.contains { $0.contains("19 countries") })
    // Both counts are in the same event's notes, which explain the disagreement.
    let countEvent = t.events.first { $0.id == "2020-08-26-country-count" }
    #expect(countEvent?.notes?.contains("18") == true)
    #expect(countEvent?.notes?.contains("19") == true)
  }

  @Test("the 17-country list is reported (Europol confirms most of it), and its notes say Germany and Poland are missing")
  func seventeenCountries() throws {
    let list = try #require(t.events.first { $0.id == "2020-08-27-seed-17-country-list" })
    #expect(list.confidence == .reported)
    #expect(list.countries.count == 17)
    #expect(!list.countries.contains("DE"))
    #expect(!list.countries.contains("PL"))
    let notes = try #require(list.notes)
    #expect(notes.contains("Germany"))
    #expect(notes.contains("Poland"))
  }

  @Test("every era is meaningful: it meets at least one event")
  func eras() {
    #expect(!t.eras.isEmpty)
    for era in t.eras {
      #expect((0..<t.count).contains { t.eras(at: $0).contains(era) }, "\(era.id)")
    }
  }
}

// MARK: - Seeds

/// One seed record (`seeds/*.md`): its table fields and its numbered facts.
struct SeedRecord {
  var path: String
  var fields: [String: String]
  /// (line number in the record, the fact line, the event ids it ends with); ids are nil when the line
  /// does not end with `Events: ` and backticked ids.
  var facts: [(line: Int, text: String, events: [String]?)]

  var sourceID: String? { fields["source id"].map(Self.unticked) }
  var file: String? { fields["file"].map(Self.unticked) }

  static func unticked(_ s: String) -> String { s.trimmingCharacters(in: CharacterSet(charactersIn: "` ")) }

  init(path: String, text: String) {
    self.path = path
    fields = [:]
    facts = []
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = String(raw)
      if line.hasPrefix("|") {
        let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if cells.count >= 4, !cells[1].isEmpty, cells[1] != "field", !cells[1].hasPrefix("---") { fields[cells[1]] = cells[2] }
      } else if let dot = line.firstIndex(of: "."), !line.isEmpty, line[..<dot].allSatisfy(\.isNumber), line.first!.isNumber {
        facts.append((n + 1, line, Self.events(of: line)))
      }
    }
  }

  /// The ids after the last "Events: " when the line ends with them: `` `a`, `b` ``.
  static func events(of line: String) -> [String]? {
    guard let r = line.range(of: " Events: ", options: .backwards) else { return nil }
    let tail = line[r.upperBound...]
    var ids: [String] = []
    for part in tail.components(separatedBy: ", ") {
      guard part.count > 2, part.hasPrefix("`"), part.hasSuffix("`") else { return nil }
      let id = String(part.dropFirst().dropLast())
      guard !id.isEmpty, !id.contains("`"), !id.contains(" ") else { return nil }
      ids.append(id)
    }
    return ids.isEmpty ? nil : ids
  }

  static func loadAll() throws -> [SeedRecord] {
    let folder = Fixture.repositoryRoot.appendingPathComponent("seeds")
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
    return try names.map { name in
      let url = folder.appendingPathComponent(name)
      return SeedRecord(path: name, text: try String(contentsOf: url, encoding: .utf8))
    }
  }
}

@Suite("Seed records")
struct SeedTests {
  let seeds: [SeedRecord]
  let t = Fixture.bundled

  init() throws {
    seeds = try SeedRecord.loadAll()
  }

  @Test("there are seed records, each with a source id that the timeline has")
  func records() {
    #expect(seeds.count >= 2)
    let sources = Set(t.sources.map(\.id))
    for s in seeds {
      let id = s.sourceID
      #expect(id != nil, "\(s.path) has no source id")
      if let id { #expect(sources.contains(id), "\(s.path): source \(id) is not in the timeline") }
      #expect(!s.facts.isEmpty, "\(s.path) has no facts")
    }
    #expect(Set(seeds.compactMap(\.sourceID)).count == seeds.count, "two records share a source id")
  }

  @Test("each record's file field names a seed file, which its source's notes name too")
  func fileNames() {
    for s in seeds {
      guard let file = s.file else {
        Issue.record("\(s.path) has no file field")
        continue
      }
      #expect(file.wholeMatch(of: /[0-9]{3}_[0-9a-f]{16}\.txt/) != nil, "\(s.path): file \"\(file)\"")
      // The record's own name starts with the same number: 000-01net.md for 000_....txt.
      #expect(s.path.prefix(3) == file.prefix(3), "\(s.path) vs \(file)")
      if let id = s.sourceID, let source = t.sources.first(where: { $0.id == id }) {
        #expect(source.notes?.contains(file) == true, "source \(id)'s notes do not name \(file)")
      }
    }
  }

  @Test("every numbered fact ends with Events: and ids that exist and cite the record's source")
  func factsCiteEvents() {
    let byID = Dictionary(uniqueKeysWithValues: t.events.map { ($0.id, $0) })
    for s in seeds {
      guard let source = s.sourceID else { continue }
      // Facts are numbered 1, 2, 3... without gaps.
      let numbers = s.facts.map { Int($0.text.prefix { $0.isNumber }) ?? 0 }
      #expect(numbers == Array(1...max(1, numbers.count)), "\(s.path): fact numbers \(numbers)")
      for fact in s.facts {
        guard let ids = fact.events else {
          Issue.record("\(s.path):\(fact.line): the fact does not end with Events: and backticked ids")
          continue
        }
        for id in ids {
          guard let e = byID[id] else {
            Issue.record("\(s.path):\(fact.line): unknown event \(id)")
            continue
          }
          #expect(e.sources.contains(source), "\(s.path):\(fact.line): \(id) does not cite \(source)")
        }
      }
    }
  }

  @Test("every event citing a seed source appears in that seed's record")
  func eventsAppearInRecord() {
    for s in seeds {
      guard let source = s.sourceID else { continue }
      let listed = Set(s.facts.flatMap { $0.events ?? [] })
      let citing = t.events.filter { $0.sources.contains(source) }.map(\.id)
      #expect(!citing.isEmpty)
      for id in citing { #expect(listed.contains(id), "\(id) cites \(source) but \(s.path) does not list it") }
    }
  }

  @Test("the fact-line parser finds ids and refuses lines without them")
  func parser() {
    #expect(SeedRecord.events(of: "1. A fact. Events: `a-1`, `b-2`") == ["a-1", "b-2"])
    #expect(SeedRecord.events(of: "2. A fact without events.") == nil)
    #expect(SeedRecord.events(of: "3. A fact. Events: a-1") == nil)
    #expect(SeedRecord.events(of: "4. A fact. Events: `a-1`, then more") == nil)
  }
}
