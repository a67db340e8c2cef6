import Foundation

/// An immutable, indexed timeline: events in chronological order, with the people, sources, eras and
/// country names they refer to.
///
/// Events are stored column by column, in chronological order (stable: equal start dates keep file
/// order). Event `i` is row `i` of every column. Text columns hold `TextRef`s into the document, and the
/// list columns (countries, people, tags, sources) are flattened with start offsets, so that a timeline of
/// a million events is a few dozen arrays rather than a million objects.
///
/// Indexes (built once, at load):
/// - per country, person and tag: the sorted event numbers that carry it (posting lists);
/// - by date: each event's first day, and the latest last day of any event up to it, which lets a date
///   range be found by binary search even when events span time.
/// The free-text index (folded title and summary) is built on first use; see `searchIndex`.
public final class Timeline: Sendable {
  public let title: String
  public let description: String
  public let sources: [Source]
  public let people: [Person]
  public let eras: [Era]
  /// The built-in country table with the file's additions and overrides.
  public let countries: CountryTable
  /// The codes the file itself declared under `"countries"`, kept for a faithful JSON export.
  public let declaredCountries: [CountryTable.Country]
  /// Distinct tags in order of first appearance.
  public let tags: [String]
  public let document: DocumentText

  public let count: Int

  // Per-event columns, in chronological order.
  let ids: [TextRef]
  let titles: [TextRef]
  let summaries: [TextRef]
  let notes: [TextRef]
  let starts: [TimelineDate]
  let ends: [TimelineDate?]
  let confidences: [Confidence]
  /// Position of each event in the file (0-based), for stable order and messages.
  let fileOrder: [UInt32]
  let countryLists: FlatLists<UInt16>
  let personLists: FlatLists<UInt32>
  let tagLists: FlatLists<UInt32>
  let sourceLists: FlatLists<UInt32>

  // Indexes.
  /// Sorted event numbers for each country slot (`CountryTable.slot`): list `slot` of these lists.
  let eventsByCountry: FlatLists<UInt32>
  let eventsByPerson: FlatLists<UInt32>
  let eventsByTag: FlatLists<UInt32>
  /// `startKeys[i]` is event i's first day; non-decreasing.
  let startKeys: [Int64]
  /// `reachKeys[i]` is the latest last day of events 0...i; non-decreasing.
  let reachKeys: [Int64]
  /// Whether any event starts at a time of day (`2020-08-25T14:30`): the explorer's date column is
  /// sized for it once, not found out row by row.
  public let hasTimesOfDay: Bool

  private let lazySearchIndex = Locked<SearchIndex?>(nil)
  private let lazyFacetTables = Locked<FacetTables?>(nil)
  private let lazyEveryEvent = Locked<[UInt32]?>(nil)
  /// What the pickers counted and folded, kept (`Timeline+Facets.swift`); apart from the facet tables,
  /// which a country picker does not need.
  let facetMemo = FacetMemo()

  /// Every event number, in order: the answer to a query without filters, made once and shared (a
  /// fresh list of ten million numbers took 14 ms to fill, most of it the kernel giving fresh pages,
  /// each time the filters were cleared).
  var everyEvent: [UInt32] {
    lazyEveryEvent.withLock { cached in
      if let cached { return cached }
      let all = SortedLists.numbers(0..<count)
      cached = all
      return all
    }
  }

  /// Where each event came from, for timelines made by `TimelineBuilder` from another format.
  let origins: Origins?

  /// The file the events came from and each event's place in it (`positions[i]` is event `i`'s).
  struct Origins: Sendable {
    var file: String
    var positions: [PackedPosition]
  }

  init(
    title: String, description: String, sources: [Source], people: [Person], eras: [Era],
    countries: CountryTable, declaredCountries: [CountryTable.Country], tags: [String], document: DocumentText,
    columns: EventColumns, originFile: String? = nil
  ) {
    self.title = title
    self.description = description
    self.sources = sources
    self.people = people
    self.eras = eras.sorted { ($0.start.lowerKey, $0.end.upperKey) < ($1.start.lowerKey, $1.end.upperKey) }
    self.countries = countries
    self.declaredCountries = declaredCountries
    self.tags = tags
    self.document = document
    origins = originFile.map { Origins(file: $0, positions: columns.origins) }
    count = columns.ids.count
    ids = columns.ids
    titles = columns.titles
    summaries = columns.summaries
    notes = columns.notes
    starts = columns.starts
    ends = columns.ends
    confidences = columns.confidences
    fileOrder = columns.fileOrder
    countryLists = columns.countries
    personLists = columns.people
    tagLists = columns.tags
    sourceLists = columns.sources

    // The three inversions (each cut into ranges of events, see `Postings`) and the day keys, side by
    // side on the machine's cores.
    var days: (starts: [Int64], reach: [Int64], timed: Bool) = ([], [], false)
    let inverted = Postings.build(
      [.init(columns.countries, keys: CountryTable.slotCount), .init(columns.people, keys: people.count), .init(columns.tags, keys: tags.count)],
      parts: Postings.parts(events: columns.ids.count),
      alongside: { days = Self.dayKeys(columns.starts, columns.ends, spare: columns.spare) })
    (eventsByCountry, eventsByPerson, eventsByTag) = (inverted[0], inverted[1], inverted[2])
    (startKeys, reachKeys, hasTimesOfDay) = days
  }

  /// Each event's first day, the latest last day up to it, and whether any starts at a time of day:
  /// one pass over the dates (at ten million events each pass is tens of milliseconds of every load).
  /// The keys are written into `spare`'s arrays when it has them (pages already mapped: at ten million
  /// events two fresh arrays of keys cost about 0.2 s of page faults on a virtual machine).
  static func dayKeys(_ starts: [TimelineDate], _ ends: [TimelineDate?], spare: SpareWords = SpareWords()) -> (starts: [Int64], reach: [Int64], timed: Bool) {
    let n = starts.count
    var timed = false
    var keys = spare.take(count: n) ?? .filled(count: n) { _ in }
    var reach = spare.take(count: n) ?? .filled(count: n) { _ in }
    keys.withUnsafeMutableBufferPointer { keys in
      reach.withUnsafeMutableBufferPointer { reach in
        starts.withUnsafeBufferPointer { starts in
          ends.withUnsafeBufferPointer { ends in
            var latest = Int64.min
            for i in 0..<n {
              let start = starts[i]
              keys[i] = start.lowerKey
              if start.minuteOfDay != nil { timed = true }
              latest = max(latest, (ends[i] ?? start).upperKey)
              reach[i] = latest
            }
          }
        }
      }
    }
    return (keys, reach, timed)
  }

  /// Inverts per-event lists into per-key sorted event lists (see `Postings`): a value an event lists
  /// twice counts once.
  static func postings<T: FixedWidthInteger>(_ lists: FlatLists<T>, keys: Int) -> FlatLists<UInt32> {
    Postings.build([.init(lists, keys: keys)], parts: 1)[0]
  }

  // MARK: - Reading events

  public func id(at i: Int) -> String { document.string(ids[i]) }
  public func title(at i: Int) -> String { document.string(titles[i]) }
  public func summary(at i: Int) -> String { document.string(summaries[i]) }
  public func notes(at i: Int) -> String? { notes[i].isEmpty ? nil : document.string(notes[i]) }
  public func date(at i: Int) -> TimelineDate { starts[i] }
  public func endDate(at i: Int) -> TimelineDate? { ends[i] }
  public func confidence(at i: Int) -> Confidence { confidences[i] }
  /// The event's position in its file (0-based).
  public func fileIndex(at i: Int) -> Int { Int(fileOrder[i]) }
  /// The first day the event can mean.
  public func startKey(at i: Int) -> Int64 { startKeys[i] }
  /// The last day the event (or its span) can mean.
  public func endKey(at i: Int) -> Int64 { (ends[i] ?? starts[i]).upperKey }

  /// Where the event came from, for a timeline made by `TimelineBuilder` from another format (the
  /// position it was added with); nil for a timeline read from its own JSON.
  public func origin(at i: Int) -> (file: String, position: SourcePosition)? {
    guard let origins else { return nil }
    return (origins.file, origins.positions[i].position)
  }

  /// ISO codes of the event's countries, in file order.
  public func countryCodes(at i: Int) -> [String] { countryLists[i].map { CountryTable.code(ofSlot: Int($0)) } }
  public func countrySlots(at i: Int) -> ArraySlice<UInt16> { countryLists[i] }
  /// Indexes into `people`.
  public func personIndexes(at i: Int) -> ArraySlice<UInt32> { personLists[i] }
  /// Indexes into `tags`.
  public func tagIndexes(at i: Int) -> ArraySlice<UInt32> { tagLists[i] }
  /// Indexes into `sources`.
  public func sourceIndexes(at i: Int) -> ArraySlice<UInt32> { sourceLists[i] }

  /// Event `i` as a value.
  public func event(at i: Int) -> Event {
    Event(
      id: id(at: i), date: starts[i], end: ends[i], title: title(at: i), summary: summary(at: i),
      countries: countryCodes(at: i),
      people: personLists[i].map { people[Int($0)].id },
      tags: tagLists[i].map { tags[Int($0)] },
      confidence: confidences[i],
      sources: sourceLists[i].map { sources[Int($0)].id },
      notes: notes(at: i))
  }

  public var events: [Event] { (0..<count).map(event(at:)) }

  /// Eras whose span meets the event's span.
  public func eras(at i: Int) -> [Era] {
    let lo = startKeys[i]
    let hi = endKey(at: i)
    return eras.filter { $0.overlaps(lower: lo, upper: hi) }
  }

  /// The sorted event numbers that carry a country, person or tag.
  public func events(withCountrySlot slot: Int) -> ArraySlice<UInt32> { eventsByCountry[slot] }
  public func events(withPerson index: Int) -> ArraySlice<UInt32> { eventsByPerson[index] }
  public func events(withTag index: Int) -> ArraySlice<UInt32> { eventsByTag[index] }

  /// Country slots that at least one event carries, in code order.
  public var usedCountrySlots: [Int] { (0..<CountryTable.slotCount).filter { !eventsByCountry[$0].isEmpty } }

  /// The first and last day any event covers, or nil for an empty timeline.
  public var span: (lower: Int64, upper: Int64)? {
    guard let first = startKeys.first, let last = reachKeys.last else { return nil }
    return (first, last)
  }

  // MARK: - Search index

  /// The folded text of every event, built the first time a text query needs it.
  ///
  /// Building it means decoding and folding every title and summary, which is most of the work for a
  /// large file and wasted for `list --count`; the explorer starts building it in the background once
  /// the first screen is up.
  public var searchIndex: SearchIndex {
    lazySearchIndex.withLock { cached in
      if let cached { return cached }
      let built = SearchIndex(timeline: self)
      cached = built
      return built
    }
  }

  /// The facets' value tables and posting lists beyond the decoder's (see `FacetTables`).
  var facetTables: FacetTables {
    lazyFacetTables.withLock { cached in
      if let cached { return cached }
      let built = FacetTables(self)
      cached = built
      return built
    }
  }

  /// Builds the word index now with other thresholds than the usual ones (tests: every word kept as a
  /// bitset or none, two threads on a small timeline).
  func buildSearchIndex(denseThreshold: Int?, parallelThreshold: Int, schedule: SearchIndexBuilder.Schedule = .shared) {
    lazySearchIndex.withLock { $0 = SearchIndex(timeline: self, denseThreshold: denseThreshold, parallelThreshold: parallelThreshold, schedule: schedule) }
  }

  /// Whether `searchIndex` is ready without waiting.
  public var isSearchIndexBuilt: Bool { lazySearchIndex.withLock { $0 != nil } }

  /// Checks the indexes against the columns; for tests. Returns the first inconsistency found.
  public func checkInvariants() -> String? {
    for i in 1..<max(1, count) where startKeys[i - 1] > startKeys[i] {
      return "events \(i - 1) and \(i) are out of order"
    }
    for i in 1..<max(1, count) where starts[i - 1].sortKey > starts[i].sortKey {
      return "events \(i - 1) and \(i) are out of order in their day"
    }
    for i in 1..<max(1, count) where starts[i - 1].sortKey == starts[i].sortKey && fileOrder[i - 1] > fileOrder[i] {
      return "events \(i - 1) and \(i) have equal dates but not file order"
    }
    for i in 0..<count where startKeys[i] != starts[i].lowerKey { return "event \(i)'s start key is stale" }
    var latest = Int64.min
    for i in 0..<count {
      latest = max(latest, endKey(at: i))
      if reachKeys[i] != latest { return "event \(i)'s reach is \(reachKeys[i]), not \(latest)" }
    }
    if hasTimesOfDay != starts.contains(where: { $0.minuteOfDay != nil }) { return "hasTimesOfDay is \(hasTimesOfDay)" }
    if let origins, origins.positions.count != count { return "\(origins.positions.count) origins for \(count) events" }
    for slot in 0..<eventsByCountry.count {
      for e in eventsByCountry[slot] where !countryLists[Int(e)].contains(UInt16(slot)) {
        return "country index \(slot) lists event \(e), which does not carry it"
      }
    }
    let countryPostings = eventsByCountry.values.count
    let distinctCountryValues = (0..<count).reduce(0) { $0 + Set(countryLists[$1]).count }
    if countryPostings != distinctCountryValues { return "country index has \(countryPostings) entries, expected \(distinctCountryValues)" }
    for p in 0..<eventsByPerson.count {
      let list = eventsByPerson[p]
      if Array(list) != list.sorted() { return "person index \(p) is not sorted" }
      for e in list where !personLists[Int(e)].contains(UInt32(p)) { return "person index \(p) lists event \(e)" }
    }
    return nil
  }
}
