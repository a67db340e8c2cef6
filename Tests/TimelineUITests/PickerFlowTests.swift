import Testing
import TimelineCore
@testable import TimelineUI

/// The country and person pickers, from opening to applying or cancelling, on the bundled case.
@Suite("pickers")
struct PickerFlowTests {
  let t = Fixtures.bundled
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  func picker(_ s: AppState) -> Picker? {
    if case .picker(let p) = s.overlay { return p }
    return nil
  }

  /// The state after applying `query`, with what was typed in the picker kept in the history.
  func applied(_ query: Query, typed: [(String, Facet)] = []) -> AppState {
    var expected = initial
    expected.rememberForUndo()
    expected.setQuery(query)
    for (text, facet) in typed { expected.history.add(text, .picker(facet)) }
    return expected
  }

  @Test("with no other filter, every facet's counts and spark lines are those of a walk over every event")
  func unfilteredPickerEqualsTheWalk() {
    for timeline in [Fixtures.bundled, MonkeyData.generated] {
      for facet in Facet.allCases {
        // An exclusion of a value no event has, in another facet: the same events, but a query that is not
        // empty, so the picker walks the events instead of reading the posting lists.
        let other = Facet.allCases.first { $0 != facet }!
        var walking = Query()
        walking[other] = FacetFilter(excluded: ["no such value"])
        #expect(!walking.clearing(facet).isEmpty)
        let quick = Picker(facet: facet, timeline: timeline, query: Query())
        let walked = Picker(facet: facet, timeline: timeline, query: walking)
        #expect(!quick.entries.isEmpty, "\(facet)")
        #expect(quick.entries.map(\.key) == walked.entries.map(\.key), "\(facet)")
        #expect(quick.entries.map(\.count) == walked.entries.map(\.count), "\(facet)")
        #expect(quick.entries.map(\.spark) == walked.entries.map(\.spark), "\(facet)")
      }
    }
  }

  @Test("a picker opened under other filters lists each value with the count and spark line of a plain count over the events")
  func pickerUnderFiltersEqualsAPlainCount() throws {
    let timeline = MonkeyData.generated
    let events = timeline.events
    /// The keys event `e` carries in a facet, read from the event as a value.
    func keys(_ facet: Facet, _ e: Event) -> Set<String> {
      switch facet {
      case .country: return Set(e.countries)
      case .person: return Set(e.people)
      case .tag: return Set(e.tags)
      case .confidence: return [e.confidence.name]
      case .era:
        let (lo, hi) = (e.date.lowerKey, (e.end ?? e.date).upperKey)
        return Set(timeline.eras.filter { $0.start.lowerKey <= hi && $0.end.upperKey >= lo }.map(\.id))
      case .source: return Set(e.sources.map { id in timeline.sources.first { $0.id == id }!.publisher })
      }
    }
    let common = ["FR", "US", "DE"]
    var filters: [Query] = []
    for facet in [Facet.country, .confidence, .person] {
      for state in [FacetFilter.State.on, .excluded] {
        var q = Query()
        let value = facet == .country ? common[filters.count % 3] : facet == .confidence ? "confirmed" : timeline.people[0].id
        q[facet].set(value, state)
        filters.append(q)
      }
    }
    var everything = Query()
    everything[.tag].excluded = ["no such tag"]
    filters.append(everything)
    var both = Query(countries: ["FR", "JP"])
    both[.confidence].excluded = ["reported"]
    filters.append(both)
    let letters: [Facet: String] = [.country: "c", .person: "p", .tag: "t", .confidence: "o", .era: "e", .source: "s"]
    for q in filters {
      var s = AppState(timeline: timeline, size: Fixtures.large)
      s.setQuery(q)
      for facet in Facet.allCases {
        press(&s, letters[facet]!)
        let p = try #require(picker(s), "\(facet) under \(q)")
        press(&s, "Esc")
        // The events the other filters keep, by testing every event.
        let others = q.clearing(facet)
        let kept = events.indices.filter { i in
          Facet.allCases.allSatisfy { f in
            let have = keys(f, events[i])
            let filter = others[f]
            return (filter.included.isEmpty || !have.isDisjoint(with: filter.included)) && have.isDisjoint(with: filter.excluded)
          }
        }
        let span = kept.first.map { (timeline.startKey(at: $0), timeline.startKey(at: kept.last!)) } ?? (0, 0)
        var counts: [String: Int] = [:]
        var sparks: [String: [Int]] = [:]
        for i in kept {
          let b = FacetHistogram.bucket(timeline.startKey(at: i), of: Picker.sparkBuckets, span)
          for key in keys(facet, events[i]) {
            counts[key, default: 0] += 1
            sparks[key, default: [Int](repeating: 0, count: Picker.sparkBuckets)][b] += 1
          }
        }
        #expect(!p.entries.isEmpty)
        for entry in p.entries {
          #expect(entry.count == counts[entry.key, default: 0], "\(facet) \(entry.key) under \(q)")
          #expect(entry.spark == Picker.levels(sparks[entry.key] ?? [Int](repeating: 0, count: Picker.sparkBuckets)), "\(facet) \(entry.key) under \(q)")
        }
        // Every value with events under the other filters is listed, what is on first, then the most events first.
        #expect(Set(p.entries.map(\.key)).isSuperset(of: counts.keys))
        let off = p.entries.filter { q[facet].state(of: $0.key) == .off }.map(\.count)
        #expect(off == off.sorted(by: >), "\(facet) under \(q)")
        #expect(p.entries.prefix(q[facet].keys.count).allSatisfy { q[facet].state(of: $0.key) != .off })
      }
    }
  }

  @Test func typingNarrowsAndEnterAppliesTheHighlightedCountry() throws {
    var s = initial
    press(&s, "c", "text:chy")
    let p = try #require(picker(s))
    #expect(p.filter == "chy")
    #expect(p.visible.map { p.entries[$0].key } == ["CY"], "\"chy\" is the start of Chypre, Cyprus's French name")
    #expect(p.highlightedEntry?.label == "Cyprus (CY)")

    let expected = applied(Query(countries: ["CY"]), typed: [("chy", .country)])
    #expect(press(&s, "Enter") == [.saveHistory(expected.history)], "the query is kept for the next time")
    #expect(s == expected)
    #expect(s.overlay == nil)
    #expect(s.query.countries == ["CY"])
    #expect(s.resultIDs == t.ids { t.countryCodes(at: $0).contains("CY") })
    #expect(
      s.resultIDs == [
        "2020-08-23-bridi-arrested-paphos", "2020-08-26-country-count", "2020-08-27-seed-17-country-list",
        "2021-08-31-bridi-extradited",
      ])
    // The first event (2011) is gone: the nearest in time is selected.
    #expect(s.selectedID == "2020-08-23-bridi-arrested-paphos")
  }

  @Test func tabTogglesSeveralCountriesWhichCombineWithOr() throws {
    var s = initial
    press(&s, "c", "text:chy", "Tab", "C-u", "text:norw", "Tab")
    let p = try #require(picker(s))
    #expect(p.selection.included == ["CY", "NO"])
    #expect(p.toggled)
    press(&s, "Enter")
    #expect(s == applied(Query(countries: ["CY", "NO"]), typed: [("norw", .country)]))
    let oracle = t.ids { t.countryCodes(at: $0).contains("CY") || t.countryCodes(at: $0).contains("NO") }
    #expect(s.resultIDs == oracle)
    #expect(oracle.count > 4)
  }

  @Test func enterAppliesExactlyWhatTheTitleCallsOn() throws {
    // B2: with values toggled, Enter applies them and nothing else, wherever the highlight is.
    var s = makeState(keys: "c", "Tab", "Down", "Down")
    let p = try #require(picker(s))
    #expect(PickerView.title(p).hasPrefix("Countries: 1 on"))
    let on = p.selection
    press(&s, "Enter")
    #expect(s.query[.country] == on)
    // Toggled on and off again: nothing on, and Enter applies nothing.
    s = makeState(keys: "c", "text:chy", "Tab", "S-Tab")
    #expect(picker(s)?.selection == FacetFilter())
    press(&s, "Enter")
    #expect(s.query == Query())
    #expect(s.results.count == Fixtures.bundled.count)
  }

  @Test func escCancelsAndLeavesTheQueryUnchanged() {
    var before = initial
    before.setQuery(Query(countries: ["US"]))
    var s = before
    press(&s, "c", "text:chy", "Tab", "Esc")
    var expected = before
    expected.message = "country filter unchanged"
    #expect(s == expected)
    #expect(s.query.countries == ["US"])

    s = before
    press(&s, "p", "text:raid", "Esc")
    expected.message = "person filter unchanged"
    #expect(s == expected)
  }

  @Test func thePickerOpensWithTheCurrentFilterTurnedOnAndListedFirst() throws {
    var before = initial
    before.setQuery(Query(countries: ["CY", "NO"]))
    var s = before
    press(&s, "c")
    let p = try #require(picker(s))
    #expect(p.selection.included == ["CY", "NO"])
    // The values on come first, so they can always be turned off (the review's rough edge 13).
    #expect(Set(p.entries.prefix(2).map(\.key)) == ["CY", "NO"])
    // Enter at once applies what is on; it does not swap the filter for the top row.
    press(&s, "Enter")
    var expected = before
    expected.message = "country filter unchanged"
    #expect(s == expected)
    // Typing (or moving) to a value and pressing Enter without toggling adds that value to those on:
    // Enter never drops what the title calls on (B2).
    s = before
    press(&s, "c", "text:denm", "Enter")
    #expect(s.query.countries == ["CY", "DK", "NO"])
    // Moving down reaches the other value on, and Enter changes nothing.
    s = before
    press(&s, "c", "Down", "Enter")
    #expect(s.query.countries == ["CY", "NO"])
    s = before
    press(&s, "c", "Down", "Down", "Enter")
    #expect(s.query.countries.count == 3)
  }

  @Test func aValueOnWithNoEventIsListedAndCanBeTurnedOff() throws {
    // B11: Japan has no event in the bundled case; given on the command line it is on, listed first,
    // found by typing, and can be turned off.
    var s = AppState(timeline: t, size: Fixtures.large, query: Query(countries: ["JP", "CY"]))
    press(&s, "c")
    var p = try #require(picker(s))
    #expect(Set(p.entries.prefix(2).map(\.key)) == ["JP", "CY"])
    #expect(p.entries.first { $0.key == "JP" }?.count == 0)
    press(&s, "text:jap")
    p = try #require(picker(s))
    #expect(p.visible.map { p.entries[$0].key } == ["JP"])
    press(&s, "Tab", "Enter")
    #expect(s.query.countries == ["CY"])
  }

  @Test func excludedValuesAreLeftOutAndShownAsNot() throws {
    var s = makeState(keys: "c", "text:united states", "C-x")
    let p = try #require(picker(s))
    #expect(p.selection == FacetFilter(excluded: ["US"]))
    #expect(PickerView.title(p).hasPrefix("Countries: 0 on, 1 excluded"))
    #expect(view(s).lines.contains { $0.contains("[-] not United States (US)") })
    press(&s, "Enter")
    #expect(s.query[.country] == FacetFilter(excluded: ["US"]))
    #expect(s.resultIDs == t.ids { !t.countryCodes(at: $0).contains("US") })
    #expect(view(s).lines[1].contains("Filters: country not United States (US)"))
    // The picker lists it among the values on, and its count is what it leaves out.
    press(&s, "c")
    let again = try #require(picker(s))
    #expect(again.entries.first?.key == "US")
    #expect(again.entries.first?.count == t.ids { t.countryCodes(at: $0).contains("US") }.count)
  }

  @Test(arguments: Facet.allCases)
  func everyFacetFiltersThroughItsPicker(_ facet: Facet) throws {
    var s = initial
    press(&s, Command.picker(facet).keyLabel)
    let p = try #require(picker(s))
    #expect(p.facet == facet)
    let top = try #require(p.highlightedEntry)
    press(&s, "Enter")
    #expect(s.query[facet] == FacetFilter(included: [top.key]))
    #expect(s.results.count == top.count, "the count the picker showed is what the filter leaves")
    #expect(s.results.count > 0 && s.results.count < t.count)
    #expect(s.results.allSatisfy { e in
      var has = false
      t.forEachValue(facet, ofEvent: Int(e)) { if t.key(facet, $0) == top.key { has = true } }
      return has
    })
    #expect(view(s).lines[1].contains("Filters: \(facet.name) "))
  }

  @Test func countryAndPersonGiveTheIntersection() {
    var s = initial
    press(&s, "c", "text:chy", "Enter", "p", "text:bridi", "Enter")
    var expected = applied(Query(countries: ["CY"]), typed: [("chy", .country), ("bridi", .person)])
    expected.rememberForUndo()
    expected.setQuery(Query(countries: ["CY"], people: ["george-bridi"]))
    #expect(s == expected)
    #expect(s.resultIDs == t.ids { t.countryCodes(at: $0).contains("CY") && t.hasPerson($0, "george-bridi") })
    #expect(s.resultIDs == ["2020-08-23-bridi-arrested-paphos", "2021-08-31-bridi-extradited"])
  }

  @Test func countsInThePickerAreUnderTheOtherFilters() throws {
    // With Cyprus on, the person picker counts events in Cyprus only.
    var s = initial
    press(&s, "c", "text:chy", "Enter", "p")
    let people = try #require(picker(s))
    for entry in people.entries {
      let expected = (0..<t.count).filter { t.countryCodes(at: $0).contains("CY") && t.hasPerson($0, entry.key) }.count
      #expect(entry.count == expected, "\(entry.key)")
    }
    let counts = Dictionary(uniqueKeysWithValues: people.entries.map { ($0.key, $0.count) })
    #expect(counts["george-bridi"] == 2)
    #expect(counts["jonatan-correa"] == 0)
    // Most events first; values with none go last.
    #expect(people.entries.first?.key == "george-bridi")
    #expect(people.entries.map(\.count) == people.entries.map(\.count).sorted(by: >))

    // The country picker does not count under its own facet: with Cyprus and Bridi on, it counts
    // Bridi's events in every country.
    press(&s, "Enter")  // applies Bridi (nothing toggled: the highlighted value)
    #expect(s.query == Query(countries: ["CY"], people: ["george-bridi"]))
    press(&s, "c")
    let countries = try #require(picker(s))
    for entry in countries.entries {
      let expected = (0..<t.count).filter { t.countryCodes(at: $0).contains(entry.key) && t.hasPerson($0, "george-bridi") }.count
      #expect(entry.count == expected, "\(entry.key)")
    }
    #expect(countries.entries.first { $0.key == "US" }?.count == t.ids { t.hasPerson($0, "george-bridi") && t.countryCodes(at: $0).contains("US") }.count)
    #expect(countries.selection.included == ["CY"])
  }

  @Test func pickerKeysMoveTheHighlightAndEditTheFilter() throws {
    var s = initial
    press(&s, "c")
    var p = try #require(picker(s))
    #expect(p.highlighted == 0)
    press(&s, "Down", "Down", "Up")
    p = try #require(picker(s))
    #expect(p.highlighted == 1)
    // Typing "q" narrows the list: in a picker q is text, not quit.
    #expect(press(&s, "text:qx").isEmpty)
    p = try #require(picker(s))
    #expect(p.filter == "qx")
    #expect(p.visible.isEmpty)
    press(&s, "Backspace", "Backspace")
    p = try #require(picker(s))
    #expect(p.filter == "" && p.visible.count == p.entries.count)
    // Enter on an empty match list applies nothing new.
    press(&s, "text:zzz", "Enter")
    #expect(s.query == Query())
  }

  @Test func aClickOutsideThePickerCancelsIt() {
    var s = makeState(keys: "c", "Tab")
    send(&s, .mouse(MouseEvent(.press, x: 0, y: 0)))
    #expect(s.overlay == nil)
    #expect(s.query == Query())
    #expect(s.message == "country filter unchanged")
  }

  @Test func aFilterWithNoEventSaysHowToClearIt() {
    var s = initial
    press(&s, "c", "text:chy", "Enter", "p", "text:raid", "Enter")
    #expect(s.results.isEmpty)
    #expect(s.message == "no event matches these filters; press x to clear them")
    press(&s, "x")
    #expect(s.results.count == 57)
    #expect(s.message == "filters cleared; u undoes it")
  }

  @Test func xClearsEveryFilterAndKeepsTheSelectedEvent() {
    var before = initial
    press(&before, "c", "text:chy", "Enter", "j")
    #expect(before.selectedID == "2020-08-26-country-count")
    var s = before
    #expect(press(&s, "x").isEmpty)
    var expected = before
    expected.rememberForUndo()
    expected.setQuery(Query())
    expected.message = "filters cleared; u undoes it"
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-26-country-count")
    #expect(s.selectionIsVisible)
  }

}
