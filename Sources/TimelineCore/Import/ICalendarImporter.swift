/// Reads the events of an iCalendar file (RFC 5545).
///
/// Each VEVENT becomes an event: `DTSTART`/`DTEND` (or `DURATION`) its dates (a `DATE` value is a day,
/// and an all-day event's `DTEND` is the day after its last), `SUMMARY` its title, `DESCRIPTION` its
/// summary, `CATEGORIES` its tags, `ATTENDEE` and `ORGANIZER` its people (by `CN`), `URL` a source,
/// `LOCATION` its countries when it names countries (else a note), `STATUS` its confidence
/// (`CONFIRMED` confirmed, `TENTATIVE` reported; `CANCELLED` is said in the notes). Times are kept as
/// written (a `Z` or `TZID` is not applied, as the timeline has no time zones). The `X-TIMELINE-`
/// properties of this program's own export are read back for an exact round trip.
struct ICalendarImporter {
  let session: ImportSession

  func run(_ buffer: UnsafeBufferPointer<UInt8>) -> (title: String?, description: String?) {
    let (components, problems) = ICalendarReader.read(buffer)
    if components.isEmpty && problems.isEmpty {
      session.report(SourcePosition(line: 1, column: 1), "the file is empty; expected an iCalendar file (BEGIN:VCALENDAR)")
      return (nil, nil)
    }
    for p in problems { _ = session.settle([(SourcePosition(line: p.line), p.message)]) }
    var events: [ICalendarReader.Component] = []
    var title: String?
    var description: String?
    for c in components {
      if c.name == "VEVENT" { events.append(c) }
      if c.name == "VCALENDAR" {
        events += c.children.filter { $0.name == "VEVENT" }
        title = title ?? c.first("X-WR-CALNAME").map { ICalendarReader.text($0.value) }
        description = description ?? c.first("X-WR-CALDESC").map { ICalendarReader.text($0.value) }
      }
    }
    if components.allSatisfy({ $0.name != "VCALENDAR" && $0.name != "VEVENT" }) {
      session.report(SourcePosition(line: components.first?.line ?? 1), "expected an iCalendar file (BEGIN:VCALENDAR)")
    }
    for (k, e) in events.enumerated() { add(e, number: k + 1) }
    return (title, description)
  }

  private func add(_ e: ICalendarReader.Component, number: Int) {
    let record = SourcePosition.calendar(line: e.line, event: number, property: nil)
    func at(_ p: ICalendarReader.Property?) -> SourcePosition {
      p.map { SourcePosition.calendar(line: $0.line, event: number, property: $0.name) } ?? record
    }
    var problems: [(SourcePosition, String)] = []
    var notes: [String] = []

    // Dates: this program's exact dates when it wrote them, else DTSTART and DTEND or DURATION.
    var start: TimelineDate?
    var end: TimelineDate?
    let dtstart = e.first("DTSTART")
    if let own = e.first("X-TIMELINE-DATE"), case .success(let d) = TimelineDate.parse(own.value.trimmingWhitespace()) {
      start = d
      if let ownEnd = e.first("X-TIMELINE-END"), case .success(let d2) = TimelineDate.parse(ownEnd.value.trimmingWhitespace()) { end = d2 }
    } else if let dtstart {
      switch Self.dateValue(dtstart) {
      case .failure(let f): problems.append((at(dtstart), "invalid DTSTART \"\(TerminalSafety.sanitized(dtstart.value))\": \(f)"))
      case .success(let s):
        start = s
        if let dtend = e.first("DTEND") {
          switch Self.dateValue(dtend) {
          case .failure(let f): problems.append((at(dtend), "invalid DTEND \"\(TerminalSafety.sanitized(dtend.value))\": \(f)"))
          case .success(let d):
            end = Self.lastMoment(start: s, exclusiveEnd: d)
            if let endDate = end, endDate < s { problems.append((at(dtend), "DTEND is before DTSTART")) }
          }
        } else if let duration = e.first("DURATION") {
          switch Self.duration(duration.value) {
          case .none: problems.append((at(duration), "invalid DURATION \"\(TerminalSafety.sanitized(duration.value))\": expected P1D, PT2H30M, P1W…"))
          case .some(let minutes): end = Self.lastMoment(start: s, exclusiveEnd: Self.adding(minutes: minutes, to: s))
          }
        }
      }
    } else {
      problems.append((record, "the event has no DTSTART"))
    }
    if let s = start, let d = end, s == d || (d.minuteOfDay == nil && s.minuteOfDay == nil && d.lowerKey == s.lowerKey && d.precision == s.precision) {
      end = nil
    }

    let summaryProperty = e.first("SUMMARY")
    var title = summaryProperty.map { HTMLText.singleLine(ICalendarReader.text($0.value)).trimmingWhitespace() } ?? ""
    let summary = (e.first("X-TIMELINE-SUMMARY") ?? e.first("DESCRIPTION")).map { ICalendarReader.text($0.value).trimmingWhitespace() } ?? ""
    if title.isEmpty {
      let first = summary.split(separator: "\n").first.map(String.init) ?? ""
      title = first.count > 100 ? String(first.prefix(99)) + "…" : first
    }
    if title.isEmpty { problems.append((at(summaryProperty), "the event has no SUMMARY")) }

    // Countries: this program's codes, else a LOCATION that names countries.
    var countries: [String] = []
    if let own = e.first("X-TIMELINE-COUNTRIES") {
      for code in own.value.split(separator: ",") {
        switch session.country(String(code)) {
        case .success(let c): countries.append(c)
        case .failure(let f): problems.append((at(own), f.description))
        }
      }
    } else if let location = e.first("LOCATION") {
      let text = ICalendarReader.text(location.value).trimmingWhitespace()
      let parts = text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
      let codes = parts.compactMap { try? session.country($0).get() }
      if !parts.isEmpty && codes.count == parts.count {
        countries = codes.enumerated().filter { k, c in !codes[..<k].contains(c) }.map(\.element)
      } else if !text.isEmpty {
        notes.append("Location: \(text)")
      }
    }

    var confidence: Confidence?
    if let own = e.first("X-TIMELINE-CONFIDENCE") {
      confidence = ImportSession.confidence(own.value)
      if confidence == nil { problems.append((at(own), Rules.invalidConfidence(own.value))) }
    }
    if let status = e.first("STATUS") {
      switch status.value.trimmingWhitespace().uppercased() {
      case "CONFIRMED": confidence = confidence ?? .confirmed
      case "TENTATIVE": confidence = confidence ?? .reported
      case "CANCELLED": notes.append("Cancelled (the calendar marks this event CANCELLED).")
      default: break
      }
    }
    if session.settle(problems) { return }
    guard let start else { return }

    var people: [String] = []
    for p in e.all("ORGANIZER") + e.all("ATTENDEE") {
      let id: String
      if let own = p.parameter("X-TIMELINE-ID"), session.isPerson(own) {
        id = own
      } else if let name = p.parameter("CN")?.trimmingWhitespace(), !name.isEmpty {
        id = session.person(named: name, at: at(p), preferredID: p.parameter("X-TIMELINE-ID"))
      } else {
        let address = p.value.trimmingWhitespace()
        let lower = address.lowercased()
        guard lower.hasPrefix("mailto:"), address.count > 7 else { continue }
        id = session.person(named: String(address.dropFirst(7)), at: at(p))
      }
      if !people.contains(id) { people.append(id) }
    }
    var tags: [String] = []
    for c in e.all("CATEGORIES") {
      for t in ICalendarReader.textList(c.value) where !tags.contains(t) { tags.append(t) }
    }
    var sources: [String] = []
    if let url = e.first("URL")?.value.trimmingWhitespace(), !url.isEmpty {
      sources.append(session.source(url: url, title: title, at: at(e.first("URL"))))
    }
    if sources.isEmpty { sources = [session.fileSource()] }
    if let rule = e.first("RRULE") { notes.append("Repeats (\(rule.value)); only the first occurrence is shown.") }
    if let own = e.first("X-TIMELINE-NOTES") { notes.insert(ICalendarReader.text(own.value), at: 0) }
    if confidence == nil { session.usedDefaultConfidence = true }
    let preferredID = e.first("X-TIMELINE-ID").map { ICalendarReader.text($0.value) } ?? e.first("UID").map { ICalendarReader.text($0.value) }
    session.builder.add(
      Event(
        id: session.uniqueID(preferredID, fallback: "event-\(number)", kind: "event"), date: start, end: end, title: title,
        summary: summary == title ? "" : summary, countries: countries, people: people, tags: tags,
        confidence: confidence ?? session.options.defaultConfidence, sources: sources,
        notes: notes.isEmpty ? nil : notes.joined(separator: "\n")),
      at: record)
  }

  /// A DATE or DATE-TIME value: `20220101`, `20220101T103000`, `20220101T103000Z`, `20220101T1030`
  /// (lenient), or an ISO date as some exporters write (`2022-01-01T10:30:00`).
  static func dateValue(_ p: ICalendarReader.Property) -> Result<TimelineDate, DateReading.Failure> {
    let v = p.value.trimmingWhitespace()
    // Several dates (an RDATE-like list): the first.
    let first = v.split(separator: ",").first.map(String.init) ?? v
    let u = Array(first.utf8)
    func number(_ r: Range<Int>) -> Int64? {
      guard r.upperBound <= u.count, u[r].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
      return Int64(String(decoding: u[r], as: UTF8.self))
    }
    if u.count >= 8, let y = number(0..<4), let m = number(4..<6), let d = number(6..<8) {
      if u.count == 8 { return DateReading.timelineJSDate(year: y, month: m, day: d, hour: nil, minute: nil) }
      if u[8] == UInt8(ascii: "T"), let h = number(9..<11), let mi = number(11..<13) {
        var rest = u.count > 13 ? Array(u[13...]) : []
        if rest.count >= 2, rest.prefix(2).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { rest.removeFirst(2) }
        if rest.isEmpty || rest == [UInt8(ascii: "Z")] {
          return DateReading.timelineJSDate(year: y, month: m, day: d, hour: h, minute: mi)
        }
      }
    }
    return DateReading.flexible(first)
  }

  /// The last day (or moment) of an event from its exclusive end: an all-day event ending on the 2nd
  /// ends on the 1st; a timed event ends at its DTEND.
  static func lastMoment(start: TimelineDate, exclusiveEnd: TimelineDate) -> TimelineDate {
    guard exclusiveEnd.minuteOfDay == nil, exclusiveEnd.precision == .day, exclusiveEnd.lowerKey > start.lowerKey else { return exclusiveEnd }
    return TimelineDate(dayKey: dayBefore(exclusiveEnd))
  }

  private static func dayBefore(_ d: TimelineDate) -> Int64 {
    if d.day > 1 { return TimelineDate.key(d.year, d.month, d.day - 1) }
    if d.month > 1 { return TimelineDate.key(d.year, d.month - 1, UInt8(TimelineDate.daysIn(month: d.month - 1, year: d.year))) }
    return TimelineDate.key(d.year - 1, 12, 31)
  }

  /// A DURATION in minutes: `P1W`, `P2D`, `PT1H30M`, `P1DT12H`; nil when malformed.
  static func duration(_ value: String) -> Int64? {
    var s = Substring(value.trimmingWhitespace().uppercased())
    if s.first == "+" { s = s.dropFirst() }
    guard s.first == "P" else { return nil }
    s = s.dropFirst()
    var minutes: Int64 = 0
    var number: Int64 = 0
    var digits = false
    var inTime = false
    for c in s {
      if let d = c.wholeNumberValue, c.isASCII {
        number = number * 10 + Int64(d)
        digits = true
        if number > 10_000_000 { return nil }
        continue
      }
      switch (c, inTime) {
      case ("T", false): inTime = true; continue
      case ("W", false): minutes += number * 7 * 1440
      case ("D", false): minutes += number * 1440
      case ("H", true): minutes += number * 60
      case ("M", true): minutes += number
      case ("S", true): minutes += number / 60
      default: return nil
      }
      guard digits else { return nil }
      number = 0
      digits = false
    }
    // Longer than two centuries is no event's length: refused rather than walked day by day.
    return digits || minutes > 200 * 366 * 1440 ? nil : minutes
  }

  /// A date moved forward by minutes (days for a date without a time).
  static func adding(minutes: Int64, to d: TimelineDate) -> TimelineDate {
    guard d.precision == .day else { return d }
    let total = Int64(d.minuteOfDay ?? 0) + minutes
    var key = d.lowerKey
    for _ in 0..<(total / 1440) { key = dayAfter(key) }
    let rest = total % 1440
    let day = TimelineDate(dayKey: key)
    if d.minuteOfDay == nil { return day }
    return TimelineDate(year: day.year, month: day.month, day: day.day, hour: UInt8(rest / 60), minute: UInt8(rest % 60))!
  }

  private static func dayAfter(_ key: Int64) -> Int64 {
    let d = TimelineDate(dayKey: key)
    if Int(d.day) < TimelineDate.daysIn(month: d.month, year: d.year) { return key + 1 }
    if d.month < 12 { return TimelineDate.key(d.year, d.month + 1, 1) }
    return TimelineDate.key(d.year + 1, 1, 1)
  }
}
