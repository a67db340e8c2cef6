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

  @Test func typingNarrowsAndEnterAppliesTheHighlightedCountry() throws {
    var s = initial
    press(&s, "c", "text:chy")
    let p = try #require(picker(s))
    #expect(p.filter == "chy")
    #expect(p.visible.map { p.entries[$0].key } == ["CY"], "\"chy\" is the start of Chypre, Cyprus's French name")
    #expect(p.highlightedEntry?.label == "Cyprus (CY)")

    #expect(press(&s, "Enter").isEmpty)
    var expected = initial
    expected.setQuery(Query(countries: ["CY"]))
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

  @Test func spaceTogglesSeveralCountriesWhichCombineWithOr() throws {
    var s = initial
    press(&s, "c", "text:chy", "Space", "C-u", "text:norw", "Space")
    let p = try #require(picker(s))
    #expect(p.selection.included == ["CY", "NO"])
    #expect(p.toggled)
    press(&s, "Enter")
    var expected = initial
    expected.setQuery(Query(countries: ["CY", "NO"]))
    #expect(s == expected)
    let oracle = t.ids { t.countryCodes(at: $0).contains("CY") || t.countryCodes(at: $0).contains("NO") }
    #expect(s.resultIDs == oracle)
    #expect(oracle.count > 4)
  }

  @Test func spaceTwiceTurnsAValueOffAgain() throws {
    var s = initial
    press(&s, "c", "text:chy", "Space", "Space")
    #expect(try #require(picker(s)).selection.included.isEmpty)
    // Nothing chosen after toggling: Enter applies "no country filter".
    press(&s, "Enter")
    #expect(s.query == Query())
    #expect(s.results.count == 57)
  }

  @Test func escCancelsAndLeavesTheQueryUnchanged() {
    var before = initial
    before.setQuery(Query(countries: ["US"]))
    var s = before
    press(&s, "c", "text:chy", "Space", "Esc")
    var expected = before
    expected.message = "country filter unchanged"
    #expect(s == expected)
    #expect(s.query.countries == ["US"])

    s = before
    press(&s, "p", "text:raid", "Esc")
    expected.message = "person filter unchanged"
    #expect(s == expected)
  }

  @Test func thePickerOpensWithTheCurrentFilterTurnedOn() throws {
    var before = initial
    before.setQuery(Query(countries: ["CY", "NO"]))
    var s = before
    press(&s, "c")
    #expect(try #require(picker(s)).selection.included == ["CY", "NO"])
    // Enter at once applies what is on; it does not swap the filter for the top row (United States).
    press(&s, "Enter")
    #expect(s == before)
    #expect(s.query.countries == ["CY", "NO"])
    // Typing (or moving) to a value and pressing Enter without toggling adds that value to those on:
    // Enter never drops what the title calls on.
    s = before
    press(&s, "c", "text:denm", "Enter")
    #expect(s.query.countries == ["CY", "DK", "NO"])
    // The values on are listed first: moving down reaches the other one on, and Enter changes nothing.
    s = before
    press(&s, "c", "Down", "Enter")
    #expect(s.query.countries == ["CY", "NO"])
    s = before
    press(&s, "c", "Down", "Down", "Enter")
    #expect(s.query.countries.count == 3)
  }

  @Test func personPickerFindsCorreaByHisAlias() throws {
    var s = initial
    press(&s, "p", "text:raid")
    let p = try #require(picker(s))
    #expect(p.facet == .person)
    #expect(p.visible.map { p.entries[$0].key } == ["jonatan-correa"], "Raid is Correa's alias")
    press(&s, "Enter")
    var expected = initial
    expected.setQuery(Query(people: ["jonatan-correa"]))
    #expect(s == expected)
    #expect(s.resultIDs == t.ids { t.hasPerson($0, "jonatan-correa") })
    #expect(s.resultIDs.contains("2020-08-25-correa-arrested"))
    #expect(s.resultIDs.count == 6)
  }

  @Test func countryAndPersonGiveTheIntersection() {
    var s = initial
    press(&s, "c", "text:chy", "Enter", "p", "text:bridi", "Enter")
    var expected = initial
    expected.setQuery(Query(countries: ["CY"]))
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
    let first = p.highlightedEntry?.key
    press(&s, "Down", "Down", "Up")
    p = try #require(picker(s))
    #expect(p.highlighted == 1)
    press(&s, "End")
    p = try #require(picker(s))
    #expect(p.highlighted == p.visible.count - 1)
    press(&s, "Home")
    p = try #require(picker(s))
    #expect(p.highlightedEntry?.key == first)
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

  @Test func aFilterWithNoEventSaysHowToClearIt() {
    var s = initial
    press(&s, "c", "text:chy", "Enter", "p", "text:raid", "Enter")
    #expect(s.results.isEmpty)
    #expect(s.message == "no event matches these filters; press x to clear them")
    press(&s, "x")
    #expect(s.results.count == 57)
    #expect(s.message == "filters cleared")
  }

  @Test func xClearsEveryFilterAndKeepsTheSelectedEvent() {
    var before = initial
    press(&before, "c", "text:chy", "Enter", "j")
    #expect(before.selectedID == "2020-08-26-country-count")
    var s = before
    #expect(press(&s, "x").isEmpty)
    var expected = before
    expected.setQuery(Query())
    expected.message = "filters cleared"
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-26-country-count")
    #expect(s.selectionIsVisible)
  }

  @Test func changingFiltersRerunsAKeptSearch() throws {
    var s = initial
    press(&s, "/", "text:bridi", "Enter")
    let all = try #require(s.search).matches
    press(&s, "c", "text:chy", "Enter")
    let search = try #require(s.search)
    #expect(!search.pending)
    #expect(search.text == "bridi")
    #expect(search.matches == all.filter { s.results.contains($0) }, "the matches are those among the new results")
    #expect(!search.matches.isEmpty)
  }
}
