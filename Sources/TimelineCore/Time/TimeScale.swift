/// Time as a line of minutes, shown through a window that zooms and pans: what the timeline view draws
/// on. `TimeAxis` cuts a span of days into buckets that fill a width (the time strip, which shows all
/// there is); a `TimeScale.Window` shows any stretch at any scale, from a minute a column to billions
/// of years, and labels it with `TimeAxis`'s calendar steps (plus minutes and hours) on round
/// boundaries that `TimeAxis` finds.
///
/// A time is a count of minutes from 1 January 1970 in the proleptic Gregorian calendar (`CivilDays`;
/// a date without a time of day is its midnight): the whole range of `TimelineDate` (±30 billion years,
/// 1.6 × 10¹⁶ minutes) fits an `Int64` with room to spare, and a linear scale makes zooming and
/// panning plain arithmetic.
public enum TimeScale {
  public static let minutesPerDay: Int64 = 1440

  // MARK: - Dates on the line

  /// The first minute a date can mean: its first day's midnight, or its time of day.
  public static func minute(_ d: TimelineDate) -> Int64 {
    CivilDays.day(key: d.lowerKey) * minutesPerDay + Int64(d.minuteOfDay ?? 0)
  }

  /// The minute just after the last one a date can mean: the end of its day, month or year (a time of
  /// day is a minute).
  public static func minuteAfter(_ d: TimelineDate) -> Int64 {
    if let m = d.minuteOfDay { return CivilDays.day(key: d.lowerKey) * minutesPerDay + Int64(m) + 1 }
    return (CivilDays.day(key: d.upperKey) + 1) * minutesPerDay
  }

  /// What an event covers: from its start's first minute to just after its end's last (or its
  /// start's, without an end).
  public static func span(start: TimelineDate, end: TimelineDate?) -> Range<Int64> {
    let lo = minute(start)
    return lo..<max(lo + 1, minuteAfter(end ?? start))
  }

  /// The day key (`TimelineDate.key`) of the day a minute falls in.
  public static func dayKey(ofMinute t: Int64) -> Int64 { CivilDays.key(floorDiv(t, minutesPerDay)) }

  // MARK: - Zoom

  /// Minutes per column at each zoom level, finest first: a minute, then steps of about 2 to 2.5 up to
  /// 5 billion years a column (the widest span a date may take, ±30 billion years, fits 40 columns).
  /// Months and years are counted at their average length (30.436875 and 365.2425 days).
  public static let scales: [Int64] = {
    let month: Int64 = 43_830
    let year: Int64 = 525_949
    var out: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 5 * 1440, 10_080, 20_160]
    out += [month, 2 * month, 3 * month, 6 * month]
    var years: Int64 = 1
    while years <= 5_000_000_000 {
      for k: Int64 in [1, 2, 5] where years * k <= 5_000_000_000 { out.append(years * k * year) }
      years *= 10
    }
    return out
  }()

  /// The scale `steps` levels finer (negative) or coarser than `scale`, which may lie between levels
  /// (a window fitted to the events): the first step goes to the next level on that side. Past the
  /// ends of the ladder the scale stays.
  public static func zoomed(_ scale: Int64, by steps: Int) -> Int64 {
    guard steps != 0 else { return scale }
    var i: Int
    if steps < 0 {
      i = (scales.lastIndex { $0 < scale } ?? 0) + steps + 1
    } else {
      i = (scales.firstIndex { $0 > scale } ?? scales.count - 1) + steps - 1
    }
    i = min(max(0, i), scales.count - 1)
    if steps < 0 && scales[i] >= scale { return scale }
    if steps > 0 && scales[i] <= scale { return scale }
    return scales[i]
  }

  /// A stretch of the line shown in columns: column 0 starts at `start`, each column is `scale` minutes.
  public struct Window: Hashable, Sendable {
    public var start: Int64
    public var scale: Int64
    public var columns: Int

    public init(start: Int64, scale: Int64, columns: Int) {
      self.start = start
      self.scale = max(1, scale)
      self.columns = max(0, columns)
    }

    /// The window of `columns` columns at `scale` whose middle is `center`.
    public init(center: Int64, scale: Int64, columns: Int) {
      self.init(start: center - Int64(max(0, columns)) * max(1, scale) / 2, scale: scale, columns: columns)
    }

    public var end: Int64 { start + Int64(columns) * scale }

    /// The column a minute falls in (outside `0..<columns` when the minute is not shown).
    public func column(_ t: Int64) -> Int { Int(clamping: floorDiv(t - start, scale)) }

    /// The first minute of a column.
    public func time(atColumn c: Int) -> Int64 { start + Int64(c) * scale }

    /// The columns a span covers, clipped to the window; nil when none is shown.
    public func columns(_ span: Range<Int64>) -> ClosedRange<Int>? {
      guard span.upperBound > start, span.lowerBound < end else { return nil }
      return max(0, column(span.lowerBound))...min(columns - 1, column(span.upperBound - 1))
    }

    /// The same window at another scale, with the minute `focus` kept in the same column.
    public func zoomed(to newScale: Int64, keeping focus: Int64) -> Window {
      let c = Int64(column(focus))
      // Where in its column the focus is, as a fraction (in Double: the product of two scales can pass
      // Int64's range at the widest levels).
      let within = Int64((Double(floorMod(focus - start, scale)) / Double(scale) * Double(newScale)).rounded(.down))
      return Window(start: focus - c * newScale - within, scale: newScale, columns: columns)
    }
  }

  // MARK: - Ticks

  /// What lies between two ticks: minutes or hours, or one of `TimeAxis`'s calendar steps (days, weeks,
  /// months, quarters, half-years, years by 1, 2, 5, 10…).
  public enum Unit: Hashable, Sendable {
    case minutes(Int)
    case hours(Int)
    case calendar(TimeAxis.Step)

    public static let days = Unit.calendar(TimeAxis.Step(unit: .day, count: 1))
    public static let weeks = Unit.calendar(TimeAxis.Step(unit: .week, count: 1))
    public static func months(_ n: Int64) -> Unit { .calendar(TimeAxis.Step(unit: .month, count: n)) }
    public static func years(_ n: Int64) -> Unit { .calendar(TimeAxis.Step(unit: .year, count: n)) }

    /// The shortest stretch between two ticks, in minutes (months have 28 days at least).
    var shortest: Int64 {
      switch self {
      case .minutes(let n): Int64(n)
      case .hours(let n): Int64(n) * 60
      case .calendar(let s):
        switch s.unit {
        case .day: s.count * minutesPerDay
        case .week: s.count * 7 * minutesPerDay
        case .month: s.count * 28 * minutesPerDay
        case .year: s.count * 365 * minutesPerDay
        }
      }
    }

    /// The unit in words, as the axis shows it: "hours", "days", "quarters", "decades", "5 years".
    public var name: String {
      switch self {
      case .minutes(let n): return "\(n) minutes"
      case .hours(1): return "hours"
      case .hours(let n): return "\(n) hours"
      case .calendar(let s):
        switch (s.unit, s.count) {
        case (.day, 1): return "days"
        case (.day, let n): return "\(n) days"
        case (.week, 1): return "weeks"
        case (.week, let n): return "\(n) weeks"
        case (.month, 1): return "months"
        case (.month, 3): return "quarters"
        case (.month, let n): return "\(n) months"
        case (.year, 1): return "years"
        case (.year, 10): return "decades"
        case (.year, 100): return "centuries"
        case (.year, 1000): return "millennia"
        case (.year, let n): return "\(grouped(n)) years"
        }
      }
    }

    /// Whether this unit is finer than a day, a month or a year.
    public var isFinerThanADay: Bool {
      if case .calendar = self { return false }
      return true
    }
    public var isFinerThanAMonth: Bool {
      if case .calendar(let s) = self { return s.unit == .day || s.unit == .week }
      return true
    }
    public var isFinerThanAYear: Bool {
      if case .calendar(let s) = self { return s.unit != .year }
      return true
    }
  }

  /// A tick: where a unit starts, its label, and whether a larger unit starts there too (a new month
  /// among days), whose label then goes on the row above (the one the window starts in is `context`).
  public struct Tick: Hashable, Sendable {
    public var time: Int64
    public var column: Int
    public var label: String
    /// The larger unit's label ("Aug 2020" among days), where a new one starts.
    public var major: String?
  }

  /// Columns from one tick to the next at least, however short the labels: denser ticks are noise
  /// (TimelineJS aims at 100 pixels, about 12 columns).
  public static let minimumTickGap = 8

  /// The ticks of a window: the finest unit whose labels fit between its ticks (a column of space
  /// after each, and `minimumTickGap` columns at least), and the unit.
  public static func ticks(_ w: Window) -> (unit: Unit, ticks: [Tick]) {
    let (unit, style) = chooseUnit(w)
    var times: [Int64] = []
    switch unit {
    case .minutes(let n): times = Array(stride(from: ceilTo(w.start, Int64(n)), to: w.end, by: n))
    case .hours(let n): times = Array(stride(from: ceilTo(w.start, Int64(n) * 60), to: w.end, by: n * 60))
    case .calendar(let step):
      // The round days of the step (Mondays, first days of months, round years on both sides of
      // year 0) are the ones `TimeAxis` ticks at, over the days that start inside the window.
      // (Within the calendar's years: a window may reach past them, and there are no dates there.)
      let first = max(ceilTo(w.start, minutesPerDay) / minutesPerDay, CivilDays.day(year: TimelineDate.minYear, month: 1, day: 1))
      let last = min(floorDiv(w.end - 1, minutesPerDay), CivilDays.day(year: TimelineDate.maxYear, month: 12, day: 31))
      if first <= last, let axis = TimeAxis(lower: CivilDays.key(first), upper: CivilDays.key(last), width: max(1, w.columns)) {
        times = axis.ticks(every: step).map { CivilDays.day(key: $0.dayKey) * minutesPerDay }
      }
    }
    var previousMajor = context(w, unit)
    var out: [Tick] = []
    for t in times.prefix(w.columns + 1) {
      let major = majorLabel(t, unit)
      out.append(Tick(time: t, column: w.column(t), label: label(t, unit, style), major: major != previousMajor ? major : nil))
      previousMajor = major
    }
    return (unit, out)
  }

  /// The unit between a window's ticks.
  public static func unit(of w: Window) -> Unit { chooseUnit(w).0 }

  /// What the axis should say about the part before the first tick: the larger unit the window starts
  /// in ("Aug 2020"); nil for years, whose labels are whole.
  public static func context(_ w: Window, _ unit: Unit) -> String? { majorLabel(w.start, unit) }

  /// Label styles, richest first where a unit has several.
  enum Style { case plain, weekday }

  static func chooseUnit(_ w: Window) -> (Unit, Style) {
    // (unit, style, label width) from the finest; years are sized by the labels of the window's ends.
    var candidates: [(Unit, Style, Int)] = [1, 5, 10, 15, 30].map { (.minutes($0), .plain, 5) } + [1, 2, 3, 6, 12].map { (.hours($0), .plain, 5) }
    let yearWidth = max(label(w.start, .calendar(TimeAxis.Step(unit: .year, count: 1)), .plain).count, label(w.end, .calendar(TimeAxis.Step(unit: .year, count: 1)), .plain).count)
    for step in TimeAxis.Step.all {
      switch step.unit {
      case .day: candidates += [(.calendar(step), .weekday, 6), (.calendar(step), .plain, 2)]
      case .week: candidates.append((.calendar(step), .plain, 6))
      case .month: candidates.append((.calendar(step), .plain, 3))
      case .year: candidates.append((.calendar(step), .plain, yearWidth))
      }
    }
    for (unit, style, width) in candidates where unit.shortest / w.scale >= Int64(max(width + 1, minimumTickGap)) { return (unit, style) }
    return (candidates.last!.0, .plain)
  }

  static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

  /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
  static func weekday(ofDay z: Int64) -> Int { Int(floorMod(z + 3, 7)) }

  static func label(_ t: Int64, _ unit: Unit, _ style: Style) -> String {
    let d = floorDiv(t, minutesPerDay)
    let c = CivilDays.civil(d)
    switch unit {
    case .minutes, .hours:
      let m = Int(floorMod(t, minutesPerDay))
      return twoDigits(m / 60) + ":" + twoDigits(m % 60)
    case .calendar(let step):
      switch step.unit {
      case .day: return style == .weekday ? weekdayNames[weekday(ofDay: d)] + " \(c.day)" : "\(c.day)"
      case .week: return "\(c.day) " + DateText.shortMonthName(UInt8(c.month))
      case .month: return step.count == 3 ? "Q\((c.month - 1) / 3 + 1)" : DateText.shortMonthName(UInt8(c.month))
      case .year: return DateText.year(c.year)
      }
    }
  }

  /// The larger unit a time falls in, for the axis's upper row; nil for years.
  static func majorLabel(_ t: Int64, _ unit: Unit) -> String? {
    let d = floorDiv(t, minutesPerDay)
    let c = CivilDays.civil(d)
    let month = DateText.shortMonthName(UInt8(c.month))
    switch unit {
    case .minutes, .hours: return weekdayNames[weekday(ofDay: d)] + " \(c.day) \(month) " + DateText.year(c.year)
    case .calendar(let step):
      switch step.unit {
      case .day, .week: return "\(month) " + DateText.year(c.year)
      case .month: return DateText.year(c.year)
      case .year: return nil
      }
    }
  }

  /// 10000 as "10 000": long counts of years stay readable.
  static func grouped(_ n: Int64) -> String {
    let s = String(n)
    guard s.count > 4 else { return s }
    var out = ""
    for (k, ch) in s.enumerated() {
      if k > 0 && (s.count - k) % 3 == 0 { out.append(" ") }
      out.append(ch)
    }
    return out
  }

  static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

  /// The smallest multiple of `n` at or above `a`.
  static func ceilTo(_ a: Int64, _ n: Int64) -> Int64 { -floorDiv(-a, n) * n }
}
