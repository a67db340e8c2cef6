/// A calendar date known to a year, a month or a day, possibly approximate, possibly with a time of day.
///
/// Written `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` with an optional trailing `~` for
/// "approximately" (the EDTF convention). Years may be negative, below 1000 or far from today (`-0044`,
/// `0850`, `850`, `-13800000000`: TimelineJS's cosmological timelines start at the Big Bang): the calendar
/// is the proleptic Gregorian one and year 0 is 1 BC, as in ISO 8601. A time of day is the wall-clock time
/// the file gives, to the minute, with no time zone; it refines the order of events on the same day but
/// not the precision, which stays the day.
///
/// Ordering compares the first day a date can mean (`lowerKey`), so a month-precision date sorts at the
/// start of its month, level with that month's first day; ties are for the caller to break (the
/// timeline keeps file order).
///
/// A date is 8 bytes, and so is an optional one (a timeline keeps two per event): the year, month, day and
/// time are packed into 56 bits, and the `Bool` leaves Swift spare values to mark `nil` with.
public struct TimelineDate: Hashable, Sendable, Comparable, CustomStringConvertible {
  public enum Precision: UInt8, Sendable, Comparable {
    case year, month, day
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var name: String {
      switch self {
      case .year: "year"
      case .month: "month"
      case .day: "day"
      }
    }
  }

  // Bits 0..<11: the time slot (0 for none, else 1 + minutes since midnight); 11..<16: the day (0 for
  // none); 16..<20: the month (0 for none); 20..<56: the year, two's complement in 36 bits.
  private let low: UInt32
  private let middle: UInt16
  private let high: UInt8
  public let isApproximate: Bool

  /// Years within these bounds fit the 36 bits a date keeps for them, with room past the age of the
  /// universe (13.8 billion years) either way.
  public static let minYear: Int64 = -30_000_000_000
  public static let maxYear: Int64 = 30_000_000_000

  /// Creates a date after checking its parts; returns nil when they do not make a real date. A time
  /// (hour and minute, both or neither) needs a day.
  public init?<Y: BinaryInteger>(
    year: Y, month: UInt8 = 0, day: UInt8 = 0, hour: UInt8? = nil, minute: UInt8? = nil, approximate: Bool = false
  ) {
    guard let year = Int64(exactly: year), year >= Self.minYear, year <= Self.maxYear, month <= 12 else { return nil }
    if month == 0 && day != 0 { return nil }
    if day != 0 && Int(day) > Self.daysIn(month: month, year: year) { return nil }
    var slot: UInt64 = 0
    switch (hour, minute) {
    case (nil, nil): break
    case (let h?, let m?):
      guard day != 0, h < 24, m < 60 else { return nil }
      slot = 1 + UInt64(h) * 60 + UInt64(m)
    default: return nil
    }
    let bits = UInt64(bitPattern: year) << 20 | UInt64(month) << 16 | UInt64(day) << 11 | slot
    low = UInt32(truncatingIfNeeded: bits)
    middle = UInt16(truncatingIfNeeded: bits >> 32)
    high = UInt8(truncatingIfNeeded: bits >> 48)
    isApproximate = approximate
  }

  private var bits: UInt64 { UInt64(low) | UInt64(middle) << 32 | UInt64(high) << 48 }

  public var year: Int64 { Int64(bitPattern: bits << 8) >> 28 }
  /// 1...12, or 0 when the precision is a year.
  public var month: UInt8 { UInt8(truncatingIfNeeded: bits >> 16) & 0x0F }
  /// 1...31, or 0 when the precision is a year or a month.
  public var day: UInt8 { UInt8(truncatingIfNeeded: bits >> 11) & 0x1F }
  /// 1 + minutes since midnight, or 0 without a time: orders untimed dates before timed ones on a day.
  private var timeSlot: Int { Int(low & 0x7FF) }
  /// Minutes since midnight (0..<1440), when the date has a time of day.
  public var minuteOfDay: Int? { timeSlot == 0 ? nil : timeSlot - 1 }
  public var hour: UInt8? { minuteOfDay.map { UInt8($0 / 60) } }
  public var minute: UInt8? { minuteOfDay.map { UInt8($0 % 60) } }

  public var precision: Precision { day != 0 ? .day : month != 0 ? .month : .year }

  /// The same date without its time of day.
  public var withoutTime: TimelineDate {
    timeSlot == 0 ? self : TimelineDate(year: year, month: month, day: day, approximate: isApproximate)!
  }

  /// A sortable number for the first day this date can mean.
  public var lowerKey: Int64 { Self.key(year, month == 0 ? 1 : month, day == 0 ? 1 : day) }

  /// A sortable number for the last day this date can mean (31 Dec for a year, the month's last day).
  public var upperKey: Int64 {
    let m = month == 0 ? 12 : month
    let d = day != 0 ? day : UInt8(Self.daysIn(month: m, year: year))
    return Self.key(year, m, d)
  }

  /// `lowerKey` refined by the precision and the time of day, for putting events in order: on the same
  /// first day a year comes before a month and a month before a day (so a year's undated events sit
  /// above its month headings, and one month heading covers the month), and an untimed day before a
  /// timed one.
  public var sortKey: Int64 { (lowerKey << 2 | Int64(precision.rawValue)) << 11 | Int64(timeSlot) }

  /// Year, month and day packed so that integer order is calendar order, negative years included.
  @inline(__always)
  public static func key(_ year: Int64, _ month: UInt8, _ day: UInt8) -> Int64 {
    year * 512 + Int64(month) * 32 + Int64(day)
  }

  /// The inverse of `key`, for turning a day key back into a date.
  public init(dayKey: Int64) {
    let rest = dayKey & 511
    self.init(year: (dayKey - rest) / 512, month: UInt8(rest / 32), day: UInt8(rest % 32))!
  }

  public static func < (a: Self, b: Self) -> Bool {
    (a.lowerKey, a.precision.rawValue, a.timeSlot) < (b.lowerKey, b.precision.rawValue, b.timeSlot)
  }

  public static func isLeap<Y: BinaryInteger>(_ year: Y) -> Bool {
    // Works for negative years too: Swift's % keeps the sign, and 0 is a multiple of anything.
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysIn<Y: BinaryInteger>(month: UInt8, year: Y) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// The canonical written form: `2020`, `2020-08`, `2020-08-25`, `2020-08-25T14:30`, `-0044-03-15`,
  /// with `~` if approximate.
  public var description: String {
    var s = Self.yearString(year)
    if month != 0 { s += "-" + Self.twoDigits(month) }
    if day != 0 { s += "-" + Self.twoDigits(day) }
    if let h = hour, let m = minute { s += "T" + Self.twoDigits(h) + ":" + Self.twoDigits(m) }
    if isApproximate { s += "~" }
    return s
  }

  /// A year as written in dates: at least four digits, a minus sign before year 0 (`-0044`).
  public static func yearString<Y: BinaryInteger>(_ year: Y) -> String {
    let digits = String(year.magnitude)
    let padded = digits.count < 4 ? String(repeating: "0", count: 4 - digits.count) + digits : digits
    return year < 0 ? "-" + padded : padded
  }

  static func twoDigits(_ n: UInt8) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension TimelineDate {
  /// Why a date string was refused; the text completes "invalid date "...": ".
  public enum ParseError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case malformed
    case yearOutOfRange
    case monthOutOfRange
    case dayOutOfRange(daysInMonth: Int)
    case timeOutOfRange

    public var description: String {
      switch self {
      case .empty: "a date is empty; expected YYYY, YYYY-MM or YYYY-MM-DD"
      case .malformed: "expected YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDTHH:MM, optionally followed by ~"
      case .yearOutOfRange: "the year must have 1 to 11 digits and lie within -30000000000 and 30000000000"
      case .monthOutOfRange: "the month must be 01 to 12"
      case .dayOutOfRange(let n): "the day must be 01 to \(n) in that month"
      case .timeOutOfRange: "the time must be 00:00 to 23:59"
      }
    }
  }

  /// Parses the written form. Used on raw bytes by the decoder, so it never allocates.
  public static func parse<C: Collection<UInt8>>(_ bytes: C) -> Result<TimelineDate, ParseError> {
    var i = bytes.startIndex
    let end = bytes.endIndex
    if i == end { return .failure(.empty) }
    var negative = false
    if bytes[i] == UInt8(ascii: "-") {
      negative = true
      i = bytes.index(after: i)
    }
    var year: Int64 = 0
    var yearDigits = 0
    while i != end, let d = digit(bytes[i]) {
      yearDigits += 1
      if yearDigits > 11 { return .failure(.yearOutOfRange) }
      year = year * 10 + Int64(d)
      i = bytes.index(after: i)
    }
    if yearDigits == 0 { return .failure(.malformed) }
    if negative { year = -year }
    if year < minYear || year > maxYear { return .failure(.yearOutOfRange) }
    var month: UInt8 = 0
    var day: UInt8 = 0
    var hour: UInt8?
    var minute: UInt8?
    // Whether the parts were written: "00" is a written month (out of range), not a missing one.
    var hasMonth = false
    var hasDay = false
    if i != end, bytes[i] == UInt8(ascii: "-") {
      i = bytes.index(after: i)
      guard let m = twoDigitValue(bytes, &i) else { return .failure(.malformed) }
      month = m
      hasMonth = true
      if i != end, bytes[i] == UInt8(ascii: "-") {
        i = bytes.index(after: i)
        guard let d = twoDigitValue(bytes, &i) else { return .failure(.malformed) }
        day = d
        hasDay = true
        if i != end, bytes[i] == UInt8(ascii: "T") {
          i = bytes.index(after: i)
          guard let h = twoDigitValue(bytes, &i), i != end, bytes[i] == UInt8(ascii: ":") else { return .failure(.malformed) }
          i = bytes.index(after: i)
          guard let m = twoDigitValue(bytes, &i) else { return .failure(.malformed) }
          hour = h
          minute = m
        }
      }
    }
    var approximate = false
    if i != end, bytes[i] == UInt8(ascii: "~") {
      approximate = true
      i = bytes.index(after: i)
    }
    if i != end { return .failure(.malformed) }
    if hasMonth && !(1...12).contains(month) { return .failure(.monthOutOfRange) }
    if hasDay {
      let n = daysIn(month: month, year: year)
      if !(1...n).contains(Int(day)) { return .failure(.dayOutOfRange(daysInMonth: n)) }
    }
    if let h = hour, let m = minute, h > 23 || m > 59 { return .failure(.timeOutOfRange) }
    // The checks above are exactly the initialiser's, so this cannot fail.
    return .success(TimelineDate(year: year, month: month, day: day, hour: hour, minute: minute, approximate: approximate)!)
  }

  public static func parse(_ string: String) -> Result<TimelineDate, ParseError> {
    parse(Array(string.utf8))
  }

  @inline(__always)
  private static func digit(_ b: UInt8) -> UInt8? {
    b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") ? b &- UInt8(ascii: "0") : nil
  }

  private static func twoDigitValue<C: Collection<UInt8>>(_ bytes: C, _ i: inout C.Index) -> UInt8? {
    guard i != bytes.endIndex, let a = digit(bytes[i]) else { return nil }
    let j = bytes.index(after: i)
    guard j != bytes.endIndex, let b = digit(bytes[j]) else { return nil }
    let k = bytes.index(after: j)
    if k != bytes.endIndex, digit(bytes[k]) != nil { return nil }
    i = k
    return a * 10 + b
  }
}
