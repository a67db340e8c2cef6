import Testing
import TimelineCore
@testable import TimelineUI

/// `update` for every key of every command, on the bundled case at 120×40, comparing whole states: the
/// expected state is the state before the key with the fields the key should change set by hand.
///
/// Rows of the bundled list at 120×40 (33 list rows, so a page is 32 rows): row 0 is the 2011 heading,
/// rows 1–3 the three 2011 events, and so on; `AppState.allRowCursors` gives them all.
@Suite("update: every command's keys")
struct UpdateKeyTests {
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  /// The state with result `i` selected and scrolled to, as `update` would leave it.
  func selecting(_ i: Int, from base: AppState? = nil) -> AppState {
    var s = base ?? initial
    s.selected = i
    s.scrollToSelection()
    return s
  }

  /// Every command has a test below; a new command must get one.
  @Test func everyCommandIsTestedHere() {
    // The list's commands are tested in this file, the other scopes' in ScopedKeyTests, marks, notes,
    // sources, export, sessions and reloads in KeepAndShareTests.
    let tested: [Command] = [
      .moveDown, .moveUp, .top, .bottom, .pageDown, .pageUp, .halfPageDown, .halfPageUp,
      .previousYear, .nextYear, .previousEra, .nextEra, .goToDate, .brush,
      .countryPicker, .personPicker, .tagPicker, .confidencePicker, .eraPicker, .sourcePicker, .clearFilters, .undo,
      .search, .nextMatch, .previousMatch, .searchFilter,
      .toggleDetail, .toggleView, .back, .help, .quit, .redraw,
      // The timeline view's, in LanesKeyTests.
      .laneNext, .lanePrevious, .laneFirst, .laneLast, .laneDown, .laneUp, .lanePageDown, .lanePageUp,
      .zoomIn, .zoomOut, .panLeft, .panRight, .fitAll, .nextLaneFacet, .previousLaneFacet, .laneOrder,
      .detailDown, .detailUp, .detailPageDown, .detailPageUp, .detailHalfPageDown, .detailHalfPageUp, .detailTop, .detailBottom, .detailBack,
      .pickerToggle, .pickerToggleUp, .pickerExclude, .pickerDown, .pickerUp, .pickerPageDown, .pickerPageUp, .pickerApply, .pickerCancel,
      .pickerHistoryPrevious, .pickerHistoryNext,
      .cursorLeft, .cursorRight, .lineStart, .lineEnd, .deleteBackward, .deleteForward, .deleteWord, .deleteToStart, .deleteToEnd,
      .historyPrevious, .historyNext, .promptAccept, .promptCancel, .regexToggle,
      .helpDown, .helpUp, .helpPageDown, .helpPageUp, .helpTop, .helpBottom, .helpClose,
      // In KeepAndShareTests.
      .toggleMark, .nextMark, .previousMark, .markedOnly, .editNote, .export, .copySource, .copyWhat, .openSource,
      .reload, .showProblems, .resetSession,
      .choiceDown, .choiceUp, .choicePick, .choiceCancel,
      .noteNewLine, .noteUp, .noteDown, .noteSave, .noteCancel,
    ]
    #expect(Set(tested) == Set(Command.allCases))
    #expect(tested.count == Command.allCases.count)
  }

  @Test func initialState() {
    #expect(initial.selected == 0)
    #expect(initial.selectedID == "2011-disc-supply-roles")
    #expect(initial.list.top == RowCursor(result: 0, part: .year))
    #expect(initial.results.count == 57)
    #expect(initial.focus == .list && initial.overlay == nil && initial.search == nil && initial.message == nil)
  }

  // MARK: - Move

  @Test(arguments: Command.moveDown.keys)
  func moveDown(_ key: Key) {
    var before = initial
    before.detailScroll = 3
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = 1
    expected.detailScroll = 0  // a new event's detail starts at its top
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2011-sparks-conduct-begins")
    #expect(s.list.top == initial.list.top, "one row down does not scroll")
  }

  @Test(arguments: Command.moveDown.keys)
  func moveDownAtTheLastEventStays(_ key: Key) {
    let before = selecting(56)
    var s = before
    send(&s, .key(key))
    #expect(s == before)
    #expect(s.selectedID == "2022-02-07-bridi-sentenced")
  }

  @Test(arguments: Command.moveUp.keys)
  func moveUp(_ key: Key) {
    let before = selecting(5)
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = 4
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2019-12-aftenposten-activity-ends")
  }

  @Test(arguments: Command.moveUp.keys)
  func moveUpAtTheFirstEventStays(_ key: Key) {
    var s = initial
    send(&s, .key(key))
    #expect(s == initial)
  }

  @Test(arguments: Command.top.keys)
  func top(_ key: Key) {
    let before = selecting(56)
    #expect(before.list.top != initial.list.top)
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = 0
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.list.top == RowCursor(result: 0, part: .year), "the list shows its first row, the 2011 heading")
    #expect(s.selectedID == "2011-disc-supply-roles")
    #expect(s == initial)
  }

  @Test(arguments: Command.bottom.keys)
  func bottom(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.selected = 56
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2022-02-07-bridi-sentenced")
    #expect(s.visibleRows.last == RowCursor(result: 56, part: .event), "the last event is on the last row")
    #expect(s.visibleRows.count == 32, "the list is full, not stopped short")
  }

  @Test(arguments: Command.pageDown.keys)
  func pageDown(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    // The view moves a page (31 rows: the list is 32 rows high at 120×40) and the selection with it.
    var expected = initial
    expected.selected = initial.row(RowCursor(result: 0, part: .event), movedBy: 31).result
    expected.list.top = initial.row(initial.list.top, movedBy: 31)
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-25-servers-taken-down")
    #expect(s.list.top == RowCursor(result: 21, part: .event), "two rows of context above the selection")
  }

  @Test(arguments: Command.pageUp.keys)
  func pageUp(_ key: Key) {
    var before = initial
    send(&before, .key(.pageDown))
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = before.row(RowCursor(result: before.selected, part: .event), movedBy: -31).result
    expected.list.top = before.row(before.list.top, movedBy: -31)
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s == initial, "a page down then up comes back to the start")
  }

  @Test(arguments: Command.halfPageDown.keys)
  func halfPageDown(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.selected = initial.row(RowCursor(result: 0, part: .event), movedBy: 15).result
    expected.list.top = initial.row(initial.list.top, movedBy: 15)
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2020-07-le-monde-monthly-releases")
  }

  @Test(arguments: Command.halfPageUp.keys)
  func halfPageUp(_ key: Key) {
    var before = initial
    send(&before, .key(.ctrl("d")))
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = before.row(RowCursor(result: before.selected, part: .event), movedBy: -15).result
    expected.list.top = before.row(before.list.top, movedBy: -15)
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s == initial)
  }

  @Test(arguments: [Key.pageDown, .ctrl("f"), .char(" "), .ctrl("d")])
  func pagingDownStopsAtTheEnd(_ key: Key) {
    var s = initial
    for _ in 0..<10 { send(&s, .key(key)) }
    #expect(s == selecting(56))
  }

  // MARK: - Jump in time

  @Test(arguments: Command.nextYear.keys)
  func nextYear(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.selected = 3
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2016-09-investigation-begins")
    send(&s, .key(key))
    #expect(s.selectedID == "2019-12-aftenposten-activity-ends")
  }

  @Test(arguments: Command.nextYear.keys)
  func nextYearFromTheLastYear(_ key: Key) {
    let before = selecting(54)
    var s = before
    send(&s, .key(key))
    var expected = before
    expected.message = "no later year"
    #expect(s == expected)
  }

  @Test(arguments: Command.previousYear.keys)
  func previousYear(_ key: Key) {
    // Inside a year: its first event. At a year's first event: the previous year's first event.
    let before = selecting(30)  // 2020-08-26
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = 5
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2020-01-charged-period-ends")
    send(&s, .key(key))
    #expect(s.selectedID == "2019-12-aftenposten-activity-ends")
    send(&s, .key(key))
    #expect(s.selectedID == "2016-09-investigation-begins")
    send(&s, .key(key))
    #expect(s.selectedID == "2011-disc-supply-roles")
  }

  @Test(arguments: Command.previousYear.keys)
  func previousYearFromTheFirstYear(_ key: Key) {
    let before = selecting(1)
    var s = before
    send(&s, .key(key))
    #expect(s.selectedID == "2011-disc-supply-roles")
    send(&s, .key(key))
    var expected = selecting(0)
    expected.message = "no earlier year"
    #expect(s == expected)
  }

  @Test(arguments: Command.nextEra.keys)
  func nextEra(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.selected = 3
    expected.message = "era: The investigation"
    expected.scrollToSelection()
    #expect(s == expected)

    var visited: [String] = []
    var messages: [String?] = []
    for _ in 0..<4 {
      send(&s, .key(key))
      visited.append(s.selectedID)
      messages.append(s.message)
    }
    #expect(
      visited == [
        "2020-08-23-bridi-arrested-paphos", "2020-08-25-action-day", "2021-eve-warez-book", "2021-eve-warez-book",
      ])
    #expect(messages == ["era: The action week", "era: The Scene paralysis", "era: The court cases", "no later era"])
  }

  @Test(arguments: Command.previousEra.keys)
  func previousEra(_ key: Key) {
    let before = selecting(20)  // inside the Scene paralysis, which starts at index 10
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = 10
    expected.message = "era: The Scene paralysis"
    expected.scrollToSelection()
    #expect(s == expected)

    var visited: [String] = []
    var messages: [String?] = []
    for _ in 0..<4 {
      send(&s, .key(key))
      visited.append(s.selectedID)
      messages.append(s.message)
    }
    #expect(
      visited == [
        "2020-08-23-bridi-arrested-paphos", "2016-09-investigation-begins", "2011-disc-supply-roles", "2011-disc-supply-roles",
      ])
    #expect(messages == ["era: The action week", "era: The investigation", "era: The alleged conduct", "no earlier era"])
  }

  @Test(arguments: Command.goToDate.keys)
  func goToDateOpensThePrompt(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.overlay = .prompt(Prompt(kind: .goToDate))
    #expect(s == expected)
  }

  @Test(arguments: [
    ("2020", 5, "2020-01-charged-period-ends"),
    ("2020-08", 9, "2020-08-23-bridi-arrested-paphos"),
    ("2020-08-25", 10, "2020-08-25-action-day"),
    (" 2021-05 ", 49, "2021-05-19-correa-sentenced"),  // spaces around are ignored
  ])
  func goToDate(_ text: String, _ index: Int, _ id: String) {
    var s = initial
    send(&s, [.key(.char(":"))] + text.map { .key(.char($0)) })
    #expect(s.overlay == .prompt(Prompt(kind: .goToDate, text: text)))
    var expected = initial
    expected.history.add(text, .date)
    #expect(send(&s, .key(.enter)) == [.saveHistory(expected.history)], "the date is kept for the next time")
    expected.selected = index
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == id)
  }

  @Test func goToABadDateSaysSoAndStays() {
    var s = initial
    press(&s, ":", "text:2020-13", "Enter")
    var expected = initial
    expected.history.add("2020-13", .date)
    expected.message = s.message
    #expect(s == expected)
    #expect(s.message?.hasPrefix("not a date: ") == true, "message: \(String(describing: s.message))")
  }

  @Test func goToADateAfterTheLastEvent() {
    var s = initial
    press(&s, ":", "text:2030", "Enter")
    var expected = selecting(56)
    expected.history.add("2030", .date)
    expected.message = "no event on or after 2030; showing the last one"
    #expect(s == expected)
  }

  @Test func goToDatePromptEditing() {
    var s = initial
    press(&s, ":", "text:2019x", "Backspace")
    #expect(s.overlay == .prompt(Prompt(kind: .goToDate, text: "2019")))
    press(&s, "C-u")
    #expect(s.overlay == .prompt(Prompt(kind: .goToDate, text: "")))
    press(&s, "Esc")
    #expect(s == initial, "Esc closes the prompt without moving")
  }

  // MARK: - Filter

  @Test(arguments: Command.countryPicker.keys)
  func countryPicker(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.overlay = .picker(Picker(facet: .country, timeline: Fixtures.bundled, query: Query()))
    #expect(s == expected)
  }

  @Test(arguments: Command.personPicker.keys)
  func personPicker(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.overlay = .picker(Picker(facet: .person, timeline: Fixtures.bundled, query: Query()))
    #expect(s == expected)
  }

  @Test(arguments: [Command.tagPicker, .confidencePicker, .eraPicker, .sourcePicker])
  func everyFacetHasItsPicker(_ command: Command) throws {
    for key in command.keys {
      var s = initial
      #expect(send(&s, .key(key)).isEmpty)
      var expected = initial
      let facet = try #require(command.facet)
      expected.overlay = .picker(Picker(facet: facet, timeline: Fixtures.bundled, query: Query()))
      #expect(s == expected)
      guard case .picker(let p) = s.overlay else { continue }
      #expect(p.entries.count == Fixtures.bundled.usedValues(facet).count)
      #expect(p.entries.map(\.count) == p.entries.map(\.count).sorted(by: >), "most events first")
    }
  }

  @Test func aFacetTheTimelineDoesNotHaveSaysSo() throws {
    let json = #"{"title": "No eras", "description": "d", "sources": [{"id": "s", "title": "t", "publisher": "p", "date": "2020", "language": "en"}], "events": [{"id": "e", "date": "2020", "title": "t", "confidence": "confirmed", "sources": ["s"]}]}"#
    let t = try TimelineDecoder.decode(Array(json.utf8), fileName: "t.json")
    var s = AppState(timeline: t, size: Fixtures.large)
    press(&s, "e")
    #expect(s.overlay == nil && s.message == "this timeline has no eras")
    press(&s, "t")
    #expect(s.message == "this timeline has no tags")
  }

  @Test(arguments: Command.clearFilters.keys)
  func clearFiltersWithNone(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.message = "no filters to clear"
    #expect(s == expected)
  }

  @Test(arguments: Command.clearFilters.keys)
  func clearFilters(_ key: Key) {
    var before = initial
    before.setQuery(Query(countries: ["CY"]))
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.rememberForUndo()
    expected.setQuery(Query())
    expected.message = "filters cleared; u undoes it"
    #expect(s == expected)
    #expect(s.results.count == 57)
    #expect(s.selectedID == "2020-08-23-bridi-arrested-paphos", "the selected event stays selected")
  }

  @Test(arguments: Command.undo.keys)
  func undoTakesBackTheLastChange(_ key: Key) {
    // Five filters wiped by x come back with u, then the ones before them, then nothing.
    var q = Query(countries: ["US", "CY"], people: ["jonatan-correa"], from: TimelineDate(year: 2020))
    q[.confidence].excluded = ["rumoured"]
    q[.tag].included = ["arrest"]
    var before = initial
    before.setQuery(Query(countries: ["US"]))
    before.rememberForUndo()
    before.setQuery(q)
    var s = before
    press(&s, "x")
    #expect(s.query == Query())
    #expect(send(&s, .key(key)).isEmpty)
    #expect(s.query == q)
    #expect(s.results == before.results)
    #expect(s.message?.hasPrefix("undone: country CY or US · person Jonatan Correa") == true, "\(s.message ?? "")")
    send(&s, .key(key))
    #expect(s.query == Query(countries: ["US"]))
    send(&s, .key(key))
    #expect(s.message == "nothing to undo")
    #expect(s.query == Query(countries: ["US"]))
  }

  // MARK: - Search

  @Test(arguments: Command.search.keys)
  func searchOpensThePrompt(_ key: Key) {
    let before = selecting(7)
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.overlay = .prompt(Prompt(kind: .search(from: before.selectedEvent, previous: nil)))
    #expect(s == expected)
  }

  @Test(arguments: Command.nextMatch.keys + Command.previousMatch.keys)
  func matchKeysWithoutASearch(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.message = "no search; press / to search"
    #expect(s == expected)
  }

  @Test(arguments: Command.nextMatch.keys)
  func nextMatch(_ key: Key) {
    let before = makeState(keys: "/", "text:olathe", "Enter", "g")
    #expect(before.selected == 0 && before.search?.matches.count == 1)
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = 11
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-25-correa-arrested")
  }

  @Test(arguments: Command.previousMatch.keys)
  func previousMatch(_ key: Key) {
    let before = makeState(keys: "/", "text:olathe", "Enter", "G")
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.selected = 11
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-25-correa-arrested")
  }

  @Test(arguments: Command.searchFilter.keys)
  func searchFilterHidesWhatDoesNotMatchAndBack(_ key: Key) throws {
    let before = makeState(keys: "/", "text:bridi", "Enter")
    let search = try #require(before.search)
    #expect(!search.isFilter && before.results.count == 57)
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    #expect(s.search?.isFilter == true)
    #expect(s.results == search.matches.array)
    #expect(s.selectedEvent == before.selectedEvent, "the selected match stays selected")
    #expect(view(s).lines[1].contains("filter \"bridi\": match 1 of \(search.matches.count)"))
    #expect(s.message == "only the matches of \"bridi\"; & shows every event again")
    send(&s, .key(key))
    #expect(s.search?.isFilter == false && s.results.count == 57)
    #expect(view(s).lines[1].contains("search \"bridi\": match 1 of"))
    // Without a search it says what to do.
    var none = initial
    send(&none, .key(key))
    #expect(none.message == "no search to filter by; press / to search")
  }

  // MARK: - View

  @Test(arguments: Command.toggleDetail.keys)
  func toggleDetail(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.focus = .detail
    expected.scrollToSelection()
    #expect(s == expected)
    // Again: back to the list.
    send(&s, .key(key))
    #expect(s == initial)
  }

  @Test(arguments: Command.back.keys)
  func backDoesNothingOnAPlainList(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    #expect(s == initial)
  }

  @Test(arguments: Command.back.keys)
  func backLeavesTheDetailPane(_ key: Key) {
    var before = initial
    before.focus = .detail
    before.detailScroll = 4
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.focus = .list
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.detailScroll == 4, "the detail keeps its scroll for when it is focused again")
  }

  @Test(arguments: Command.back.keys)
  func backDropsAKeptSearch(_ key: Key) {
    let before = makeState(keys: "/", "text:olathe", "Enter")
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.rememberForUndo()
    expected.setSearch(nil)
    expected.message = "search dropped"
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-25-correa-arrested", "dropping a kept search does not move the selection")
  }

  @Test(arguments: Command.help.keys)
  func help(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.overlay = .help(scroll: 0)
    #expect(s == expected)
  }

  @Test(arguments: Command.quit.keys)
  func quit(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)) == [.quit])
    #expect(s == initial)
  }

  @Test(arguments: Command.redraw.keys)
  func redraw(_ key: Key) {
    var before = initial
    before.message = "kept"
    var s = before
    #expect(send(&s, .key(key)) == [.redraw])
    #expect(s == before, "a redraw repaints the same screen, message included")
  }

  @Test func ctrlCQuitsFromAnywhere() {
    for keys in [["?"], ["c"], ["/"], [":"], ["Enter"]] {
      var s = initial
      send(&s, keys.flatMap(keyActions))
      let before = s
      #expect(send(&s, .key(.ctrl("c"))) == [.quit], "after \(keys)")
      #expect(s == before)
    }
  }

  @Test func anUnboundKeySaysSo() {
    var s = initial
    #expect(send(&s, .key(.char("z"))).isEmpty)
    var expected = initial
    expected.message = "z does nothing here; press ? for help"
    #expect(s == expected)
    // The next key clears the message.
    send(&s, .key(.char("j")))
    #expect(s.message == nil)
  }

  @Test func movingWithNoResultsDoesNothing() {
    var before = initial
    before.setQuery(Query(countries: ["CY"], people: ["jonatan-correa"]))
    #expect(before.results.isEmpty)
    for key in [Key.char("j"), .char("k"), .char("G"), .pageDown, .char("]"), .char("}"), .char("n")] {
      var s = before
      send(&s, .key(key))
      #expect(s.results.isEmpty && s.selected == 0, "\(key)")
    }
    var s = before
    send(&s, .key(.enter))
    var expected = before
    expected.message = "no event to show"
    #expect(s == expected)
  }
}
