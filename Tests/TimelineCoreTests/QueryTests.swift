import Testing
import TimelineCore

// Queries over the small hand-made case (`Fixture.caseEvents`), whose chronological order is:
// ahmad-steps-back 2019-12, bridi-arrested 2020-08-23 [CY], correa-arrested 2020-08-25 [US],
// oslo-raid 2020-08-25 [NO], scene-quiet 2020-08-25..2020-09-07, danish-questioning 2020-08-25 [DK],
// moscow-servers 2020-08-26 [RU], czech-confirms 2020-08-26 [CZ], extradition-hearing 2020-09,
// correa-pleads 2021-01 [US], correa-sentenced 2021-05-19 [US], bridi-extradited 2021-08-31 [CY US].

private func date(_ s: String) -> TimelineDate {
  guard case .success(let d) = TimelineDate.parse(s) else { preconditionFailure("bad date literal \(s)") }
  return d
}

@Suite("Queries")
struct QueryTests {
  let t: Timeline

  init() throws {
    t = try Fixture.caseTimeline()
  }

  @Test("the empty query gives every event in chronological order")
  func everything() {
    #expect(t.matching(.all) == Fixture.caseOrder)
    #expect(Query.all.isEmpty)
    #expect(!Query(text: "x").isEmpty)
    #expect(Query(text: "  \"\" ").isEmpty)
  }

  @Test("countries: one, several (OR), unknown")
  func countries() {
    #expect(t.matching(Query(countries: ["US"])) == ["correa-arrested", "correa-pleads", "correa-sentenced", "bridi-extradited"])
    #expect(
      t.matching(Query(countries: ["US", "CY"])) == [
        "bridi-arrested", "correa-arrested", "correa-pleads", "correa-sentenced", "bridi-extradited",
      ])
    #expect(t.matching(Query(countries: ["FR"])) == [])
    #expect(t.matching(Query(countries: ["ZZ"])) == [])
  }

  @Test("people: one, several (OR)")
  func people() {
    #expect(t.matching(Query(people: ["george-bridi"])) == ["bridi-arrested", "extradition-hearing", "bridi-extradited"])
    #expect(
      t.matching(Query(people: ["george-bridi", "jonatan-correa"])) == [
        "bridi-arrested", "correa-arrested", "extradition-hearing", "correa-pleads", "correa-sentenced", "bridi-extradited",
      ])
    #expect(t.matching(Query(people: ["nobody"])) == [])
  }

  @Test("facets combine with AND")
  func acrossFacets() {
    #expect(t.matching(Query(countries: ["US"], people: ["george-bridi"])) == ["bridi-extradited"])
    #expect(t.matching(Query(countries: ["CY"], people: ["jonatan-correa"])) == [])
    #expect(
      t.matching(Query(countries: ["US"], people: ["george-bridi", "jonatan-correa"])) == [
        "correa-arrested", "correa-pleads", "correa-sentenced", "bridi-extradited",
      ])
    #expect(t.matching(Query(countries: ["US", "CY"], people: ["george-bridi"])) == ["bridi-arrested", "bridi-extradited"])
    #expect(t.matching(Query(countries: ["US"], tags: ["court"])) == ["correa-pleads", "correa-sentenced", "bridi-extradited"])
    #expect(t.matching(Query(countries: ["US"], text: "guilty")) == ["correa-pleads"])
    #expect(t.matching(Query(people: ["george-bridi"], text: "paphos")) == ["bridi-arrested"])
  }

  @Test("free text ignores case and accents, unless a word has a capital: then case counts (smart case)")
  func textFolding() {
    #expect(t.matching(Query(text: "republique")) == ["czech-confirms"])
    #expect(t.matching(Query(text: "saisies")) == ["czech-confirms"])
    #expect(t.matching(Query(text: "conteste")) == ["extradition-hearing"])
    // The title writes "République": a capital R is its case; accents are still ignored.
    #expect(t.matching(Query(text: "République")) == ["czech-confirms"])
    #expect(t.matching(Query(text: "Republique")) == ["czech-confirms"])
    #expect(t.matching(Query(text: "RÉPUBLIQUE")) == [])
    #expect(t.matching(Query(text: "CONTESTE")) == [])
    // "CHYPRE" in a title; the other two are Cyprus events, found by the country's French name.
    #expect(t.matching(Query(text: "chypre")) == ["bridi-arrested", "extradition-hearing", "bridi-extradited"])
    #expect(t.matching(Query(text: "CHYPRE")) == ["extradition-hearing"])
    #expect(t.matching(Query(text: "Chypre")) == ["bridi-arrested", "bridi-extradited"])
    // Smart case is per word: a lower-case word beside it still ignores case.
    #expect(t.matching(Query(text: "Chypre arrest")) == ["bridi-arrested"])
  }

  @Test("free text finds people by name and alias")
  func textPeople() {
    let correa = ["correa-arrested", "correa-pleads", "correa-sentenced"]
    // "Raid" is Correa's alias; two events also say "raid" in their text.
    #expect(t.matching(Query(text: "raid")) == ["correa-arrested", "oslo-raid", "danish-questioning", "correa-pleads", "correa-sentenced"])
    #expect(t.matching(Query(text: "Raid")) == correa, "with its capital, only the alias")
    #expect(t.matching(Query(text: "RAID")) == [])
    #expect(t.matching(Query(text: "jonathan")) == correa)
    #expect(t.matching(Query(text: "Jonathan Correa")) == correa)
    #expect(t.matching(Query(text: "artist")) == ["ahmad-steps-back"])
    // "sentenced without prison" names nobody, but it is Correa's.
    #expect(t.matching(Query(text: "correa prison")) == ["correa-sentenced"])
  }

  @Test("free text finds countries by name in English and French, by word start")
  func textCountries() {
    #expect(t.matching(Query(text: "cyprus")) == ["bridi-arrested", "bridi-extradited"])
    #expect(t.matching(Query(text: "russia")) == ["moscow-servers"])
    #expect(t.matching(Query(text: "russie")) == ["moscow-servers"])
    #expect(t.matching(Query(text: "tcheque")) == ["czech-confirms"])
    #expect(t.matching(Query(text: "czech")) == ["czech-confirms"])
    #expect(t.matching(Query(text: "norway")) == ["ahmad-steps-back", "oslo-raid"])
    // "us" is the United States' code and alias, and a word start of "USA", but not a part of
    // "Cyprus" or "Russia".
    let us = t.matching(Query(text: "us"))
    #expect(us == ["correa-arrested", "correa-pleads", "correa-sentenced", "bridi-extradited"])
    #expect(!us.contains("bridi-arrested"))
    #expect(!us.contains("moscow-servers"))
    #expect(t.matching(Query(text: "united states")) == us)
    #expect(t.matching(Query(text: "états-unis")) == ["correa-arrested", "extradition-hearing", "correa-pleads", "correa-sentenced", "bridi-extradited"])
  }

  @Test("several words must all match; a quoted phrase must match as written")
  func wordsAndPhrases() {
    #expect(t.matching(Query(text: "bridi extradit")) == ["extradition-hearing", "bridi-extradited"])
    #expect(t.matching(Query(text: "bridi extradited")) == ["bridi-extradited"])
    #expect(t.matching(Query(text: "police raid")) == ["oslo-raid", "danish-questioning"])
    #expect(t.matching(Query(text: "\"police raid\"")) == ["oslo-raid"])
    #expect(t.matching(Query(text: "\"raid in\"")) == ["oslo-raid", "danish-questioning"])
    #expect(t.matching(Query(text: "\"raid in\" horsens")) == ["danish-questioning"])
    #expect(t.matching(Query(text: "raid zzzz")) == [])
    // An unclosed quote runs to the end.
    #expect(t.matching(Query(text: "\"police raid")) == ["oslo-raid"])
  }

  @Test("date ranges: events whose span meets the range, by month and by year")
  func dateRanges() {
    #expect(t.matching(Query(from: date("2020-09"), to: date("2020-09"))) == ["scene-quiet", "extradition-hearing"])
    #expect(t.matching(Query(from: date("2021"))) == ["correa-pleads", "correa-sentenced", "bridi-extradited"])
    #expect(t.matching(Query(to: date("2019"))) == ["ahmad-steps-back"])
    #expect(t.matching(Query(to: date("2020-08-24"))) == ["ahmad-steps-back", "bridi-arrested"])
    #expect(
      t.matching(Query(from: date("2020-08-25"), to: date("2020-08-25"))) == [
        "correa-arrested", "oslo-raid", "scene-quiet", "danish-questioning",
      ])
    // The long "scene-quiet" span started before the range and still meets it.
    #expect(t.matching(Query(from: date("2020-08-26"), to: date("2020-08-31"))) == ["scene-quiet", "moscow-servers", "czech-confirms"])
    #expect(t.matching(Query(from: date("2020-09-08"), to: date("2020-12"))) == ["extradition-hearing"])
    #expect(t.matching(Query(from: date("2022"))) == [])
    #expect(t.matching(Query(countries: ["US"], from: date("2021"))) == ["correa-pleads", "correa-sentenced", "bridi-extradited"])
    #expect(t.matching(Query(text: "bridi", from: date("2020-09"), to: date("2021-06"))) == ["extradition-hearing"])
  }

  @Test("results stay in chronological order whatever the filters")
  func chronological() {
    let queries = [
      Query(countries: ["US", "CY", "NO"]), Query(people: ["umar-ahmad", "george-bridi"]), Query(text: "raid"),
      Query(text: "e"), Query(countries: ["US"], text: "correa"), Query(from: date("2020-08"), to: date("2020-09")),
      Query(text: "c"), Query(text: "co"), Query(text: "c", from: date("2021")),
    ]
    let position = Dictionary(uniqueKeysWithValues: Fixture.caseOrder.enumerated().map { ($1, $0) })
    for q in queries {
      let r = t.evaluate(q)
      #expect(r == r.sorted(), "\(q)")
      #expect(Set(r).count == r.count, "no event twice: \(q)")
      let ids = t.ids(r)
      #expect(ids.map { position[$0]! } == ids.map { position[$0]! }.sorted())
    }
  }

  @Test("facet counts: choosing a country leaves the country counts alone and changes the others")
  func facetCounts() {
    let us = CountryTable.slot(of: "US")!
    let cy = CountryTable.slot(of: "CY")!
    let no = CountryTable.slot(of: "NO")!
    let correa = t.people.firstIndex { $0.id == "jonatan-correa" }!
    let bridi = t.people.firstIndex { $0.id == "george-bridi" }!
    let ahmad = t.people.firstIndex { $0.id == "umar-ahmad" }!

    let allCountries = t.facetCounts(.country, for: .all)
    #expect(allCountries[us] == 4)
    #expect(allCountries[cy] == 2)
    #expect(allCountries[no] == 2)
    #expect(allCountries.reduce(0, +) == 11)
    let allPeople = t.facetCounts(.person, for: .all)
    #expect(allPeople[correa] == 3 && allPeople[bridi] == 3 && allPeople[ahmad] == 1)

    let chosen = Query(countries: ["US"])
    #expect(t.facetCounts(.country, for: chosen) == allCountries)
    let people = t.facetCounts(.person, for: chosen)
    #expect(people[correa] == 3)
    #expect(people[bridi] == 1)
    #expect(people[ahmad] == 0)

    // Choosing a person changes the country counts, not the person counts.
    let bridiOnly = Query(people: ["george-bridi"])
    #expect(t.facetCounts(.person, for: bridiOnly) == allPeople)
    let countries = t.facetCounts(.country, for: bridiOnly)
    #expect(countries[cy] == 2)
    #expect(countries[us] == 1)
    #expect(countries[no] == 0)

    // Text and dates narrow every facet.
    let text = t.facetCounts(.country, for: Query(countries: ["NO"], text: "raid"))
    #expect(text[us] == 3)
    #expect(text[no] == 1)
    let dated = t.facetCounts(.person, for: Query(people: ["jonatan-correa"], from: date("2021")))
    #expect(dated[correa] == 2 && dated[bridi] == 1 && dated[ahmad] == 0)

    let tags = t.facetCounts(.tag, for: Query(countries: ["CY"]))
    #expect(tags == [1])
    #expect(t.tags == ["court"])
  }

  @Test("an event matching a word through several names (a country and a tag) is listed once")
  func noDuplicates() {
    // "c" starts "Cyprus" and "court": bridi-extradited has both, and "Correa" too for Correa's events.
    let c = t.matching(Query(text: "c"))
    #expect(c.filter { $0 == "bridi-extradited" }.count == 1)
    #expect(Set(c).count == c.count)
    #expect(c.contains("correa-sentenced"))
    for word in ["c", "s", "e", "a", "u", "r"] {
      let r = Fixture.bundled.evaluate(Query(text: word))
      #expect(Set(r).count == r.count, "duplicates for \"\(word)\" in the bundled case")
      #expect(r == r.sorted())
    }
  }

  @Test("narrowing (each keystroke) gives exactly what a fresh search gives")
  func narrowingOnCase() {
    let typed = [
      "servers", "chypre", "cyprus", "us", "\"police raid\" oslo", "raid po", "jonathan correa", "républ", "etats-u",
      "c", "ch", "chy",
    ]
    let bases = [Query.all, Query(countries: ["US", "CY"]), Query(people: ["george-bridi"]), Query(from: date("2020-08-25"), to: date("2021"))]
    for base in bases {
      for word in typed { checkNarrowing(t, base: base, typing: word) }
    }
  }

  @Test("narrowing on the bundled case, with codes and names")
  func narrowingOnBundled() {
    let b = Fixture.bundled
    let typed = ["chypre", "cyprus", "servers", "europol eurojust", "raid", "artist", "korea", "se", "us", "états", "ncoz", "\"scene notice\""]
    for base in [Query.all, Query(countries: ["US"]), Query(countries: ["NO", "DK"]), Query(from: date("2020-08-25"), to: date("2020-08-26"))] {
      for word in typed { checkNarrowing(b, base: base, typing: word) }
    }
  }

  @Test("a previous result is not reused when it cannot narrow: deleting, other facets, other words")
  func notNarrowing() {
    let steps: [(previous: Query, next: Query)] = [
      (Query(text: "raid"), Query(text: "rai")),
      (Query(text: "chy"), Query(text: "cy")),
      (Query(countries: ["US"], text: "c"), Query(text: "co")),
      (Query(text: "c"), Query(countries: ["CY"], text: "ch")),
      (Query(text: "bridi"), Query(text: "correa")),
      (Query(text: "raid police"), Query(text: "police raid")),
      (Query(text: "raid", from: date("2021")), Query(text: "raid")),
      (Query(text: "\"police r"), Query(text: "police r")),
    ]
    for (previous, next) in steps {
      let old = t.evaluate(previous)
      #expect(t.evaluate(next, narrowing: (previous, old)) == t.evaluate(next), "\(previous.text) -> \(next.text)")
    }
  }

  @Test("the indexes of the bundled timeline are consistent")
  func invariants() throws {
    #expect(Fixture.bundled.checkInvariants() == nil)
    #expect(t.checkInvariants() == nil)
  }
}

/// Types `word` one character at a time over `base`, checking at each step that the narrowed search
/// (from the previous keystroke's result) equals a fresh one.
private func checkNarrowing(_ t: Timeline, base: Query, typing word: String, sourceLocation: SourceLocation = #_sourceLocation) {
  var previous: (query: Query, result: [UInt32])?
  var typed = ""
  for ch in word {
    typed.append(ch)
    var q = base
    q.text = typed
    let fresh = t.evaluate(q)
    let narrowed = t.evaluate(q, narrowing: previous)
    #expect(narrowed == fresh, "typing \"\(typed)\" over \(base)", sourceLocation: sourceLocation)
    previous = (q, narrowed)
  }
}
