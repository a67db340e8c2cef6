import Testing
import TimelineCore
@testable import TimelineUI

/// Dates in the explorer: `:` with a range, the time strip (zoom, ticks, eras, brushing with `v` and
/// the mouse), and years before Christ written one way everywhere.
@Suite("dates and the time strip")
struct TimeFlowTests {
  let t = Fixtures.bundled
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  func date(_ s: String) -> TimelineDate {
    guard case .success(let d) = TimelineDate.parse(s) else { preconditionFailure(s) }
    return d
  }

  /// The ids of the events whose span meets the range, from the raw dates.
  func meeting(_ from: String?, _ to: String?) -> [String] {
    t.ids { i in
      (from.map { t.endKey(at: i) >= date($0).lowerKey } ?? true) && (to.map { t.startKey(at: i) <= date($0).upperKey } ?? true)
    }
  }

  @Test(arguments: [
    ("2020-08..2020-09", "2020-08", "2020-09"), ("2020-08-23..", "2020-08-23", nil), ("..2016", nil, "2016"),
    (" 2021 .. 2022-02 ", "2021", "2022-02"),
  ] as [(String, String?, String?)])
  func aRangeAtTheColonFilters(_ text: String, _ from: String?, _ to: String?) {
    var s = initial
    press(&s, ":", "text:\(text)", "Enter")
    #expect(s.query.from == from.map(date) && s.query.to == to.map(date))
    #expect(s.resultIDs == meeting(from, to))
    #expect(s.results.count > 0 && s.results.count < t.count)
    let header = view(s).lines[1]
    #expect(header.contains("Filters: dates " + DateRangeText.describe(from: from.map(date), to: to.map(date))), "\(header)")
    // `x` clears it with the rest, and `u` brings it back.
    press(&s, "x")
    #expect(s.query == Query())
    press(&s, "u")
    #expect(s.query.from == from.map(date) && s.query.to == to.map(date))
  }

  @Test func aRangeThatEndsBeforeItStartsOrIsNoDateIsRefused() {
    var s = initial
    press(&s, ":", "text:2021..2020", "Enter")
    #expect(s.query == Query() && s.message == "the range ends before it starts")
    press(&s, ":", "text:2020-13..", "Enter")
    #expect(s.query == Query() && s.message?.hasPrefix("not a date: \"2020-13\"") == true)
    // ".." alone clears a range.
    press(&s, ":", "text:2020..", "Enter", ":", "text:..", "Enter")
    #expect(s.query == Query() && s.message == "date range cleared")
  }

  @Test func theStripZoomsToTheSpanTheFiltersLeave() throws {
    // Germany and France: every event between 25 and 27 August 2020, drawn as days (rough edge 9).
    var s = initial
    s.setQuery(Query(countries: ["DE", "FR"]))
    let axis = try #require(TimeStripView.axis(s, width: Fixtures.large.width - 2))
    #expect(axis.step.unit == .day, "\(axis.step)")
    let strip = view(s).lines[2...3].joined(separator: "\n")
    #expect(strip.contains("25 Aug 2020") && strip.contains(" 26 ") && strip.contains(" 27"), "\(strip)")
    // The whole case: round years, and the bars reach the right edge (rough edge 7).
    let lines = view(initial).lines
    #expect(lines[3].contains("2012") && lines[3].contains("2022"), "\(lines[3])")
    let bars = lines[2]
    #expect(bars.last(where: { $0 != " " }).map { _ in bars.count - (bars.lastIndex { $0 != " " }.map { bars.distance(from: bars.startIndex, to: $0) } ?? 0) } ?? 0 <= 2)
  }

  @Test func erasThatDoNotFitAreCounted() {
    // At 80×24 the strip has one row of eras: the others are counted, not dropped (rough edge 8).
    let s = AppState(timeline: t, size: Fixtures.medium)
    let row = view(s).lines[4]
    #expect(row.range(of: #"\+\d eras? *$"#, options: .regularExpression) != nil, "\(row)")
  }

  @Test func vBrushesARangeWithTheKeys() throws {
    var s = initial
    let start = try #require(s.resultIndex(ofID: "2016-09-investigation-begins"))
    s.select(start)
    press(&s, "v")
    #expect(s.brush != nil)
    #expect(s.message?.hasPrefix("range from ") == true)
    press(&s, "]", "]")  // two years on
    #expect(view(s).lines[2].contains { $0 != " " }, "the brushed bars are drawn")
    press(&s, "v")
    #expect(s.brush == nil)
    let from = try #require(s.query.from)
    let to = try #require(s.query.to)
    #expect(from.lowerKey <= date("2016-09-01").lowerKey && to.upperKey >= s.timeline.startKey(at: Int(s.selectedEvent!)))
    #expect(s.resultIDs == meeting(from.description, to.description))
    // Esc cancels a brush before anything else.
    press(&s, "v", "Esc")
    #expect(s.brush == nil && s.message == "range cancelled")
  }

  /// The screen column of the strip's bucket holding an event.
  func column(of id: String, _ s: AppState) throws -> Int {
    let (axis, rect) = try #require(TimeStripView.placedAxis(s))
    let e = try #require(s.timeline.event(withID: id))
    return rect.x + 1 + axis.columns(ofBucket: axis.bucket(ofDayKey: s.timeline.startKey(at: Int(e)))).lowerBound
  }

  @Test func aClickOnABarGoesThereAndAnotherSetsARange() throws {
    var s = initial
    let y = Layout(state: s).strip.y
    send(&s, .mouse(MouseEvent(.press, x: try column(of: "2019-12-aftenposten-activity-ends", s), y: y)))
    #expect(s.selectedID == "2019-12-aftenposten-activity-ends", "the first event of that period")
    #expect(s.query == Query())
    send(&s, .mouse(MouseEvent(.release, x: try column(of: "2019-12-aftenposten-activity-ends", s), y: y)))
    #expect(s.query == Query(), "a click is not a drag")
    send(&s, .mouse(MouseEvent(.press, x: try column(of: "2021-05-19-correa-sentenced", s), y: y + 1)))
    #expect(s.query.from != nil && s.query.to != nil, "a second click sets the range")
    #expect(s.resultIDs.first == "2019-12-aftenposten-activity-ends" || s.resultIDs.contains("2019-12-aftenposten-activity-ends"))
  }

  @Test func aDragOnTheStripSetsARange() throws {
    var s = initial
    let y = Layout(state: s).strip.y
    send(&s, .mouse(MouseEvent(.press, x: try column(of: "2016-09-investigation-begins", s), y: y)))
    send(&s, .mouse(MouseEvent(.release, x: try column(of: "2020-08-25-action-day", s), y: y)))
    let from = try #require(s.query.from)
    let to = try #require(s.query.to)
    #expect(from.lowerKey <= date("2016-09").lowerKey && to.upperKey >= date("2020-08-25").lowerKey)
    #expect(s.resultIDs == meeting(from.description, to.description))
  }

  @Test func aClickOnAnEraGoesToItsFirstEvent() throws {
    var s = initial
    let rect = Layout(state: s).strip
    let (axis, _) = try #require(TimeStripView.placedAxis(s))
    let placed = TimeStripView.eras(s, axis, rows: rect.height - 2, x0: rect.x + 1, maxX: rect.maxX - 1).shown
    let era = try #require(placed.first { $0.era.id == "investigation" })
    send(&s, .mouse(MouseEvent(.press, x: era.xs + 1, y: rect.y + 2 + era.row)))
    #expect(s.selectedID == "2016-09-investigation-begins")
    #expect(s.message == "era: The investigation")
  }

  @Test func yearsBeforeChristAreWrittenOneWayEverywhere() throws {
    // Rough edge 11: the list said -0044-03-15 where the heading said 45 BC.
    let tl = try MonkeyFindingsTests.timeline(dates: ["-0044-03-15", "2020"])
    var s = AppState(timeline: tl, size: Fixtures.large)
    let screen = view(s).text
    #expect(screen.contains("15 Mar 45 BC") && !screen.contains("-0044"), "\(screen)")
    #expect(screen.contains("45 BC ───"), "the heading")
    #expect(screen.contains("15 March 45 BC"), "the detail")
    press(&s, ":", "text:45 BC..", "Enter")
    #expect(view(s).lines[1].contains("dates from 45 BC"))
  }
}
