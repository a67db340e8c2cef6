import TimelineCore

/// A facet's picker: every value with its count under the other filters and a spark line of when its
/// events happen, narrowed by typing, several values on (any of them) or excluded (none of them).
public struct Picker: Hashable, Sendable {
  public struct Entry: Hashable, Sendable {
    /// What goes into the query: an ISO code, a person id, a tag…
    public var key: String
    public var label: String
    /// Other names, shown dimmed after the label.
    public var detail: String
    /// Events with this value under the other filters (0 while `Picker.countsPending`).
    public var count: Int
    /// Events per period across the span of those events, 0...8 (a spark line's levels).
    public var spark: [UInt8]
    /// Folded names matched against what the user types.
    var names: [[UInt8]]
    /// The value's index in the timeline (nil for a key it does not know).
    var value: Int? = nil
    /// What is on when the picker opened comes first (0), then what is excluded (1), then the rest (2).
    var group = 2
  }

  public var facet: Facet
  public var entries: [Entry]
  /// What the user typed to narrow the list.
  public var query = LineEditor()
  public var recall = Recall()
  /// Indexes into `entries` shown for the filter, in display order.
  public private(set) var visible: [Int]
  /// Values turned on and excluded: what Enter applies to the query.
  public var selection: FacetFilter
  /// Whether the user toggled anything; Enter without toggling also turns the highlighted value on.
  public var toggled = false
  /// Position in `visible` of the highlighted row.
  public var highlighted = 0
  public var scroll = 0
  /// The `FacetCountRequest` generation whose counts the picker waits for; nil once they are shown.
  public internal(set) var awaitedCounts: Int?
  /// Whether a key or a click reached the picker since it opened: counts that come later then fill in
  /// without moving any row.
  var touched = false

  /// Whether the counts are still being found (shown as "…"); the values can be toggled meanwhile.
  public var countsPending: Bool { awaitedCounts != nil }

  /// The number of spark line buckets.
  static let sparkBuckets = FacetHistogram.sparkBuckets

  /// Builds a picker from the timeline and the current filters.
  ///
  /// `filtered`, when the caller has it, must be the events of `query.clearing(facet)` (the explorer's
  /// filtered events when the facet is not filtered), so they are not found again. The counts and
  /// spark lines come from `Timeline.facetHistogram`, which keeps them by the other filters: a picker
  /// opened again, or after a toggle of its own values, does not count again.
  public init(facet: Facet, timeline t: Timeline, query: Query, filtered: [UInt32]? = nil) {
    self.init(facet: facet, timeline: t, query: query, histogram: t.facetHistogram(facet, for: query, buckets: Self.sparkBuckets, among: filtered))
  }

  /// A picker with the counts of `histogram`, or, when it is nil, one whose counts are pending
  /// (request `awaiting`, shown by `fill`). A pending picker lists its values by their events over the
  /// whole timeline, the nearest guess to the order of the counts to come.
  init(facet: Facet, timeline t: Timeline, query: Query, histogram: FacetHistogram?, awaiting: Int? = nil) {
    self.facet = facet
    let n = Self.sparkBuckets
    let folded = t.foldedNames(facet)
    // Every value some event carries, and the values the query names even when no event carries them
    // (a country given on the command line), so that they can be turned off here.
    let selection = query[facet]
    var values = t.usedValues(facet)
    for key in selection.keys.sorted() {
      if let v = t.valueIndex(facet, key: key), !values.contains(v) { values.append(v) }
    }
    // What is on first (it can always be turned off), then the most events first, as a frequency
    // table; values with none under the other filters go last.
    func rank(_ key: String) -> Int {
      switch selection.state(of: key) {
      case .on: 0
      case .excluded: 1
      case .off: 2
      }
    }
    var entries: [Entry] = values.map { v in
      let key = t.key(facet, v)
      let counts = histogram?.histogram(of: v) ?? [Int](repeating: 0, count: n)
      return Entry(
        key: key, label: t.label(facet, key: key), detail: Self.detail(facet, t, v), count: histogram?.counts[v] ?? 0,
        spark: Self.levels(counts), names: folded[v], value: v, group: selection.isEmpty ? 2 : rank(key))
    }
    // A key the timeline does not know at all (only possible from code): listed so it can go.
    for key in selection.keys.sorted() where t.valueIndex(facet, key: key) == nil {
      entries.append(Entry(key: key, label: key, detail: "", count: 0, spark: Self.levels([Int](repeating: 0, count: n)), names: [TextFolding.fold(key)], group: rank(key)))
    }
    if histogram == nil {
      Self.rank(&entries) { e in e.value.map { t.events(facet, $0).count } ?? 0 }
    } else {
      Self.rank(&entries)
    }
    self.entries = entries
    self.selection = selection
    self.visible = Array(entries.indices)
    awaitedCounts = histogram == nil ? awaiting : nil
  }

  /// In the order of the picker: its groups, then the most events first (`count`: the counts shown, or
  /// while they are pending each value's events over the whole timeline), then by name.
  static func rank(_ entries: inout [Entry], by count: (Entry) -> Int = \.count) {
    let counts = entries.map(count)
    let order = entries.indices.sorted { a, b in
      if entries[a].group != entries[b].group { return entries[a].group < entries[b].group }
      if counts[a] != counts[b] { return counts[a] > counts[b] }
      return entries[a].label < entries[b].label
    }
    entries = order.map { entries[$0] }
  }

  /// Shows the counts the picker waited for. Untouched, it is ordered by them as if it had opened
  /// with them; once the user has moved, typed, toggled or clicked, the rows stay where they are (the
  /// highlight never lands on another value) and only the counts and spark lines fill in.
  mutating func fill(_ histogram: FacetHistogram) {
    for i in entries.indices {
      guard let v = entries[i].value, v < histogram.counts.count else { continue }
      entries[i].count = histogram.counts[v]
      entries[i].spark = Self.levels(histogram.histogram(of: v))
    }
    awaitedCounts = nil
    if !touched {
      Self.rank(&entries)
      refilter()
    }
  }

  /// The other names shown dimmed after a value's label.
  static func detail(_ facet: Facet, _ t: Timeline, _ v: Int) -> String {
    switch facet {
    case .country:
      guard let c = t.countries[slot: v], let fr = c.nameFR, fr != c.name else { return "" }
      return fr
    case .person: return t.people[v].aliases.joined(separator: ", ")
    case .tag, .confidence: return ""
    case .era:
      let era = t.eras[v]
      return "\(era.start) – \(era.end)"
    case .source:
      let ids = t.sources.indices.filter { t.publisherIndex(ofSource: $0) == v }.map { t.sources[$0].id }
      return ids.count == 1 ? ids[0] : "\(ids.count) sources: " + ids.joined(separator: ", ")
    }
  }

  static func levels(_ counts: [Int]) -> [UInt8] {
    let peak = counts.max() ?? 0
    guard peak > 0 else { return counts.map { _ in 0 } }
    return counts.map { $0 == 0 ? 0 : UInt8(max(1, (8 * $0 + peak - 1) / peak)) }
  }

  /// The typed text.
  public var filter: String { query.text }

  /// Types `text` as the query (for tests and scripts).
  public mutating func setFilter(_ text: String) {
    query.set(text)
    refilter()
  }

  /// Narrows the list to entries with a name that has a word starting with each typed word.
  public mutating func refilter() {
    let words = SearchIndex.terms(of: query.text)
    if words.isEmpty {
      visible = Array(entries.indices)
    } else {
      visible = entries.indices.filter { i in
        words.allSatisfy { w in entries[i].names.contains { TextFolding.containsAtWordStart($0, w) } }
      }
    }
    highlighted = 0
    scroll = 0
  }

  public var highlightedEntry: Entry? { visible.isEmpty ? nil : entries[visible[min(highlighted, visible.count - 1)]] }

  /// Turns the highlighted value on, or off when it is on.
  public mutating func toggleHighlighted() { flipHighlighted(.on) }

  /// Turns the highlighted value into "not this", or off when it is already excluded.
  public mutating func excludeHighlighted() { flipHighlighted(.excluded) }

  private mutating func flipHighlighted(_ state: FacetFilter.State) {
    guard let e = highlightedEntry else { return }
    selection.set(e.key, selection.state(of: e.key) == state ? .off : state)
    toggled = true
  }

  /// Moves the highlight and keeps it within `height` visible rows.
  public mutating func move(by n: Int, height: Int) {
    guard !visible.isEmpty else { return }
    highlighted = min(max(0, highlighted + n), visible.count - 1)
    if highlighted < scroll { scroll = highlighted }
    if highlighted >= scroll + height { scroll = highlighted - height + 1 }
  }
}
