import Testing
import TimelineCore

private func date(_ s: String) -> TimelineDate {
  guard case .success(let d) = TimelineDate.parse(s) else { preconditionFailure("bad date literal \(s)") }
  return d
}

/// Exports the events a query selects as JSON and loads the output again.
private func roundTrip(_ t: Timeline, _ query: Query, sourceLocation: SourceLocation = #_sourceLocation) throws -> (selected: [Event], loaded: Timeline) {
  let selected = t.evaluate(query)
  let json = ListFormat.json.render(t, events: selected)
  do {
    let loaded = try TimelineDecoder.decode(Array(json.utf8), fileName: "export.json")
    return (selected.map { t.event(at: Int($0)) }, loaded)
  } catch {
    Issue.record("the export does not load again:\n\(error.description)", sourceLocation: sourceLocation)
    throw error
  }
}

/// A minimal RFC 4180 reader: records end with CRLF, quoted fields may hold commas, quotes and line breaks.
private func parseCSV(_ text: String) -> [[String]] {
  var records: [[String]] = []
  var record: [String] = []
  var field = String.UnicodeScalarView()
  var quoted = false
  var afterQuote = false
  var scalars = Array(text.unicodeScalars)[...]
  while let c = scalars.popFirst() {
    if quoted {
      if c == "\"" {
        if scalars.first == "\"" {
          scalars.removeFirst()
          field.append("\"")
        } else {
          quoted = false
          afterQuote = true
        }
      } else {
        field.append(c)
      }
      continue
    }
    switch c {
    case "\"" where field.isEmpty && !afterQuote: quoted = true
    case ",":
      record.append(String(field))
      field = String.UnicodeScalarView()
      afterQuote = false
    case "\r" where scalars.first == "\n":
      scalars.removeFirst()
      record.append(String(field))
      records.append(record)
      record = []
      field = String.UnicodeScalarView()
      afterQuote = false
    default: field.append(c)
    }
  }
  if !field.isEmpty || !record.isEmpty {
    record.append(String(field))
    records.append(record)
  }
  return records
}

@Suite("Export")
struct ExportTests {
  @Test(
    "JSON export of a filtered view loads again and gives the same events",
    arguments: [
      Query.all, Query(countries: ["CY"]), Query(countries: ["NO", "DK"]), Query(people: ["jonatan-correa"]),
      Query(text: "bridi"), Query(text: "europol"), Query(from: date("2020-08-25"), to: date("2020-08-26")),
      Query(countries: ["US"], text: "court", from: date("2021")), Query(tags: ["rumour"]),
    ])
  func jsonRoundTrip(query: Query) throws {
    let t = Fixture.bundled
    let (selected, loaded) = try roundTrip(t, query)
    #expect(!selected.isEmpty, "the query should select something")
    #expect(loaded.count == selected.count)
    let events = loaded.events
    #expect(events.map(\.id) == selected.map(\.id))
    #expect(events.map(\.date) == selected.map(\.date))
    #expect(events.map(\.end) == selected.map(\.end))
    #expect(events.map(\.title) == selected.map(\.title))
    #expect(events.map(\.summary) == selected.map(\.summary))
    #expect(events.map(\.countries) == selected.map(\.countries))
    #expect(events.map(\.people) == selected.map(\.people))
    #expect(events.map(\.sources) == selected.map(\.sources))
    #expect(events.map(\.notes) == selected.map(\.notes))
    #expect(events.map(\.tags) == selected.map(\.tags))
    #expect(events.map(\.confidence) == selected.map(\.confidence))
    #expect(events == selected)
    // What the events refer to comes along, and nothing else.
    #expect(loaded.title == t.title)
    #expect(Set(loaded.people.map(\.id)) == Set(selected.flatMap(\.people)))
    #expect(Set(loaded.sources.map(\.id)) == Set(selected.flatMap(\.sources)))
    for p in loaded.people { #expect(t.people.contains(p), "person \(p.id) changed") }
    for s in loaded.sources { #expect(t.sources.contains(s), "source \(s.id) changed") }
    for e in loaded.eras { #expect(t.eras.contains(e), "era \(e.id) changed") }
    // And the same query over the export finds the same events.
    #expect(loaded.matching(query) == selected.map(\.id))
  }

  @Test("an export of nothing still loads")
  func emptyExport() throws {
    let (selected, loaded) = try roundTrip(Fixture.bundled, Query(text: "zzzz-nothing-matches"))
    #expect(selected.isEmpty)
    #expect(loaded.count == 0)
  }

  @Test("JSON export keeps awkward text, declared countries and early dates")
  func awkwardRoundTrip() throws {
    let events = [
      FixtureEvent(
        id: "odd", date: "-0044-03-15", end: "-0044", title: "Quote \" backslash \\ tab\tand \u{1B}]0;pwned\u{07}",
        summary: "Line one\nline two, with «\u{202F}guillemets\u{202F}» and 🎬", countries: ["EU", "FR"], people: ["george-bridi"],
        tags: ["odd tag"], confidence: "disputed", sources: ["afp", "doj"], notes: "Notes\u{202E}reversed"),
      FixtureEvent(id: "plain", date: "0850~", title: "Plain", sources: ["bbc"]),
    ]
    let t = try Fixture.timeline(
      events: events, extraTop: #""countries": {"EU": {"name": "European Union", "name_fr": "Union européenne", "aliases": ["EU"]}}"#)
    let (selected, loaded) = try roundTrip(t, .all)
    #expect(loaded.events == selected)
    #expect(loaded.declaredCountries == t.declaredCountries)
    #expect(loaded.title(at: 0) == "Quote \" backslash \\ tab\tand \u{1B}]0;pwned\u{07}")

    // The JSON text itself holds no raw control character or bidi override.
    let json = ListFormat.json.render(t, events: t.evaluate(.all))
    #expect(!json.unicodeScalars.contains { $0 != "\n" && TerminalSafety.isUnsafe($0) })
  }

  @Test("CSV: header, one record per event, and quoting of commas, quotes and line breaks")
  func csv() throws {
    let events = [
      FixtureEvent(id: "comma", date: "2020-08-25", title: "Raids in Oslo, Paris and Prague", countries: ["NO", "FR", "CZ"]),
      FixtureEvent(
        id: "quote", date: "2020-08-26", end: "2020-08-27", title: #"The "Sparks" group"#, summary: "First line\nsecond line",
        people: ["jonatan-correa", "george-bridi"], sources: ["afp", "doj"]),
      FixtureEvent(id: "formula", date: "-0044-03-15", title: "=HYPERLINK(\"x\")", notes: "@risk"),
      FixtureEvent(id: "plain", date: "2021", title: "Plain title", tags: ["court", "plea"]),
    ]
    let t = try Fixture.timeline(events: events)
    let csv = ListFormat.csv.render(t, events: t.evaluate(.all))
    #expect(csv.hasPrefix("id,date,end,title,summary,countries,people,tags,confidence,sources,notes\r\n"))
    #expect(csv.contains(#""Raids in Oslo, Paris and Prague""#))
    #expect(csv.contains(#""The ""Sparks"" group""#))
    #expect(csv.contains("\"First line\nsecond line\""))

    let records = parseCSV(csv)
    #expect(records.count == 1 + events.count)
    #expect(records.allSatisfy { $0.count == 11 })
    let rows = Dictionary(uniqueKeysWithValues: records.dropFirst().map { ($0[0], $0) })
    #expect(records.dropFirst().map { $0[0] } == ["formula", "comma", "quote", "plain"])
    #expect(rows["comma"]?[3] == "Raids in Oslo, Paris and Prague")
    #expect(rows["comma"]?[5] == "NO;FR;CZ")
    #expect(rows["quote"]?[1] == "2020-08-26")
    #expect(rows["quote"]?[2] == "2020-08-27")
    #expect(rows["quote"]?[3] == #"The "Sparks" group"#)
    #expect(rows["quote"]?[4] == "First line\nsecond line")
    #expect(rows["quote"]?[6] == "jonatan-correa;george-bridi")
    #expect(rows["quote"]?[9] == "afp;doj")
    #expect(rows["plain"]?[7] == "court;plea")
    #expect(rows["plain"]?[8] == "confirmed")
    // A negative date is data, not a formula; a formula is defused.
    #expect(rows["formula"]?[1] == "-0044-03-15")
    #expect(rows["formula"]?[3] == "'=HYPERLINK(\"x\")")
    #expect(rows["formula"]?[10] == "'@risk")
  }

  @Test("CSV of the bundled case: one record per event, every field intact")
  func csvBundled() {
    let t = Fixture.bundled
    let records = parseCSV(ListFormat.csv.render(t, events: t.evaluate(.all)))
    #expect(records.count == t.count + 1)
    #expect(records.dropFirst().map { $0[0] } == t.allIDs)
    #expect(records.dropFirst().map { $0[3] } == (0..<t.count).map { t.title(at: $0) })
    #expect(records.dropFirst().map { $0[10] } == (0..<t.count).map { t.notes(at: $0) ?? "" })
  }

  @Test("text: one line per event, and no raw control characters even from hostile titles")
  func text() throws {
    let events = [
      FixtureEvent(id: "hostile", date: "2020-08-25", title: "\u{1B}]0;pwned\u{07}Title", countries: ["US"]),
      FixtureEvent(id: "newline", date: "2020-08-26", end: "2020-08-27", title: "Two\nlines\r\nhere", summary: "and\na summary"),
      FixtureEvent(id: "c1", date: "2020-08", title: "CSI \u{9B}31m and \u{202E}override"),
      FixtureEvent(id: "plain", date: "2021", title: "Bridi pleads guilty", countries: ["US", "CY"]),
    ]
    let t = try Fixture.timeline(events: events)
    let out = ListFormat.text.render(t, events: t.evaluate(.all))
    let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == events.count + 1)
    #expect(lines.last == "")
    #expect(!out.unicodeScalars.contains { $0 != "\n" && TerminalSafety.isUnsafe($0) })
    #expect(out.contains("␛]0;pwned␇Title"))
    #expect(out.contains("Two␤lines␍␤here"))
    #expect(out.contains("CSI \u{FFFD}31m and \u{FFFD}override"))
    // Each line shows the date, the confidence and the title, and the countries.
    #expect(lines.contains { $0.hasPrefix("2020-08-26 – 2020-08-27  confirmed  Two") })
    #expect(lines.contains { $0.hasSuffix("Bridi pleads guilty  [US CY]") })
  }

  @Test("text of the bundled case: one line per selected event")
  func textBundled() {
    let t = Fixture.bundled
    for q in [Query.all, Query(countries: ["CY"]), Query(text: "sentenced")] {
      let selected = t.evaluate(q)
      let out = ListFormat.text.render(t, events: selected)
      #expect(out.split(separator: "\n").count == selected.count)
      #expect(!out.unicodeScalars.contains { $0 != "\n" && TerminalSafety.isUnsafe($0) })
    }
  }
}
