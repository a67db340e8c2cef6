import Foundation

/// Writes chosen events as an iCalendar file (RFC 5545) that calendar programs import.
///
/// A day-precision event is an all-day event (`DTSTART;VALUE=DATE`, with the exclusive `DTEND` the
/// standard asks for); a month- or year-precision event spans its month or year, and its description
/// says that the date is only known to the month or year; a timed event keeps its wall-clock time, as a
/// "floating" time (no zone, as the timeline has none). Each event's `UID` is made from its id and the
/// timeline's title, so that importing the file again updates the events instead of duplicating them.
///
/// People are attendees by name (`CN`, with Apple's `invalid:nomail` address for people without one),
/// tags are categories, countries the location, the first source's address the URL, and confidence the
/// status (confirmed is `CONFIRMED`, the others `TENTATIVE`). `X-TIMELINE-` properties keep what
/// calendars have no place for (the exact date and precision, ids, confidence), so reading the file back
/// gives the same dates, titles, tags and people.
///
/// iCalendar years have four digits: events outside years 0 to 9999 cannot be written and are left out
/// (`unrepresentable` counts them, for a warning).
enum ICalendarWriter {
  static let years: ClosedRange<Int64> = 0...9999

  static func render(_ t: Timeline, events: [UInt32], annotations: AnnotationIndex? = nil, now: Date = stampDate()) -> String {
    var out = ""
    func line(_ s: String) { out += folded(s) }
    line("BEGIN:VCALENDAR")
    line("VERSION:2.0")
    line("PRODID:-//timeline//timeline 0.1.0//EN")
    line("CALSCALE:GREGORIAN")
    line("METHOD:PUBLISH")
    line("X-WR-CALNAME:" + text(t.title))
    if !t.description.isEmpty { line("X-WR-CALDESC:" + text(t.description)) }
    let stamp = dateTimeUTC(now)
    let uidSuffix = String(fnv1a(t.title), radix: 16)
    for e in events {
      let i = Int(e)
      let start = t.date(at: i)
      let end = t.endDate(at: i)
      guard representable(start, end) else { continue }
      line("BEGIN:VEVENT")
      line("UID:" + text(t.id(at: i) + "-" + uidSuffix + "@timeline"))
      line("DTSTAMP:" + stamp)
      // Both ends must be of one type: dates unless both have a time.
      let timed = start.minuteOfDay != nil && (end == nil || end?.minuteOfDay != nil)
      if timed {
        line("DTSTART:" + dateTime(start))
        if let end { line("DTEND:" + dateTime(end)) }
      } else {
        line("DTSTART;VALUE=DATE:" + date(TimelineDate(dayKey: start.lowerKey)))
        line("DTEND;VALUE=DATE:" + date(dayAfter((end ?? start).upperKey)))
      }
      line("SUMMARY:" + text(t.title(at: i)))
      line("DESCRIPTION:" + text(description(t, i)))
      let countries = t.countryCodes(at: i)
      if !countries.isEmpty { line("LOCATION:" + text(countries.map { t.countries.name(of: $0) }.joined(separator: ", "))) }
      let tags = t.tagIndexes(at: i).map { t.tags[Int($0)] }
      if !tags.isEmpty { line("CATEGORIES:" + tags.map(text).joined(separator: ",")) }
      for p in t.personIndexes(at: i) {
        let person = t.people[Int(p)]
        line("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=NON-PARTICIPANT;CN=" + parameter(person.name) + ";X-TIMELINE-ID=" + parameter(person.id) + ":invalid:nomail")
      }
      let confidence = t.confidence(at: i)
      line("STATUS:" + (confidence == .confirmed ? "CONFIRMED" : "TENTATIVE"))
      if let url = t.sourceIndexes(at: i).lazy.compactMap({ t.sources[Int($0)].url }).first { line("URL:" + url) }
      line("X-TIMELINE-ID:" + text(t.id(at: i)))
      line("X-TIMELINE-DATE:" + start.description)
      if let end { line("X-TIMELINE-END:" + end.description) }
      line("X-TIMELINE-CONFIDENCE:" + confidence.name)
      if !countries.isEmpty { line("X-TIMELINE-COUNTRIES:" + countries.joined(separator: ",")) }
      line("X-TIMELINE-SUMMARY:" + text(t.summary(at: i)))
      if let notes = t.notes(at: i) { line("X-TIMELINE-NOTES:" + text(notes)) }
      if annotations?.isMarked(e) == true { line("X-TIMELINE-MARKED:TRUE") }
      if let note = annotations?.note(e) { line("X-TIMELINE-USER-NOTE:" + text(note)) }
      line("END:VEVENT")
    }
    line("END:VCALENDAR")
    return out
  }

  /// How many of the events iCalendar cannot hold (years outside 0 to 9999).
  static func unrepresentable(_ t: Timeline, events: [UInt32]) -> Int {
    events.reduce(0) { $0 + (representable(t.date(at: Int($1)), t.endDate(at: Int($1))) ? 0 : 1) }
  }

  private static func representable(_ start: TimelineDate, _ end: TimelineDate?) -> Bool {
    // The exclusive end of an all-day event is the day after its last day: 31 December 9999 has none.
    years.contains(start.year) && years.contains(dayAfter((end ?? start).upperKey).year)
  }

  /// What a calendar shows of the event: its summary, then its people, countries, confidence, notes,
  /// sources, and how precise its date is.
  static func description(_ t: Timeline, _ i: Int) -> String {
    var parts: [String] = []
    let summary = t.summary(at: i)
    if !summary.isEmpty { parts.append(summary) }
    var facts: [String] = []
    let start = t.date(at: i)
    if start.precision != .day || start.isApproximate {
      facts.append("Date known to the \(start.precision.name): \(DateText.long(start)).")
    }
    if let end = t.endDate(at: i), end.precision != .day || end.isApproximate {
      facts.append("End known to the \(end.precision.name): \(DateText.long(end)).")
    }
    let people = t.personIndexes(at: i).map { t.people[Int($0)].name }
    if !people.isEmpty { facts.append("People: " + people.joined(separator: ", ") + ".") }
    facts.append("Confidence: \(t.confidence(at: i).name).")
    if let notes = t.notes(at: i) { facts.append("Notes: " + notes) }
    let sources = t.sourceIndexes(at: i).map { t.sources[Int($0)] }
    for s in sources {
      var cite = "Source: \(s.publisher), “\(s.title)”" + (s.date.map { " (\($0))" } ?? "")
      if let url = s.url { cite += " \(url)" }
      facts.append(cite)
    }
    parts.append(facts.joined(separator: "\n"))
    return parts.joined(separator: "\n\n")
  }

  /// `SOURCE_DATE_EPOCH` when set (reproducible output), else now.
  static func stampDate() -> Date {
    if let s = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = TimeInterval(s) {
      return Date(timeIntervalSince1970: seconds)
    }
    return Date()
  }

  private static func dayAfter(_ dayKey: Int64) -> TimelineDate {
    let d = TimelineDate(dayKey: dayKey)
    if Int(d.day) < TimelineDate.daysIn(month: d.month, year: d.year) {
      return TimelineDate(year: d.year, month: d.month, day: d.day + 1)!
    }
    if d.month < 12 { return TimelineDate(year: d.year, month: d.month + 1, day: 1)! }
    return TimelineDate(year: d.year + 1, month: 1, day: 1)!
  }

  private static func date(_ d: TimelineDate) -> String {
    TimelineDate.yearString(d.year) + TimelineDate.twoDigits(d.month) + TimelineDate.twoDigits(d.day)
  }

  private static func dateTime(_ d: TimelineDate) -> String {
    date(d) + "T" + TimelineDate.twoDigits(d.hour ?? 0) + TimelineDate.twoDigits(d.minute ?? 0) + "00"
  }

  private static func dateTimeUTC(_ now: Date) -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
    func two(_ n: Int?) -> String { TimelineDate.twoDigits(UInt8(n ?? 0)) }
    return TimelineDate.yearString(Int64(c.year ?? 1970)) + two(c.month) + two(c.day) + "T" + two(c.hour) + two(c.minute) + two(c.second) + "Z"
  }

  /// A TEXT value: backslashes, semicolons, commas and line breaks escaped; other control characters
  /// (which iCalendar does not allow) shown as their placeholders.
  static func text(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    var previousCR = false
    for ch in s.unicodeScalars {
      defer { previousCR = ch == "\r" }
      switch ch {
      case "\\": out += "\\\\"
      case ";": out += "\\;"
      case ",": out += "\\,"
      case "\n": if !previousCR { out += "\\n" }
      case "\r": out += "\\n"
      case "\t": out.unicodeScalars.append(ch)
      default: out.unicodeScalars.append(TerminalSafety.isUnsafe(ch) ? TerminalSafety.placeholder(for: ch) : ch)
      }
    }
    return out
  }

  /// A parameter value: quoted when it holds `:`, `;` or `,`; quotes, carets and line breaks in RFC
  /// 6868's `^` escapes.
  static func parameter(_ s: String) -> String {
    var v = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "^": v += "^^"
      case "\"": v += "^'"
      case "\n": v += "^n"
      case "\r": break
      default: v.unicodeScalars.append(TerminalSafety.isUnsafe(ch) ? TerminalSafety.placeholder(for: ch) : ch)
      }
    }
    return v.contains(where: { $0 == ":" || $0 == ";" || $0 == "," }) ? "\"" + v + "\"" : v
  }

  /// A content line folded at 75 octets (never inside a character), with its CRLF.
  static func folded(_ line: String) -> String {
    let bytes = Array(line.utf8)
    if bytes.count <= 75 { return line + "\r\n" }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count + bytes.count / 70 * 3 + 2)
    var i = 0
    var limit = 75
    while i < bytes.count {
      var end = min(bytes.count, i + limit)
      // Back off to the start of a character.
      while end < bytes.count, end > i, bytes[end] & 0xC0 == 0x80 { end -= 1 }
      out.append(contentsOf: bytes[i..<end])
      i = end
      if i < bytes.count {
        out.append(contentsOf: [0x0D, 0x0A, 0x20])
        limit = 74
      }
    }
    out.append(contentsOf: [0x0D, 0x0A])
    return String(decoding: out, as: UTF8.self)
  }

  /// A stable 64-bit hash (FNV-1a) of the title, for UIDs that stay the same from one export to the next.
  static func fnv1a(_ s: String) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return h
  }
}
