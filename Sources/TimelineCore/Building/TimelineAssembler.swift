/// The step every way of making a timeline ends with (the JSON decoder, the streaming loader and
/// `TimelineBuilder`): check the country codes that events and people use against the built-in table
/// and the file's declarations, check that people and sources have unique ids, resolve the ids events
/// cite, then sort the events into chronological order and build the indexes.
///
/// It finds problems but does not place them: each caller passes the places it knows (byte offsets,
/// source positions, or nothing at all for the streaming loader, which gives up at the first problem)
/// and gets them back in `Problems`.
struct TimelineAssembler {
  let title: String
  let description: String
  let sources: [Source]
  let people: [Person]
  let eras: [Era]
  let declaredCountries: [CountryTable.Country]
  /// The built-in table with the file's declarations.
  let countries: CountryTable

  init(title: String, description: String, sources: [Source], people: [Person], eras: [Era], declaredCountries: [CountryTable.Country]) {
    self.title = title
    self.description = description
    self.sources = sources
    self.people = people
    self.eras = eras
    self.declaredCountries = declaredCountries
    countries = CountryTable.builtIn.merging(declaredCountries)
  }

  /// Where an id was first cited, and how often in all.
  struct Citation<Place> {
    var place: Place
    var subject: Subject
    var uses: Int
  }

  /// A use of a country code that the built-in table does not know.
  struct CountryUse<Place> {
    var slot: Int
    var place: Place
    var subject: Subject
    var field: String
  }

  /// Reports each code neither built in nor declared by the file.
  func checkCountries<Place>(_ uses: [CountryUse<Place>], into problems: inout Problems<Place>) {
    for use in uses where !countries.contains(slot: use.slot) {
      let code = CountryTable.code(ofSlot: use.slot)
      problems.report(use.place, use.subject, use.field, hinted: { Rules.unknownCountry(code, known: countries, hint: $0) })
    }
  }

  /// Reports every person or source id used twice, where it is used again.
  func checkUniqueIDs<Place>(people places: [Place], sources sourcePlaces: [Place], into problems: inout Problems<Place>) {
    Self.checkUnique(people.map(\.id), places, kind: "person", into: &problems)
    Self.checkUnique(sources.map(\.id), sourcePlaces, kind: "source", into: &problems)
  }

  private static func checkUnique<Place>(_ ids: [String], _ places: [Place], kind: String, into problems: inout Problems<Place>) {
    var first: [String: Int] = [:]
    for (k, id) in ids.enumerated() {
      if let f = first[id] {
        problems.report(places[k], .text("\(kind) \"\(id)\""), "id", "duplicate \(kind) id; it is first used at", related: places[f])
      } else {
        first[id] = k
      }
    }
  }

  /// Indexes into `people` for the interned person ids events cite; each unknown id is reported once,
  /// where it was first cited.
  func resolvePeople<Place>(_ cited: ByteInterner, _ citation: (Int) -> Citation<Place>, into problems: inout Problems<Place>) -> [UInt32] {
    Self.resolve(cited, people.map(\.id), citation, kind: "person", field: EventField.people.name, into: &problems)
  }

  /// Indexes into `sources` for the interned source ids events cite.
  func resolveSources<Place>(_ cited: ByteInterner, _ citation: (Int) -> Citation<Place>, into problems: inout Problems<Place>) -> [UInt32] {
    Self.resolve(cited, sources.map(\.id), citation, kind: "source", field: EventField.sources.name, into: &problems)
  }

  private static func resolve<Place>(
    _ cited: ByteInterner, _ known: [String], _ citation: (Int) -> Citation<Place>, kind: String, field: String,
    into problems: inout Problems<Place>
  ) -> [UInt32] {
    let index = Dictionary(known.enumerated().map { ($1, UInt32($0)) }, uniquingKeysWith: { a, _ in a })
    var map = [UInt32](repeating: 0, count: cited.count)
    for n in 0..<cited.count {
      let id = cited.key(n)
      if let i = index[id] {
        map[n] = i
        continue
      }
      let use = citation(n)
      problems.report(use.place, use.subject, field, hinted: { Rules.unknownReference(kind, id, known: known, uses: use.uses, hint: $0) })
    }
    return map
  }

  /// The timeline: the columns' cited ids replaced by indexes into `people` and `sources`, events in
  /// chronological order, indexes built.
  func timeline(
    _ columns: consuming EventColumns, people personMap: [UInt32], sources sourceMap: [UInt32], tags: [String],
    document: DocumentText, originFile: String? = nil, timings: inout TimelineLoader.Timings
  ) -> Timeline {
    var columns = columns
    columns.people.values = columns.people.values.map { personMap[Int($0)] }
    columns.sources.values = columns.sources.values.map { sourceMap[Int($0)] }
    let clock = ContinuousClock.now
    columns.sortChronologically()
    timings.sort = clock.secondsSince()
    return timeline(ordered: columns, tags: tags, document: document, originFile: originFile, timings: &timings)
  }

  /// The timeline of columns already in chronological order, with people and sources as indexes.
  func timeline(
    ordered columns: consuming EventColumns, tags: [String], document: DocumentText, originFile: String? = nil,
    timings: inout TimelineLoader.Timings
  ) -> Timeline {
    let clock = ContinuousClock.now
    let t = Timeline(
      title: title, description: description, sources: sources, people: people, eras: eras, countries: countries,
      declaredCountries: declaredCountries, tags: tags, document: document, columns: columns, originFile: originFile)
    timings.index = clock.secondsSince()
    return t
  }
}

extension ContinuousClock.Instant {
  /// Seconds from this instant to now.
  func secondsSince() -> Double {
    let d = ContinuousClock.now - self
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}
