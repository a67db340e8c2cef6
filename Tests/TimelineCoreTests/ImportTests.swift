import Foundation
import Testing
import TimelineCore

/// Imports `text` as the file `name` and returns the timeline, or records the failure.
private func load(_ text: String, _ name: String, _ options: ImportOptions = ImportOptions()) throws -> ImportResult {
  try TimelineImport.decode(Array(text.utf8), fileName: name, options: options)
}

/// The problems an import reports, one line each.
private func problems(_ text: String, _ name: String, _ options: ImportOptions = ImportOptions()) -> [String] {
  do {
    _ = try TimelineImport.decode(Array(text.utf8), fileName: name, options: options)
    return ["accepted"]
  } catch {
    return error.diagnostics.map(\.description)
  }
}

extension Timeline {
  fileprivate func event(_ id: String) -> Event? { events.first { $0.id == id } }
  fileprivate func source(_ id: String) -> Source? { sources.first { $0.id == id } }
}

@Suite("Import: TimelineJS JSON")
struct TimelineJSImportTests {
  static let v3 = """
    {
      "title": {"text": {"headline": "Cosmos &amp; us", "text": "<p>From the start.</p>"}},
      "events": [
        {"start_date": {"year": "-13800000000"}, "text": {"headline": "Big Bang"}},
        {"start_date": {"year": "1969", "month": "07", "day": "20", "hour": "20", "minute": "17", "second": "40", "millisecond": ""},
         "end_date": {"year": 1969, "month": 7, "day": "", "display_date": ""},
         "text": {"headline": "Moon <i>landing</i>", "text": "<p>See <a href=\\"https://nasa.gov/a11\\">NASA</a>.</p><p>Second&nbsp;paragraph &eacute;</p>"},
         "group": "Space", "unique_id": "apollo 11!", "display_date": "July 1969",
         "media": {"url": "https://example.org/moon.jpg", "credit": "NASA", "caption": "<b>Buzz</b>"}},
        {"start_date": {"year": 1850, "display_date": "c. 1850"}, "text": {"text": "No headline here. More text."}, "group": "Space"},
        {"start_date": {"year": 2001, "month": 9, "day": 11}, "text": {"headline": "Same id"}, "unique_id": "apollo 11!"}
      ],
      "eras": [{"start_date": {"year": 1960}, "end_date": {"year": "1972"}, "text": {"headline": "Space race"}}]
    }
    """

  @Test("dates as strings or numbers, empty or zero-padded parts, cosmological years, times; text, links, media, eras, title")
  func v3Document() throws {
    let r = try load(Self.v3, "cosmos.json")
    let t = r.timeline
    #expect(r.format == .timelinejs)
    #expect(t.title == "Cosmos & us")
    #expect(t.description == "From the start.")
    #expect(t.events.map(\.id) == ["event-1", "event-3", "apollo-11", "apollo-11-2"])
    let bang = try #require(t.event("event-1"))
    #expect(bang.date.year == -13_800_000_000)
    #expect(bang.date.precision == .year)
    let moon = try #require(t.event("apollo-11"))
    #expect(moon.date.description == "1969-07-20T20:17")
    #expect(moon.end?.description == "1969-07")
    #expect(moon.title == "Moon landing")
    #expect(moon.summary == "See NASA.\n\nSecond paragraph é")
    #expect(moon.tags == ["Space"])
    #expect(moon.confidence == .reported)
    #expect(moon.notes == "Shown as: July 1969\nMedia: https://example.org/moon.jpg (Buzz; NASA)")
    #expect(moon.sources.map { t.source($0)?.url } == ["https://nasa.gov/a11"])
    let circa = try #require(t.event("event-3"))
    #expect(circa.date.description == "1850~")
    #expect(circa.title == "No headline here. More text.")
    #expect(circa.sources == ["file"])
    #expect(t.source("file")?.title == "Cosmos & us")
    #expect(t.source("file")?.publisher == "cosmos.json")
    #expect(t.eras.map { "\($0.title) \($0.start)–\($0.end)" } == ["Space race 1960–1972"])
  }

  @Test("a bad date part or a missing start date is placed at its key; --skip-bad-rows loads the rest")
  func v3Problems() throws {
    let text = """
      {"events": [
        {"start_date": {"year": 1848, "month": "March"}, "text": {"headline": "Bad month"}},
        {"text": {"headline": "No date"}},
        {"start_date": {"year": 1848, "month": 13}, "text": {"headline": "Month 13"}},
        {"start_date": {"year": 1849}, "text": {"headline": "Fine"}}
      ]}
      """
    #expect(
      problems(text, "bad.json") == [
        "bad.json:2:18: event 1, key \"start_date\": month: \"March\" is not a whole number",
        "bad.json:3:3: event 2: a slide needs a start date (only the title slide has none)",
        "bad.json:4:18: event 3, key \"start_date\": invalid date: the month must be 1 to 12, not 13",
      ])
    var skip = ImportOptions()
    skip.skipBadRows = true
    let r = try load(text, "bad.json", skip)
    #expect(r.timeline.events.map(\.title) == ["Fine"])
    #expect(r.skippedCount == 3)
    #expect(r.skipped.count == 3)
  }

  @Test("syntax errors and files that are not TimelineJS say where and what")
  func v3Syntax() {
    #expect(problems("{\"events\": [{\"start_date\": }]}", "x.json") == ["x.json:1:28: expected a value, found '}'"])
    #expect(problems("{\"title\": {\"text\": {\"headline\": \"x\"}}, \"events\": 3}", "x.json") == ["x.json:1:50: \"events\" must be an array of slides, found a number"])
    #expect(problems("", "empty.json", { var o = ImportOptions(); o.format = .timelinejs; return o }()) == ["empty.json:1:1: the file is empty; expected a JSON document"])
  }

  @Test("TimelineJS2: comma dates, several tags, assets, eras, the headline")
  func v2Document() throws {
    let text = """
      {"timeline": {"headline": "Elizabeth", "type": "default", "text": "<p>Her life</p>", "startDate": "1932",
        "date": [
          {"startDate": "1932,2,27", "headline": "Born", "text": "In London", "tags": "Personal life, Career"},
          {"startDate": "1957,2,2", "endDate": "1959", "headline": "Married", "tag": "Personal life",
           "asset": {"media": "https://example.org/w.jpg", "credit": "AP", "caption": ""}},
          {"startDate": "2011,3,23,14,5", "headline": "Died"}
        ],
        "era": [{"startDate": "1932", "endDate": "2011", "headline": "Lifetime"}]}}
      """
    let r = try load(text, "liz.json")
    #expect(r.format == .timelinejs2)
    let t = r.timeline
    #expect(t.title == "Elizabeth")
    #expect(t.events.map(\.date.description) == ["1932-02-27", "1957-02-02", "2011-03-23T14:05"])
    #expect(t.events[0].tags == ["Personal life", "Career"])
    #expect(t.events[1].end?.description == "1959")
    #expect(t.events[1].notes == "Media: https://example.org/w.jpg (AP)")
    #expect(t.eras.first?.title == "Lifetime")
  }

  @Test("a JavaScript-wrapped document and x_ keys written by hand (names and codes)")
  func extensions() throws {
    let text = """
      var timeline_json = {"events": [{"start_date": {"year": 1848, "month": 2, "day": 22}, "text": {"headline": "Paris"},
        "x_countries": ["France", "Allemagne", "AT"], "x_people": ["Louis-Philippe I"], "x_confidence": "confirmed"}]};
      """
    let t = try load(text, "1848.js").timeline
    let e = try #require(t.events.first)
    #expect(e.countries == ["FR", "DE", "AT"])
    #expect(t.people.map(\.name) == ["Louis-Philippe I"])
    #expect(e.people == ["louis-philippe-i"])
    #expect(e.confidence == .confirmed)
  }
}

@Suite("Import: TimelineJS spreadsheets")
struct TimelineJSCSVImportTests {
  static let sheet = """
    Headline,Year,Month,Day,Time,End Year,End Month,End Day,Display Date,Text,Media,Media Credit,Media Caption,Type,Tag,Country,People
    The year 1848,,,,,,,,,"The Springtime
    of Nations",,,,title,,,
    Revolutions,1848,2,,,1849,10,,,,,,,era,,,
    February Revolution,"1,848",02,22,9:30 pm,1848,2,24,,"<p>Louis-Philippe abdicates.</p>",,,,,France,France,Louis-Philippe I;Alphonse de Lamartine
    Metternich resigns,1848,3,13,,,,,about March 1848,,https://example.org/m.jpg,Public domain,Portrait,,Austria,Autriche,Klemens von Metternich
    ,,,,,,,,,,,,,,,,
    Ides,-44,3,15,,,,,,,,,,,Rome,,Julius Caesar;Brutus
    """

  @Test("columns by header in any order, Tag for Group, title and era rows, times, quoted line breaks, extra columns")
  func template() throws {
    let r = try load(Self.sheet, "1848.csv")
    #expect(r.format == .timelinejsCSV)
    let t = r.timeline
    #expect(t.title == "The year 1848")
    #expect(t.description == "The Springtime\nof Nations")
    #expect(t.eras.map { "\($0.title) \($0.start)–\($0.end)" } == ["Revolutions 1848-02–1849-10"])
    #expect(t.events.map(\.id) == ["row-7", "row-4", "row-5"])
    let feb = try #require(t.event("row-4"))
    #expect(feb.date.description == "1848-02-22T21:30")
    #expect(feb.end?.description == "1848-02-24")
    #expect(feb.summary == "Louis-Philippe abdicates.")
    #expect(feb.tags == ["France"])
    #expect(feb.countries == ["FR"])
    #expect(feb.people == ["louis-philippe-i", "alphonse-de-lamartine"])
    let metternich = try #require(t.event("row-5"))
    #expect(metternich.date.description == "1848-03-13~")
    #expect(metternich.countries == ["AT"])
    #expect(metternich.notes == "Media: https://example.org/m.jpg (Portrait; Public domain)")
    #expect(t.event("row-7")?.people.count == 2)
  }

  @Test("a bad cell is reported by row and column header; a row with too many cells too; --skip-bad-rows says how many")
  func problemsByRow() throws {
    let text = """
      Year,Month,Day,Headline,Text
      1848,March,1,Bad month,
      1848,2,30,No 30 February,
      1848,2,1,Too many,cells,here
      1848,2,2,Fine,
      """
    #expect(
      problems(text, "p.csv") == [
        "p.csv:2:6: row 2, column \"Month\": \"March\" is not a whole number",
        "p.csv:3:8: row 3, column \"Day\": invalid date: the day must be 1 to 29 in that month, not 30",
        "p.csv:4:25: row 4: the row has 6 cells, the header 5: is a comma missing its quotes?",
      ])
    var skip = ImportOptions()
    skip.skipBadRows = true
    let r = try load(text, "p.csv", skip)
    #expect(r.timeline.events.map(\.title) == ["Fine"])
    #expect(r.skippedCount == 3)
  }

  @Test("a quoted cell never closed, an empty file, a header without a Year")
  func broken() {
    #expect(problems("Year,Headline\n1848,\"never closed\n", "q.csv") == [
      "q.csv:2:6: a quoted field is not closed: the file ends before its closing quote (a quote inside a quoted field is written twice: \"\")"
    ])
    #expect(problems("", "e.csv") == ["e.csv:1:1: the file is empty; expected a header row naming the columns"])
    var forced = ImportOptions()
    forced.format = .timelinejsCSV
    #expect(problems("Headline,Text\nx,y\n", "h.csv", forced) == ["h.csv:1:1: row 1: a TimelineJS spreadsheet needs a \"Year\" column (or \"Start Date\")"])
  }
}

@Suite("Import: iCalendar")
struct ICalendarImportTests {
  static let calendar = [
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", "X-WR-CALNAME:Trial", "BEGIN:VTIMEZONE", "TZID:Europe/Paris", "END:VTIMEZONE",
    "BEGIN:VEVENT", "UID:hearing-1@court.example", "DTSTART;VALUE=DATE:20220110", "DTEND;VALUE=DATE:20220113",
    "SUMMARY:Hearing\\, day one to three", "DESCRIPTION:The court sits.\\nThree days.", "LOCATION:France",
    "CATEGORIES:Meeting\\, John,Work\\, Sarah,Project", "ATTENDEE;CN=\"Doe, John\";ROLE=REQ-PARTICIPANT:mailto:john@example.org",
    "ORGANIZER;CN=Clerk:mailto:clerk@example.org", "URL:https://court.example/1", "STATUS:CONFIRMED", "END:VEVENT",
    "BEGIN:VEVENT", "UID:x2", "DTSTART:20220101", "SUMMARY:Lenient date", "LOCATION:Room 4", "STATUS:TENTATIVE", "END:VEVENT",
    "BEGIN:VEVENT", "UID:x3", "DTSTART:20220105T093000Z", "DTEND:20220105T110000Z", "SUMMARY:Timed in UTC", "STATUS:CANCELLED", "END:VEVENT",
    "BEGIN:VEVENT", "UID:x4", "DTSTART;TZID=Europe/Paris:20220106T140000", "DURATION:PT90M",
    "SUMMARY:A long summary that is folded over", " two lines", "END:VEVENT",
    "END:VCALENDAR",
  ].joined(separator: "\r\n") + "\r\n"

  @Test("all-day with exclusive end, lenient dates, UTC and TZID times as written, folding, escapes, people, tags, status")
  func events() throws {
    let r = try load(Self.calendar, "trial.ics")
    #expect(r.format == .ics)
    let t = r.timeline
    #expect(t.title == "Trial")
    let hearing = try #require(t.event("hearing-1-court.example"))
    #expect(hearing.date.description == "2022-01-10")
    #expect(hearing.end?.description == "2022-01-12")
    #expect(hearing.title == "Hearing, day one to three")
    #expect(hearing.summary == "The court sits.\nThree days.")
    #expect(hearing.countries == ["FR"])
    #expect(hearing.tags == ["Meeting, John", "Work, Sarah", "Project"])
    #expect(hearing.people.compactMap { id in t.people.first { $0.id == id }?.name } == ["Clerk", "Doe, John"])
    #expect(hearing.confidence == .confirmed)
    #expect(t.source(hearing.sources[0])?.url == "https://court.example/1")
    let lenient = try #require(t.event("x2"))
    #expect(lenient.date.description == "2022-01-01")
    #expect(lenient.end == nil)
    #expect(lenient.confidence == .reported)
    #expect(lenient.notes == "Location: Room 4")
    let utc = try #require(t.event("x3"))
    #expect(utc.date.description == "2022-01-05T09:30")
    #expect(utc.end?.description == "2022-01-05T11:00")
    #expect(utc.notes == "Cancelled (the calendar marks this event CANCELLED).")
    let paris = try #require(t.event("x4"))
    #expect(paris.date.description == "2022-01-06T14:00")
    #expect(paris.end?.description == "2022-01-06T15:30")
    #expect(paris.title == "A long summary that is folded overtwo lines")
  }

  @Test("a calendar cut off inside an event keeps its events (found by fuzzing: the import failed, unplaced)")
  func cutOff() throws {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20220110\r\nSUMMARY:Kept\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20220111\r\nSUMMARY:Cut"
    #expect(try load(text, "cut.ics").timeline.events.map(\.title) == ["Kept", "Cut"])
  }

  @Test("an event without a date or with a bad one is placed at its line")
  func problemsByLine() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:No date\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20221301\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n"
    #expect(
      problems(text, "c.ics") == [
        "c.ics:2: event 1: the event has no DTSTART",
        "c.ics:6: event 2, property \"DTSTART\": invalid DTSTART \"20221301\": the month must be 1 to 12, not 13",
      ])
  }
}

@Suite("Import: any spreadsheet")
struct CSVImportTests {
  @Test("guessed columns, ; lists, every date form, country names in English and French, sources by link or name")
  func guessed() throws {
    let text = """
      When,Headline,Description,Who,Country,Source,Confidence,Tags
      2003-02-18,ISO,,Ann;Bob,France;Allemagne,https://example.org/a,confirmed,x;y
      2/18/2003,US,,Bob,FR,AFP,rumored,
      18 Feb 2003,Written,,,Royaume-Uni,,,
      "Feb. 18, 2003",Written again,,,,,,
      2003-02-18T10:30:00Z,Timed,,,,,,
      2003-02,Month,,,,,,
      2003,Year,,,,,,
      ,,A message standing in for a title.,,,,,
      """
    var options = ImportOptions()
    options.skipBadRows = true
    let r = try load(text, "sheet.csv", options)
    let t = r.timeline
    #expect(r.skippedCount == 1)
    #expect(t.events.map(\.title) == ["Year", "Month", "ISO", "US", "Written", "Written again", "Timed"])
    let iso = try #require(t.events.first { $0.title == "ISO" })
    #expect(iso.people.count == 2)
    #expect(iso.countries == ["FR", "DE"])
    #expect(iso.tags == ["x", "y"])
    #expect(iso.confidence == .confirmed)
    #expect(t.source(iso.sources[0])?.url == "https://example.org/a")
    let us = try #require(t.events.first { $0.title == "US" })
    #expect(us.confidence == .rumoured)
    #expect(t.source(us.sources[0])?.title == "AFP")
    #expect(t.events.first { $0.title == "Written" }?.countries == ["GB"])
    #expect(t.events.first { $0.title == "Timed" }?.date.description == "2003-02-18T10:30")
  }

  @Test("a mapping names the columns; days first when told; a missing column is named")
  func mapping() throws {
    var options = ImportOptions()
    options.columns = try ImportOptions.parseColumns("date=Quand, title = Quoi\npeople=Qui # comment")
    options.dateOrder = .dayFirst
    options.separator = "|"
    let text = "Quand\tQuoi\tQui\n01/02/2003\tUn\tAnn|Bob\n"
    let t = try load(text, "f.tsv", options).timeline
    #expect(t.events.first?.date.description == "2003-02-01")
    #expect(t.events.first?.people.count == 2)
    options.columns[.date] = "Date"
    #expect(problems(text, "f.tsv", options) == [
      "f.tsv:1:1: row 1: no column \"Date\" for date; the columns are \"Quand\", \"Quoi\", \"Qui\""
    ])
    #expect(problems("A,B\n1,2\n", "g.csv") == [
      "g.csv:1:1: row 1: no column for a date or a title: the columns are \"A\", \"B\"; name them with --columns date=…,title=…"
    ])
    #expect(throws: ImportOptions.MappingError.self) { try ImportOptions.parseColumns("when=Date") }
  }

  @Test("bad cells name their row and column: dates, countries, confidence, an end before the start")
  func badCells() {
    let text = """
      Date,Title,Country,Confidence,End
      13/02/2003,Day first?,,,
      2003-02-18,Unknown country,Atlantis,,
      2003-02-18,Bad confidence,,sure,
      2003-02-18,Ends early,,,2003-01-01
      """
    #expect(
      problems(text, "b.csv") == [
        "b.csv:2:1: row 2, column \"Date\": invalid date \"13/02/2003\": \"13/02/2003\": there is no month 13; if days come first in this file, say so (--dates dmy)",
        "b.csv:3:28: row 3, column \"Country\": unknown country \"Atlantis\"",
        "b.csv:4:28: row 4, column \"Confidence\": invalid confidence \"sure\": expected one of \"confirmed\", \"reported\", \"rumoured\", \"disputed\"",
        "b.csv:5:25: row 5, column \"End\": the event ends (2003-01-01) before it starts (2003-02-18)",
      ])
  }
}

@Suite("Import: recognising formats")
struct FormatSniffTests {
  @Test(
    "the content decides; the extension settles what the content leaves open",
    arguments: [
      ("{\"format\": \"timeline/1\", \"events\": []}", "a.txt", TimelineFormat.timeline),
      ("{\"events\": [{\"start_date\": {\"year\": 1}}]}", "a.json", .timelinejs),
      ("{\"timeline\": {\"date\": [{\"startDate\": \"1\"}]}}", "a.json", .timelinejs2),
      ("BEGIN:VCALENDAR\r\n", "a.txt", .ics),
      ("Year,Month,Headline\n", "a.txt", .timelinejsCSV),
      ("Date\tTitle\n", "a.txt", .tsv),
      ("Date,Title\n", "a.tsv", .csv),
      ("\u{FEFF}Date;Title\n", "a.csv", .csv),
      ("", "a.ics", .ics),
      ("", "a.json", .timeline),
    ])
  func sniff(_ text: String, _ name: String, _ expected: TimelineFormat) {
    let bytes = Array(text.utf8)
    #expect(bytes.withUnsafeBufferPointer { TimelineFormat.sniff(prefix: $0, path: name) } == expected)
  }
}
