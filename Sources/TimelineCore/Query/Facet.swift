/// The dimensions events are filtered by. This enum is the one table of facets: the query, the
/// pickers, the header, the command line and the counts all go through it, so a new facet is one case
/// here and the compiler then points at every `switch` that must learn it.
///
/// Each facet's values are numbered (a *value index*): country slots, indexes into `people`, `tags`,
/// `Confidence.allCases`, `eras` and `publishers`. What a query holds is each value's *key*: an ISO
/// code, a person id, a tag, a confidence name, an era id or a publisher's name.
public enum Facet: String, CaseIterable, Hashable, Sendable, Comparable {
  case country, person, tag, confidence, era, source

  /// The singular noun, as the header and messages use it ("country", "person"…), and the command-line
  /// option's name (`--country`, `--not-country`).
  public var name: String { rawValue }

  /// The plural noun: "countries", "people"…
  public var plural: String {
    switch self {
    case .country: "countries"
    case .person: "people"
    case .tag: "tags"
    case .confidence: "confidence levels"
    case .era: "eras"
    case .source: "sources"
    }
  }

  /// The picker's title: "Countries", "People"…
  public var title: String {
    switch self {
    case .country: "Countries"
    case .person: "People"
    case .tag: "Tags"
    case .confidence: "Confidence"
    case .era: "Eras"
    case .source: "Sources (by publisher)"
    }
  }

  /// What a value is, for "unknown …" messages.
  public var valueNoun: String {
    switch self {
    case .country: "country"
    case .person: "person"
    case .tag: "tag"
    case .confidence: "confidence"
    case .era: "era"
    case .source: "source or publisher"
    }
  }

  /// What `--<facet>` accepts, for the command line's help.
  public var optionHelp: String {
    switch self {
    case .country: "an ISO code or a name in English or French"
    case .person: "an id, a name or an alias"
    case .tag: "a tag"
    case .confidence: "confirmed, reported, rumoured or disputed"
    case .era: "an era's id or title"
    case .source: "a publisher, or a source's id or title (its publisher)"
    }
  }

  public static func < (a: Facet, b: Facet) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// One facet's part of a query: values that must be there (any of them) and values that must not
/// (none of them).
public struct FacetFilter: Hashable, Sendable {
  public var included: Set<String>
  public var excluded: Set<String>

  public init(included: Set<String> = [], excluded: Set<String> = []) {
    self.included = included
    self.excluded = excluded
  }

  public var isEmpty: Bool { included.isEmpty && excluded.isEmpty }

  /// How one value takes part: not at all, required (one of the included), or excluded ("not US").
  public enum State: Hashable, Sendable { case off, on, excluded }

  public func state(of key: String) -> State {
    included.contains(key) ? .on : excluded.contains(key) ? .excluded : .off
  }

  /// Sets a value's state; a value is never both included and excluded.
  public mutating func set(_ key: String, _ state: State) {
    included.remove(key)
    excluded.remove(key)
    switch state {
    case .off: break
    case .on: included.insert(key)
    case .excluded: excluded.insert(key)
    }
  }

  /// Every key that takes part, on or excluded.
  public var keys: Set<String> { included.union(excluded) }
}

// MARK: - Facet values of a timeline

extension Timeline {
  /// How many value indexes a facet has (for countries, every possible two-letter slot).
  public func valueCount(_ facet: Facet) -> Int {
    switch facet {
    case .country: CountryTable.slotCount
    case .person: people.count
    case .tag: tags.count
    case .confidence: Confidence.allCases.count
    case .era: eras.count
    case .source: publishers.count
    }
  }

  /// The key the query holds for a value.
  public func key(_ facet: Facet, _ value: Int) -> String {
    switch facet {
    case .country: CountryTable.code(ofSlot: value)
    case .person: people[value].id
    case .tag: tags[value]
    case .confidence: Confidence.allCases[value].name
    case .era: eras[value].id
    case .source: publishers[value]
    }
  }

  /// The value a key names, or nil when the timeline has no such value.
  public func valueIndex(_ facet: Facet, key: String) -> Int? {
    switch facet {
    case .country: CountryTable.slot(of: key)
    case .person: facetTables.personIndex[key]
    case .tag: facetTables.tagIndex[key]
    case .confidence: Confidence(name: key).map { Int($0.rawValue) }
    case .era: eras.firstIndex { $0.id == key }
    case .source: facetTables.publisherIndex[key]
    }
  }

  /// A value as people read it: "Cyprus (CY)", "Jonatan Correa", "raid", "confirmed", an era's title,
  /// a publisher. A key the timeline does not know is shown as it is.
  public func label(_ facet: Facet, key: String) -> String {
    guard let v = valueIndex(facet, key: key) else { return key }
    switch facet {
    case .country: return countries[slot: v].map { "\($0.name) (\($0.code))" } ?? key
    case .person: return people[v].name
    case .tag, .confidence, .source: return key
    case .era: return eras[v].title
    }
  }

  /// The label, shorter where a short form exists (a country's code), for a crowded header.
  public func shortLabel(_ facet: Facet, key: String) -> String {
    facet == .country ? key : label(facet, key: key)
  }

  /// Every name a value answers to, for typing in a picker and for the command line: the key first.
  public func names(_ facet: Facet, _ value: Int) -> [String] {
    switch facet {
    case .country: return countries[slot: value]?.allNames ?? [key(facet, value)]
    case .person: return [people[value].id, people[value].name] + people[value].aliases
    case .tag: return [tags[value]]
    case .confidence: return [Confidence.allCases[value].name]
    case .era: return [eras[value].id, eras[value].title]
    case .source:
      // A publisher is found by its name, or by the id or title of any of its sources.
      var out = [publishers[value]]
      for s in facetTables.sourcesOfPublisher[value] { out += [sources[s].id, sources[s].title] }
      return out
    }
  }

  /// Values that at least one event carries, in value order.
  public func usedValues(_ facet: Facet) -> [Int] {
    (0..<valueCount(facet)).filter { !events(facet, $0).isEmpty }
  }

  /// Whether any event carries a value of the facet (`!usedValues(facet).isEmpty`), from what the load
  /// built: the explorer's footer asks it at every frame, and building the confidence, era and
  /// publisher lists for it made the first screen of ten million events wait a second or more.
  public func hasUsedValues(_ facet: Facet) -> Bool {
    switch facet {
    case .country: !eventsByCountry.values.isEmpty
    case .person: !eventsByPerson.values.isEmpty
    case .tag: !eventsByTag.values.isEmpty
    case .confidence: count > 0
    // The first event of an era's date range reaches into the era (the reach rose there), so a range
    // that is not empty holds one of its events.
    case .era: eras.contains { !dateRange(from: $0.start, to: $0.end).isEmpty }
    // Every source has a publisher.
    case .source: !sourceLists.values.isEmpty
    }
  }

  /// The sorted event numbers carrying a value (for an era: the events whose span meets the era's).
  public func events(_ facet: Facet, _ value: Int) -> ArraySlice<UInt32> {
    switch facet {
    case .country: eventsByCountry[value]
    case .person: eventsByPerson[value]
    case .tag: eventsByTag[value]
    case .confidence: facetTables.eventsByConfidence[value]
    case .era: facetTables.eventsByEra[value]
    case .source: facetTables.eventsByPublisher[value]
    }
  }

  /// Calls `body` once with each value event `e` carries.
  public func forEachValue(_ facet: Facet, ofEvent e: Int, _ body: (Int) -> Void) {
    switch facet {
    case .country: countryLists[e].forEachDistinct { body(Int($0)) }
    case .person: personLists[e].forEachDistinct { body(Int($0)) }
    case .tag: tagLists[e].forEachDistinct { body(Int($0)) }
    case .confidence: body(Int(confidences[e].rawValue))
    case .era:
      let lo = startKeys[e]
      let hi = endKey(at: e)
      for (k, era) in eras.enumerated() where era.overlaps(lower: lo, upper: hi) { body(k) }
    case .source:
      let publisherOf = facetTables.publisherOfSource
      let list = sourceLists[e]
      for j in list.indices {
        let p = publisherOf[Int(list[j])]
        if !list[list.startIndex..<j].contains(where: { publisherOf[Int($0)] == p }) { body(p) }
      }
    }
  }

  /// Calls `body` with each event of `events` and each value it carries (once per value): the bulk
  /// form of `forEachValue`, with the tables looked up once and the lists read through pointers (a
  /// picker's counts walk every event under the other filters, a million of them in a large file).
  public func forEachValue(_ facet: Facet, ofEvents events: [UInt32], _ body: (UInt32, Int) -> Void) {
    func walk<T: FixedWidthInteger>(_ lists: FlatLists<T>, _ map: (T) -> Int) {
      lists.starts.withUnsafeBufferPointer { starts in
        lists.values.withUnsafeBufferPointer { values in
          for e in events {
            let lo = Int(starts[Int(e)])
            let hi = Int(starts[Int(e) + 1])
            for j in lo..<hi {
              let v = map(values[j])
              var seen = false
              for i in lo..<j where map(values[i]) == v {
                seen = true
                break
              }
              if !seen { body(e, v) }
            }
          }
        }
      }
    }
    switch facet {
    case .country: walk(countryLists) { Int($0) }
    case .person: walk(personLists) { Int($0) }
    case .tag: walk(tagLists) { Int($0) }
    case .source:
      facetTables.publisherOfSource.withUnsafeBufferPointer { publisherOf in walk(sourceLists) { publisherOf[Int($0)] } }
    case .confidence:
      confidences.withUnsafeBufferPointer { c in for e in events { body(e, Int(c[Int(e)].rawValue)) } }
    case .era:
      for e in events { forEachValue(.era, ofEvent: Int(e)) { body(e, $0) } }
    }
  }

  /// Distinct publishers of the sources, in order of first appearance.
  public var publishers: [String] { facetTables.publishers }

  /// The publisher index of each source.
  public func publisherIndex(ofSource s: Int) -> Int { facetTables.publisherOfSource[s] }

  /// Every value's `names`, folded (`TextFolding.fold`), by value index: what a picker matches typing
  /// against. Folded once per facet and kept (5,000 people's names took most of opening their picker).
  public func foldedNames(_ facet: Facet) -> [[[UInt8]]] {
    let tables = facetMemo
    if let known = tables.foldedNames.withLock({ $0[facet] }) { return known }
    let folded = (0..<valueCount(facet)).map { v in names(facet, v).map(TextFolding.fold) }
    tables.foldedNames.withLock { $0[facet] = folded }
    return folded
  }
}

/// The value tables the facets need beyond the decoder's own indexes, built once on first use (a
/// command-line run that never filters by them does not pay for them).
final class FacetTables: Sendable {
  let personIndex: [String: Int]
  let tagIndex: [String: Int]
  let publishers: [String]
  let publisherIndex: [String: Int]
  let publisherOfSource: [Int]
  let sourcesOfPublisher: [[Int]]
  let eventsByConfidence: FlatLists<UInt32>
  let eventsByEra: FlatLists<UInt32>
  let eventsByPublisher: FlatLists<UInt32>
  let eventsBySource: FlatLists<UInt32>
  /// Events with an end date (a search for a written date looks at those ends).
  let eventsWithEnd: [UInt32]

  init(_ t: Timeline) {
    personIndex = Dictionary(t.people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    tagIndex = Dictionary(t.tags.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    var names: [String] = []
    var index: [String: Int] = [:]
    var of: [Int] = []
    var members: [[Int]] = []
    for (s, source) in t.sources.enumerated() {
      let p: Int
      if let known = index[source.publisher] {
        p = known
      } else {
        p = names.count
        index[source.publisher] = p
        names.append(source.publisher)
        members.append([])
      }
      of.append(p)
      members[p].append(s)
    }
    publishers = names
    publisherIndex = index
    publisherOfSource = of
    sourcesOfPublisher = members

    var byConfidence = FlatLists<UInt32>()
    for c in Confidence.allCases {
      byConfidence.append((0..<t.count).lazy.filter { t.confidences[$0] == c }.map { UInt32($0) })
    }
    eventsByConfidence = byConfidence

    var byEra = FlatLists<UInt32>()
    for era in t.eras {
      let range = t.dateRange(from: era.start, to: era.end)
      let lower = era.start.lowerKey
      byEra.append(range.lazy.filter { t.endKey(at: $0) >= lower }.map { UInt32($0) })
    }
    eventsByEra = byEra

    var publisherLists = FlatLists<UInt32>()
    for e in 0..<t.count {
      let list = t.sourceLists[e]
      for j in list.indices {
        let p = UInt32(of[Int(list[j])])
        if !list[list.startIndex..<j].contains(where: { UInt32(of[Int($0)]) == p }) { publisherLists.values.append(p) }
      }
      publisherLists.closeList()
    }
    eventsByPublisher = Timeline.postings(publisherLists, keys: names.count)
    eventsBySource = Timeline.postings(t.sourceLists, keys: t.sources.count)
    eventsWithEnd = (0..<t.count).filter { t.ends[$0] != nil }.map { UInt32($0) }
  }
}
