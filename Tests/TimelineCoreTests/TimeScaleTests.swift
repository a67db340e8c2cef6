import Testing
@testable import TimelineCore

/// The timeline view's time line: dates as minutes, zoom levels, windows, and the ticks of any window.
@Suite("time scale")
struct TimeScaleTests {
  static let year: Int64 = 525_949
  func date(_ s: String) -> TimelineDate { try! TimelineDate.parse(Array(s.utf8)).get() }
  func minute(_ s: String) -> Int64 { TimeScale.minute(date(s)) }

  @Test func civilDaysHoldAtTheEndsOfTheCalendar() {
    // TimeAxisTests checks CivilDays over ordinary years; the timeline view also goes to the ends.
    for year: Int64 in [-30_000_000_000, -13_800_000_000, 30_000_000_000] {
      let z = CivilDays.day(year: year, month: 2, day: 28)
      #expect(CivilDays.civil(z) == (year, 2, 28) && CivilDays.civil(z + 1) != (year, 2, 28))
    }
  }

  @Test func weekdays() {
    #expect(TimeScale.weekday(ofDay: 0) == 3, "1970-01-01 was a Thursday")
    #expect(TimeScale.weekday(ofDay: CivilDays.day(year: 2020, month: 8, day: 25)) == 1, "a Tuesday")
    #expect(TimeScale.weekday(ofDay: CivilDays.day(year: 1969, month: 12, day: 29)) == 0, "a Monday")
  }

  @Test func aDateCoversItsPrecision() {
    #expect(TimeScale.span(start: date("2020-08-25"), end: nil).count == 1440)
    #expect(TimeScale.span(start: date("2020-02"), end: nil).count == 29 * 1440)
    #expect(TimeScale.span(start: date("2020"), end: nil).count == 366 * 1440)
    #expect(TimeScale.span(start: date("2020-12"), end: nil).upperBound == minute("2021-01-01"))
    #expect(TimeScale.span(start: date("2020-08-25T14:30"), end: nil) == minute("2020-08-25") + 870..<minute("2020-08-25") + 871)
    #expect(TimeScale.span(start: date("2020-08-23"), end: date("2020-08"))  == minute("2020-08-23")..<minute("2020-09-01"))
    #expect(TimeScale.span(start: date("-0044-03-15"), end: nil).lowerBound == CivilDays.day(year: -44, month: 3, day: 15) * 1440)
  }

  @Test func zoomLevelsGrowAndFitTheWidestSpan() {
    #expect(TimeScale.scales.first == 1)
    #expect(zip(TimeScale.scales, TimeScale.scales.dropFirst()).allSatisfy { $0 < $1 && $1 <= $0 * 3 })
    let widest = minute("30000000000-12-31") - minute("-30000000000-01-01")
    #expect(TimeScale.scales.last! * 40 >= widest)
    // Zooming goes from level to level, from a scale between levels to the next one, and stops at the ends.
    #expect(TimeScale.zoomed(120, by: -1) == 60 && TimeScale.zoomed(120, by: 1) == 180 && TimeScale.zoomed(120, by: 2) == 360)
    #expect(TimeScale.zoomed(100, by: -1) == 60 && TimeScale.zoomed(100, by: 1) == 120)
    #expect(TimeScale.zoomed(1, by: -1) == 1 && TimeScale.zoomed(TimeScale.scales.last!, by: 1) == TimeScale.scales.last!)
    #expect(TimeScale.zoomed(TimeScale.scales.last! * 3, by: 1) == TimeScale.scales.last! * 3)
    #expect(TimeScale.zoomed(TimeScale.scales.last! * 3, by: -1) == TimeScale.scales.last!)
  }

  @Test func aWindowMapsMinutesToColumns() {
    let w = TimeScale.Window(start: 1000, scale: 60, columns: 10)
    #expect(w.column(1000) == 0 && w.column(1059) == 0 && w.column(1060) == 1 && w.column(999) == -1)
    #expect(w.end == 1600 && w.time(atColumn: 3) == 1180)
    #expect(w.columns(900..<1001) == 0...0)
    #expect(w.columns(900..<5000) == 0...9)
    #expect(w.columns(1600..<1700) == nil && w.columns(0..<1000) == nil)
    // Zooming keeps the focus where it was on screen.
    let focus: Int64 = 1_330
    for scale: Int64 in [1, 15, 600] {
      let z = w.zoomed(to: scale, keeping: focus)
      #expect(z.column(focus) == w.column(focus) && z.scale == scale)
    }
    #expect(TimeScale.Window(center: 10_000, scale: 10, columns: 20).column(10_000) == 10)
  }

  @Test func dayTicksOnTheActionWeek() {
    // 23 to 26 August 2020 over 48 columns: two hours a column, a day is 12 columns.
    let w = TimeScale.Window(start: minute("2020-08-23"), scale: 120, columns: 48)
    let (unit, ticks) = TimeScale.ticks(w)
    #expect(unit == .days)
    #expect(ticks.map(\.label) == ["Sun 23", "Mon 24", "Tue 25", "Wed 26"])
    #expect(ticks.map(\.column) == [0, 12, 24, 36])
    #expect(ticks.map(\.major) == [nil, nil, nil, nil])
    #expect(TimeScale.context(w, unit) == "Aug 2020")
    // An hour a column: ticks every 12 hours, the days above them.
    let fine = TimeScale.ticks(TimeScale.Window(start: minute("2020-08-23"), scale: 60, columns: 48))
    #expect(fine.unit == .hours(12))
    #expect(fine.ticks.map(\.label) == ["00:00", "12:00", "00:00", "12:00"])
    #expect(fine.ticks.map(\.major) == [nil, nil, "Mon 24 Aug 2020", nil])
  }

  @Test func monthTicksNameTheYearAtItsStart() {
    let w = TimeScale.Window(start: minute("2019-11-15"), scale: 2 * 1440, columns: 60)
    let (unit, ticks) = TimeScale.ticks(w)
    #expect(unit == .months(1))
    #expect(ticks.map(\.label) == ["Dec", "Jan", "Feb", "Mar"])
    #expect(ticks.map(\.column) == [8, 23, 39, 53])
    #expect(ticks.map(\.major) == [nil, "2020", nil, nil])
    #expect(TimeScale.context(w, unit) == "2019")
  }

  @Test func yearTicksAreRoundOnBothSidesOfYearZero() {
    let w = TimeScale.Window(start: minute("-0350"), scale: 10 * Self.year, columns: 70)
    let (unit, ticks) = TimeScale.ticks(w)
    #expect(unit == .years(100))
    #expect(unit.name == "centuries")
    #expect(ticks.map(\.label) == ["300 BC", "200 BC", "100 BC", "100", "200", "300"])
  }

  /// Every zoom level, at every width the explorer uses and anywhere in the calendar: labels never
  /// overlap (a column at least between them), ticks go left to right inside the window, and each
  /// unit the issue names (hours to millennia) is met on the way.
  @Test func ticksFitEveryZoomLevel() {
    var names: Set<String> = []
    let starts = [minute("2020-08-23"), minute("1999-12-31T23:00"), minute("-0044-03-15"), minute("-13800000000"), minute("29999999000")]
    for columns in [20, 40, 63, 110, 280] {
      for scale in TimeScale.scales {
        for start in starts {
          let w = TimeScale.Window(start: start, scale: scale, columns: columns)
          let (unit, ticks) = TimeScale.ticks(w)
          names.insert(unit.name)
          for t in ticks { #expect((0..<columns).contains(t.column), "\(unit) at \(scale): column \(t.column)") }
          for (a, b) in zip(ticks, ticks.dropFirst()) {
            #expect(a.column + max(a.label.count + 1, TimeScale.minimumTickGap) <= b.column, "\(unit) at \(scale) min/col: \(a.label) at \(a.column), \(b.label) at \(b.column)")
            #expect(a.time < b.time)
          }
        }
      }
    }
    for unit in ["hours", "days", "weeks", "months", "quarters", "years", "decades", "centuries", "millennia"] {
      #expect(names.contains(unit), "no zoom level shows \(unit)")
    }
  }
}
