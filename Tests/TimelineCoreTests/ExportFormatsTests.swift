import Foundation
import Testing

@testable import TimelineCore

@Suite("Export: iCalendar and TimelineJS")
struct ExportFormatsTests {
  static let events: [FixtureEvent] = [
    FixtureEvent(
      id: "raid-day", date: "2020-08-25", title: "Raids; arrests, and more", summary: "Line one\nline two, with a comma",
      countries: ["US", "CY"], people: ["jonatan-correa", "george-bridi"], tags: ["raid", "a, b"], sources: ["doj"]),
    FixtureEvent(id: "month", date: "2020-09", title: "A month", confidence: "reported"),
    FixtureEvent(id: "span", date: "2020-12-30", end: "2021", title: "A span", confidence: "rumoured"),
    FixtureEvent(id: "timed", date: "2020-08-25T14:30", end: "2020-08-25T16:00", title: "Timed"),
    FixtureEvent(id: "caesar", date: "-0044-03-15", title: "Far back"),
    FixtureEvent(id: "long", date: "2021-01-02~", title: String(repeating: "é", count: 100)),
  ]

  func ics() throws -> (Timeline, String) {
    let t = try Fixture.timeline(events: Self.events)
    return (t, ICalendarWriter.render(t, events: (0..<UInt32(t.count)).map { $0 }, now: Date(timeIntervalSince1970: 0)))
  }

  /// The unfolded properties of each VEVENT, by name (several values joined by "|").
  func vevents(_ text: String) -> [[String: String]] {
    let (components, problems) = Array(text.utf8).withUnsafeBufferPointer { ICalendarReader.read($0) }
    #expect(problems.isEmpty)
    return components.first?.children.map { e in
      var d: [String: String] = [:]
      for p in e.properties {
        let full = ([p.name] + p.parameters.map { "\($0.name)=\($0.value)" }).joined(separator: ";")
        d[p.name, default: ""] += (d[p.name] == nil ? "" : "|") + (full == p.name ? "" : full + ":") + p.value
      }
      return d
    } ?? []
  }

  @Test("day precision is all-day with an exclusive end; month and year spans say their precision; times float")
  func dates() throws {
    let (_, text) = try ics()
    let e = vevents(text)
    #expect(e.count == 5)  // -0044 cannot be written
    let byID = Dictionary(uniqueKeysWithValues: e.map { ($0["X-TIMELINE-ID"]!, $0) })
    #expect(byID["raid-day"]?["DTSTART"] == "DTSTART;VALUE=DATE:20200825")
    #expect(byID["raid-day"]?["DTEND"] == "DTEND;VALUE=DATE:20200826")
    #expect(byID["month"]?["DTSTART"] == "DTSTART;VALUE=DATE:20200901")
    #expect(byID["month"]?["DTEND"] == "DTEND;VALUE=DATE:20201001")
    #expect(byID["month"]?["DESCRIPTION"]?.contains("Date known to the month: September 2020.") == true)
    #expect(byID["span"]?["DTEND"] == "DTEND;VALUE=DATE:20220101")
    #expect(byID["span"]?["DESCRIPTION"]?.contains("End known to the year: 2021.") == true)
    #expect(byID["timed"]?["DTSTART"] == "20200825T143000")
    #expect(byID["timed"]?["DTEND"] == "20200825T160000")
    #expect(byID["long"]?["DESCRIPTION"]?.contains("Date known to the day: about 2 January 2021.") == true)
    #expect(byID["raid-day"]?["STATUS"] == "CONFIRMED")
    #expect(byID["month"]?["STATUS"] == "TENTATIVE")
  }

  @Test("text is escaped, categories keep their commas escaped, people are attendees by name")
  func escaping() throws {
    let (_, text) = try ics()
    let raid = vevents(text).first { $0["X-TIMELINE-ID"] == "raid-day" }!
    #expect(raid["SUMMARY"] == "Raids\\; arrests\\, and more")
    #expect(raid["CATEGORIES"].map(ICalendarReader.textList) == ["raid", "a, b"])
    #expect(raid["ATTENDEE"]?.contains("CN=Jonatan Correa;X-TIMELINE-ID=jonatan-correa:invalid:nomail") == true)
    #expect(raid["LOCATION"] == "United States\\, Cyprus")
    #expect(raid["X-TIMELINE-SUMMARY"] == "Line one\\nline two\\, with a comma")
  }

  @Test("lines are CRLF, at most 75 octets, folded between characters; UIDs are stable and distinct")
  func lines() throws {
    let (t, text) = try ics()
    let bytes = Array(text.utf8)
    var lineStart = 0
    for i in 0..<bytes.count where bytes[i] == 0x0A {
      #expect(i > 0 && bytes[i - 1] == 0x0D)
      #expect(i - 1 - lineStart <= 75)
      // A continuation never starts inside a character.
      if i + 2 < bytes.count, bytes[i + 1] == 0x20 { #expect(bytes[i + 2] & 0xC0 != 0x80) }
      lineStart = i + 1
    }
    let again = ICalendarWriter.render(t, events: (0..<UInt32(t.count)).map { $0 }, now: Date(timeIntervalSince1970: 0))
    #expect(again == text)
    let uids = vevents(text).compactMap { $0["UID"] }
    #expect(Set(uids).count == uids.count)
    #expect(uids.allSatisfy { $0.hasSuffix("@timeline") })
    #expect(ICalendarWriter.unrepresentable(t, events: (0..<UInt32(t.count)).map { $0 }) == 1)
  }

  @Test("TimelineJS dates carry exactly their precision's parts; approximate dates say so; far years go cosmological")
  func timelineJSDates() throws {
    let t = try Fixture.timeline(events: Self.events)
    let json = TimelineJSWriter.render(t, events: (0..<UInt32(t.count)).map { $0 })
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(root["scale"] as? String == "human")
    let events = try #require(root["events"] as? [[String: Any]])
    let byID = Dictionary(uniqueKeysWithValues: events.map { ($0["unique_id"] as! String, $0) })
    #expect(byID["month"]?["start_date"] as? [String: Int] == ["year": 2020, "month": 9])
    #expect(byID["caesar"]?["start_date"] as? [String: Int] == ["year": -44, "month": 3, "day": 15])
    #expect(byID["timed"]?["start_date"] as? [String: Int] == ["year": 2020, "month": 8, "day": 25, "hour": 14, "minute": 30])
    #expect((byID["long"]?["start_date"] as? [String: Any])?["display_date"] as? String == "about 2 January 2021")
    #expect(byID["raid-day"]?["group"] as? String == "United States")
    let text = try #require((byID["raid-day"]?["text"] as? [String: String])?["text"])
    #expect(text.hasPrefix("<p>Line one<br>line two, with a comma</p><p data-timeline-skip>People: Jonatan Correa, George Bridi"))

    let far = try Fixture.timeline(events: [FixtureEvent(id: "bang", date: "-13800000000", title: "Big Bang")])
    let cosmic = try #require(try JSONSerialization.jsonObject(with: Data(TimelineJSWriter.render(far, events: [0]).utf8)) as? [String: Any])
    #expect(cosmic["scale"] as? String == "cosmological")
  }

  @Test("HTML text: paragraphs, line breaks, runs of spaces and markup characters survive")
  func paragraphs() {
    #expect(TimelineJSWriter.paragraphs("a\n\nb <c> & d\ne") == "<p>a</p><p>b &lt;c&gt; &amp; d<br>e</p>")
    #expect(TimelineJSWriter.inline("two  spaces ") == "two &nbsp;spaces&nbsp;")
    for s in ["a\n\nb <c> & \"d\"\ne", "two  spaces", "tab\there", "x  \n  y"] {
      #expect(HTMLText.plainText(TimelineJSWriter.paragraphs(s)).text == s, "\(s.debugDescription)")
    }
  }
}
