import Testing
import TimelineCore

@Suite("Dates")
struct DateTests {
  @Test("each precision parses, and prints back as written")
  func precisions() throws {
    let year = try TimelineDate.at("2020")
    #expect(year.precision == .year)
    #expect((year.year, year.month, year.day) == (2020, 0, 0))

    let month = try TimelineDate.at("2020-08")
    #expect(month.precision == .month)
    #expect((month.year, month.month, month.day) == (2020, 8, 0))

    let day = try TimelineDate.at("2020-08-25")
    #expect(day.precision == .day)
    #expect((day.year, day.month, day.day) == (2020, 8, 25))

    for s in ["2020", "2020-08", "2020-08-25", "2020-08-27~", "2020~", "-0044-03-15", "0850"] {
      #expect(try TimelineDate.at(s).description == s)
    }
  }

  @Test("a span that ends earlier the same day is refused; ending later the same day is fine")
  func endBeforeStartWithTimes() throws {
    let bad = Fixture.diagnostics(
      Fixture.document(events: [FixtureEvent(id: "e1", date: "2020-08-25T14:30", end: "2020-08-25T09:00", title: "T")]))
    #expect(bad.map(\.message) == ["the event ends (2020-08-25T09:00) before it starts (2020-08-25T14:30)"])
    // A day without a time covers the whole day, so it does not end before a time on that day.
    _ = try Fixture.timeline(events: [FixtureEvent(id: "e1", date: "2020-08-25T14:30", end: "2020-08-25", title: "T")])
    _ = try Fixture.timeline(events: [FixtureEvent(id: "e1", date: "2020-08-25", end: "2020-08-25T00:10", title: "T")])
  }

  @Test("a trailing ~ marks a date approximate without changing it")
  func approximate() throws {
    let d = try TimelineDate.at("2020-08-27~")
    #expect(d.isApproximate)
    #expect(d.precision == .day)
    #expect(d.lowerKey == (try TimelineDate.at("2020-08-27")).lowerKey)
    #expect(!(try TimelineDate.at("2020-08-27")).isApproximate)
    #expect(try TimelineDate.at("2019-12~").precision == .month)
    #expect(DateText.long(d) == "about 27 August 2020")
  }

  @Test("negative years and years below 1000")
  func earlyYears() throws {
    let ides = try TimelineDate.at("-0044-03-15")
    #expect((ides.year, ides.month, ides.day) == (-44, 3, 15))
    #expect(DateText.long(ides) == "15 March 45 BC")

    let padded = try TimelineDate.at("0850")
    let bare = try TimelineDate.at("850")
    #expect(padded.year == 850)
    #expect(bare == padded)
    #expect(bare.description == "0850")
    #expect(try TimelineDate.at("-44").year == -44)
    #expect(try TimelineDate.at("999999").year == 999_999)
  }

  @Test("cosmological years: the Big Bang and beyond, in order, in 8 bytes")
  func hugeYears() throws {
    let bigBang = try TimelineDate.at("-13800000000")
    #expect(bigBang.year == -13_800_000_000)
    #expect(bigBang.description == "-13800000000")
    #expect(DateText.long(bigBang) == "13800000001 BC")
    #expect(try TimelineDate.at("-30000000000").year == TimelineDate.minYear)
    #expect(try TimelineDate.at("30000000000-12-31").upperKey > (try TimelineDate.at("2020")).upperKey)
    let written = ["2020", "-13800000000", "-4500000000", "-65000000", "-300"]
    #expect(try written.map { try TimelineDate.at($0) }.sorted().map(\.description) == ["-13800000000", "-4500000000", "-65000000", "-0300", "2020"])
    #expect(TimelineDate(dayKey: bigBang.lowerKey).description == "-13800000000-01-01")
    // Two per event in a timeline: an optional date must stay as small as a date.
    #expect(MemoryLayout<TimelineDate>.size == 8)
    #expect(MemoryLayout<TimelineDate?>.size == 8)
  }

  @Test("a time of day is kept to the minute, printed back, and orders events within their day")
  func timeOfDay() throws {
    let d = try TimelineDate.at("2020-08-25T14:05")
    #expect(d.precision == .day)
    #expect((d.hour, d.minute, d.minuteOfDay) == (14, 5, 845))
    #expect(d.description == "2020-08-25T14:05")
    #expect(try TimelineDate.at("2020-08-25T00:00~").description == "2020-08-25T00:00~")
    #expect(DateText.long(d) == "25 August 2020, 14:05")
    #expect(d.lowerKey == (try TimelineDate.at("2020-08-25")).lowerKey)
    #expect(d.withoutTime == (try TimelineDate.at("2020-08-25")))
    #expect(try TimelineDate.at("2020-08-25") < TimelineDate.at("2020-08-25T00:00"))
    #expect(try TimelineDate.at("2020-08-25T09:59") < TimelineDate.at("2020-08-25T10:00"))
    #expect(TimelineDate(year: 2020, month: 8, hour: 10, minute: 0) == nil)
    #expect(TimelineDate(year: 2020, month: 8, day: 1, hour: 10) == nil)
  }

  @Test("leap years follow the proleptic Gregorian calendar, year 0 and negative years included")
  func leapYears() throws {
    #expect(throws: Never.self) { try TimelineDate.at("2000-02-29") }
    #expect(throws: Never.self) { try TimelineDate.at("0000-02-29") }
    #expect(throws: Never.self) { try TimelineDate.at("-0004-02-29") }
    #expect(TimelineDate.parse("1900-02-29") == .failure(.dayOutOfRange(daysInMonth: 28)))
    #expect(TimelineDate.parse("-0001-02-29") == .failure(.dayOutOfRange(daysInMonth: 28)))
    #expect(TimelineDate.parse("2020-04-31") == .failure(.dayOutOfRange(daysInMonth: 30)))
  }

  @Test(
    "malformed dates are refused, never accepted as another date",
    arguments: [
      "2020-8", "2020-08-5", "2020-", "2020-08-", "20-08-2020", "2020/08/25", " 2020", "2020 ", "2020-08-25~~", "~2020", "+2020",
      "2020-008", "123456789012", "30000000001", "", "-", "2020-08-25T10", "2020-08-25T1:00", "2020-08T10:00",
      "2020T10:00", "2020-08-25 10:00", "2020-08-25T10:00:00", "2020-08-25T24:00", "2020-08-25T10:60", "2020-08-25t10:00", "2020-00", "2020-08-00", "2020-00-05", "2020-13",
    ])
  func malformed(_ s: String) {
    guard case .failure = TimelineDate.parse(s) else {
      Issue.record("\"\(s)\" was accepted as \(TimelineDate.parse(s))")
      return
    }
  }

  @Test("month 00 and day 00 are out of range, not a coarser precision")
  func zeroParts() {
    #expect(TimelineDate.parse("2020-00") == .failure(.monthOutOfRange))
    #expect(TimelineDate.parse("2020-08-00") == .failure(.dayOutOfRange(daysInMonth: 31)))
    #expect(TimelineDate.parse("2020-00-05") == .failure(.monthOutOfRange))
  }

  @Test("the first and last day a date can mean")
  func bounds() throws {
    let month = try TimelineDate.at("2020-02")
    #expect(month.lowerKey == (try TimelineDate.at("2020-02-01")).lowerKey)
    #expect(month.upperKey == (try TimelineDate.at("2020-02-29")).lowerKey)
    let year = try TimelineDate.at("2021")
    #expect(year.lowerKey == (try TimelineDate.at("2021-01-01")).lowerKey)
    #expect(year.upperKey == (try TimelineDate.at("2021-12-31")).lowerKey)
    #expect(TimelineDate(dayKey: (try TimelineDate.at("-0044-03-15")).lowerKey).description == "-0044-03-15")
  }

  @Test("negative years sort before positive ones, and earlier BC years before later ones")
  func negativeOrder() throws {
    let written = ["2020", "0850", "-0044-03-15", "-0500", "0000", "850-01-01", "-0044"]
    let sorted = try written.map { try TimelineDate.at($0) }.sorted().map(\.description)
    #expect(sorted == ["-0500", "-0044", "-0044-03-15", "0000", "0850", "0850-01-01", "2020"])
  }

  @Test("in a timeline, events sort by first day; on the same day a year comes before a month before a day; then file order")
  func timelineOrder() throws {
    let events = [
      FixtureEvent(id: "aug-25", date: "2020-08-25", title: "T"),
      FixtureEvent(id: "aug-01-day", date: "2020-08-01", title: "T"),
      FixtureEvent(id: "aug-month", date: "2020-08", title: "T"),
      FixtureEvent(id: "sep-month", date: "2020-09", title: "T"),
      FixtureEvent(id: "sep-01-day", date: "2020-09-01", title: "T"),
      FixtureEvent(id: "year-2020", date: "2020", title: "T"),
      FixtureEvent(id: "jul-31", date: "2020-07-31", title: "T"),
      FixtureEvent(id: "caesar", date: "-0044-03-15", title: "T"),
      FixtureEvent(id: "aug-01-approx", date: "2020-08-01~", title: "T"),
      FixtureEvent(id: "year-0850", date: "850", title: "T"),
      FixtureEvent(id: "jan-01", date: "2020-01-01", title: "T"),
    ]
    let t = try Fixture.timeline(events: events)
    #expect(
      t.allIDs == [
        "caesar", "year-0850", "year-2020", "jan-01", "jul-31", "aug-month", "aug-01-day", "aug-01-approx", "aug-25",
        "sep-month", "sep-01-day",
      ])
    // fileIndex gives back where each event was in the file.
    #expect(t.fileIndex(at: 0) == 7)
    #expect(t.checkInvariants() == nil)
  }

  @Test("in a timeline, timed events of a day follow its untimed ones in time order, and the Big Bang comes first")
  func timedOrder() throws {
    let events = [
      FixtureEvent(id: "evening", date: "2020-08-25T21:00", title: "T"),
      FixtureEvent(id: "day", date: "2020-08-25", title: "T"),
      FixtureEvent(id: "morning", date: "2020-08-25T08:30", title: "T"),
      FixtureEvent(id: "next-day", date: "2020-08-26", title: "T"),
      FixtureEvent(id: "morning-too", date: "2020-08-25T08:30", title: "T"),
      FixtureEvent(id: "big-bang", date: "-13800000000", title: "T"),
    ]
    let t = try Fixture.timeline(events: events)
    #expect(t.allIDs == ["big-bang", "day", "morning", "morning-too", "evening", "next-day"])
    #expect(t.checkInvariants() == nil)
  }

  @Test("year-only events come before their year's months, so each month has one heading (the review's file)")
  func yearOnlyEventsFirst() throws {
    let events = [
      FixtureEvent(id: "A", date: "2020-01", title: "month"), FixtureEvent(id: "B", date: "2020", title: "year"),
      FixtureEvent(id: "C", date: "2020-01-01", title: "day"), FixtureEvent(id: "D", date: "2020", title: "year"),
      FixtureEvent(id: "E", date: "2020-01", title: "month"),
    ]
    let t = try Fixture.timeline(events: events)
    #expect(t.allIDs == ["B", "D", "A", "E", "C"])
    #expect(t.checkInvariants() == nil)
    let streamed = try TimelineLoader.load(path: try PropertyTests.write(Fixture.document(events: events)), options: .init(forceStreaming: true))
    #expect(streamed.allIDs == t.allIDs)
  }

  @Test("a file already in order keeps it, including runs of equal days")
  func alreadySorted() throws {
    let events = (0..<20).map { FixtureEvent(id: "e\($0)", date: $0 < 10 ? "2020-08-25" : "2020-08-26", title: "T") }
    let t = try Fixture.timeline(events: events)
    #expect(t.allIDs == events.map(\.id))
  }
}
