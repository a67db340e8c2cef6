import Testing
import TimelineCore

// Every problem a user can make in a timeline file must come back as a compiler-style message with the
// exact line and column (1-based, counted in characters), the event or person it belongs to, the field,
// and a message that says what is wrong. Raw documents (`Fixture.raw`) put their events on line 5.

/// Checks one diagnostic in full.
private func expectDiagnostic(
  _ d: Diagnostic?, line: Int, column: Int, subject: String?, field: String?, message: String,
  file: String = "test.json", sourceLocation: SourceLocation = #_sourceLocation
) {
  guard let d else {
    Issue.record("no diagnostic", sourceLocation: sourceLocation)
    return
  }
  #expect(d.file == file, sourceLocation: sourceLocation)
  #expect(d.line == line, "line", sourceLocation: sourceLocation)
  #expect(d.column == column, "column", sourceLocation: sourceLocation)
  #expect(d.subject == subject, sourceLocation: sourceLocation)
  #expect(d.field == field, sourceLocation: sourceLocation)
  #expect(d.message == message, sourceLocation: sourceLocation)
}

/// The only diagnostic of a document that must fail with exactly one problem.
private func single(_ text: String, fileName: String = "test.json", sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic? {
  single(Array(text.utf8), fileName: fileName, sourceLocation: sourceLocation)
}

private func single(_ bytes: [UInt8], fileName: String = "test.json", sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic? {
  let list = Fixture.diagnostics(bytes, fileName: fileName, sourceLocation: sourceLocation)
  #expect(list.count == 1, "expected one problem, got:\n\(list.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
  return list.first
}

@Suite("Decoder errors: malformed JSON")
struct MalformedJSONTests {
  @Test("a missing comma between two members of an event")
  func missingCommaInEvent() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1" "date": "2020-08-25", "title": "T", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    let d = single(doc)
    expectDiagnostic(d, line: 5, column: 13, subject: "event \"e1\"", field: "id", message: "expected ',' or '}' in an event, found '\"'")
    #expect(d?.description == #"test.json:5:13: event "e1", field "id": expected ',' or '}' in an event, found '"'"#)
  }

  @Test("a missing comma between two events")
  func missingCommaBetweenEvents() {
    let doc = Fixture.raw(events: [Fixture.rawEvent("e1") + "\n" + Fixture.rawEvent("e2")])
    let d = single(doc)
    expectDiagnostic(d, line: 6, column: 1, subject: nil, field: "events", message: "expected ',' or ']' in the \"events\" array, found '{'")
  }

  @Test("garbage after the end of the document")
  func trailingGarbage() {
    let d = single(Fixture.raw(events: [Fixture.rawEvent("e1")]) + "xyz\n")
    expectDiagnostic(d, line: 7, column: 1, subject: nil, field: nil, message: "unexpected 'x' after the end of the timeline document")
    #expect(d?.description == "test.json:7:1: unexpected 'x' after the end of the timeline document")

    // A stray closing brace, the usual leftover of an edit.
    let brace = single(Fixture.raw(events: [Fixture.rawEvent("e1")]) + "  }")
    expectDiagnostic(brace, line: 7, column: 3, subject: nil, field: nil, message: "unexpected '}' after the end of the timeline document")
  }

  @Test("an unterminated string is reported at its opening quote")
  func unterminatedString() {
    let doc = Fixture.rawHead() + #"{"id": "e1", "date": "2020-08-25", "title": "Never closed"#
    let d = single(doc)
    expectDiagnostic(
      d, line: 5, column: 45, subject: "event \"e1\"", field: "title",
      message: "unterminated string: the file ends before its closing quote")
  }

  @Test("a raw line break inside a string")
  func rawNewline() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "Broken"# + "\n"
        + #" title", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    let d = single(doc)
    expectDiagnostic(
      d, line: 5, column: 52, subject: "event \"e1\"", field: "title",
      message: #"a raw line break inside a string; write it as an escape such as \n or \u00XX"#)
  }

  @Test("an invalid escape")
  func invalidEscape() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "C:\windows", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(single(doc), line: 5, column: 48, subject: "event \"e1\"", field: "title", message: #"invalid escape \w in a string"#)
  }

  @Test("lone surrogates in \\u escapes")
  func loneSurrogate() {
    let high = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "bad \ud800 here", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(
      single(high), line: 5, column: 50, subject: "event \"e1\"", field: "title",
      message: #"unpaired surrogate \uD800: a high surrogate must be followed by a low one"#)

    let low = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "bad \udc00", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(single(low), line: 5, column: 50, subject: "event \"e1\"", field: "title", message: #"unpaired surrogate \uDC00"#)
  }

  @Test("a surrogate pair decodes to one character")
  func surrogatePair() throws {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "\ud83c\udfac Sparks", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    let t = try TimelineDecoder.decode(Array(doc.utf8), fileName: "test.json")
    #expect(t.title(at: 0) == "🎬 Sparks")
  }

  @Test("invalid UTF-8 bytes, with the column counted in characters")
  func invalidUTF8() {
    let line = #"{"id": "e1", "date": "2020-08-25", "title": "Café X", "confidence": "confirmed", "sources": ["afp"]}"#
    // Replace the X with a byte that cannot start a character; "é" before it is one column, two bytes.
    var bytes = Array(Fixture.raw(events: [line]).utf8)
    let x = bytes.firstIndex(of: UInt8(ascii: "X"))!
    bytes[x] = 0xFF
    expectDiagnostic(
      single(bytes), line: 5, column: 51, subject: "event \"e1\"", field: "title",
      message: "invalid UTF-8: byte 0xFF cannot start a character")

    // A lead byte followed by something that does not continue it.
    bytes[x] = 0xC3
    bytes[x + 1] = UInt8(ascii: "(")
    expectDiagnostic(
      single(bytes), line: 5, column: 51, subject: "event \"e1\"", field: "title",
      message: "invalid UTF-8: byte 0x28 is not a valid continuation")
  }

  @Test("an empty file, a blank file, a file holding only a BOM, and a file that is not an object")
  func emptyFile() {
    let empty = single("", fileName: "empty.json")
    expectDiagnostic(
      empty, line: 1, column: 1, subject: nil, field: nil,
      message: "the file is empty; expected a timeline document (a JSON object)", file: "empty.json")
    #expect(empty?.description == "empty.json:1:1: the file is empty; expected a timeline document (a JSON object)")

    expectDiagnostic(
      single("\n\n  "), line: 3, column: 3, subject: nil, field: nil,
      message: "the file is empty; expected a timeline document (a JSON object)")
    expectDiagnostic(
      single([0xEF, 0xBB, 0xBF]), line: 1, column: 1, subject: nil, field: nil,
      message: "the file is empty; expected a timeline document (a JSON object)")
    expectDiagnostic(
      single("[]"), line: 1, column: 1, subject: nil, field: nil,
      message: "expected a timeline document (a JSON object), found an array")
  }
}

@Suite("Decoder errors: positions")
struct PositionTests {
  @Test("columns count characters: an accented title before the error on the same line")
  func accentedLine() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "title": "Arrestation à Paphos, République de Chypre", "date": "2020-02-30", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    // 77 characters in, 79 bytes in.
    expectDiagnostic(
      single(doc), line: 5, column: 77, subject: "event \"e1\"", field: "date",
      message: #"invalid date "2020-02-30": the day must be 01 to 29 in that month"#)
  }

  @Test("a CRLF file: line ends of two bytes do not shift lines or columns")
  func crlf() {
    let doc = Fixture.raw(events: [
      Fixture.rawEvent("e1", "2020-13-01"),
      Fixture.rawEvent("e2", "2020-08-25"),
      Fixture.rawEvent("e3", "2020-8"),
    ]).replacingOccurrences(of: "\n", with: "\r\n")
    #expect(doc.utf8.filter { $0 == 0x0D }.count == 8)
    let list = Fixture.diagnostics(doc, fileName: "crlf.json")
    #expect(list.count == 2)
    expectDiagnostic(
      list.first, line: 5, column: 22, subject: "event \"e1\"", field: "date",
      message: #"invalid date "2020-13-01": the month must be 01 to 12"#, file: "crlf.json")
    expectDiagnostic(
      list.last, line: 7, column: 22, subject: "event \"e3\"", field: "date",
      message: #"invalid date "2020-8": expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, optionally followed by ~"#, file: "crlf.json")

    // Trailing garbage after a CRLF: on the next line, column 1.
    let garbage = Fixture.raw(events: [Fixture.rawEvent("e1")]).replacingOccurrences(of: "\n", with: "\r\n") + "x"
    expectDiagnostic(single(garbage), line: 7, column: 1, subject: nil, field: nil, message: "unexpected 'x' after the end of the timeline document")
  }

  @Test("a file starting with a UTF-8 BOM: the BOM is not a column")
  func byteOrderMark() throws {
    let body = #"{"title": 42, "description": "", "sources": [], "events": []}"#
    let d = single([0xEF, 0xBB, 0xBF] + Array(body.utf8), fileName: "bom.json")
    expectDiagnostic(d, line: 1, column: 11, subject: nil, field: "title", message: "expected a string, found a number", file: "bom.json")
    #expect(d?.description == #"bom.json:1:11: field "title": expected a string, found a number"#)

    // A valid file with a BOM loads, and the BOM does not reach the title.
    let good = [0xEF, 0xBB, 0xBF] + Array(Fixture.raw(events: [Fixture.rawEvent("e1")]).utf8)
    let t = try TimelineDecoder.decode(good, fileName: "bom.json")
    #expect(t.title == "Test timeline")
    #expect(t.count == 1)
  }
}

@Suite("Decoder errors: content")
struct ContentErrorTests {
  @Test("a number where a string is expected, and a string where an array is expected")
  func wrongType() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": 42, "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    let d = single(doc)
    expectDiagnostic(d, line: 5, column: 45, subject: "event \"e1\"", field: "title", message: "expected a string, found a number")
    #expect(d?.description == #"test.json:5:45: event "e1", field "title": expected a string, found a number"#)

    let list = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "T", "countries": "FR", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(single(list), line: 5, column: 63, subject: "event \"e1\"", field: "countries", message: "expected an array, found a string")
  }

  @Test("a title that is there but invalid is not also reported missing")
  func presentButInvalid() {
    let empty = #"{"title": "", "description": "", "sources": [], "events": []}"#
    expectDiagnostic(single(empty), line: 1, column: 11, subject: nil, field: "title", message: "must not be empty")
    let wrong = #"{"title": "T", "description": null, "sources": [], "events": []}"#
    expectDiagnostic(single(wrong), line: 1, column: 31, subject: nil, field: "description", message: "expected a string, found null")
  }

  @Test("missing fields of an event, of an event without id, and of the document")
  func missingFields() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25"}"#,
      #"{"date": "2020-08-25", "title": "T", "confidence": "confirmed", "sources": ["afp"]}"#,
    ])
    let list = Fixture.diagnostics(doc)
    #expect(list.count == 2)
    expectDiagnostic(
      list.first, line: 5, column: 1, subject: "event \"e1\"", field: nil, message: #"missing fields "title", "confidence", "sources""#)
    expectDiagnostic(list.last, line: 6, column: 1, subject: "event #2", field: nil, message: #"missing field "id""#)

    let top = Fixture.diagnostics("{}")
    #expect(top.map(\.message) == [
      #"missing field "title""#, #"missing field "description""#, #"missing field "sources""#, #"missing field "events""#,
    ])
    #expect(top.allSatisfy { $0.line == 1 && $0.column == 1 && $0.subject == nil && $0.field == nil })
  }

  @Test(
    "invalid dates are refused with the reason",
    arguments: [
      ("2020-13-01", "the month must be 01 to 12"),
      ("2020-00", "the month must be 01 to 12"),
      ("2020-02-30", "the day must be 01 to 29 in that month"),
      ("2021-02-29", "the day must be 01 to 28 in that month"),
      ("2020-08-00", "the day must be 01 to 31 in that month"),
      ("2020-00-05", "the month must be 01 to 12"),
      ("2020-8", "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, optionally followed by ~"),
      ("2020-08-25T10", "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, optionally followed by ~"),
      ("2020-08-25T24:00", "the time must be 00:00 to 23:59"),
      ("", "a date is empty; expected YYYY, YYYY-MM or YYYY-MM-DD"),
      ("123456789012", "the year must have 1 to 11 digits and lie within -30000000000 and 30000000000"),
      ("-30000000001", "the year must have 1 to 11 digits and lie within -30000000000 and 30000000000"),
    ])
  func badDate(date: String, reason: String) {
    let doc = Fixture.raw(events: [Fixture.rawEvent("e1", date)])
    expectDiagnostic(single(doc), line: 5, column: 22, subject: "event \"e1\"", field: "date", message: "invalid date \"\(date)\": \(reason)")
  }

  @Test("29 February exists in 2020, not in 2021")
  func leapDay() throws {
    let t = try TimelineDecoder.decode(Array(Fixture.raw(events: [Fixture.rawEvent("e1", "2020-02-29")]).utf8), fileName: "test.json")
    #expect(t.date(at: 0).description == "2020-02-29")
    let d = single(Fixture.raw(events: [Fixture.rawEvent("e1", "2021-02-29")]))
    #expect(d?.message == #"invalid date "2021-02-29": the day must be 01 to 28 in that month"#)
  }

  @Test("an unknown country code, accepted once declared under \"countries\"")
  func unknownCountry() throws {
    let line = #"{"id": "e1", "date": "2020-08-25", "title": "Europol", "countries": ["NL", "EU"], "confidence": "confirmed", "sources": ["afp"]}"#
    let d = single(Fixture.raw(events: [line]))
    expectDiagnostic(
      d, line: 5, column: 76, subject: "event \"e1\"", field: "countries",
      message: #"unknown country code "EU" (did you mean "AU" or "CU" or "EC"?); declare it under "countries" to use a code outside ISO 3166-1"#
    )

    let declared = Fixture.raw(
      events: [line], extraTop: #" "countries": {"EU": {"name": "European Union", "name_fr": "Union européenne"}},"#)
    let t = try TimelineDecoder.decode(Array(declared.utf8), fileName: "test.json")
    #expect(t.countryCodes(at: 0) == ["NL", "EU"])
    #expect(t.countries[code: "EU"]?.nameFR == "Union européenne")
    // The declared names are searchable like the built-in ones.
    #expect(t.matching(Query(text: "union europeenne")) == ["e1"])
  }

  @Test("a lower-case code or a country name is not a code, and the message says which code was meant")
  func malformedCountryCode() {
    let lower = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "T", "countries": ["fr"], "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(
      single(lower), line: 5, column: 64, subject: "event \"e1\"", field: "countries",
      message: #"invalid country code "fr": expected an ISO 3166-1 alpha-2 code such as "FR" ("fr" is FR)"#)
  }

  @Test("an event citing an unknown person: one message, at the first citation, with a suggestion")
  func unknownPerson() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "T", "people": ["george-bridi", "jonatan-corea"], "confidence": "confirmed", "sources": ["afp"]}"#,
      #"{"id": "e2", "date": "2020-08-26", "title": "T", "people": ["jonatan-corea"], "confidence": "confirmed", "sources": ["afp"]}"#,
    ])
    let d = single(doc)
    expectDiagnostic(
      d, line: 5, column: 77, subject: "event \"e1\"", field: "people",
      message: #"unknown person "jonatan-corea" (did you mean "jonatan-correa"?); cited 2 times in all, first here"#)
  }

  @Test("an event citing an unknown source, with a suggestion")
  func unknownSource() {
    let doc = Fixture.raw(events: [
      Fixture.rawEvent("e1"), Fixture.rawEvent("e2"),
      #"{"id": "e3", "date": "2020-08-25", "title": "T", "confidence": "confirmed", "sources": ["afp", "dj"]}"#,
    ])
    let d = single(doc)
    expectDiagnostic(d, line: 7, column: 96, subject: "event \"e3\"", field: "sources", message: #"unknown source "dj" (did you mean "doj"?)"#)
    #expect(d?.description == #"test.json:7:96: event "e3", field "sources": unknown source "dj" (did you mean "doj"?)"#)
  }

  @Test("duplicate event ids: the message names where the id was first used")
  func duplicateEventID() {
    let doc = Fixture.raw(events: [Fixture.rawEvent("e1"), Fixture.rawEvent("e2"), Fixture.rawEvent("e1", "2020-09-01")])
    expectDiagnostic(
      single(doc), line: 7, column: 8, subject: "event \"e1\"", field: "id", message: "duplicate event id; it is first used at line 5, column 8")
  }

  @Test("duplicate person ids")
  func duplicatePersonID() {
    let people = #"{"id": "p1", "name": "A", "role": "r"}, {"id": "p1", "name": "B", "role": "r"}"#
    let doc = Fixture.raw(events: [Fixture.rawEvent("e1")], people: people)
    expectDiagnostic(
      single(doc), line: 3, column: 52, subject: "person \"p1\"", field: "id", message: "duplicate person id; it is first used at line 3, column 12")
  }

  @Test("an unknown field, with a suggestion; in an event and in the document")
  func unknownField() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "titel": "T", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    let list = Fixture.diagnostics(doc)
    #expect(list.count == 2)
    // The event has no title, since it was misspelled: reported at the event's start, before the key.
    expectDiagnostic(list.first, line: 5, column: 1, subject: "event \"e1\"", field: nil, message: #"missing field "title""#)
    expectDiagnostic(
      list.last, line: 5, column: 36, subject: "event \"e1\"", field: "titel",
      message: #"unknown field (did you mean "title"?); known fields are "id", "date", "end", "title", "summary", "countries", "people", "tags", "confidence", "sources", "notes" (extension fields start with "x-")"#
    )

    let top = Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "x-editor": "me", "titel": "x","#)
    expectDiagnostic(
      single(top), line: 1, column: 83, subject: nil, field: "titel",
      message: #"unknown field (did you mean "title"?); known fields are "$schema", "format", "title", "description", "countries", "sources", "people", "eras", "events" (extension fields start with "x-")"#
    )
  }

  @Test("x- and x_ extension fields are accepted anywhere, whatever they hold")
  func extensionFields() throws {
    let doc = Fixture.raw(
      events: [Fixture.rawEvent("e1", extra: #", "x-editor": {"checked": [true, null, -1.5e3, {"deep": []}]}, "x_note": "ok""#)],
      people: #"{"id": "p1", "name": "A", "role": "r", "x-wikidata": "Q1"}"#,
      extraTop: #" "x-generator": {"name": "hand", "version": 2},"#)
    let t = try TimelineDecoder.decode(Array(doc.utf8), fileName: "test.json")
    #expect(t.count == 1)
    #expect(t.people.map(\.id) == ["p1"])
  }

  @Test("a key twice in one object")
  func duplicateKeys() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "T", "date": "2020-08-26", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(single(doc), line: 5, column: 50, subject: "event \"e1\"", field: "date", message: "duplicate key; each key may appear once in an event")

    let top = Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "title": "Again","#)
    expectDiagnostic(single(top), line: 1, column: 65, subject: nil, field: "title", message: "duplicate key; each key may appear once in an object")
  }

  @Test("an event that ends before it starts; a month-precision end in the start's month is fine")
  func endBeforeStart() throws {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "end": "2020-08-24", "title": "T", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(
      single(doc), line: 5, column: 43, subject: "event \"e1\"", field: "end", message: "the event ends (2020-08-24) before it starts (2020-08-25)")

    let month = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "end": "2020-08", "title": "T", "confidence": "confirmed", "sources": ["afp"]}"#
    ])
    let t = try TimelineDecoder.decode(Array(month.utf8), fileName: "test.json")
    #expect(t.endDate(at: 0)?.description == "2020-08")
  }

  @Test("an event must cite at least one source")
  func emptySources() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "T", "confidence": "confirmed", "sources": []}"#
    ])
    expectDiagnostic(single(doc), line: 5, column: 1, subject: "event \"e1\"", field: "sources", message: "an event must cite at least one source")
  }

  @Test("an unknown confidence, with a suggestion")
  func badConfidence() {
    let doc = Fixture.raw(events: [
      #"{"id": "e1", "date": "2020-08-25", "title": "T", "confidence": "confimed", "sources": ["afp"]}"#
    ])
    expectDiagnostic(
      single(doc), line: 5, column: 64, subject: "event \"e1\"", field: "confidence",
      message: #"invalid confidence "confimed": expected one of "confirmed", "reported", "rumoured", "disputed" (did you mean "confirmed"?)"#)
  }

  @Test("an unsupported format marker")
  func unsupportedFormat() {
    let d = single(Fixture.raw(events: [Fixture.rawEvent("e1")], extraTop: #" "format": "timeline/2","#))
    expectDiagnostic(
      d, line: 1, column: 75, subject: nil, field: "format", message: #"unsupported format "timeline/2"; this program reads "timeline/1""#)
  }
}

@Suite("Decoder errors: whole files")
struct WholeFileTests {
  @Test("every problem of a file is reported at once, in file order")
  func allProblems() {
    let doc = Fixture.raw(events: [
      Fixture.rawEvent("e1", "2020-13-01"),
      #"{"id": "e2", "date": "2020-08-25", "title": "T", "countries": ["EU"], "confidence": "confirmed", "sources": ["afp"]}"#,
      Fixture.rawEvent("e1"),
      #"{"id": "e4", "date": "2020-08-25", "title": "T", "people": ["nobody"], "confidence": "confirmed", "sources": ["afp"]}"#,
      #"{"id": "e5", "date": "2020-08-25", "confidence": "confirmed", "sources": []}"#,
      #"{"id": "e6", "date": "2020-08-25", "end": "2020-08-01", "title": "T", "confidence": "confirmed", "sources": ["afp"]}"#,
      #"{"id": "e7", "date": "2020-08-25", "title": "T", "confidence": "sure", "sources": ["afp"]}"#,
    ])
    guard let failure = Fixture.failure(doc, fileName: "case.json") else { return }
    let list = failure.diagnostics
    #expect(list.count == 8)
    #expect(failure.omitted == 0)
    #expect(list.map(\.line) == [5, 6, 7, 8, 9, 9, 10, 11])
    #expect(list.map(\.subject) == ["event \"e1\"", "event \"e2\"", "event \"e1\"", "event \"e4\"", "event \"e5\"", "event \"e5\"", "event \"e6\"", "event \"e7\""])
    #expect(list.map(\.field) == ["date", "countries", "id", "people", nil, "sources", "end", "confidence"])
    #expect(list[3].message == #"unknown person "nobody""#)
    // The failure prints as one compiler-style line per problem.
    let lines = failure.description.split(separator: "\n").map(String.init)
    #expect(lines.count == 8)
    #expect(lines.first == #"case.json:5:22: event "e1", field "date": invalid date "2020-13-01": the month must be 01 to 12"#)
    #expect(lines[4] == #"case.json:9:1: event "e5": missing field "title""#)
    #expect(lines.allSatisfy { $0.hasPrefix("case.json:") })
  }

  @Test("problems found before a syntax error are kept")
  func problemsThenSyntaxError() {
    let doc = Fixture.raw(events: [
      Fixture.rawEvent("e1", "2020-13-01"),
      #"{"id": "e2" "date": "2020-08-25"}"#,
    ])
    let list = Fixture.diagnostics(doc)
    #expect(list.map(\.line) == [5, 6])
    #expect(list.last?.message == "expected ',' or '}' in an event, found '\"'")
  }

  @Test("a file with very many different problems lists the first 200 and counts the rest")
  func manyProblems() {
    // A different date in each event, so that no two problems are alike.
    let events = (0..<250).map { Fixture.rawEvent("e\($0)", "\(1000 + $0)-13-01") }
    guard let failure = Fixture.failure(Fixture.raw(events: events)) else { return }
    #expect(failure.diagnostics.count == DecodeFailure.limit)
    #expect(failure.omitted == 50)
    #expect(failure.description.hasSuffix("\n… and 50 more problems"))
    #expect(failure.diagnostics.last?.line == 5 + 199)
    #expect(failure.diagnostics.allSatisfy { $0.moreLikeIt == 0 })
  }

  @Test("identical problems are listed three times, then counted: one repeated mistake does not hide the others")
  func identicalProblemsGrouped() {
    // The same unknown confidence in 20,000 events, a bad date in one of them, and a second kind of
    // repeated problem (an end before the start) in 10 events.
    var events = (0..<20_000).map { Fixture.rawEvent("e\($0)").replacingOccurrences(of: "\"confirmed\"", with: "\"sure\"") }
    events[5_000] = events[5_000].replacingOccurrences(of: "2020-08-25", with: "2020-13-01")
    for i in 10_000..<10_010 { events[i] = events[i].replacingOccurrences(of: "}", with: #", "end": "2020-08-01"}"#) }
    guard let failure = Fixture.failure(Fixture.raw(events: events), fileName: "big.json") else { return }
    let list = failure.diagnostics
    #expect(failure.omitted == 0)
    #expect(list.map(\.line) == [5, 6, 7, 5_005, 10_005, 10_006, 10_007])
    #expect(list.map(\.moreLikeIt) == [0, 0, 20_000 - 3, 0, 0, 0, 10 - 3])
    let lines = failure.description.split(separator: "\n").map(String.init)
    #expect(lines.count == 9)
    #expect(lines[2].hasPrefix(#"big.json:7:"#) && lines[2].contains(#"event "e2", field "confidence""#), "\(lines[2])")
    #expect(lines[3] == "… and 19,997 more like it")
    #expect(lines[4].hasPrefix("big.json:5005:") && lines[4].contains("2020-13-01"), "\(lines[4])")
    #expect(lines[8] == "… and 7 more like it")
  }
}
