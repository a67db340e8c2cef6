/// What the user wants to see: facet values, free text and a date range.
///
/// Semantics: within a facet the included values are alternatives (France OR Cyprus) and the excluded
/// ones are all left out (not US, not Canada); across facets all must hold (a country AND a person AND
/// the text AND the dates). Free text follows `SearchPattern` (words AND, "a phrase", `-word` or
/// `!word` to leave out, `a | b` for either; or a regular expression when `regex` is set). An event
/// matches a date range when its span meets it. Results always keep chronological order.
public struct Query: Hashable, Sendable {
  /// Each facet's filter; a facet with no values is absent, so equal queries compare equal.
  public private(set) var filters: [Facet: FacetFilter]
  public var text: String
  /// Whether `text` is a regular expression rather than words.
  public var regex: Bool
  /// Events ending before the first day of `from` are left out.
  public var from: TimelineDate?
  /// Events starting after the last day of `to` are left out.
  public var to: TimelineDate?

  public init(
    countries: Set<String> = [], people: Set<String> = [], tags: Set<String> = [], text: String = "", regex: Bool = false,
    from: TimelineDate? = nil, to: TimelineDate? = nil
  ) {
    filters = [:]
    self.text = text
    self.regex = regex
    self.from = from
    self.to = to
    self.countries = countries
    self.people = people
    self.tags = tags
  }

  public static let all = Query()

  /// One facet's filter (empty when the facet is not filtered).
  public subscript(facet: Facet) -> FacetFilter {
    get { filters[facet] ?? FacetFilter() }
    set { filters[facet] = newValue.isEmpty ? nil : newValue }
  }

  /// ISO codes that must be there (any of them).
  public var countries: Set<String> {
    get { self[.country].included }
    set { self[.country].included = newValue }
  }

  /// Person ids that must be there (any of them).
  public var people: Set<String> {
    get { self[.person].included }
    set { self[.person].included = newValue }
  }

  public var tags: Set<String> {
    get { self[.tag].included }
    set { self[.tag].included = newValue }
  }

  /// Whether the query leaves every event in.
  public var isEmpty: Bool { !hasFilters && !hasText }

  /// Whether any facet or date filter is set (the text aside).
  public var hasFilters: Bool { !filters.isEmpty || from != nil || to != nil }

  public var hasText: Bool { !SearchPattern(text, regex: regex).isEmpty }

  /// The text as a search pattern.
  public var pattern: SearchPattern { SearchPattern(text, regex: regex) }

  /// The same query without the given facet's values.
  public func clearing(_ facet: Facet) -> Query {
    var q = self
    q[facet] = FacetFilter()
    return q
  }

  /// The same filters without the text.
  public var clearingText: Query {
    var q = self
    q.text = ""
    q.regex = false
    return q
  }

  /// Only the text (and its mode), without the filters.
  public var textOnly: Query { Query(text: text, regex: regex) }
}
