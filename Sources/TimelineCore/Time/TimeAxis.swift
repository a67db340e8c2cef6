/// Days counted from 1 January 1970 in the proleptic Gregorian calendar (negative before), for the
/// arithmetic a time axis needs: weeks, and day columns across month ends. Howard Hinnant's
/// `days_from_civil` and `civil_from_days`, exact for every year a date may have.
public enum CivilDays {
  public static func day(year: Int64, month: Int, day: Int) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  public static func civil(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = Int(doy - (153 * mp + 2) / 5 + 1)
    let m = Int(mp < 10 ? mp + 3 : mp - 9)
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  /// The day number of a day key (`TimelineDate.key`).
  public static func day(key: Int64) -> Int64 {
    let rest = key & 511
    return day(year: (key - rest) / 512, month: Int(rest / 32), day: Int(rest % 32))
  }

  /// The day key of a day number.
  public static func key(_ days: Int64) -> Int64 {
    let c = civil(days)
    return TimelineDate.key(c.year, UInt8(c.month), UInt8(c.day))
  }
}

/// A time axis across a number of columns: the span of dates it shows cut into equal calendar buckets
/// (days, weeks, months, quarters, half-years, or years by 1, 2, 5, 10, 20, 50…), as many as fit, each
/// given its share of the columns so the whole width is used; and round ticks to label it.
///
/// Pure date arithmetic, used by the time strip (and by any view that draws time across the screen):
/// it says which bucket a date falls in, which columns a bucket takes, which dates a column covers.
public struct TimeAxis: Hashable, Sendable {
  /// How long a bucket is.
  public enum Unit: Hashable, Sendable, Comparable { case day, week, month, year }

  public struct Step: Hashable, Sendable {
    public var unit: Unit
    public var count: Int64

    public init(unit: Unit, count: Int64) {
      self.unit = unit
      self.count = count
    }

    /// The steps an axis chooses among, finest first: up to 100 billion years, beyond the ±30 billion
    /// years a date may have.
    public static let all: [Step] = {
      var out = [Step(unit: .day, count: 1), Step(unit: .week, count: 1), Step(unit: .month, count: 1), Step(unit: .month, count: 3),
        Step(unit: .month, count: 6)]
      var scale: Int64 = 1
      while scale <= 100_000_000_000 {
        for m: Int64 in [1, 2, 5] { out.append(Step(unit: .year, count: m * scale)) }
        scale *= 10
      }
      return out
    }()
  }

  public let step: Step
  /// Index (in units of `step`) of the first bucket.
  public let first: Int64
  /// Number of buckets; at most `width`.
  public let count: Int
  public let width: Int
  /// The first and last day keys the axis was made for (the data's span).
  public let lower: Int64
  public let upper: Int64

  /// The finest axis whose buckets fit in `width` columns, from day key `lower` to `upper`.
  public init?(lower: Int64, upper: Int64, width: Int) {
    guard width > 0, lower <= upper else { return nil }
    for step in Step.all {
      let a = Self.index(ofDayKey: lower, step)
      let b = Self.index(ofDayKey: upper, step)
      if b - a + 1 <= Int64(width) {
        self.step = step
        first = a
        count = Int(b - a + 1)
        self.width = width
        self.lower = lower
        self.upper = upper
        return
      }
    }
    return nil
  }

  /// The bucket index (in step units, not relative to `first`) of a day key.
  static func index(ofDayKey key: Int64, _ step: Step) -> Int64 {
    let year = (key - (key & 511)) / 512
    let month = Int64((key & 511) / 32)
    switch step.unit {
    case .day: return floorDiv(CivilDays.day(key: key), step.count)
    case .week:
      // Weeks start on Monday; 1 January 1970 was a Thursday, day 3 of its week.
      return floorDiv(CivilDays.day(key: key) + 3, 7 * step.count)
    case .month: return floorDiv(year * 12 + max(0, month - 1), step.count)
    case .year: return floorDiv(year, step.count)
    }
  }

  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

  /// The bucket (0 for the first) a day key falls in; outside `0..<count` when outside the axis.
  public func bucket(ofDayKey key: Int64) -> Int { Int(Self.index(ofDayKey: key, step) - first) }

  /// The columns bucket `k` takes (every bucket at least one, the width shared out evenly).
  public func columns(ofBucket k: Int) -> Range<Int> { k * width / count..<(k + 1) * width / count }

  /// The bucket drawn at column `x` (0-based, within the width).
  public func bucket(atColumn x: Int) -> Int {
    // The last bucket whose first column is at or before x.
    var k = min(count - 1, max(0, x * count / width))
    while k > 0 && columns(ofBucket: k).lowerBound > x { k -= 1 }
    while k + 1 < count && columns(ofBucket: k + 1).lowerBound <= x { k += 1 }
    return k
  }

  /// The first and last day keys of bucket `k`.
  public func dayKeys(ofBucket k: Int) -> (lower: Int64, upper: Int64) {
    let i = first + Int64(k)
    switch step.unit {
    case .day:
      return (CivilDays.key(i * step.count), CivilDays.key(i * step.count + step.count - 1))
    case .week:
      let monday = i * 7 * step.count - 3
      return (CivilDays.key(monday), CivilDays.key(monday + 7 * step.count - 1))
    case .month:
      let m0 = i * step.count
      let m1 = m0 + step.count - 1
      let (y0, mo0) = (Self.floorDiv(m0, 12), Int(m0 - Self.floorDiv(m0, 12) * 12) + 1)
      let (y1, mo1) = (Self.floorDiv(m1, 12), Int(m1 - Self.floorDiv(m1, 12) * 12) + 1)
      return (TimelineDate.key(y0, UInt8(mo0), 1), TimelineDate.key(y1, UInt8(mo1), UInt8(TimelineDate.daysIn(month: UInt8(mo1), year: y1))))
    case .year:
      let y0 = max(TimelineDate.minYear, i * step.count)
      let y1 = min(TimelineDate.maxYear, i * step.count + step.count - 1)
      return (TimelineDate.key(y0, 1, 1), TimelineDate.key(y1, 12, 31))
    }
  }

  /// Bucket `k` as dates in the precision its step suggests: a day for days and weeks, a month for
  /// months and quarters, a year for years (what a date filter set from the axis says).
  public func dates(ofBucket k: Int) -> (lower: TimelineDate, upper: TimelineDate) {
    let (lo, hi) = dayKeys(ofBucket: k)
    let a = TimelineDate(dayKey: lo)
    let b = TimelineDate(dayKey: hi)
    switch step.unit {
    case .day, .week: return (a, b)
    case .month: return (TimelineDate(year: a.year, month: a.month)!, TimelineDate(year: b.year, month: b.month)!)
    case .year: return (TimelineDate(year: a.year)!, TimelineDate(year: b.year)!)
    }
  }

  // MARK: - Ticks

  /// A labelled point of the axis: the start of a round period.
  public struct Tick: Hashable, Sendable {
    /// The column of the bucket the tick falls in.
    public var column: Int
    /// Where its label starts: the tick's column, or less for the last label, so that it ends at the
    /// axis's end rather than running past it.
    public var labelColumn: Int
    public var dayKey: Int64
    public var label: String
  }

  /// Round ticks inside the axis's span (the first day of a month, a quarter, a year that is a multiple
  /// of 1, 2, 5, 10…, a Monday, a day), labelled only with what changed since the previous one
  /// ("25 Aug 2020", "26", "27"; "Aug 2020", "Sep"; "2016", "2018"), as dense as their labels allow
  /// with a space between them. `measure` gives a label's width in columns.
  public func ticks(measure: (String) -> Int) -> [Tick] {
    for candidate in Step.all where Self.divides(step, candidate) {
      guard estimatedTicks(every: candidate) <= Int64(width) else { continue }
      var ticks = ticks(every: candidate)
      guard !ticks.isEmpty else { continue }
      // The last label ends at the axis's end at the latest.
      ticks[ticks.count - 1].labelColumn = max(0, min(ticks[ticks.count - 1].column, width - measure(ticks[ticks.count - 1].label)))
      if zip(ticks, ticks.dropFirst()).allSatisfy({ a, b in b.labelColumn - a.labelColumn >= measure(a.label) + 1 }) { return ticks }
    }
    return []
  }

  /// Whether ticks every `b` suit an axis of step `a`: no finer, and on bucket starts (a month or a
  /// year on a week axis marks the week it falls in).
  static func divides(_ a: Step, _ b: Step) -> Bool {
    switch (a.unit, b.unit) {
    case (.day, _): return a.count == 1 || (b.unit == .day && b.count % a.count == 0)
    case (.week, .week): return b.count % a.count == 0
    case (.week, .month), (.week, .year): return true
    case (.month, .month): return b.count % a.count == 0
    case (.month, .year): return (12 * b.count) % a.count == 0
    case (.year, .year): return b.count % a.count == 0
    default: return false
    }
  }

  /// About how many ticks every `tick` the span holds (to pass over steps far too fine quickly).
  func estimatedTicks(every tick: Step) -> Int64 {
    let days = CivilDays.day(key: upper) - CivilDays.day(key: lower) + 1
    switch tick.unit {
    case .day: return days / tick.count
    case .week: return days / (7 * tick.count)
    case .month: return days / (28 * tick.count)
    case .year: return days / (365 * tick.count)
    }
  }

  /// Ticks at every start of a `tick` period inside the span. Years are round in the numbering people
  /// read: 200 BC, 100 BC, 100, 200 (year 0 is 1 BC).
  func ticks(every tick: Step) -> [Tick] {
    var keys: [Int64] = []
    switch tick.unit {
    case .day, .week:
      let lo = CivilDays.day(key: lower)
      let hi = CivilDays.day(key: upper)
      let stride = tick.unit == .day ? tick.count : 7 * tick.count
      // Days on the grid: multiples of the count; for weeks, Mondays (day 4, 5 January 1970, was one).
      let phase: Int64 = tick.unit == .week ? 4 : 0
      var d = lo + (((phase - lo) % stride) + stride) % stride
      while d <= hi {
        keys.append(CivilDays.key(d))
        d += stride
      }
    case .month:
      var m = Self.index(ofDayKey: lower, Step(unit: .month, count: 1)) + (lower & 31 == 1 ? 0 : 1)
      m += (tick.count - (((m % tick.count) + tick.count) % tick.count)) % tick.count
      while true {
        let y = Self.floorDiv(m, 12)
        let key = TimelineDate.key(y, UInt8(m - y * 12 + 1), 1)
        if key > upper { break }
        keys.append(key)
        m += tick.count
      }
    case .year:
      // From the first 1 January in the span.
      let first = (lower - (lower & 511)) / 512 + ((lower & 511) == 32 + 1 ? 0 : 1)
      let last = (upper - (upper & 511)) / 512
      guard first <= last else { break }
      // Before Christ the written number is 1 - year: multiples of the step there, largest first.
      if first <= 0 {
        let wHigh = 1 - first
        let wLow = 1 - min(last, 0)
        var w = wHigh / tick.count * tick.count
        while w >= wLow && w >= 1 {
          keys.append(TimelineDate.key(1 - w, 1, 1))
          w -= tick.count
        }
      }
      if last >= 1 {
        var y = (max(first, 1) + tick.count - 1) / tick.count * tick.count
        while y <= last {
          keys.append(TimelineDate.key(y, 1, 1))
          y += tick.count
        }
      }
    }
    var out: [Tick] = []
    var previous: (year: Int64, month: UInt8)?
    for key in keys where key >= lower && key <= upper {
      let k = bucket(ofDayKey: key)
      guard k >= 0 && k < count else { continue }
      let d = TimelineDate(dayKey: key)
      let label: String
      switch tick.unit {
      case .year: label = DateText.year(d.year)
      case .month:
        if previous?.year == d.year {
          label = DateText.shortMonthName(d.month)
        } else {
          label = d.month == 1 ? DateText.year(d.year) : "\(DateText.shortMonthName(d.month)) \(DateText.year(d.year))"
        }
      case .day, .week:
        if previous?.year == d.year && previous?.month == d.month {
          label = "\(d.day)"
        } else if previous?.year == d.year {
          label = "\(d.day) \(DateText.shortMonthName(d.month))"
        } else {
          label = "\(d.day) \(DateText.shortMonthName(d.month)) \(DateText.year(d.year))"
        }
      }
      let column = columns(ofBucket: k).lowerBound
      out.append(Tick(column: column, labelColumn: column, dayKey: key, label: label))
      previous = (d.year, d.month)
    }
    return out
  }
}
