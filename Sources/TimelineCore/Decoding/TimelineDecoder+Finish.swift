/// The second pass: checks that need the whole file (references, unique ids, declared countries), then
/// sorts the events and builds the timeline.
extension DecodeSession {
  mutating func finish(document: DocumentText) -> Result<Timeline, DecodeFailure> {
    let countries = CountryTable.builtIn.merging(declaredCountries)

    // Country codes unknown to the built-in table must be declared by the file.
    for p in pendingCountries where !countries.contains(slot: p.slot) {
      let code = CountryTable.code(ofSlot: p.slot)
      var message = "unknown country code \"\(code)\""
      // Suggestions only for problems that will be listed; past the limit they are only counted.
      let close = problems.count < DecodeFailure.limit ? Suggestions.closest(to: code, among: countries.all.map(\.code), limit: 3) : []
      if !close.isEmpty { message += " (did you mean \(close.map { "\"\($0)\"" }.joined(separator: " or "))?)" }
      message += "; declare it under \"countries\" to use a code outside ISO 3166-1"
      report(p.offset, p.subject, p.field, message)
    }

    checkUnique(people.map(\.id), personOffsets, kind: "person")
    checkUnique(sources.map(\.id), sourceOffsets, kind: "source")

    // Resolve cited ids to people and sources.
    let personIndex = Dictionary(people.enumerated().map { ($1.id, UInt32($0)) }, uniquingKeysWith: { a, _ in a })
    let sourceIndex = Dictionary(sources.enumerated().map { ($1.id, UInt32($0)) }, uniquingKeysWith: { a, _ in a })
    let personMap = resolve(citedPeople, citedPersonFirst, personIndex, kind: "person", field: "people", known: people.map(\.id))
    let sourceMap = resolve(citedSources, citedSourceFirst, sourceIndex, kind: "source", field: "sources", known: sources.map(\.id))

    if !problems.isEmpty {
      problems.sort { $0.offset < $1.offset }
      return .failure(failure())
    }

    columns.people.values = columns.people.values.map { personMap[Int($0)] }
    columns.sources.values = columns.sources.values.map { sourceMap[Int($0)] }
    columns.sortChronologically()
    let timeline = Timeline(
      title: title ?? "", description: description ?? "", sources: sources, people: people, eras: eras,
      countries: countries, declaredCountries: declaredCountries, tags: tagNames, document: document,
      columns: columns)
    return .success(timeline)
  }

  private mutating func checkUnique(_ ids: [String], _ offsets: [Int], kind: String) {
    var first: [String: Int] = [:]
    for (k, id) in ids.enumerated() {
      if let f = first[id] {
        report(offsets[k], .text("\(kind) \"\(id)\""), "id", "duplicate \(kind) id; it is first used at", related: offsets[f])
      } else {
        first[id] = k
      }
    }
  }

  /// Maps interned ids to indexes, reporting each unknown id once, where it is first cited.
  private mutating func resolve(
    _ interner: ByteInterner, _ firstUse: [(offset: Int, event: Subject, uses: Int)], _ index: [String: UInt32],
    kind: String, field: String, known: [String]
  ) -> [UInt32] {
    var map = [UInt32](repeating: 0, count: interner.count)
    for n in 0..<interner.count {
      let id = interner.key(n)
      if let i = index[id] {
        map[n] = i
        continue
      }
      let use = firstUse[n]
      var message = "unknown \(kind) \"\(id)\""
      let close = problems.count < DecodeFailure.limit ? Suggestions.closest(to: id, among: known, limit: 3) : []
      if !close.isEmpty { message += " (did you mean \(close.map { "\"\($0)\"" }.joined(separator: " or "))?)" }
      if use.uses > 1 { message += "; cited \(use.uses) times in all, first here" }
      report(use.offset, use.event, field, message)
    }
    return map
  }
}
