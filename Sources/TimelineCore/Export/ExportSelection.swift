/// What an export of some events of a timeline refers to: those events (as indexes), the people and
/// sources they cite, the eras their dates meet and the country declarations they rely on.
struct ExportSelection {
  let timeline: Timeline
  let indexes: [Int]
  let people: [Int]
  let sources: [Int]
  let eras: [Era]
  let declaredCountries: [CountryTable.Country]

  init(_ t: Timeline, events: [UInt32]) {
    timeline = t
    indexes = events.map(Int.init)
    var usedPeople = Set<Int>()
    var usedSources = Set<Int>()
    var usedSlots = Set<Int>()
    for i in indexes {
      usedPeople.formUnion(t.personIndexes(at: i).map(Int.init))
      usedSources.formUnion(t.sourceIndexes(at: i).map(Int.init))
      usedSlots.formUnion(t.countrySlots(at: i).map(Int.init))
    }
    for p in usedPeople { if let c = t.people[p].country, let s = CountryTable.slot(of: c) { usedSlots.insert(s) } }
    people = usedPeople.sorted()
    sources = usedSources.sorted()
    let indexes = indexes
    eras = t.eras.filter { era in indexes.contains { era.overlaps(lower: t.startKey(at: $0), upper: t.endKey(at: $0)) } }
    declaredCountries = t.declaredCountries.filter { CountryTable.slot(of: $0.code).map(usedSlots.contains) ?? false }
  }

  /// The `countries`, `sources` and `people` members of a timeline document.
  func writeEntities(_ w: inout JSONOut) {
    let t = timeline
    if !declaredCountries.isEmpty {
      w.key("countries")
      w.open("{")
      for c in declaredCountries {
        w.key(c.code)
        w.open("{")
        w.member("name", .string(c.name))
        if let fr = c.nameFR { w.member("name_fr", .string(fr)) }
        if !c.aliases.isEmpty { w.member("aliases", .strings(c.aliases)) }
        w.close("}")
      }
      w.close("}")
    }
    w.key("sources")
    w.open("[")
    for k in sources {
      let s = t.sources[k]
      w.element()
      w.open("{")
      w.member("id", .string(s.id))
      w.member("title", .string(s.title))
      w.member("publisher", .string(s.publisher))
      if let a = s.author { w.member("author", .string(a)) }
      if let d = s.date { w.member("date", .string(d.description)) }
      if let u = s.url { w.member("url", .string(u)) }
      w.member("language", .string(s.language))
      if let n = s.notes { w.member("notes", .string(n)) }
      w.close("}")
    }
    w.close("]")
    w.key("people")
    w.open("[")
    for k in people {
      let p = t.people[k]
      w.element()
      w.open("{")
      w.member("id", .string(p.id))
      w.member("name", .string(p.name))
      if !p.aliases.isEmpty { w.member("aliases", .strings(p.aliases)) }
      if let c = p.country { w.member("country", .string(c)) }
      w.member("role", .string(p.role))
      w.close("}")
    }
    w.close("]")
  }
}
