import Testing
import TimelineCore

private func date(_ s: String) -> TimelineDate {
  guard case .success(let d) = TimelineDate.parse(s) else { preconditionFailure("bad date literal \(s)") }
  return d
}

@Suite("Time axis")
struct TimeAxisTests {
  @Test("day numbers: 1970-01-01 is 0, and civil dates come back, BC and leap years included")
  func civilDays() {
    #expect(CivilDays.day(year: 1970, month: 1, day: 1) == 0)
    #expect(CivilDays.day(year: 2000, month: 3, day: 1) - CivilDays.day(year: 2000, month: 2, day: 28) == 2, "2000 is a leap year")
    #expect(CivilDays.day(year: 1900, month: 3, day: 1) - CivilDays.day(year: 1900, month: 2, day: 28) == 1, "1900 is not")
    for d: Int64 in [-800_000_000, -719_468, -1, 0, 18_500, 365_000_000] {
      let c = CivilDays.civil(d)
      #expect(CivilDays.day(year: c.year, month: c.month, day: c.day) == d)
    }
    #expect(CivilDays.day(key: date("2020-08-25").lowerKey) == 18_499)
  }

  @Test("the finest step that fits: three days draw days, a decade quarters, two millennia centuries")
  func steps() throws {
    let days = try #require(TimeAxis(lower: date("2020-08-25").lowerKey, upper: date("2020-08-27").upperKey, width: 118))
    #expect(days.step == .init(unit: .day, count: 1) && days.count == 3)
    let weeks = try #require(TimeAxis(lower: date("2020-01").lowerKey, upper: date("2021-06").upperKey, width: 100))
    #expect(weeks.step.unit == .week)
    let decade = try #require(TimeAxis(lower: date("2011").lowerKey, upper: date("2022").upperKey, width: 118))
    #expect(decade.step == .init(unit: .month, count: 3), "\(decade.step)")
    let long = try #require(TimeAxis(lower: date("-0044").lowerKey, upper: date("2021").upperKey, width: 118))
    #expect(long.step == .init(unit: .year, count: 20), "\(long.step)")
    #expect(long.count <= 118)
  }

  @Test("the buckets share out the whole width, each at least a column")
  func fullWidth() throws {
    for width in [40, 97, 118, 200] {
      let axis = try #require(TimeAxis(lower: date("2011").lowerKey, upper: date("2022-02-07").upperKey, width: width))
      #expect(axis.columns(ofBucket: 0).lowerBound == 0)
      #expect(axis.columns(ofBucket: axis.count - 1).upperBound == width, "rough edge 7: the strip ends at the edge")
      for k in 0..<axis.count {
        #expect(!axis.columns(ofBucket: k).isEmpty)
        for x in axis.columns(ofBucket: k) { #expect(axis.bucket(atColumn: x) == k) }
      }
    }
  }

  @Test("a bucket's dates: its first and last day, in the precision of its step")
  func bucketDates() throws {
    let weeks = try #require(TimeAxis(lower: date("2020-08-01").lowerKey, upper: date("2020-12-31").upperKey, width: 40))
    let k = weeks.bucket(ofDayKey: date("2020-08-26").lowerKey)
    #expect(weeks.dates(ofBucket: k).lower == date("2020-08-24"), "weeks start on Monday")
    #expect(weeks.dates(ofBucket: k).upper == date("2020-08-30"))
    let quarters = try #require(TimeAxis(lower: date("2011").lowerKey, upper: date("2022").upperKey, width: 118))
    let q = quarters.bucket(ofDayKey: date("2020-08-25").lowerKey)
    #expect(quarters.dates(ofBucket: q).lower == date("2020-07") && quarters.dates(ofBucket: q).upper == date("2020-09"))
  }

  @Test("ticks are round, inside the span, and say only what changed (the review's B10)")
  func ticks() throws {
    let long = try #require(TimeAxis(lower: date("-0044").lowerKey, upper: date("2021").upperKey, width: 118))
    let labels = long.ticks(measure: { $0.count }).map(\.label)
    // Every 200 years (the review saw 61 BC, 80, 140, 220…), none before the first event (45 BC).
    #expect(labels == (1...10).map { "\($0 * 200)" }, "\(labels)")

    let century = try #require(TimeAxis(lower: date("1900").lowerKey, upper: date("2024").upperKey, width: 118))
    let c = century.ticks(measure: { $0.count }).map(\.label)
    #expect(c.first == "1900" && c.compactMap { Int($0) }.allSatisfy { $0 % 10 == 0 }, "not 1912, 1922…: \(c)")

    let days = try #require(TimeAxis(lower: date("2020-08-25").lowerKey, upper: date("2020-08-27").upperKey, width: 118))
    #expect(days.ticks(measure: { $0.count }).map(\.label) == ["25 Aug 2020", "26", "27"])

    let months = try #require(TimeAxis(lower: date("2020-08-15").lowerKey, upper: date("2021-02-10").upperKey, width: 118))
    #expect(months.ticks(measure: { $0.count }).map(\.label).prefix(3) == ["Sep 2020", "Oct", "Nov"], "the 15th of August is not a month's start")
    // A label at the end ends at the axis's end.
    for axis in [long, century, days, months] {
      let last = try #require(axis.ticks(measure: { $0.count }).last)
      #expect(last.labelColumn + last.label.count <= axis.width)
    }
    for axis in [long, century, days, months] {
      for t in axis.ticks(measure: { $0.count }) { #expect(t.dayKey >= axis.lower && t.dayKey <= axis.upper) }
    }
  }

  @Test("lanes: each span on the first lane where it fits; none when all are taken")
  func lanes() {
    #expect(LanePacker.pack([0...10, 5...20, 12...30, 22...25, 0...3], lanes: 2) == [0, 1, 0, 1, nil])
    #expect(LanePacker.pack([0...5, 7...9], lanes: 1) == [0, 0])
    #expect(LanePacker.pack([0...5, 6...9], lanes: 1) == [0, nil], "a column between spans")
    #expect(LanePacker.pack([0...5], lanes: 0) == [nil])
  }
}
