/// The kinds of file `--data` opens, and how one is recognised.
///
/// The content decides (the first bytes of a file say what it is far more reliably than its name); the
/// extension only settles what the content leaves open (an empty file, one line of text), and
/// `--format-in` overrides both.
public enum TimelineFormat: String, CaseIterable, Sendable {
  /// This program's own JSON (`timeline/1`).
  case timeline
  /// Knight Lab's TimelineJS3 JSON: `events`, `title`, `eras`.
  case timelinejs
  /// TimelineJS2's JSON: `{"timeline": {"date": [...]}}`.
  case timelinejs2
  /// The TimelineJS spreadsheet template exported as CSV (or TSV): `Year, Month, Day, …, Headline, Text`.
  case timelinejsCSV = "timelinejs-csv"
  /// An iCalendar file (RFC 5545): its VEVENTs.
  case ics
  /// Any CSV file with a header row.
  case csv
  /// Any tab-separated file with a header row.
  case tsv

  /// What the format is called in messages.
  public var displayName: String {
    switch self {
    case .timeline: "timeline JSON"
    case .timelinejs: "TimelineJS JSON"
    case .timelinejs2: "TimelineJS2 JSON"
    case .timelinejsCSV: "TimelineJS spreadsheet"
    case .ics: "iCalendar"
    case .csv: "CSV"
    case .tsv: "TSV"
    }
  }

  /// How much of a file `sniff` looks at.
  public static let prefixLength = 64 << 10

  /// The format of a file, from its first bytes (up to `prefixLength`) and its name.
  public static func sniff(prefix: UnsafeBufferPointer<UInt8>, path: String) -> TimelineFormat {
    let ext = path.split(separator: "/").last.flatMap { name in name.contains(".") ? name.split(separator: ".").last : nil }
      .map { $0.lowercased() } ?? ""
    var i = 0
    if prefix.count >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { i = 3 }
    while i < prefix.count, prefix[i] == 0x20 || prefix[i] == 0x09 || prefix[i] == 0x0A || prefix[i] == 0x0D { i += 1 }
    let rest = UnsafeBufferPointer(rebasing: prefix[i...])
    guard let first = rest.first else {
      // Nothing to go on but the name; each importer says clearly that the file is empty.
      switch ext {
      case "ics", "ical", "ifb", "icalendar": return .ics
      case "csv": return .csv
      case "tsv", "tab": return .tsv
      default: return .timeline
      }
    }
    if startsCaseInsensitive(rest, "BEGIN:VCALENDAR") || startsCaseInsensitive(rest, "BEGIN:VEVENT") { return .ics }
    if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || startsCaseInsensitive(rest, "var ") {
      return jsonKind(rest)
    }
    if ext == "json" || ext == "js" { return jsonKind(rest) }
    if ext == "ics" || ext == "ical" { return .ics }
    return delimitedKind(rest, ext: ext)
  }

  /// Which JSON: TimelineJS3 slides have `start_date`, TimelineJS2 dates `startDate` inside a
  /// `"timeline"` object; anything else is left to this program's own decoder, which explains.
  private static func jsonKind(_ s: UnsafeBufferPointer<UInt8>) -> TimelineFormat {
    if contains(s, "\"format\"") && contains(s, "\"timeline/1\"") { return .timeline }
    if contains(s, "\"start_date\"") { return .timelinejs }
    if contains(s, "\"startDate\"") && contains(s, "\"timeline\"") { return .timelinejs2 }
    // A TimelineJS3 document whose events come after a long title slide, or one without events yet.
    if contains(s, "\"text\"") && contains(s, "\"headline\"") && !contains(s, "\"sources\"") {
      return contains(s, "\"date\"") && contains(s, "\"timeline\"") ? .timelinejs2 : .timelinejs
    }
    return .timeline
  }

  /// CSV or TSV from the first line's tabs and commas (outside quotes); the TimelineJS template when the
  /// header has its `Year` and `Headline` columns (or the older `Start Date` and `Headline`).
  private static func delimitedKind(_ s: UnsafeBufferPointer<UInt8>, ext: String) -> TimelineFormat {
    var tabs = 0
    var commas = 0
    var quoted = false
    var end = 0
    while end < s.count {
      let b = s[end]
      if b == UInt8(ascii: "\"") { quoted.toggle() }
      if !quoted {
        if b == 0x0A || b == 0x0D { break }
        if b == 0x09 { tabs += 1 }
        if b == UInt8(ascii: ",") { commas += 1 }
      }
      end += 1
    }
    let tab = tabs > commas || (tabs == commas && (ext == "tsv" || ext == "tab"))
    let header = String(decoding: UnsafeBufferPointer(rebasing: s[..<end]), as: UTF8.self)
    let names = Set(header.split(separator: tab ? "\t" : ",").map { Self.unquoted(String($0).trimmingWhitespace()).lowercased() })
    if names.contains("headline") && (names.contains("year") || names.contains("start date")) { return .timelinejsCSV }
    return tab ? .tsv : .csv
  }

  private static func unquoted(_ s: String) -> String {
    s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") ? String(s.dropFirst().dropLast()) : s
  }

  private static func startsCaseInsensitive(_ s: UnsafeBufferPointer<UInt8>, _ word: String) -> Bool {
    let w = Array(word.utf8)
    guard s.count >= w.count else { return false }
    for k in 0..<w.count where s[k] | 0x20 != w[k] | 0x20 { return false }
    return true
  }

  private static func contains(_ s: UnsafeBufferPointer<UInt8>, _ word: String) -> Bool {
    let w = Array(word.utf8)
    guard s.count >= w.count, let first = w.first else { return false }
    var i = 0
    while i + w.count <= s.count {
      if s[i] == first {
        var k = 1
        while k < w.count, s[i + k] == w[k] { k += 1 }
        if k == w.count { return true }
      }
      i += 1
    }
    return false
  }
}
