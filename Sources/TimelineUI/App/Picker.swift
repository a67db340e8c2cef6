import TimelineCore

/// The country or person picker: every value of a facet with its count under the other filters and a
/// spark line of when its events happen, narrowed by typing, several values on at once.
public struct Picker: Hashable, Sendable {
  public enum Facet: Hashable, Sendable {
    case country, person
    public var title: String { self == .country ? "Countries" : "People" }
    var queryFacet: Query.Facet { self == .country ? .country : .person }
  }

  public struct Entry: Hashable, Sendable {
    /// ISO code or person id: what goes into the query.
    public var key: String
    public var label: String
    /// Other names, shown dimmed after the label.
    public var detail: String
    /// Events with this value under the other filters.
    public var count: Int
    /// Events per period across the span of those events, 0...8 (a spark line's levels).
    public var spark: [UInt8]
    /// Folded names matched against what the user types.
    var names: [[UInt8]]
  }

  public var facet: Facet
  public var entries: [Entry]
  /// What the user typed to narrow the list.
  public var filter: String = ""
  /// Indexes into `entries` shown for the filter, in display order.
  public private(set) var visible: [Int]
  /// Keys turned on (applied to the query on Enter).
  public var chosen: Set<String>
  /// Whether the user toggled anything; Enter without toggling picks the highlighted value.
  public var toggled = false
  /// Position in `visible` of the highlighted row.
  public var highlighted = 0
  public var scroll = 0

  /// The number of spark line buckets.
  static let sparkBuckets = 12

  /// Builds a picker from the timeline and the current filters.
  public init(facet: Facet, timeline t: Timeline, query: Query) {
    self.facet = facet
    // One pass over the events matching the other filters gives both the counts (the same as
    // `Timeline.facetCounts`) and the spark lines.
    let base = t.evaluate(query.clearing(facet.queryFacet))
    var lower = Int64.max
    var upper = Int64.min
    if let f = base.first, let l = base.last {
      lower = t.startKey(at: Int(f))
      upper = t.startKey(at: Int(l))
    }
    let n = Self.sparkBuckets
    func bucket(_ e: UInt32) -> Int {
      guard upper > lower else { return 0 }
      let k = t.startKey(at: Int(e))
      return min(n - 1, Int((k - lower) * Int64(n) / (upper - lower + 1)))
    }
    var entries: [Entry] = []
    switch facet {
    case .country:
      let slots = t.usedCountrySlots
      var hist = [[Int]](repeating: [Int](repeating: 0, count: n), count: CountryTable.slotCount)
      for e in base {
        let b = bucket(e)
        t.countrySlots(at: Int(e)).forEachDistinct { hist[Int($0)][b] += 1 }
      }
      for slot in slots {
        guard let c = t.countries[slot: slot] else { continue }
        var others: [String] = []
        if let fr = c.nameFR, fr != c.name { others.append(fr) }
        entries.append(
          Entry(
            key: c.code, label: "\(c.name) (\(c.code))", detail: others.joined(separator: ", "), count: hist[slot].reduce(0, +),
            spark: Self.levels(hist[slot]), names: c.allNames.map(TextFolding.fold)))
      }
    case .person:
      var hist = [[Int]](repeating: [Int](repeating: 0, count: n), count: t.people.count)
      for e in base {
        let b = bucket(e)
        t.personIndexes(at: Int(e)).forEachDistinct { hist[Int($0)][b] += 1 }
      }
      for (i, p) in t.people.enumerated() {
        entries.append(
          Entry(
            key: p.id, label: p.name, detail: p.aliases.joined(separator: ", "), count: hist[i].reduce(0, +),
            spark: Self.levels(hist[i]), names: ([p.id, p.name] + p.aliases).map(TextFolding.fold)))
      }
    }
    // Most events first, as a frequency table; values with none under the other filters go last.
    entries.sort { ($1.count, $0.label) < ($0.count, $1.label) }
    self.entries = entries
    self.chosen = facet == .country ? query.countries : query.people
    self.visible = Array(entries.indices)
  }

  static func levels(_ counts: [Int]) -> [UInt8] {
    let peak = counts.max() ?? 0
    guard peak > 0 else { return counts.map { _ in 0 } }
    return counts.map { $0 == 0 ? 0 : UInt8(max(1, (8 * $0 + peak - 1) / peak)) }
  }

  /// Narrows the list to entries with a name that has a word starting with each typed word.
  public mutating func setFilter(_ text: String) {
    filter = text
    let words = SearchIndex.terms(of: text)
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

  public mutating func toggleHighlighted() {
    guard let e = highlightedEntry else { return }
    if chosen.contains(e.key) { chosen.remove(e.key) } else { chosen.insert(e.key) }
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
