import TimelineCore

/// How many results start in each month (or each group of months, for timelines spanning thousands
/// of years), from the first result's month to the last's. Computed once per filter change, so the
/// time strip can be bucketed for any width on every frame for the cost of the months, not the events.
public struct MonthHistogram: Hashable, Sendable {
  /// Month number (year × 12 + month − 1) of the first count.
  public var firstMonth: Int
  /// Months per count: 1, or a multiple of 12 when the span is very long.
  public var unit: Int
  public var counts: [Int32]

  public static let empty = MonthHistogram(firstMonth: 0, unit: 1, counts: [])

  /// Month number of a date (a year-precision date counts in its January).
  public static func month(of d: TimelineDate) -> Int { Int(d.year) * 12 + max(0, Int(d.month) - 1) }

  public init(firstMonth: Int, unit: Int, counts: [Int32]) {
    self.firstMonth = firstMonth
    self.unit = unit
    self.counts = counts
  }

  public init(timeline t: Timeline, results: [UInt32]) {
    guard let f = results.first, let l = results.last else {
      self = .empty
      return
    }
    let first = Self.month(of: t.date(at: Int(f)))
    let last = Self.month(of: t.date(at: Int(l)))
    let span = last - first + 1
    // Keep the array small for very long timelines (over 2,000 years): count whole groups of years, a
    // group that is one of the time strip's bucket sizes, so that the strip can still choose among
    // the larger ones (any other unit left it only its largest, 10,000 years a bucket).
    let unit = span > 24_000 ? TimeStripView.bucketSizes.first { $0 % 12 == 0 && (span + $0 - 1) / $0 <= 2_000 } ?? TimeStripView.bucketSizes.last! : 1
    let origin = unit == 1 ? first : Int((Double(first) / Double(unit)).rounded(.down)) * unit
    var counts = [Int32](repeating: 0, count: (last - origin) / unit + 1)
    for e in results { counts[(Self.month(of: t.date(at: Int(e))) - origin) / unit] += 1 }
    self.init(firstMonth: origin, unit: unit, counts: counts)
  }

  public var lastMonth: Int { firstMonth + counts.count * unit - 1 }
}
