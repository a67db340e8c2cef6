/// A calendar date known to a year, a month or a day, possibly approximate.
///
/// Written `YYYY`, `YYYY-MM` or `YYYY-MM-DD` with an optional trailing `~` for "approximately"
/// (the EDTF convention). Years may be negative or below 1000 (`-0044`, `0850`, `850`): the calendar is
/// the proleptic Gregorian one and year 0 is 1 BC, as in ISO 8601.
///
/// Ordering compares the first day a date can mean (`lowerKey`), so a month-precision date sorts at the
/// start of its month, level with that month's first day; ties are for the caller to break (the
/// timeline keeps file order).
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

  public let year: Int32
  /// 1...12, or 0 when the precision is a year.
  public let month: UInt8
  /// 1...31, or 0 when the precision is a year or a month.
  public let day: UInt8
  public let isApproximate: Bool

  public static let minYear: Int32 = -999_999
  public static let maxYear: Int32 = 999_999

  /// Creates a date after checking its parts; returns nil when they do not make a real date.
  public init?(year: Int32, month: UInt8 = 0, day: UInt8 = 0, approximate: Bool = false) {
    guard year >= Self.minYear, year <= Self.maxYear, month <= 12 else { return nil }
    if month == 0 && day != 0 { return nil }
    if day != 0 && Int(day) > Self.daysIn(month: month, year: year) { return nil }
    self.year = year
    self.month = month
    self.day = day
    self.isApproximate = approximate
  }

  public var precision: Precision { day != 0 ? .day : month != 0 ? .month : .year }

  /// A sortable number for the first day this date can mean.
  public var lowerKey: Int64 { Self.key(year, month == 0 ? 1 : month, day == 0 ? 1 : day) }

  /// A sortable number for the last day this date can mean (31 Dec for a year, the month's last day).
  public var upperKey: Int64 {
    let m = month == 0 ? 12 : month
    let d = day != 0 ? day : UInt8(Self.daysIn(month: m, year: year))
    return Self.key(year, m, d)
  }

  /// Year, month and day packed so that integer order is calendar order, negative years included.
  @inline(__always)
  public static func key(_ year: Int32, _ month: UInt8, _ day: UInt8) -> Int64 {
    Int64(year) * 512 + Int64(month) * 32 + Int64(day)
  }

  /// The inverse of `key`, for turning a day key back into a date.
  public init(dayKey: Int64) {
    let year = Int32((dayKey - (dayKey & 511)) / 512)
    let rest = dayKey & 511
    self.year = year
    self.month = UInt8(rest / 32)
    self.day = UInt8(rest % 32)
    self.isApproximate = false
  }

  public static func < (a: Self, b: Self) -> Bool {
    (a.lowerKey, a.precision.rawValue) < (b.lowerKey, b.precision.rawValue)
  }

  public static func isLeap(_ year: Int32) -> Bool {
    // Works for negative years too: Swift's % keeps the sign, and 0 is a multiple of anything.
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
  }

  public static func daysIn(month: UInt8, year: Int32) -> Int {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// The canonical written form: `2020`, `2020-08`, `2020-08-25`, `-0044-03-15`, with `~` if approximate.
  public var description: String {
    var s = Self.yearString(year)
    if month != 0 { s += "-" + Self.twoDigits(month) }
    if day != 0 { s += "-" + Self.twoDigits(day) }
    if isApproximate { s += "~" }
    return s
  }

  /// A year as written in dates: at least four digits, a minus sign before year 0 (`-0044`).
  public static func yearString(_ year: Int32) -> String {
    let digits = String(abs(Int(year)))
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

    public var description: String {
      switch self {
      case .empty: "a date is empty; expected YYYY, YYYY-MM or YYYY-MM-DD"
      case .malformed: "expected YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ~"
      case .yearOutOfRange: "the year must have 1 to 6 digits"
      case .monthOutOfRange: "the month must be 01 to 12"
      case .dayOutOfRange(let n): "the day must be 01 to \(n) in that month"
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
    var year: Int32 = 0
    var yearDigits = 0
    while i != end, let d = digit(bytes[i]) {
      yearDigits += 1
      if yearDigits > 6 { return .failure(.yearOutOfRange) }
      year = year * 10 + Int32(d)
      i = bytes.index(after: i)
    }
    if yearDigits == 0 { return .failure(.malformed) }
    if negative { year = -year }
    var month: UInt8 = 0
    var day: UInt8 = 0
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
    // The checks above are exactly the initialiser's, so this cannot fail.
    return .success(TimelineDate(year: year, month: month, day: day, approximate: approximate)!)
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
