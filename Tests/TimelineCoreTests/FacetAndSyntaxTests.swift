import Testing
import TimelineCore

// Every facet (with exclusion) and the search syntax over the small hand-made case (see QueryTests
// for its events). Expectations are written out from the fixture, not computed by the code under test.

private func date(_ s: String) -> TimelineDate {
  guard case .success(let d) = TimelineDate.parse(s) else { preconditionFailure("bad date literal \(s)") }
  return d
}

@Suite("Facets and exclusion")
struct FacetTests {
  let t: Timeline

  init() throws {
    // The case with two eras over it.
    let eras = #""eras": [{"id": "raids", "title": "The raids", "start": "2020-08-23", "end": "2020-08-28"}, "#
      + #"{"id": "courts", "title": "The court cases", "start": "2021", "end": "2022"}]"#
    t = try Fixture.timeline(events: Fixture.caseEvents, extraTop: eras)
  }

  @Test("each facet filters: tag, confidence, era, source (by publisher)")
  func everyFacet() {
    var q = Query()
    q[.tag].included = ["court"]
    #expect(t.matching(q) == ["correa-pleads", "correa-sentenced", "bridi-extradited"])
    q = Query()
    q[.confidence].included = ["reported", "disputed"]
    #expect(t.matching(q) == ["ahmad-steps-back", "scene-quiet", "correa-sentenced"])
    q = Query()
    q[.era].included = ["raids"]
    // Spans that meet the era count: "scene-quiet" runs from 25 Aug to 7 Sep.
    #expect(t.matching(q) == ["bridi-arrested", "correa-arrested", "oslo-raid", "scene-quiet", "danish-questioning", "moscow-servers", "czech-confirms"])
    q = Query()
    q[.source].included = ["BBC News"]
    #expect(t.matching(q) == ["ahmad-steps-back", "scene-quiet", "moscow-servers", "correa-sentenced"])
  }

  @Test("excluded values are left out, alone or beside included ones, in any facet")
  func exclusion() {
    var q = Query()
    q[.country].excluded = ["US"]
    #expect(t.matching(q) == Fixture.caseOrder.filter { !["correa-arrested", "correa-pleads", "correa-sentenced", "bridi-extradited"].contains($0) })
    q[.country].excluded = ["US", "NO"]
    #expect(!t.matching(q).contains("oslo-raid") && !t.matching(q).contains("ahmad-steps-back"))
    // Included and excluded in one facet: Cyprus but not the US.
    q = Query(countries: ["CY"])
    q[.country].excluded = ["US"]
    #expect(t.matching(q) == ["bridi-arrested"])
    // Excluding in one facet, including in another.
    q = Query(people: ["jonatan-correa"])
    q[.confidence].excluded = ["disputed"]
    #expect(t.matching(q) == ["correa-arrested", "correa-pleads"])
    q = Query()
    q[.era].excluded = ["raids", "courts"]
    #expect(t.matching(q) == ["ahmad-steps-back", "extradition-hearing"])
    q = Query()
    q[.source].excluded = ["AFP"]
    #expect(t.matching(q) == ["ahmad-steps-back", "correa-arrested", "scene-quiet", "moscow-servers", "correa-pleads", "correa-sentenced", "bridi-extradited"])
  }

  @Test("a value is on or excluded, never both")
  func filterStates() {
    var f = FacetFilter()
    f.set("US", .on)
    #expect(f.state(of: "US") == .on)
    f.set("US", .excluded)
    #expect(f.state(of: "US") == .excluded && f.included.isEmpty)
    f.set("US", .off)
    #expect(f.isEmpty)
    var q = Query()
    q[.tag].included = ["court"]
    q[.tag].included = []
    #expect(q == Query(), "an emptied facet compares equal to none")
  }

  @Test("counts under the other filters, for every facet, with exclusions")
  func counts() {
    var q = Query()
    q[.country].excluded = ["US"]
    let confidence = t.facetCounts(.confidence, for: q)
    // Without the four US events: confirmed bridi-arrested, oslo, danish, czech, extradition; reported
    // ahmad, scene; rumoured moscow.
    #expect(confidence == [5, 2, 1, 0])
    // A facet's own values do not change its counts.
    #expect(t.facetCounts(.country, for: q) == t.facetCounts(.country, for: .all))
    let eras = t.facetCounts(.era, for: q)
    #expect(eras == [6, 0])
    #expect(t.facetCounts(.era, for: .all) == [7, 3])
    let sources = t.facetCounts(.source, for: Query(countries: ["US"]))
    #expect(t.publishers == ["AFP", "U.S. Department of Justice", "BBC News"])
    #expect(sources == [0, 4, 1])
    // The counts (the era's by binary search, the others' read in bulk) agree with testing every event.
    for facet in Facet.allCases {
      for query in [Query(countries: ["NO", "US"]), Query(text: "raid"), Query(from: date("2020-08-26"))] {
        var naive = [Int](repeating: 0, count: t.valueCount(facet))
        for e in t.evaluate(query.clearing(facet)) { t.forEachValue(facet, ofEvent: Int(e)) { naive[$0] += 1 } }
        #expect(t.facetCounts(facet, for: query) == naive, "\(facet) \(query)")
      }
    }
  }

  @Test("values have keys, labels and names")
  func values() {
    #expect(t.valueIndex(.country, key: "CY").map { t.label(.country, key: t.key(.country, $0)) } == "Cyprus (CY)")
    #expect(t.label(.person, key: "george-bridi") == "George Bridi")
    #expect(t.label(.era, key: "courts") == "The court cases")
    #expect(t.label(.confidence, key: "rumoured") == "rumoured")
    #expect(t.names(.source, t.valueIndex(.source, key: "AFP")!) == ["AFP", "afp", "Dépêche AFP"])
    #expect(t.usedValues(.confidence).map { t.key(.confidence, $0) } == ["confirmed", "reported", "rumoured", "disputed"])
    #expect(t.label(.country, key: "JP") == "Japan (JP)", "a country no event carries still has its name")
  }
}

@Suite("Search syntax")
struct SearchSyntaxTests {
  let t: Timeline

  init() throws { t = try Fixture.caseTimeline() }

  @Test("the pattern: words, phrases, !word and -word, a | b")
  func parsing() {
    let p = SearchPattern("raid \"police raid\" !oslo -horsens a | b | c -2020 !")
    #expect(p.clauses.map { $0.map(\.text) } == [["raid"], ["police raid"], ["oslo"], ["horsens"], ["a", "b", "c"], ["-2020"], ["!"]])
    #expect(p.clauses.map { $0.map(\.negated) } == [[false], [false], [true], [true], [false, false, false], [false], [false]])
    #expect(SearchPattern("!\"police raid\"").clauses.first?.first?.negated == true)
    #expect(SearchPattern("| a |").clauses.map { $0.map(\.text) } == [["a"]])
    #expect(SearchPattern("  ").isEmpty && SearchPattern("\"\"").isEmpty)
    #expect(SearchPattern("Zürich").clauses[0][0].caseSensitive)
    #expect(!SearchPattern("zürich").clauses[0][0].caseSensitive)
  }

  @Test("!word and -word leave out what matches")
  func negation() {
    #expect(t.matching(Query(text: "raid !oslo")) == ["correa-arrested", "danish-questioning", "correa-pleads", "correa-sentenced"])
    #expect(t.matching(Query(text: "raid -oslo")) == t.matching(Query(text: "raid !oslo")))
    #expect(t.matching(Query(text: "!\"police raid\" raid")) == t.matching(Query(text: "raid !oslo")))
    // Alone, an exclusion keeps everything else.
    #expect(t.matching(Query(text: "!correa")).count == Fixture.caseOrder.count - 3)
  }

  @Test("a | b matches either; words around it still must match")
  func either() {
    #expect(t.matching(Query(text: "oslo | horsens")) == ["oslo-raid", "danish-questioning"])
    #expect(t.matching(Query(text: "oslo | horsens police")) == ["oslo-raid", "danish-questioning"])
    #expect(t.matching(Query(text: "oslo | paphos !raid")) == ["bridi-arrested"])
    #expect(t.matching(Query(text: "oslo | paphos !police")) == [], "both say \"police\"")
  }

  @Test("notes, sources (publisher, title, id) and confidence are searched")
  func otherFields() {
    #expect(t.matching(Query(text: "supervised")) == ["correa-sentenced"], "in the summary and the notes")
    #expect(t.matching(Query(text: "length")) == ["correa-sentenced"], "only in the notes")
    #expect(t.matching(Query(text: "bbc")) == ["ahmad-steps-back", "scene-quiet", "moscow-servers", "correa-sentenced"])
    #expect(t.matching(Query(text: "department")) == ["correa-arrested", "correa-pleads", "correa-sentenced", "bridi-extradited"])
    #expect(t.matching(Query(text: "rumour")) == ["moscow-servers"])
    #expect(t.matching(Query(text: "disputed")) == ["correa-sentenced"])
  }

  @Test("a date is found by the start of its written form, start or end")
  func dates() {
    #expect(t.matching(Query(text: "2021")) == ["correa-pleads", "correa-sentenced", "bridi-extradited"])
    #expect(t.matching(Query(text: "2020-09")) == ["scene-quiet", "extradition-hearing"], "scene-quiet ends on 2020-09-07")
    #expect(t.matching(Query(text: "2020-08-2")) == ["bridi-arrested", "correa-arrested", "oslo-raid", "scene-quiet", "danish-questioning", "moscow-servers", "czech-confirms"])
    #expect(t.matching(Query(text: "2020-0")) == t.matching(Query(text: "2020")).filter { $0 != "ahmad-steps-back" })
    #expect(t.matching(Query(text: "2019")) == ["ahmad-steps-back"])
  }

  @Test("written dates: prefixes of years, months, days; BC years; approximation")
  func datePrefixes() throws {
    func d(_ s: String) -> TimelineDate { date(s) }
    func matches(_ term: String, _ date: String) -> Bool { SearchPattern(term).clauses[0][0].date?.matches(d(date)) ?? false }
    #expect(matches("2", "2020-08-25") && matches("20", "2020") && matches("2020-", "2020-08") && !matches("2020-", "2020"))
    #expect(matches("2020-0", "2020-08-25") && !matches("2020-1", "2020-08-25") && matches("2020-08-2", "2020-08-25"))
    #expect(matches("085", "0850") && !matches("85", "0850") && matches("-0044", "-0044-03-15") && matches("-", "-0044"))
    #expect(!matches("-", "2020") && matches("2020-08~", "2020-08~") && !matches("2020-08~", "2020-08"))
    #expect(matches("99999", "999999") && !matches("0999", "999999"))
  }
}
