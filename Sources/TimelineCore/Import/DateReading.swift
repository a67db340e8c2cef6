import Foundation

/// Reading the dates other programs write: TimelineJS's date objects and spreadsheet columns, and the
/// forms people type into spreadsheets (`2003-02-18`, `2003-02-18T10:30:00Z`, `2/18/2003`,
/// `18 Feb 2003`, `Feb. 18, 2003`, `c. 1850`, `44 BC`).
///
/// Every reader gives a `TimelineDate` or a sentence saying what is wrong, which the importers place
/// (file, row, column). A time zone or UTC offset is read and set aside: the time kept is the wall-clock
/// time written, as `TimelineDate` has no zone, so that an event keeps the date its source gave it.
public enum DateReading {
  /// Why a date could not be read; the text completes "invalid date "…": ".
  public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
  }

  /// How to read `01/02/2003`: month first (the US convention and the default) or day first.
  public enum NumericOrder: String, Sendable, CaseIterable {
    case monthFirst = "mdy"
    case dayFirst = "dmy"
  }

  // MARK: - TimelineJS date parts

  /// A part of a TimelineJS date as found in a file: a number, a string (possibly empty, with leading
  /// zeros, spaces or thousands separators), or nothing.
  public static func integerPart(_ text: String?) -> Result<Int64?, Failure> {
    guard let text else { return .success(nil) }
    // TimelineJS's `clean_integer` drops spaces and commas (`1,848`); JSON writers put numbers as strings.
    var digits = Substring(text.filter { $0 != " " && $0 != "," && $0 != "\u{A0}" })
    if digits.isEmpty { return .success(nil) }
    var negative = false
    if digits.first == "-" || digits.first == "−" {
      negative = true
      digits = digits.dropFirst()
    } else if digits.first == "+" {
      digits = digits.dropFirst()
    }
    // A whole number written with a decimal point (`1848.0`, as some spreadsheets export) is fine.
    if let dot = digits.firstIndex(of: "."), digits[digits.index(after: dot)...].allSatisfy({ $0 == "0" }) {
      digits = digits[..<dot]
    }
    guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else {
      return .failure(Failure("\"\(TerminalSafety.sanitized(text))\" is not a whole number"))
    }
    return .success(negative ? -value : value)
  }

  /// A TimelineJS date from its parts (already read as integers; nil for a part not given). Precision is
  /// the finest of year, month and day given; an hour keeps its minute (0 when not given); seconds and
  /// milliseconds are dropped, as the time is kept to the minute.
  public static func timelineJSDate(
    year: Int64?, month: Int64?, day: Int64?, hour: Int64?, minute: Int64?, approximate: Bool = false
  ) -> Result<TimelineDate, Failure> {
    guard let year else { return .failure(Failure("a date needs a year")) }
    guard year >= TimelineDate.minYear, year <= TimelineDate.maxYear else {
      return .failure(Failure("the year \(year) is out of range (\(TimelineDate.minYear) to \(TimelineDate.maxYear))"))
    }
    if let month, !(1...12).contains(month) { return .failure(Failure("the month must be 1 to 12, not \(month)")) }
    if day != nil && month == nil { return .failure(Failure("a day needs a month")) }
    if let day, let month {
      let n = TimelineDate.daysIn(month: UInt8(month), year: year)
      if !(1...Int64(n)).contains(day) { return .failure(Failure("the day must be 1 to \(n) in that month, not \(day)")) }
    }
    if hour != nil || minute != nil {
      guard day != nil else { return .failure(Failure("a time of day needs a day")) }
      if let hour, !(0...23).contains(hour) { return .failure(Failure("the hour must be 0 to 23, not \(hour)")) }
      if let minute, !(0...59).contains(minute) { return .failure(Failure("the minute must be 0 to 59, not \(minute)")) }
    }
    let date = TimelineDate(
      year: year, month: UInt8(month ?? 0), day: UInt8(day ?? 0),
      hour: hour != nil || minute != nil ? UInt8(hour ?? 0) : nil, minute: hour != nil || minute != nil ? UInt8(minute ?? 0) : nil,
      approximate: approximate)
    return date.map { .success($0) } ?? .failure(Failure("not a date"))
  }

  /// A time of day as TimelineJS's spreadsheet `Time` column takes it: `H:MM[:SS[.fff]]`, `HHMM`, `H.MM`,
  /// `H`, each with an optional `am`/`pm`. Returns hour and minute.
  public static func timeOfDay(_ text: String) -> Result<(hour: Int, minute: Int), Failure> {
    var s = text.lowercased().filter { $0 != " " }
    var meridiem: Character?
    for suffix in ["a.m.", "p.m.", "am", "pm", "a", "p"] where s.hasSuffix(suffix) {
      meridiem = suffix.first
      s.removeLast(suffix.count)
      break
    }
    let bad = Failure("\"\(TerminalSafety.sanitized(text))\" is not a time; expected H:MM, HH:MM:SS, HHMM or H:MM pm")
    var hour: Int
    var minute = 0
    let parts = s.split(separator: ":", omittingEmptySubsequences: false)
    if parts.count >= 2 {
      guard parts.count <= 3, let h = Int(parts[0]), parts[0].count <= 2, parts[1].count == 2, let m = Int(parts[1]) else { return .failure(bad) }
      if parts.count == 3 {
        // Seconds, possibly with a fraction: checked, then dropped.
        let sec = parts[2].split(separator: ".", maxSplits: 1)
        guard let first = sec.first, first.count == 2, let v = Int(first), v < 60, sec.count == 1 || sec[1].allSatisfy(\.isNumber) else { return .failure(bad) }
      }
      hour = h
      minute = m
    } else if let dot = s.firstIndex(of: "."), let h = Int(s[..<dot]), let m = Int(s[s.index(after: dot)...]), s.distance(from: dot, to: s.endIndex) == 3 {
      hour = h
      minute = m
    } else if s.count == 4, let v = Int(s) {
      hour = v / 100
      minute = v % 100
    } else if (1...2).contains(s.count), let h = Int(s) {
      hour = h
    } else {
      return .failure(bad)
    }
    if let meridiem {
      guard (1...12).contains(hour) else { return .failure(Failure("\"\(TerminalSafety.sanitized(text))\": with am or pm the hour must be 1 to 12")) }
      hour = hour % 12 + (meridiem == "p" ? 12 : 0)
    }
    guard (0...23).contains(hour), (0...59).contains(minute) else {
      return .failure(Failure("\"\(TerminalSafety.sanitized(text))\" is not a time of day (00:00 to 23:59)"))
    }
    return .success((hour, minute))
  }

  // MARK: - Dates as people write them

  /// Reads a date written in any of the usual ways; see the type's documentation.
  public static func flexible(_ text: String, order: NumericOrder = .monthFirst) -> Result<TimelineDate, Failure> {
    var s = text.trimmingWhitespace()
    if s.isEmpty { return .failure(Failure("the date is empty")) }
    // Approximation: a leading "c.", "ca.", "circa", "about", "around", "approx.", "~" or a trailing "~" or "?".
    var approximate = false
    let lower = s.lowercased()
    for prefix in ["circa ", "circa", "about ", "around ", "approx. ", "approx ", "ca. ", "ca ", "c. ", "c.", "~", "vers ", "env. "] where lower.hasPrefix(prefix) {
      // "c." must be followed by a digit or a space, so that month names starting with c are not eaten.
      let rest = s.dropFirst(prefix.count)
      guard let next = rest.first, next.isNumber || next == " " || next == "-" || prefix.hasSuffix(" ") || prefix == "~" else { continue }
      approximate = true
      s = String(rest).trimmingWhitespace()
      break
    }
    if s.hasSuffix("~") || s.hasSuffix("?") {
      approximate = true
      s = String(s.dropLast()).trimmingWhitespace()
    }
    if s.isEmpty { return .failure(Failure("the date is empty")) }
    let result: Result<TimelineDate, Failure>
    if let iso = isoLike(s) {
      result = iso
    } else {
      result = worded(s, order: order)
    }
    guard approximate else { return result }
    return result.map { TimelineDate(year: $0.year, month: $0.month, day: $0.day, hour: $0.hour, minute: $0.minute, approximate: true)! }
  }

  /// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, each optionally followed by a time (`T` or a space, `HH:MM`,
  /// optional seconds and fraction, optional `Z` or offset); also `YYYY/MM/DD`. Nil when the text does
  /// not look like that, so that other readings can be tried.
  static func isoLike(_ s: String) -> Result<TimelineDate, Failure>? {
    let u = Array(s.utf8)
    var i = 0
    var negative = false
    if i < u.count, u[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    let yearStart = i
    while i < u.count, isDigit(u[i]) { i += 1 }
    let yearDigits = i - yearStart
    guard yearDigits >= 1 else { return nil }
    // A bare number is a year; with separators, the year must have at least three digits (so `02-03-2004`
    // is left to the numeric reader).
    if i == u.count {
      guard yearDigits <= 11, let y = Int64(String(decoding: u[yearStart..<i], as: UTF8.self)) else {
        return .failure(Failure("the year must have 1 to 11 digits"))
      }
      return timelineJSDate(year: negative ? -y : y, month: nil, day: nil, hour: nil, minute: nil)
    }
    guard yearDigits >= 3, yearDigits <= 11, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "/") else { return nil }
    let separator = u[i]
    let year = Int64(String(decoding: u[yearStart..<i], as: UTF8.self))! * (negative ? -1 : 1)
    i += 1
    guard let month = number(u, &i, maxDigits: 2) else { return nil }
    var day: Int64?
    if i < u.count, u[i] == separator {
      i += 1
      guard let d = number(u, &i, maxDigits: 2) else { return nil }
      day = d
    }
    var hour: Int64?
    var minute: Int64?
    if i < u.count, day != nil, u[i] == UInt8(ascii: "T") || u[i] == UInt8(ascii: "t") || u[i] == 0x20 {
      i += 1
      guard let h = number(u, &i, maxDigits: 2), i < u.count, u[i] == UInt8(ascii: ":") else { return nil }
      i += 1
      guard let m = number(u, &i, maxDigits: 2), String(m).count <= 2 else { return nil }
      hour = h
      minute = m
      if i < u.count, u[i] == UInt8(ascii: ":") {
        i += 1
        guard let sec = number(u, &i, maxDigits: 2), sec < 61 else { return nil }
        if i < u.count, u[i] == UInt8(ascii: ".") || u[i] == UInt8(ascii: ",") {
          i += 1
          let fraction = i
          while i < u.count, isDigit(u[i]) { i += 1 }
          guard i > fraction else { return nil }
        }
      }
      guard skipZone(u, &i) else { return nil }
    }
    guard i == u.count else { return nil }
    return timelineJSDate(year: year, month: month, day: day, hour: hour, minute: minute)
  }

  /// A zone after a time: `Z`, `UTC`, `GMT`, `+HH`, `+HH:MM`, `+HHMM` (and `-`), possibly after a space.
  private static func skipZone(_ u: [UInt8], _ i: inout Int) -> Bool {
    var j = i
    if j < u.count, u[j] == 0x20 { j += 1 }
    if j == u.count { return true }
    let rest = String(decoding: u[j...], as: UTF8.self).uppercased()
    if rest == "Z" || rest == "UTC" || rest == "GMT" {
      i = u.count
      return true
    }
    guard u[j] == UInt8(ascii: "+") || u[j] == UInt8(ascii: "-") else { return false }
    j += 1
    let start = j
    while j < u.count, isDigit(u[j]) || u[j] == UInt8(ascii: ":") { j += 1 }
    let digits = u[start..<j].filter(isDigit)
    guard j == u.count, digits.count == 2 || digits.count == 4 else { return false }
    i = j
    return true
  }

  private static func number(_ u: [UInt8], _ i: inout Int, maxDigits: Int) -> Int64? {
    let start = i
    while i < u.count, isDigit(u[i]), i - start < maxDigits { i += 1 }
    if i < u.count, isDigit(u[i]) { return nil }
    guard i > start else { return nil }
    return Int64(String(decoding: u[start..<i], as: UTF8.self))
  }

  @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  /// A token of a date written with words or slashes.
  private enum Token: Equatable {
    case number(Int64, digits: Int)
    case month(Int64)
    case era(bc: Bool)
    case time(hour: Int64, minute: Int64)
    case separator(Character)
  }

  /// Dates with month names (`18 Feb 2003`, `Feb. 18, 2003`, `février 2003`), numeric dates with
  /// slashes or dots (`2/18/2003`, `18.02.2003`), years with an era (`44 BC`), each optionally with a
  /// time (`10:30`, `10:30 pm`, `10:30:00 +0100`) and a weekday in front.
  static func worded(_ s: String, order: NumericOrder) -> Result<TimelineDate, Failure> {
    let unreadable = Failure(
      "\"\(TerminalSafety.sanitized(s))\" is not a date this program reads: write YYYY-MM-DD, YYYY-MM or YYYY, MM/DD/YYYY, or 18 Feb 2003")
    guard let tokens = tokenize(s) else { return .failure(unreadable) }
    var numbers: [(value: Int64, digits: Int)] = []
    var month: Int64?
    var bc: Bool?
    var time: (Int64, Int64)?
    var separators: [Character] = []
    for t in tokens {
      switch t {
      case .number(let v, let d): numbers.append((v, d))
      case .month(let m):
        guard month == nil else { return .failure(unreadable) }
        month = m
      case .era(let isBC): bc = isBC
      case .time(let h, let m):
        guard time == nil else { return .failure(unreadable) }
        time = (h, m)
      case .separator(let c): separators.append(c)
      }
    }
    var year: Int64
    var monthValue: Int64?
    var day: Int64?
    if let month {
      // Words: one or two numbers besides the month; the day is the one of at most two digits that is
      // not the last, or the first when there are two (18 Feb 2003, Feb 18 2003, 2003 Feb 18).
      monthValue = month
      switch numbers.count {
      case 1:
        year = numbers[0].value
      case 2:
        let (a, b) = (numbers[0], numbers[1])
        if a.digits <= 2 && (b.digits > 2 || !(1...31).contains(b.value)) {
          day = a.value
          year = b.value
        } else if b.digits <= 2 {
          year = a.value
          day = b.value
        } else {
          return .failure(unreadable)
        }
        if numbers.contains(where: { $0.digits <= 2 && $0.value == year }) && year < 100 && bc == nil {
          return .failure(Failure("\"\(TerminalSafety.sanitized(s))\": a two-digit year is ambiguous; write the year in full"))
        }
      default: return .failure(unreadable)
      }
    } else if numbers.count == 3 && (separators.contains("/") || separators.contains(".")) {
      let (a, b, c) = (numbers[0], numbers[1], numbers[2])
      if a.digits >= 3 {
        (year, monthValue, day) = (a.value, b.value, c.value)
      } else {
        guard c.digits >= 3 else {
          return .failure(Failure("\"\(TerminalSafety.sanitized(s))\": a two-digit year is ambiguous; write the year in full"))
        }
        year = c.value
        // Dots are the day-first convention everywhere they are used (18.02.2003).
        let dayFirst = order == .dayFirst || separators.contains(".")
        (monthValue, day) = dayFirst ? (b.value, a.value) : (a.value, b.value)
        if !dayFirst, let m = monthValue, m > 12, let d = day, d <= 12 {
          return .failure(Failure("\"\(TerminalSafety.sanitized(s))\": there is no month \(m); if days come first in this file, say so (--dates dmy)"))
        }
      }
    } else if numbers.count == 2 && separators.contains("/") && numbers[1].digits >= 3 {
      // MM/YYYY
      (monthValue, year) = (numbers[0].value, numbers[1].value)
    } else if numbers.count == 1 && bc != nil {
      year = numbers[0].value
    } else {
      return .failure(unreadable)
    }
    if let bc, bc {
      // 1 BC is year 0, 44 BC is -43 (astronomical numbering, as ISO 8601).
      guard year >= 1 else { return .failure(Failure("\"\(TerminalSafety.sanitized(s))\": there is no year 0 BC")) }
      year = 1 - year
    }
    if time != nil && day == nil { return .failure(Failure("\"\(TerminalSafety.sanitized(s))\": a time of day needs a day")) }
    return timelineJSDate(year: year, month: monthValue, day: day, hour: time?.0, minute: time?.1)
  }

  private static func tokenize(_ s: String) -> [Token]? {
    var tokens: [Token] = []
    let chars = Array(s.lowercased())
    var i = 0
    while i < chars.count {
      let c = chars[i]
      if c == " " || c == "," || c == "\t" {
        i += 1
        continue
      }
      if c == "/" || c == "." || c == "-" {
        tokens.append(.separator(c))
        i += 1
        continue
      }
      if c.isASCII && c.isNumber {
        let start = i
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { i += 1 }
        let digits = i - start
        guard digits <= 11, let v = Int64(String(chars[start..<i])) else { return nil }
        // A time: H:MM[:SS[.fff]] with an optional am/pm and zone.
        if i < chars.count, chars[i] == ":" {
          guard digits <= 2 else { return nil }
          i += 1
          let ms = i
          while i < chars.count, chars[i].isNumber { i += 1 }
          guard i - ms == 2, let minute = Int64(String(chars[ms..<i])) else { return nil }
          if i < chars.count, chars[i] == ":" {
            i += 1
            let ss = i
            while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
            guard i - ss >= 2 else { return nil }
          }
          var hour = v
          var j = i
          while j < chars.count, chars[j] == " " { j += 1 }
          let rest = String(chars[j...])
          for (word, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] where rest.hasPrefix(word) {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
            i = j + word.count
            break
          }
          guard hour <= 23, minute <= 59 else { return nil }
          tokens.append(.time(hour: hour, minute: minute))
          // A zone after the time is read and set aside.
          var k = i
          while k < chars.count, chars[k] == " " { k += 1 }
          if k < chars.count {
            let zone = String(chars[k...])
            if ["z", "utc", "gmt"].contains(zone) || ((zone.first == "+" || zone.first == "-") && zone.dropFirst().allSatisfy { $0.isNumber || $0 == ":" }) {
              i = chars.count
            }
          }
          continue
        }
        // An ordinal suffix: 1st, 2nd, 3rd, 18th, 1er.
        for suffix in ["st", "nd", "rd", "th", "er"] where String(chars[i...]).hasPrefix(suffix) {
          let after = i + suffix.count
          if after == chars.count || !chars[after].isLetter {
            i = after
            break
          }
        }
        tokens.append(.number(v, digits: digits))
        continue
      }
      if c.isLetter {
        let start = i
        while i < chars.count, chars[i].isLetter { i += 1 }
        let word = String(chars[start..<i])
        var consumedDot = false
        if i < chars.count, chars[i] == "." {
          i += 1
          consumedDot = true
        }
        if let m = monthNumber(word) {
          tokens.append(.month(m))
        } else if ["bc", "bce"].contains(word) || word == "b" && consumedDot && String(chars[i...]).hasPrefix("c") {
          if word == "b" { i += String(chars[i...]).hasPrefix("c.") ? 2 : 1 }
          tokens.append(.era(bc: true))
        } else if ["ad", "ce"].contains(word) || word == "a" && consumedDot && String(chars[i...]).hasPrefix("d") {
          if word == "a" { i += String(chars[i...]).hasPrefix("d.") ? 2 : 1 }
          tokens.append(.era(bc: false))
        } else if weekdays.contains(where: { word.hasPrefix($0) }) && tokens.isEmpty {
          continue
        } else if ["the", "of", "le", "on"].contains(word) {
          continue
        } else {
          return nil
        }
        continue
      }
      return nil
    }
    return tokens
  }

  private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "lun", "mar", "mer", "jeu", "ven", "sam", "dim"]

  /// 1 to 12 for an English or French month name or its usual abbreviation, else nil.
  static func monthNumber(_ word: String) -> Int64? {
    let w = word.lowercased().folding(options: [.diacriticInsensitive], locale: nil)
    let english = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
    let french = ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"]
    if let k = english.firstIndex(of: w) ?? french.firstIndex(of: w) { return Int64(k + 1) }
    let abbreviations: [String: Int64] = [
      "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11,
      "dec": 12, "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7,
    ]
    return abbreviations[w]
  }
}
