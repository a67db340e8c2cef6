import Foundation
import Testing

@testable import TimelineCore

/// Reads every record of a CSV text, as strings, with the line each field starts on.
private func records(_ text: String, delimiter: UInt8 = UInt8(ascii: ",")) throws -> [[String]] {
  let bytes = Array(text.utf8)
  return try bytes.withUnsafeBufferPointer { buffer in
    var reader = CSVReader(buffer, delimiter: delimiter)
    var fields: [CSVReader.Field] = []
    var out: [[String]] = []
    while try reader.next(into: &fields) { out.append(fields.map(reader.string)) }
    return out
  }
}

@Suite("Import readers: CSV")
struct CSVReaderTests {
  @Test("quoted cells hold commas, doubled quotes and line breaks; CRLF, LF and a BOM are all fine")
  func quoting() throws {
    let text = "\u{FEFF}Year,Headline,Text\r\n1848,\"Paris, February\",\"He said \"\"no\"\".\r\nSecond line\"\r\n-44,Ides,\n"
    #expect(try records(text) == [["Year", "Headline", "Text"], ["1848", "Paris, February", "He said \"no\".\r\nSecond line"], ["-44", "Ides", ""]])
  }

  @Test("rows and lines: a cell spanning lines moves the next row's line, not its row number")
  func positions() throws {
    let bytes = Array("a,b\n\"x\ny\",z\n\n1,\"2\"\n".utf8)
    try bytes.withUnsafeBufferPointer { buffer in
      var reader = CSVReader(buffer, delimiter: UInt8(ascii: ","))
      var fields: [CSVReader.Field] = []
      var seen: [(record: Int, line: Int, fieldLines: [Int], columns: [Int])] = []
      while try reader.next(into: &fields) {
        seen.append((reader.record, reader.recordLine, fields.map(\.line), fields.map { reader.column(of: $0.offset) }))
      }
      #expect(seen.map(\.record) == [1, 2, 3])
      #expect(seen.map(\.line) == [1, 2, 5])
      #expect(seen[1].fieldLines == [2, 3])
      #expect(seen[1].columns == [1, 4])
      #expect(seen[2].columns == [1, 3])
    }
  }

  @Test("lenient like spreadsheets: a stray quote in a plain cell, text after a closing quote, a trailing delimiter")
  func lenient() throws {
    #expect(try records("a,5\" screen,\"quoted\" tail,\n") == [["a", "5\" screen", "quoted tail", ""]])
    #expect(try records("a\tb c\t\"d\te\"", delimiter: 9) == [["a", "b c", "d\te"]])
    #expect(try records("x") == [["x"]])
    #expect(try records("") == [])
    #expect(try records("\n\r\n\n") == [])
  }

  @Test("a quoted cell that never closes is an error at its first line")
  func unterminated() throws {
    let bytes = Array("a,b\n1,\"never\nclosed\n".utf8)
    bytes.withUnsafeBufferPointer { buffer in
      var reader = CSVReader(buffer, delimiter: UInt8(ascii: ","))
      var fields: [CSVReader.Field] = []
      do throws(CSVReader.SyntaxError) {
        while try reader.next(into: &fields) {}
        Issue.record("accepted")
      } catch {
        #expect(error.line == 2)
        #expect(reader.column(of: error.offset) == 3)
        #expect(error.message.hasPrefix("a quoted field is not closed"))
      }
    }
  }
}

@Suite("Import readers: HTML to text")
struct HTMLTextTests {
  @Test("paragraphs become blank lines, white space collapses, entities decode, links are kept")
  func paragraphs() {
    let html = """
      <p class="lead">Women have been programming since before it was a thing. Take <a href="https://en.wikipedia.org/wiki/Ada_Lovelace">Ada
        Lovelace</a>:&nbsp;she&rsquo;s often credited&hellip;</p><span class="tl-note">A &quot;note&quot; &amp; more &#233;&#x1F600;</span>
      """
    let r = HTMLText.plainText(html)
    #expect(r.text == "Women have been programming since before it was a thing. Take Ada Lovelace: she’s often credited…\n\nA \"note\" & more é😀")
    #expect(r.links == [HTMLText.Link(url: "https://en.wikipedia.org/wiki/Ada_Lovelace", text: "Ada Lovelace")])
  }

  @Test("line breaks, list items, scripts and frames, comments, skipped blocks")
  func structure() {
    #expect(HTMLText.plainText("one<br>two<br/>three").text == "one\ntwo\nthree")
    #expect(HTMLText.plainText("<ul><li>a</li><li>b</li></ul>after").text == "• a\n• b\n\nafter")
    #expect(HTMLText.plainText("<script>alert('x<p>')</script>text<!-- hidden <p> -->!").text == "text!")
    #expect(HTMLText.plainText("<iframe src='x'></iframe><blockquote>Quote</blockquote>").text == "Quote")
    #expect(HTMLText.plainText("<p>Kept</p><p data-timeline-skip>Sources: x</p>").text == "Kept")
  }

  @Test("text that is not markup stays text: a lone <, AT&T, plain line breaks")
  func notMarkup() {
    #expect(HTMLText.plainText("3 < 4 & AT&T").text == "3 < 4 & AT&T")
    #expect(HTMLText.plainText("line one\nline two").text == "line one\nline two")
    #expect(HTMLText.plainText("caf&eacute; &unknown; &#0; &#xD800;").text == "café &unknown; \u{FFFD} \u{FFFD}")
    #expect(HTMLText.plainText("<p>unclosed <a href='u'>link").links == [HTMLText.Link(url: "u", text: "link")])
    #expect(HTMLText.plainText("<p attr=\"no close").text == "<p attr=\"no close")
    #expect(HTMLText.namedEntities["yuml"] == 0xFF && HTMLText.namedEntities["eacute"] == 0xE9 && HTMLText.namedEntities["iexcl"] == 0xA1)
  }
}

@Suite("Import readers: iCalendar")
struct ICalendarReaderTests {
  @Test("folded lines are joined (even inside a character), parameters are read, lines are kept")
  func unfolding() {
    let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:A long summ\r\n ary with caf\u{00C3}\r\n\t\u{00A9}\r\nATTENDEE;CN=\"Doe, John\";ROLE=REQ-PARTICIPANT:mailto:j@x.org\r\ndtstart;value=date:20220101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    // The fold above cuts "é" (C3 A9) between its two bytes.
    var bytes = Array(text.utf8)
    if let k = bytes.firstIndex(of: 0xC3), bytes[k + 1] == 0x83 { bytes.replaceSubrange(k...(k + 1), with: [0xC3]) }
    if let k = bytes.firstIndex(of: 0xC2), bytes[k + 1] == 0xA9 { bytes.replaceSubrange(k...(k + 1), with: [0xA9]) }
    let (components, problems) = bytes.withUnsafeBufferPointer { ICalendarReader.read($0) }
    #expect(problems.isEmpty)
    let event = components.first?.children.first
    #expect(event?.name == "VEVENT")
    #expect(event?.first("SUMMARY")?.value == "A long summary with café")
    #expect(event?.first("SUMMARY")?.line == 3)
    #expect(event?.first("ATTENDEE")?.parameter("CN") == "Doe, John")
    #expect(event?.first("ATTENDEE")?.value == "mailto:j@x.org")
    #expect(event?.first("DTSTART")?.parameter("VALUE") == "date")
    #expect(event?.first("DTSTART")?.line == 7)
  }

  @Test("text escapes and lists with escaped commas")
  func escapes() {
    #expect(ICalendarReader.text("a\\, b\\; c\\nd\\\\e") == "a, b; c\nd\\e")
    #expect(ICalendarReader.textList("Meeting\\, John,Work\\, Sarah,Project") == ["Meeting, John", "Work, Sarah", "Project"])
    #expect(ICalendarReader.caretDecoded("a^'b^'^nc^^") == "a\"b\"\nc^")
  }

  @Test("broken calendars: stray lines are noted, unclosed components still count without a complaint")
  func broken() {
    let text = "BEGIN:VCALENDAR\nnot a property\nBEGIN:VEVENT\nSUMMARY:x\nEND:VTODO\n"
    let (components, problems) = Array(text.utf8).withUnsafeBufferPointer { ICalendarReader.read($0) }
    #expect(components.first?.children.first?.first("SUMMARY")?.value == "x")
    #expect(problems.map(\.line) == [2, 5])
  }
}

@Suite("Import readers: dates")
struct DateReadingTests {
  func flex(_ s: String, _ order: DateReading.NumericOrder = .monthFirst) -> String {
    switch DateReading.flexible(s, order: order) {
    case .success(let d): d.description
    case .failure(let f): "error: \(f)"
    }
  }

  @Test(
    "the forms spreadsheets hold",
    arguments: [
      ("2003", "2003"), ("2003-02", "2003-02"), ("2003-02-18", "2003-02-18"), ("2003-2-8", "2003-02-08"),
      ("2003-02-18T10:30", "2003-02-18T10:30"), ("2003-02-18T10:30:15Z", "2003-02-18T10:30"),
      ("2003-02-18 10:30:15.123+00:00", "2003-02-18T10:30"), ("2003-02-18T23:59:59-0500", "2003-02-18T23:59"),
      ("2003/02/18", "2003-02-18"), ("2/18/2003", "2003-02-18"), ("02/18/2003 4:05 PM", "2003-02-18T16:05"),
      ("18.02.2003", "2003-02-18"), ("18 Feb 2003", "2003-02-18"), ("Feb. 18, 2003", "2003-02-18"),
      ("February 18th, 2003", "2003-02-18"), ("Tue, 18 Feb 2003 10:00:00 +0000", "2003-02-18T10:00"),
      ("18 février 2003", "2003-02-18"), ("Sept 2003", "2003-09"), ("2003 Feb 18", "2003-02-18"), ("1er mai 1968", "1968-05-01"),
      ("44 BC", "-0043"), ("15 March 44 BC", "-0043-03-15"), ("c. 1850", "1850~"), ("circa 1850", "1850~"), ("1850?", "1850~"),
      ("-13800000000", "-13800000000"), ("12/1966", "1966-12"), ("-0044-03-15", "-0044-03-15"),
    ])
  func forms(_ input: String, _ expected: String) {
    #expect(flex(input) == expected)
  }

  @Test("day first when told; dots are always day first")
  func dayFirst() {
    #expect(flex("01/02/2003", .dayFirst) == "2003-02-01")
    #expect(flex("01/02/2003") == "2003-01-02")
    #expect(flex("13/02/2003") == "error: \"13/02/2003\": there is no month 13; if days come first in this file, say so (--dates dmy)")
  }

  @Test(
    "wrong dates are refused with the reason",
    arguments: [
      ("", "the date is empty"), ("2003-13-01", "the month must be 1 to 12, not 13"),
      ("2003-02-30", "the day must be 1 to 28 in that month, not 30"), ("2/18/03", "\"2/18/03\": a two-digit year is ambiguous; write the year in full"),
      ("yesterday", "\"yesterday\" is not a date this program reads: write YYYY-MM-DD, YYYY-MM or YYYY, MM/DD/YYYY, or 18 Feb 2003"),
      ("2003-02-18T25:00", "the hour must be 0 to 23, not 25"),
      ("Feb 2003 10:00", "\"Feb 2003 10:00\": a time of day needs a day"),
      ("123456789012", "the year must have 1 to 11 digits"),
    ])
  func refused(_ input: String, _ reason: String) {
    #expect(flex(input) == "error: \(reason)")
  }

  @Test("TimelineJS parts: strings or numbers, empty, leading zeros, thousands separators")
  func parts() throws {
    #expect(try DateReading.integerPart("05").get() == 5)
    #expect(try DateReading.integerPart("").get() == nil)
    #expect(try DateReading.integerPart(nil).get() == nil)
    #expect(try DateReading.integerPart("1,848").get() == 1848)
    #expect(try DateReading.integerPart("-13800000000").get() == -13_800_000_000)
    #expect(try DateReading.integerPart("1848.0").get() == 1848)
    #expect(throws: DateReading.Failure.self) { try DateReading.integerPart("March").get() }
    #expect(throws: DateReading.Failure.self) { try DateReading.integerPart("3.5").get() }
    let d = try? DateReading.timelineJSDate(year: 1815, month: 12, day: 10, hour: 7, minute: nil).get()
    #expect(d?.description == "1815-12-10T07:00")
    #expect(throws: DateReading.Failure.self) { try DateReading.timelineJSDate(year: 1815, month: nil, day: 10, hour: nil, minute: nil).get() }
  }

  @Test("the spreadsheet Time column", arguments: [("7:05", "7:5"), ("07:05:30.250", "7:5"), ("1305", "13:5"), ("1.30 pm", "13:30"), ("12am", "0:0"), ("12:15 p.m.", "12:15")])
  func times(_ input: String, _ expected: String) {
    let t = try? DateReading.timeOfDay(input).get()
    #expect(t.map { "\($0.hour):\($0.minute)" } == expected)
  }
}

@Suite("Import readers: JSON with positions")
struct JSONTreeTests {
  @Test("values keep their offsets; numbers keep their text; a JavaScript assignment is tolerated")
  func tree() throws {
    let text = "var timeline_json = {\"a\": [1, \"x\", -13800000000, true, null], \"b\": {\"c\": \"\\u00e9\"}};\n"
    let node = try Array(text.utf8).withUnsafeBufferPointer { try JSONNode.parse($0) }
    #expect(node.offset == 20)
    #expect(node["a"]?.elements?.map(\.text) == ["1", "x", "-13800000000", "true", nil])
    #expect(node["a"]?.elements?[1].offset == 30)
    #expect(node["b"]?["c"]?.string == "é")
  }

  @Test("syntax errors keep the decoder's wording and offset")
  func errors() {
    for (text, offset) in [("{\"a\": }", 6), ("", 0), ("{\"a\": 1} x", 9), ("[[[[", 4)] {
      let bytes = Array(text.utf8)
      do throws(SyntaxError) {
        _ = try bytes.withUnsafeBufferPointer { (b) throws(SyntaxError) in try JSONNode.parse(b) }
        Issue.record("accepted \(text)")
      } catch {
        #expect(error.offset == offset, "\(text): \(error.message)")
      }
    }
  }
}
