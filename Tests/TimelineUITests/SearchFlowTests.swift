import Testing
import TimelineCore
@testable import TimelineUI

/// `/` search: incremental while typing, kept with Enter, cycled with n / N, cancelled with Esc, turned
/// into a filter with &, its matched words marked on screen.
@Suite("search")
struct SearchFlowTests {
  let t = Fixtures.bundled
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  /// What the search should match among the state's filtered events, from the core's query engine.
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
    expected.overlay = .prompt(Prompt(kind: .search(from: initial.selectedEvent, previous: nil), text: "olathe"))
    expected.search = SearchState(text: "olathe", textMatches: [correa], matches: [correa])
    expected.searchGeneration = 6  // one request per letter typed
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-25-correa-arrested")
    #expect(s.selectionIsVisible)

    press(&s, "Enter")
    expected.overlay = nil
    expected.history.add("olathe", .search)
    expected.undoStack = [AppState.Snapshot(query: Query(), search: nil)]
    #expect(s == expected)
  }

  @Test func eachLetterAsksForASearchOfTheWholeTimelineAndALateAnswerIsIgnored() throws {
    var s = initial
    press(&s, "c", "text:chy", "Enter")
    let first = update(&s, .key(.char("/")))
    #expect(first.isEmpty)
    let effects = update(&s, .key(.char("o")))
    guard case .search(let request1)? = effects.first, effects.count == 1 else {
      Issue.record("expected one search effect, got \(effects)")
      return
    }
    // The text alone: the filters are applied to its answer, so a filter change needs no new search.
    #expect(request1.generation == 1 && request1.query == Query(text: "o"))
    #expect(s.search == SearchState(text: "o", pending: true))
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
    #expect(s.search?.textMatches.array == t.evaluate(Query(text: "ol")))
    #expect(s.search?.matches.array == matches("ol", in: s))
  }

  @Test func aFilterChangeKeepsTheSearchWithoutSearchingAgain() throws {
    var s = makeState(keys: "/", "text:bridi", "Enter")
    let all = try #require(s.search).matches
    #expect(press(&s, "c", "text:chy", "Enter") == [.saveHistory(s.history)])
    let search = try #require(s.search)
    #expect(!search.pending)
    #expect(search.matches.array == all.filter { s.results.contains($0) }, "the matches among the new results")
    #expect(!search.matches.isEmpty && search.matches.count < all.count)
  }

  @Test func nAndNCycleThroughTheMatchesAndWrap() throws {
    var s = initial
    press(&s, "/", "text:bridi", "Enter")
    let all = matches("bridi", in: s)
    #expect(all.count >= 3)
    #expect(try #require(s.search).matches.array == all)
    // The first match at or after the start (the first event mentions Bridi).
    #expect(s.selectedEvent == all[0])

    for k in 1..<all.count {
      press(&s, "n")
      #expect(s.selectedEvent == all[k])
      #expect(s.message == nil)
      #expect(s.selectionIsVisible)
      #expect(view(s).lines[1].contains("match \(k + 1) of \(all.count)"))
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

  @Test func escDuringThePromptCancelsTheSearchAndRestoresTheSelection() {
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

  @Test func escDuringANewSearchBringsBackTheKeptOne() throws {
    var s = initial
    press(&s, "/", "text:olathe", "Enter", "g")
    let kept = try #require(s.search)
    press(&s, "/", "text:paphos", "Esc")
    #expect(s.search == kept)
    #expect(s.selected == 0)
  }

  @Test func aSearchWithNoMatchGoesBackAndSaysSo() {
    let before = makeState(keys: "j")
    var s = before
    press(&s, "/", "text:zzzqqq")
    #expect(s.selected == 1)
    #expect(s.search == SearchState(text: "zzzqqq"))
    press(&s, "Enter")
    var expected = before
    expected.search = SearchState(text: "zzzqqq")
    expected.searchGeneration = 6
    expected.history.add("zzzqqq", .search)
    expected.undoStack = [AppState.Snapshot(query: Query(), search: nil)]
    expected.message = "no match for \"zzzqqq\""
    #expect(s == expected)
    // The footer offers what still does something: & (an empty list, undoable), not n/N.
    let footer = view(s).lines.last ?? ""
    #expect(footer.contains("& filter") && !footer.contains("n/N"), "\(footer)")
    press(&s, "/", "text:bridi", "Enter")
    #expect((view(s).lines.last ?? "").contains("n/N next/prev"))
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
    #expect(text.contains("search \"olathe\": match 1 of 1"))
  }

  /// The columns of `word` on row `y` whose cells are bold and underlined (the search's marking).
  func marked(_ b: Buffer, row y: Int, _ word: String) -> Bool? {
    let line = b.lines[y]
    guard let r = line.range(of: word) else { return nil }
    let x = line.distance(from: line.startIndex, to: r.lowerBound)
    return (x..<x + word.count).allSatisfy { b[$0, y].style.bold && b[$0, y].style.underline }
  }

  @Test func theMatchedWordsAreMarkedInTheListAndTheDetail() throws {
    // "paphos" is in the title of Bridi's arrest and in its summary; "Jonatan" in a person's name.
    var s = initial
    press(&s, "/", "text:paphos", "Enter", "j")
    let b = view(s)
    let row = try #require(b.lines.firstIndex { $0.contains("George Bridi arrested in Paphos") })
    #expect(marked(b, row: row, "Paphos") == true)
    #expect(marked(b, row: row, "Bridi") == false, "only what matched")
    // The detail pane of a match marks it too.
    press(&s, "k")
    let d = view(s)
    let layout = Layout(state: s)
    let detailRows = (layout.detail.y..<layout.detail.maxY).filter { d.lines[$0].contains("Paphos") }
    #expect(!detailRows.isEmpty)
    #expect(detailRows.allSatisfy { marked(d, row: $0, "Paphos") == true })
    // A search by a person's name marks the name in the detail, and a written date the row's date.
    s = makeState(keys: "/", "text:2020-08-23", "Enter")
    let dated = view(s)
    let dateRow = try #require(dated.lines.firstIndex { $0.contains("▸*2020-08-23") })
    #expect(marked(dated, row: dateRow, "2020-08-23") == true)
  }

  @Test func aSearchGivenAtLaunchFiltersAsListDoes() throws {
    // B7: `--search` means the same in `list` and in the explorer; & shows every event again.
    var s = AppState(timeline: t, size: Fixtures.large, query: Query(text: "olathe"))
    let correa = try #require(t.event(withID: "2020-08-25-correa-arrested"))
    #expect(s.query == Query())
    #expect(s.search == SearchState(text: "olathe", isFilter: true, textMatches: [correa], matches: [correa]))
    #expect(s.results == [correa])
    #expect(s.resultIDs == t.ids(t.evaluate(Query(text: "olathe"), textSearch: .scan)))
    #expect(view(s).lines[1].contains("filter \"olathe\": match 1 of 1"))
    press(&s, "&")
    #expect(s.results.count == 57)
    #expect(s.selectedID == "2020-08-25-correa-arrested")
  }

  @Test func ctrlRSearchesWithARegularExpression() throws {
    var s = initial
    press(&s, "/", "C-r", "text:ol.the")
    guard case .prompt(let p) = s.overlay else { throw Missing() }
    #expect(p.regex)
    #expect(view(s).lines.last?.hasPrefix("regex /ol.the") == true)
    #expect(s.search?.regex == true && s.search?.matches.count == 1)
    press(&s, "Enter")
    #expect(view(s).lines[1].contains("search regex \"ol.the\": match 1 of 1"))
    // The next search starts in the same mode; an expression that does not compile says so, and
    // matches nothing.
    press(&s, "/", "text:(")
    #expect(view(s).lines.last?.hasPrefix("regex /(") == true)
    #expect(s.search?.matches == [])
    #expect(view(s).lines.last?.contains("invalid regular expression") == true)
  }

  @Test func xClearsASearchUsedAsAFilterAndUBringsItBack() throws {
    var s = AppState(timeline: t, size: Fixtures.large, query: Query(countries: ["US"], text: "correa"))
    let before = s
    press(&s, "x")
    #expect(s.search == nil && s.query == Query() && s.results.count == 57)
    #expect(s.message == "filters cleared (and the search); u undoes it")
    press(&s, "u")
    #expect(s.query == before.query && s.search == before.search && s.results == before.results)
  }

  struct Missing: Error {}
}

extension Timeline {
  func ids(_ events: [UInt32]) -> [String] { events.map { id(at: Int($0)) } }
}
