import Foundation
import Testing

@testable import TimelineCore

/// `TimelineBuilder`: timelines from values, held to the same rules as a file, with messages placed
/// where each value came from.
@Suite("timeline builder")
struct TimelineBuilderTests {
  static let afp = Source(id: "afp", title: "AFP wire", publisher: "AFP", date: TimelineDate(year: 2020, month: 8, day: 26)!, language: "fr")
  static let day = TimelineDate(year: 2020, month: 8, day: 25)!

  static func event(_ id: String, title: String = "T", date: TimelineDate = day, end: TimelineDate? = nil, sources: [String] = ["afp"]) -> Event {
    Event(id: id, date: date, end: end, title: title, confidence: .reported, sources: sources)
  }

  /// A builder for a spreadsheet whose columns are named as in TimelineJS's template.
  static func spreadsheet() -> TimelineBuilder {
    let b = TimelineBuilder(fileName: "raids.csv")
    b.title = "Raids"
    b.description = "From a spreadsheet."
    let columns = ["id": 1, "date": 2, "end": 3, "title": 4, "summary": 5, "sources": 6, "people": 7, "countries": 8, "tags": 9]
    let headers = ["id": "Id", "date": "Year", "end": "End Year", "title": "Headline", "summary": "Text", "sources": "Source",
                   "people": "Who", "countries": "Country", "tags": "Group"]
    b.fieldPosition = { row, field in
      SourcePosition(line: row.line, column: columns[field] ?? 0, record: row.record, field: headers[field].map { .init(.column, $0) })
    }
    b.add(afp)
    return b
  }

  static func row(_ n: Int) -> SourcePosition { .cell(row: n, header: nil, line: n, column: 1) }

  static func problems(_ b: TimelineBuilder, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    do {
      let t = try b.build()
      Issue.record("expected the builder to refuse, it made \(t.count) events", sourceLocation: sourceLocation)
      return []
    } catch {
      return error.diagnostics.map(\.description)
    }
  }

  @Test("the fixture case built from values is the same timeline as the one decoded from its JSON")
  func sameAsDecoded() throws {
    let built = try Fixture.built(events: Fixture.caseEvents)
    let decoded = try Fixture.caseTimeline()
    #expect(built.events == decoded.events)
    #expect(built.allIDs == Fixture.caseOrder)
    #expect(built.people == decoded.people)
    #expect(built.sources == decoded.sources)
    #expect(built.tags == decoded.tags)
    #expect(built.title == decoded.title)
    #expect(built.description == decoded.description)
    #expect(built.checkInvariants() == nil)
    for q in [Query(countries: ["US"]), Query(people: ["george-bridi"]), Query(text: "correa"), Query(tags: ["court"])] {
      #expect(built.matching(q) == decoded.matching(q), "\(q)")
    }
  }

  @Test("a problem is placed at the row and column its value came from, in the file's own words")
  func positionedDiagnostics() {
    let b = Self.spreadsheet()
    b.add(Self.event("r2"), at: Self.row(2))
    b.add(Self.event("r3", title: "  "), at: Self.row(3))
    #expect(Self.problems(b) == [#"raids.csv:3:4: row 3, column "Headline": must not be empty"#])
  }

  @Test("without positions, a problem names the event and the field")
  func unpositioned() {
    let b = TimelineBuilder(fileName: "values")
    b.title = "T"
    b.add(Self.afp)
    b.add(Self.event("e1", title: ""))
    #expect(Self.problems(b) == [#"values: event "e1", field "title": must not be empty"#])
  }

  @Test("every rule of the format holds for built timelines, each problem at its place")
  func everyRule() {
    let b = Self.spreadsheet()
    b.add(Person(id: "bridi", name: "George Bridi", role: "Suspect"), at: Self.row(20))
    b.add(Person(id: "bridi", name: "Another", role: "Duplicate"), at: Self.row(21))
    b.add(Source(id: "bad", title: "T", publisher: "P", date: Self.day, language: "French"), at: Self.row(22))
    b.add(Self.event("ok", sources: ["afp"]), at: Self.row(2))
    b.add(Self.event("has space"), at: Self.row(3))
    b.add(Self.event("ok"), at: Self.row(4))
    b.add(Self.event("no-source", sources: []), at: Self.row(5))
    b.add(Self.event("unknown-source", sources: ["apf"]), at: Self.row(6))
    b.add(Self.event("backwards", date: Self.day, end: TimelineDate(year: 2020, month: 8, day: 24)), at: Self.row(7))
    var withPeople = Self.event("people")
    withPeople.people = ["bridy"]
    withPeople.countries = ["France", "XK"]
    withPeople.tags = ["raid", " "]
    b.add(withPeople, at: Self.row(8))
    b.add(Era(id: "era", title: "Era", start: Self.day, end: TimelineDate(year: 2019)!), at: Self.row(23))
    #expect(
      Self.problems(b) == [
        #"raids.csv:3:1: row 3, column "Id": invalid id "has space": ids are 1 to 200 letters, digits, '.', '_', ':' or '-', starting with a letter or digit"#,
        #"raids.csv:4:1: row 4, column "Id": duplicate event id; it is first used at row 2"#,
        #"raids.csv:5:6: row 5, column "Source": an event must cite at least one source"#,
        #"raids.csv:6:6: row 6, column "Source": unknown source "apf" (did you mean "afp"?)"#,
        #"raids.csv:7:3: row 7, column "End Year": the event ends (2020-08-24) before it starts (2020-08-25)"#,
        #"raids.csv:8:7: row 8, column "Who": unknown person "bridy" (did you mean "bridi"?)"#,
        #"raids.csv:8:8: row 8, column "Country": invalid country code "France": expected an ISO 3166-1 alpha-2 code such as "FR" ("France" is FR)"#,
        #"raids.csv:8:8: row 8, column "Country": unknown country code "XK" (did you mean "CK" or "DK" or "FK"?); declare it under "countries" to use a code outside ISO 3166-1"#,
        #"raids.csv:8:9: row 8, column "Group": must not be empty"#,
        #"raids.csv:21:1: row 21, column "Id": duplicate person id; it is first used at row 20"#,
        #"raids.csv:22: row 22, field "language": invalid language "French": expected a BCP 47 tag such as "fr" or "en-GB""#,
        #"raids.csv:23:3: row 23, column "End Year": the era ends (2019) before it starts (2020-08-25)"#,
      ])
  }

  @Test("a declared country makes its code valid, as under \"countries\" in a file")
  func declaredCountry() throws {
    let b = Self.spreadsheet()
    var e = Self.event("kosovo")
    e.countries = ["XK"]
    b.add(e)
    b.declare(CountryTable.Country(code: "XK", name: "Kosovo"))
    let t = try b.build()
    #expect(t.countryCodes(at: 0) == ["XK"])
    #expect(t.countries[code: "XK"]?.name == "Kosovo")
  }

  @Test("events are sorted by date and time, and each keeps the row it came from")
  func originsFollowTheEvents() throws {
    let b = Self.spreadsheet()
    b.add(Self.event("late", date: TimelineDate(year: 2020, month: 8, day: 25, hour: 18, minute: 45)!), at: Self.row(2))
    b.add(Self.event("early", date: TimelineDate(year: 2020, month: 8, day: 25, hour: 6, minute: 5)!), at: Self.row(3))
    b.add(Self.event("year", date: TimelineDate(year: 2019)!), at: Self.row(4))
    let t = try b.build()
    #expect(t.allIDs == ["year", "early", "late"])
    #expect(t.origin(at: 0)?.file == "raids.csv")
    #expect((0..<3).map { t.origin(at: $0)?.position.record?.number } == [4, 3, 2])
    #expect(t.origin(at: 1)?.position.description == "3:1 row 3")
    #expect(t.date(at: 1).description == "2020-08-25T06:05")
    // A timeline read from its own JSON has no origins to show.
    #expect(try Fixture.caseTimeline().origin(at: 0) == nil)
  }

  @Test("times of day survive the JSON export and load again")
  func timesRoundTrip() throws {
    let b = Self.spreadsheet()
    b.add(Self.event("e1", date: TimelineDate(year: 2020, month: 8, day: 25, hour: 6, minute: 5, approximate: true)!,
                     end: TimelineDate(year: 2020, month: 8, day: 25, hour: 9, minute: 30)))
    b.add(Self.event("e2", date: TimelineDate(year: -13_800_000_000)!))
    let t = try b.build()
    let json = ListFormat.json.render(t, events: [0, 1])
    let again = try TimelineDecoder.decode(Array(json.utf8), fileName: "export.json")
    #expect(again.events == t.events)
    #expect(json.contains(#""date": "2020-08-25T06:05~""#))
    #expect(json.contains(#""date": "-13800000000""#))
  }

  @Test("a blank document title is refused")
  func blankTitle() {
    let b = TimelineBuilder(fileName: "values")
    b.add(Self.afp)
    #expect(Self.problems(b) == [#"values: field "title": must not be empty"#])
  }

  @Test("text and tags come back as given: any script, quotes and backslashes, no JSON escaping")
  func textAsGiven() throws {
    let b = Self.spreadsheet()
    var e = Self.event("e1", title: #"Saisie à "Zürich" \ 東京 🎉"#)
    e.summary = "Deux lignes\nà la suite"
    e.notes = "Note"
    e.tags = ["raid", "perquisition", "raid"]
    b.add(e)
    let t = try b.build()
    #expect(t.event(at: 0) == e)
    #expect(t.tags == ["raid", "perquisition"])
  }
}
