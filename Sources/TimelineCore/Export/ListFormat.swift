/// The output formats of `timeline list`.
public enum ListFormat: String, CaseIterable, Sendable {
  /// One line per event, safe to print on a terminal.
  case text
  /// A timeline document in this program's own format, which loads again with `--data`.
  case json
  /// RFC 4180 CSV with a header row; lists are joined with ";".
  case csv
  /// A readable document: headings per year, one item per event with its summary and sources.
  case markdown
  /// A TimelineJS3 document, to publish with Knight Lab's TimelineJS.
  case timelinejs
  /// An iCalendar file for calendar programs.
  case ics

  /// Renders the given events (event numbers in chronological order) of a timeline. With the user's
  /// `annotations` (`list --session` or `--marked`, and exports from the explorer), their marks and
  /// notes are written too: `x-marked`/`x-user-note` in JSON (ignored as extensions when the file is
  /// opened again), `x_marked`/`x_user_note` in TimelineJS, `X-TIMELINE-MARKED`/`X-TIMELINE-USER-NOTE`
  /// in iCalendar, two more columns in CSV, a ★ and the note in Markdown. Text stays one line per event.
  public func render(_ timeline: Timeline, events: [UInt32], annotations: AnnotationIndex? = nil) -> String {
    switch self {
    case .text: TextListWriter.render(timeline, events: events)
    case .json: TimelineJSONWriter.render(timeline, events: events, annotations: annotations)
    case .csv: CSVWriter.render(timeline, events: events, annotations: annotations)
    case .markdown: MarkdownWriter.render(timeline, events: events, annotations: annotations)
    case .timelinejs: TimelineJSWriter.render(timeline, events: events, annotations: annotations)
    case .ics: ICalendarWriter.render(timeline, events: events, annotations: annotations)
    }
  }

  /// The format a file name asks for by its extension (`.txt`, `.json`, `.csv`, `.md`, `.ics`; a
  /// TimelineJS document is `.timelinejs.json` or `.tljs`), or nil.
  public static func forFileName(_ name: String) -> ListFormat? {
    let lower = name.lowercased()
    if lower.hasSuffix(".timelinejs.json") || lower.hasSuffix(".tljs") { return .timelinejs }
    guard let dot = lower.lastIndex(of: "."), !lower[dot...].contains("/") else { return nil }
    switch lower[lower.index(after: dot)...] {
    case "txt", "text": return .text
    case "json": return .json
    case "csv": return .csv
    case "md", "markdown": return .markdown
    case "ics", "ical", "ifb": return .ics
    default: return nil
    }
  }

  /// A warning about events this format cannot hold (they are left out), or nil.
  public func omissions(_ timeline: Timeline, events: [UInt32]) -> String? {
    guard self == .ics else { return nil }
    let n = ICalendarWriter.unrepresentable(timeline, events: events)
    guard n > 0 else { return nil }
    return "\(n) event\(n == 1 ? "" : "s") left out: iCalendar holds only years 0 to 9999"
  }

  /// `--count` in this format: a JSON object for `json` and `timelinejs`, a CSV record under a header for
  /// `csv`, the bare number otherwise (so scripts that read the format they asked for can read the count).
  public func renderCount(_ count: Int) -> String {
    switch self {
    case .json, .timelinejs: "{ \"count\": \(count) }\n"
    case .csv: "count\r\n\(count)\r\n"
    case .text, .markdown, .ics: "\(count)\n"
    }
  }
}

/// Dates as people read them in lists: the written form, and spans joined with an en dash.
public enum DateText {
  /// `2020-08-25`, `2020-08-26 – 2020-08-27`, `2011 – 2020-01`.
  public static func span(_ start: TimelineDate, _ end: TimelineDate?) -> String {
    guard let end, end != start else { return start.description }
    return "\(start) – \(end)"
  }

  private static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
  ]

  public static func monthName(_ month: UInt8) -> String {
    (1...12).contains(month) ? monthNames[Int(month) - 1] : "?"
  }

  /// "Jan" … "Dec".
  public static func shortMonthName(_ month: UInt8) -> String { String(monthName(month).prefix(3)) }

  /// A year as people read it: `2020`, `45 BC` (year 0 is 1 BC).
  public static func year(_ year: Int64) -> String { year > 0 ? "\(year)" : "\(1 - year) BC" }

  /// A date in a few columns, as the explorer's list, headings and header write it: the written
  /// form (`2020-08-25`) for years after Christ, and for years before it the same words as the headings
  /// and the detail (`15 Mar 45 BC`, `Mar 45 BC`, `45 BC`), so a year is never `-0044` in one place
  /// and `45 BC` in another. `~` marks an approximate date.
  public static func compact(_ d: TimelineDate) -> String {
    guard d.year < 1 else { return d.description }
    var s: String
    switch d.precision {
    case .year: s = year(d.year)
    case .month: s = "\(shortMonthName(d.month)) \(year(d.year))"
    case .day: s = "\(d.day) \(shortMonthName(d.month)) \(year(d.year))"
    }
    if let h = d.hour, let m = d.minute { s += " " + TimelineDate.twoDigits(h) + ":" + TimelineDate.twoDigits(m) }
    return d.isApproximate ? s + "~" : s
  }

  /// `25 August 2020`, `25 August 2020, 14:30`, `August 2020`, `2020`, `44 BC`, with "about" for
  /// approximate dates.
  public static func long(_ d: TimelineDate) -> String {
    let year = year(d.year)
    var s: String
    switch d.precision {
    case .year: s = year
    case .month: s = "\(monthName(d.month)) \(year)"
    case .day: s = "\(d.day) \(monthName(d.month)) \(year)"
    }
    if let h = d.hour, let m = d.minute { s += ", " + TimelineDate.twoDigits(h) + ":" + TimelineDate.twoDigits(m) }
    if d.isApproximate { s = "about " + s }
    return s
  }
}

/// `timeline list --format text`: one line per event.
enum TextListWriter {
  static func render(_ t: Timeline, events: [UInt32]) -> String {
    let dates = events.map { DateText.span(t.date(at: Int($0)), t.endDate(at: Int($0))) }
    let width = dates.map(\.count).max() ?? 0
    var out = ""
    for (k, e) in events.enumerated() {
      let i = Int(e)
      let date = dates[k].padding(toLength: width, withPad: " ", startingAt: 0)
      let confidence = t.confidence(at: i).name.padding(toLength: 9, withPad: " ", startingAt: 0)
      var line = "\(date)  \(confidence)  \(TerminalSafety.sanitized(t.title(at: i)))"
      let codes = t.countryCodes(at: i)
      if !codes.isEmpty { line += "  [" + codes.joined(separator: " ") + "]" }
      out += line + "\n"
    }
    return out
  }
}

/// `timeline list --format csv`.
enum CSVWriter {
  static let header = ["id", "date", "end", "title", "summary", "countries", "people", "tags", "confidence", "sources", "notes"]

  static func render(_ t: Timeline, events: [UInt32], annotations: AnnotationIndex? = nil) -> String {
    var out = (header + (annotations == nil ? [] : ["marked", "user_note"])).joined(separator: ",") + "\r\n"
    for e in events {
      let i = Int(e)
      let row = [
        t.id(at: i), t.date(at: i).description, t.endDate(at: i)?.description ?? "", t.title(at: i), t.summary(at: i),
        t.countryCodes(at: i).joined(separator: ";"),
        t.personIndexes(at: i).map { t.people[Int($0)].id }.joined(separator: ";"),
        t.tagIndexes(at: i).map { t.tags[Int($0)] }.joined(separator: ";"),
        t.confidence(at: i).name,
        t.sourceIndexes(at: i).map { t.sources[Int($0)].id }.joined(separator: ";"),
        t.notes(at: i) ?? "",
      ]
      let user = annotations.map { [$0.isMarked(e) ? "yes" : "", $0.note(e) ?? ""] } ?? []
      out += (row + user).map(field).joined(separator: ",") + "\r\n"
    }
    return out
  }

  /// A field as RFC 4180 readers expect it: the exact text, in double quotes (doubled inside) when it
  /// holds a comma, a quote, a line break, any other control character or a leading or trailing space.
  /// Nothing is replaced or escaped, so the CSV reads back to the data as it is (a terminal is protected
  /// where the text is printed on one: `timeline list` shows control characters there as placeholders).
  /// A leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula.
  static func field(_ value: String) -> String {
    var v = value
    if let first = v.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), !isPlainNumberOrDate(v) { v = "'" + v }
    let needsQuotes =
      v.unicodeScalars.contains { $0 == "," || $0 == "\"" || TerminalSafety.isUnsafe($0) } || v.hasPrefix(" ") || v.hasSuffix(" ")
    return needsQuotes ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
  }

  private static func isPlainNumberOrDate(_ v: String) -> Bool {
    v.dropFirst().allSatisfy { $0.isNumber || $0 == "-" || $0 == "~" }
  }
}

/// `timeline list --format markdown`.
enum MarkdownWriter {
  static func render(_ t: Timeline, events: [UInt32], annotations: AnnotationIndex? = nil) -> String {
    var out = "# \(escape(t.title))\n\n"
    if !t.description.isEmpty { out += escape(t.description) + "\n\n" }
    out += "\(events.count) of \(t.count) events.\n"
    var year: Int64?
    for e in events {
      let i = Int(e)
      let d = t.date(at: i)
      if d.year != year {
        year = d.year
        out += "\n## \(TimelineDate.yearString(d.year))\n\n"
      }
      let countries = t.countryCodes(at: i).map { t.countries.name(of: $0) }
      let mark = annotations?.isMarked(e) == true ? "★ " : ""
      out += "- \(mark)**\(DateText.span(d, t.endDate(at: i)))** \(escape(t.title(at: i))) (\(t.confidence(at: i).name)"
      if !countries.isEmpty { out += "; " + countries.map(escape).joined(separator: ", ") }
      out += ")\n"
      let summary = t.summary(at: i)
      if !summary.isEmpty { out += "  " + escape(summary).replacingOccurrences(of: "\n", with: "\n  ") + "\n" }
      let people = t.personIndexes(at: i).map { t.people[Int($0)].name }
      if !people.isEmpty { out += "  People: " + people.map(escape).joined(separator: ", ") + ".\n" }
      if let notes = t.notes(at: i) { out += "  Notes: " + escape(notes).replacingOccurrences(of: "\n", with: "\n  ") + "\n" }
      if let mine = annotations?.note(e) { out += "  My note: " + escape(mine).replacingOccurrences(of: "\n", with: "\n  ") + "\n" }
      let sources = t.sourceIndexes(at: i).map { t.sources[Int($0)] }
      out += "  Sources: " + sources.map(source).joined(separator: "; ") + ".\n"
    }
    return out
  }

  /// `NHK, "Title" (2021-07-23) <https://…>`: the source as the list names it, with its URL as a link.
  static func source(_ s: Source) -> String {
    var out = "\(escape(s.publisher)), \"\(escape(s.title))\"" + (s.date.map { " (\($0))" } ?? "")
    if let url = s.url, !url.isEmpty { out += " " + link(url) }
    return out
  }

  /// A web or mail address as a CommonMark autolink (`<https://…>`). Spaces, `<`, `>` and characters unsafe
  /// on a terminal are percent-encoded, so that nothing in the address can end the link or reach the
  /// terminal raw; any other scheme (`javascript:` among them) stays escaped text, not a link.
  static func link(_ url: String) -> String {
    let lower = url.lowercased()
    guard ["http://", "https://", "ftp://", "mailto:"].contains(where: lower.hasPrefix) else { return escape(url) }
    var out = "<"
    for scalar in url.unicodeScalars {
      if scalar == " " || scalar == "<" || scalar == ">" || TerminalSafety.isUnsafe(scalar) {
        for byte in String(scalar).utf8 { out += (byte < 0x10 ? "%0" : "%") + String(byte, radix: 16, uppercase: true) }
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out + ">"
  }

  /// Terminal-safe text with Markdown's inline markers escaped, so data cannot inject links or HTML.
  static func escape(_ s: String) -> String {
    var out = ""
    for ch in TerminalSafety.sanitized(s.replacingOccurrences(of: "\r\n", with: "\n")).unicodeScalars {
      if "\\`*_[]<>#|".unicodeScalars.contains(ch) { out += "\\" }
      out.unicodeScalars.append(ch == "\u{2424}" ? "\n" : ch)
    }
    return out
  }
}
