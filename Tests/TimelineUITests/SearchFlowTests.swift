import Testing
import TimelineCore
@testable import TimelineUI

/// `/` search: incremental while typing, kept with Enter, cycled with n / N, dropped with Esc.
@Suite("search")
struct SearchFlowTests {
  let t = Fixtures.bundled
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  /// What the search should match, from the core's query engine.
  func matches(_ text: String, in s: AppState) -> [UInt32] {
    var q = s.query
    q.text = text
    return t.evaluate(q)
  }

  @Test func typingJumpsToTheFirstMatchAndEnterKeepsIt() throws {
    var s = initial
    let effects = press(&s, "/", "text:olathe")
    #expect(effects.isEmpty)
    let correa = try #require(t.event(withID: "2020-08-25-correa-arrested"))
    var expected = initial
    expected.selected = 11
    expected.scrollToSelection()
    expected.overlay = .prompt(Prompt(kind: .search(originalSelection: 0, originalSearch: nil), text: "olathe"))
    expected.search = SearchState(text: "olathe", matches: [correa])
    expected.searchGeneration = 6  // one request per letter typed
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-25-correa-arrested")
    #expect(s.selectionIsVisible)

    press(&s, "Enter")
    expected.overlay = nil
    expected.history.add("olathe", .search)
    #expect(s == expected)
  }

  @Test func eachLetterAsksForASearchAndALateAnswerIsIgnored() throws {
    var s = initial
    let first = update(&s, .key(.char("/")))
    #expect(first.isEmpty)
    let effects = update(&s, .key(.char("o")))
    guard case .search(let request1)? = effects.first, effects.count == 1 else {
      Issue.record("expected one search effect, got \(effects)")
      return
    }
    #expect(request1.generation == 1 && request1.query.text == "o")
    #expect(s.search == SearchState(text: "o", matches: [], pending: true))
    let effects2 = update(&s, .key(.char("l")))
    guard case .search(let request2)? = effects2.first else {
      Issue.record("expected a search effect")
      return
    }
    #expect(request2.generation == 2 && request2.query.text == "ol")
    // The answer to "o" arrives after "ol" was asked for: ignored.
    let before = s
    #expect(update(&s, .searchFinished(request1.run(on: t, previous: nil))).isEmpty)
    #expect(s == before)
    #expect(update(&s, .searchFinished(request2.run(on: t, previous: nil))).isEmpty)
    #expect(s.search?.pending == false)
    #expect(s.search?.matches == matches("ol", in: initial))
  }

  @Test func nAndNCycleThroughTheMatchesAndWrap() throws {
    var s = initial
    press(&s, "/", "text:bridi", "Enter")
    let all = matches("bridi", in: s)
    #expect(all.count >= 3)
    #expect(try #require(s.search).matches == all)
    // The first match at or after the start (the first event mentions Bridi).
    #expect(s.selectedEvent == all[0])

    for k in 1..<all.count {
      press(&s, "n")
      #expect(s.selectedEvent == all[k])
      #expect(s.message == nil)
      #expect(s.selectionIsVisible)
    }
    let atLast = s
    press(&s, "n")
    var expected = atLast
    expected.selected = s.resultIndex(ofEvent: all[0])!
    expected.scrollToSelection()
    expected.message = "search wrapped to the first match"
    #expect(s == expected)

    press(&s, "N")
    expected = atLast
    expected.message = "search wrapped to the last match"
    #expect(s == expected)
    press(&s, "N")
    #expect(s.selectedEvent == all[all.count - 2])
    #expect(s.message == nil)
  }

  @Test func nWithASingleMatchWraps() {
    var s = initial
    press(&s, "/", "text:olathe", "Enter")
    let before = s
    press(&s, "n")
    var expected = before
    expected.message = "search wrapped to the first match"
    #expect(s == expected)
  }

  @Test func escDuringThePromptDropsTheSearchAndRestoresTheSelection() {
    let before = makeState(keys: "j", "j")
    var s = before
    press(&s, "/", "text:olathe")
    #expect(s.selectedID == "2020-08-25-correa-arrested")
    press(&s, "Esc")
    var expected = before
    expected.searchGeneration = before.searchGeneration + 6
    #expect(s == expected)
    #expect(s.search == nil && s.overlay == nil)
    #expect(s.selectedID == "2011-sparks-method")
  }

  @Test func escDuringANewSearchAlsoDropsTheKeptOne() {
    var s = initial
    press(&s, "/", "text:olathe", "Enter", "g", "/", "text:paphos", "Esc")
    #expect(s.search == nil)
    #expect(s.selected == 0)
  }

  @Test func aSearchWithNoMatchGoesBackAndSaysSo() {
    let before = makeState(keys: "j")
    var s = before
    press(&s, "/", "text:zzzqqq")
    #expect(s.selected == 1)
    #expect(s.search == SearchState(text: "zzzqqq", matches: []))
    press(&s, "Enter")
    var expected = before
    expected.search = SearchState(text: "zzzqqq", matches: [])
    expected.searchGeneration = 6
    expected.history.add("zzzqqq", .search)
    expected.message = "no match for \"zzzqqq\""
    #expect(s == expected)
  }

  @Test func erasingTheTextDropsTheSearch() {
    let before = makeState(keys: "j")
    var s = before
    press(&s, "/", "text:ol", "Backspace", "Backspace")
    #expect(s.search == nil)
    #expect(s.selected == 1)
    press(&s, "Enter")
    var expected = before
    expected.searchGeneration = 3  // "o", "ol", "o"; the empty text asks for nothing
    #expect(s == expected)
  }

  @Test func theSearchHighlightsButDoesNotFilter() {
    var s = initial
    press(&s, "/", "text:olathe", "Enter")
    #expect(s.results.count == 57)
    let text = view(s).text
    #expect(text.contains("▸*2020-08-25  ● Jonatan Correa arrested in Olathe, Kansas"))
    #expect(text.contains("search \"olathe\": 1 match"))
  }

  @Test func aSearchGivenAtLaunchIsKept() throws {
    let s = AppState(timeline: t, size: Fixtures.large, query: Query(text: "olathe"))
    #expect(s.query == Query())
    #expect(s.results.count == 57)
    #expect(s.search == SearchState(text: "olathe", matches: [try #require(t.event(withID: "2020-08-25-correa-arrested"))]))
    #expect(s.selectedID == "2020-08-25-correa-arrested")
    #expect(s.selectionIsVisible)
  }
}
