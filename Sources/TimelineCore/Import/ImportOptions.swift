/// How to read a file that is not in this program's own format.
public struct ImportOptions: Sendable {
  /// The format to read the file as, instead of recognising it.
  public var format: TimelineFormat?
  /// For spreadsheets: which column holds each event field, by header (`date` → `When`). Columns not
  /// named here are guessed from their headers.
  public var columns: [ImportField: String] = [:]
  /// What separates several values in one cell (people, countries, tags, sources).
  public var separator: Character = ";"
  /// How to read dates such as `01/02/2003`.
  public var dateOrder: DateReading.NumericOrder = .monthFirst
  /// Load the rows that are fine and skip the others (each skipped row is still reported).
  public var skipBadRows = false
  /// The confidence of events whose file says nothing about it.
  public var defaultConfidence: Confidence = .reported
  /// Whether a large TimelineJS spreadsheet may take the fast path (tests compare both paths).
  var allowFastPath = true
  /// Spreadsheets at least this large take the fast path, and are read by two threads (tests lower it).
  var fastPathThreshold = SpreadsheetFastPath.threshold

  public init() {}

  /// Reads a mapping such as `date=When,title=Headline,people=Who` (from `--columns` or a mapping file:
  /// one `field=Header` per line or separated by commas; `#` starts a comment).
  public static func parseColumns(_ text: String) throws(MappingError) -> [ImportField: String] {
    var map: [ImportField: String] = [:]
    let items = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," })
    for raw in items {
      let item = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)?.trimmingWhitespace() ?? ""
      if item.isEmpty { continue }
      guard let eq = item.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
        throw MappingError(message: "\"\(TerminalSafety.sanitized(item))\" is not FIELD=Header")
      }
      let name = String(item[..<eq]).trimmingWhitespace().lowercased()
      let header = String(item[item.index(after: eq)...]).trimmingWhitespace()
      guard let field = ImportField(rawValue: name) ?? (name == "sources" ? .source : nil) else {
        let known = ImportField.allCases.map(\.rawValue).joined(separator: ", ")
        throw MappingError(message: "unknown field \"\(TerminalSafety.sanitized(name))\"; the fields are \(known)")
      }
      guard !header.isEmpty else { throw MappingError(message: "no column named for \"\(name)\"") }
      map[field] = header
    }
    return map
  }

  public struct MappingError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }
}

/// The event fields a spreadsheet column can fill.
public enum ImportField: String, CaseIterable, Sendable {
  case id, date, end, title, summary, notes, people, countries, tags, confidence, source

  /// Headers that name the field when no mapping says otherwise, compared without case or accents.
  var guesses: [String] {
    switch self {
    case .id: ["id", "uid", "unique id", "unique_id", "identifier", "event id"]
    case .date: ["date", "start", "start date", "start_date", "startdate", "when", "datetime", "date time", "timestamp", "begin", "from"]
    case .end: ["end", "end date", "end_date", "enddate", "until", "to", "finish"]
    case .title: ["title", "headline", "event", "name", "subject", "what"]
    case .summary: ["summary", "description", "text", "details", "body", "content", "message", "desc"]
    case .notes: ["notes", "note", "comment", "comments", "remarks"]
    case .people: ["people", "person", "persons", "who", "actors", "actor", "participants", "attendees", "names"]
    case .countries: ["countries", "country", "nation", "nations", "pays"]
    case .tags: ["tags", "tag", "category", "categories", "group", "type", "series", "keywords", "labels"]
    case .confidence: ["confidence", "certainty", "reliability", "status"]
    case .source: ["source", "sources", "url", "link", "source url", "reference", "references", "citation"]
    }
  }
}

/// A timeline read from a file, and what the reader wants the user to know.
public struct ImportResult: Sendable {
  public var timeline: Timeline
  public var format: TimelineFormat
  /// Rows or events left out at the user's request (`--skip-bad-rows`), each with its problem.
  public var skipped: [Diagnostic]
  /// How many records were left out in all.
  public var skippedCount: Int
  /// Problems of skipped records beyond those listed (the list stops at `DecodeFailure.limit`).
  public var omittedProblems = 0
}
