import Foundation

/// Where the user left a data file: its filters, search, selected event and focus, and their marks
/// and notes. Saved under the state directory (`SessionStore`) when the explorer quits and whenever a
/// mark or note changes; restored when the same file is opened again; read by `timeline list
/// --session` and `--marked`.
///
/// Stored as JSON with a version; a file from a newer version of the program is set aside rather than
/// read wrongly or overwritten.
public struct Session: Codable, Equatable, Hashable, Sendable {
  /// The version this program writes; a file with a larger one is set aside.
  public static let currentVersion = 1

  public var version = Session.currentVersion
  /// The data file's absolute path when saved (nil: the bundled case).
  public var dataFile: String?
  /// What the data file held when saved, to tell whether it changed between two runs.
  public var fingerprint: FileFingerprint?
  /// When it was saved (ISO 8601, UTC), for the user reading the file.
  public var saved: String?

  public var filters = Filters()
  public var search: Search?
  /// Whether only marked events are shown.
  public var markedOnly = false
  /// The selected event's id.
  public var selected: String?
  /// `list` or `detail`.
  public var focus: String?
  /// The first line of the detail pane on screen.
  public var detailScroll: Int?
  public var annotations = Annotations()

  public init() {}

  /// The filters in force, by facet name, with the date range.
  public struct Filters: Codable, Equatable, Hashable, Sendable {
    public var facets: [String: Values] = [:]
    public var from: String?
    public var to: String?

    public struct Values: Codable, Equatable, Hashable, Sendable {
      public var on: [String]
      public var not: [String]

      public init(on: [String], not: [String]) {
        self.on = on
        self.not = not
      }

      // An empty side is left out of the file (and read as empty).
      enum CodingKeys: String, CodingKey { case on, not }

      public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        on = try c.decodeIfPresent([String].self, forKey: .on) ?? []
        not = try c.decodeIfPresent([String].self, forKey: .not) ?? []
      }

      public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !on.isEmpty { try c.encode(on, forKey: .on) }
        if !not.isEmpty { try c.encode(not, forKey: .not) }
      }
    }

    public init() {}

    public var isEmpty: Bool { facets.isEmpty && from == nil && to == nil }
  }

  /// The search: its text, whether it is a regular expression, and whether it filters the list (else
  /// it only highlights).
  public struct Search: Codable, Equatable, Hashable, Sendable {
    public var text: String
    public var regex: Bool
    public var filters: Bool

    public init(text: String, regex: Bool, filters: Bool) {
      self.text = text
      self.regex = regex
      self.filters = filters
    }
  }

  enum CodingKeys: String, CodingKey {
    case version, dataFile = "data_file", fingerprint, saved, filters, search, markedOnly = "marked_only", selected, focus
    case detailScroll = "detail_scroll", annotations
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    version = try c.decode(Int.self, forKey: .version)
    dataFile = try c.decodeIfPresent(String.self, forKey: .dataFile)
    fingerprint = try c.decodeIfPresent(FileFingerprint.self, forKey: .fingerprint)
    saved = try c.decodeIfPresent(String.self, forKey: .saved)
    filters = try c.decodeIfPresent(Filters.self, forKey: .filters) ?? Filters()
    search = try c.decodeIfPresent(Search.self, forKey: .search)
    markedOnly = try c.decodeIfPresent(Bool.self, forKey: .markedOnly) ?? false
    selected = try c.decodeIfPresent(String.self, forKey: .selected)
    focus = try c.decodeIfPresent(String.self, forKey: .focus)
    detailScroll = try c.decodeIfPresent(Int.self, forKey: .detailScroll)
    annotations = try c.decodeIfPresent(Annotations.self, forKey: .annotations) ?? Annotations()
  }

  /// The filters as a query (without the text). Unknown facet names (from a newer version) and dates
  /// that no longer parse are left out.
  public var query: Query {
    var q = Query()
    for facet in Facet.allCases {
      guard let values = filters.facets[facet.name] else { continue }
      for key in values.on { q[facet].set(key, .on) }
      for key in values.not { q[facet].set(key, .excluded) }
    }
    if let from = filters.from, case .success(let d) = TimelineDate.parse(from) { q.from = d }
    if let to = filters.to, case .success(let d) = TimelineDate.parse(to) { q.to = d }
    return q
  }

  /// Keeps a query's filters, and its text as the search (filtering or not).
  public mutating func setQuery(_ q: Query, searchFilters: Bool) {
    var f = Filters()
    for facet in Facet.allCases where !q[facet].isEmpty {
      f.facets[facet.name] = .init(on: q[facet].included.sorted(), not: q[facet].excluded.sorted())
    }
    f.from = q.from?.description
    f.to = q.to?.description
    filters = f
    search = q.text.isEmpty ? nil : Search(text: q.text, regex: q.regex, filters: searchFilters)
  }

  /// The session's query with its search when the search filters: what the list showed.
  public var shownQuery: Query {
    var q = query
    if let s = search, s.filters {
      q.text = s.text
      q.regex = s.regex
    }
    return q
  }

  /// What a session file holds, read: a session, or why it is not one this program can use.
  public enum Decoded: Equatable, Sendable {
    case session(Session)
    /// Written by a newer version of the program.
    case newer(version: Int)
    case corrupt(String)
  }

  public static func decode(_ bytes: [UInt8]) -> Decoded {
    struct Probe: Decodable { var version: Int }
    let data = Data(bytes)
    guard let probe = try? JSONDecoder().decode(Probe.self, from: data) else {
      return .corrupt("not a session file (no version)")
    }
    if probe.version > currentVersion { return .newer(version: probe.version) }
    do {
      return .session(try JSONDecoder().decode(Session.self, from: data))
    } catch {
      return .corrupt(Self.describe(error))
    }
  }

  /// The session as it is written: pretty-printed JSON with sorted keys, ending with a newline.
  public var encoded: [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding plain strings, numbers and booleans cannot fail.
    let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
    return Array(data) + [0x0A]
  }

  private static func describe(_ error: any Error) -> String {
    guard let e = error as? DecodingError else { return "unreadable" }
    func path(_ ctx: DecodingError.Context) -> String {
      let p = ctx.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
      return p.isEmpty ? "" : " at \(p)"
    }
    switch e {
    case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx): return "wrong type\(path(ctx))"
    case .keyNotFound(let key, let ctx): return "missing \(key.stringValue)\(path(ctx))"
    case .dataCorrupted(let ctx): return "invalid JSON\(path(ctx))"
    @unknown default: return "unreadable"
    }
  }
}
