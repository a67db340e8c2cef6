/// What the user wants to see: facet values, free text and a date range.
///
/// Semantics: within a facet the values are alternatives (France OR Cyprus); across facets all must
/// hold (a country AND a person AND the text AND the dates). Free text is split into words (or
/// "quoted phrases"), every one of which must match, case- and accent-insensitively, the title or
/// summary, or the start of a word in the names of the event's people (aliases included), countries
/// (English or French, or the exact code) or tags. An event matches a date range when its span meets it.
/// Results always keep chronological order.
public struct Query: Hashable, Sendable {
  /// ISO codes.
  public var countries: Set<String>
  /// Person ids.
  public var people: Set<String>
  public var tags: Set<String>
  public var text: String
  /// Events ending before the first day of `from` are left out.
  public var from: TimelineDate?
  /// Events starting after the last day of `to` are left out.
  public var to: TimelineDate?

  public init(
    countries: Set<String> = [], people: Set<String> = [], tags: Set<String> = [], text: String = "",
    from: TimelineDate? = nil, to: TimelineDate? = nil
  ) {
    self.countries = countries
    self.people = people
    self.tags = tags
    self.text = text
    self.from = from
    self.to = to
  }

  public static let all = Query()

  /// Whether the query leaves every event in.
  public var isEmpty: Bool {
    countries.isEmpty && people.isEmpty && tags.isEmpty && !hasText && from == nil && to == nil
  }

  public var hasText: Bool { !SearchIndex.terms(of: text).isEmpty }

  /// The facets a picker can count.
  public enum Facet: Hashable, Sendable, CaseIterable {
    case country, person, tag
  }

  /// The same query without the given facet's values.
  public func clearing(_ facet: Facet) -> Query {
    var q = self
    switch facet {
    case .country: q.countries = []
    case .person: q.people = []
    case .tag: q.tags = []
    }
    return q
  }
}
