import Testing
import TimelineCore
@testable import TimelineUI

/// Every key of the scopes other than the list (the detail pane, a picker, a prompt, the help), on
/// the bundled case at 120×40, comparing whole states as UpdateKeyTests does.
@Suite("update: every key of the detail, picker, prompt and help scopes")
struct ScopedKeyTests {
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  func picker(_ s: AppState) -> Picker? {
    if case .picker(let p) = s.overlay { return p }
    return nil
  }

  func prompt(_ s: AppState) -> Prompt? {
    if case .prompt(let p) = s.overlay { return p }
    return nil
  }

  // MARK: - Detail

  /// The detail pane focused on the action day, whose text is longer than the pane.
  var detail: AppState {
    var s = initial
    s.selected = try! #require(s.resultIndex(ofID: "2020-08-25-action-day"))
    s.scrollToSelection()
    s.focus = .detail
    return s
  }

  var detailLines: Int { DetailView.lines(detail, width: Layout(state: detail).detail.width).count }
  var detailRoom: Int { Layout(state: detail).detail.height - 1 }

  @Test(arguments: Command.detailDown.keys)
  func detailDown(_ key: Key) {
    #expect(detailLines > detailRoom + 10, "the test needs a long detail")
    var s = detail
    #expect(send(&s, .key(key)).isEmpty)
    var expected = detail
    expected.detailScroll = 1
    #expect(s == expected)
    #expect(s.selected == detail.selected, "the list does not move")
  }

  @Test(arguments: Command.detailUp.keys)
  func detailUp(_ key: Key) {
    var before = detail
    before.detailScroll = 3
    var s = before
    send(&s, .key(key))
    #expect(s.detailScroll == 2)
    s.detailScroll = 0
    send(&s, .key(key))
    #expect(s.detailScroll == 0, "not above the top")
  }

  @Test(arguments: Command.detailPageDown.keys)
  func detailPageDown(_ key: Key) {
    var s = detail
    send(&s, .key(key))
    #expect(s.detailScroll == min(Layout(state: detail).detail.height - 1, detailLines - detailRoom))
    for _ in 0..<20 { send(&s, .key(key)) }
    #expect(s.detailScroll == detailLines - detailRoom, "not past the end")
  }

  @Test(arguments: Command.detailPageUp.keys)
  func detailPageUp(_ key: Key) {
    var before = detail
    before.detailScroll = detailLines - detailRoom
    var s = before
    send(&s, .key(key))
    #expect(s.detailScroll == max(0, before.detailScroll - (Layout(state: detail).detail.height - 1)))
  }

  @Test(arguments: Command.detailHalfPageDown.keys)
  func detailHalfPageDown(_ key: Key) {
    var s = detail
    send(&s, .key(key))
    #expect(s.detailScroll == (Layout(state: detail).detail.height - 1) / 2)
  }

  @Test(arguments: Command.detailHalfPageUp.keys)
  func detailHalfPageUp(_ key: Key) {
    var before = detail
    before.detailScroll = 20
    var s = before
    send(&s, .key(key))
    #expect(s.detailScroll == 20 - (Layout(state: detail).detail.height - 1) / 2)
  }

  @Test(arguments: Command.detailTop.keys)
  func detailTop(_ key: Key) {
    var before = detail
    before.detailScroll = 5
    var s = before
    send(&s, .key(key))
    #expect(s == detail)
  }

  @Test(arguments: Command.detailBottom.keys)
  func detailBottom(_ key: Key) {
    var s = detail
    send(&s, .key(key))
    var expected = detail
    expected.detailScroll = detailLines - detailRoom
    #expect(s == expected)
  }

  @Test(arguments: Command.detailBack.keys)
  func detailBack(_ key: Key) {
    var before = detail
    before.detailScroll = 4
    var s = before
    #expect(send(&s, .key(key)).isEmpty)
    var expected = before
    expected.focus = .list
    expected.scrollToSelection()
    #expect(s == expected)
  }

  @Test func theListsKeysWorkInTheDetailPane() {
    var s = detail
    press(&s, "c")
    #expect(picker(s)?.facet == .country)
    s = detail
    press(&s, "/")
    #expect(prompt(s) != nil)
  }

  // MARK: - Picker

  /// The country picker, opened with nothing on.
  var countries: AppState { makeState(keys: "c") }

  @Test(arguments: Command.pickerToggle.keys)
  func pickerToggle(_ key: Key) throws {
    var s = countries
    let first = try #require(picker(s)?.highlightedEntry?.key)
    #expect(send(&s, .key(key)).isEmpty)
    let p = try #require(picker(s))
    #expect(p.selection == FacetFilter(included: [first]))
    #expect(p.highlighted == 1, "and on to the next value, as fzf's Tab")
    #expect(p.toggled)
    // Back up and again: off.
    send(&s, .key(.up), .key(key))
    #expect(picker(s)?.selection == FacetFilter())
  }

  @Test(arguments: Command.pickerToggleUp.keys)
  func pickerToggleUp(_ key: Key) throws {
    var s = countries
    send(&s, .key(.down), .key(.down))
    let third = try #require(picker(s)?.highlightedEntry?.key)
    send(&s, .key(key))
    let p = try #require(picker(s))
    #expect(p.selection.included == [third])
    #expect(p.highlighted == 1)
  }

  @Test(arguments: Command.pickerExclude.keys)
  func pickerExclude(_ key: Key) throws {
    var s = countries
    let first = try #require(picker(s)?.highlightedEntry?.key)
    send(&s, .key(key))
    #expect(picker(s)?.selection == FacetFilter(excluded: [first]))
    #expect(picker(s)?.highlighted == 0, "excluding stays on the value")
    // Tab on an excluded value turns it on; Ctrl-X again on an excluded one turns it off.
    send(&s, .key(.tab))
    #expect(picker(s)?.selection == FacetFilter(included: [first]))
    send(&s, .key(.up), .key(key), .key(key))
    #expect(picker(s)?.selection == FacetFilter())
  }

  @Test(arguments: Command.pickerDown.keys)
  func pickerDown(_ key: Key) {
    var s = countries
    send(&s, .key(key), .key(key))
    #expect(picker(s)?.highlighted == 2)
    #expect(picker(s)?.selection == FacetFilter(), "moving turns nothing on")
  }

  @Test(arguments: Command.pickerUp.keys)
  func pickerUp(_ key: Key) {
    var s = countries
    send(&s, .key(.down), .key(.down), .key(key))
    #expect(picker(s)?.highlighted == 1)
    send(&s, .key(key), .key(key))
    #expect(picker(s)?.highlighted == 0, "not above the first")
  }

  @Test(arguments: Command.pickerPageDown.keys)
  func pickerPageDown(_ key: Key) throws {
    var s = makeState(size: Fixtures.medium, keys: "c")
    let h = PickerView.listHeight(s.size, try #require(picker(s)))
    send(&s, .key(key))
    let p = try #require(picker(s))
    #expect(p.highlighted == h - 1)
    #expect(p.scroll == 0, "the last row of the first page")
    for _ in 0..<10 { send(&s, .key(key)) }
    #expect(picker(s)?.highlighted == p.visible.count - 1)
  }

  @Test(arguments: Command.pickerPageUp.keys)
  func pickerPageUp(_ key: Key) throws {
    var s = makeState(size: Fixtures.medium, keys: "c", "PgDn", "PgDn")
    let before = try #require(picker(s)).highlighted
    let h = PickerView.listHeight(s.size, try #require(picker(s)))
    send(&s, .key(key))
    #expect(picker(s)?.highlighted == before - (h - 1))
  }

  @Test(arguments: Command.pickerApply.keys)
  func pickerApply(_ key: Key) {
    var s = countries
    send(&s, .key(.tab), .key(.tab))
    let on = picker(s)!.selection
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.rememberForUndo()
    expected.setQuery(Query(countries: on.included))
    #expect(s == expected)
    #expect(on.included.count == 2)
  }

  @Test(arguments: Command.pickerCancel.keys)
  func pickerCancel(_ key: Key) {
    var s = countries
    send(&s, .key(.tab))
    #expect(send(&s, .key(key)).isEmpty)
    var expected = initial
    expected.message = "country filter unchanged"
    #expect(s == expected)
  }

  @Test(arguments: Command.pickerHistoryPrevious.keys)
  func pickerHistoryPrevious(_ key: Key) throws {
    var s = initial
    press(&s, "c", "text:norw", "Enter", "c", "text:chy", "Enter")
    #expect(s.history.lines(.picker(.country)) == ["norw", "chy"])
    press(&s, "c", "text:fr")
    send(&s, .key(key))
    #expect(picker(s)?.filter == "chy")
    #expect(picker(s)?.visible.count == 1, "the recalled query narrows the list")
    send(&s, .key(key))
    #expect(picker(s)?.filter == "norw")
    send(&s, .key(key))
    #expect(picker(s)?.filter == "norw")
    #expect(s.message == "no earlier query")
    // Another facet's picker has its own history.
    press(&s, "Esc", "p")
    send(&s, .key(key))
    #expect(picker(s)?.filter == "")
  }

  @Test(arguments: Command.pickerHistoryNext.keys)
  func pickerHistoryNext(_ key: Key) {
    var s = initial
    press(&s, "c", "text:norw", "Enter", "c", "text:chy", "Enter", "c", "text:fr", "C-p", "C-p")
    #expect(picker(s)?.filter == "norw")
    send(&s, .key(key))
    #expect(picker(s)?.filter == "chy")
    send(&s, .key(key))
    #expect(picker(s)?.filter == "fr", "past the newest: what was being typed")
    send(&s, .key(key))
    #expect(s.message == "no later query")
  }

  // MARK: - Prompt (the `:` prompt, and a picker's query line)

  /// The `:` prompt holding "2020-08" with the cursor at its end.
  var datePrompt: AppState { makeState(keys: ":", "text:2020-08") }

  func promptText(_ s: AppState) -> (String, Int)? { prompt(s).map { ($0.editor.text, $0.editor.cursor) } }

  @Test(arguments: Command.cursorLeft.keys)
  func cursorLeft(_ key: Key) {
    var s = datePrompt
    send(&s, .key(key), .key(key), .key(.char("X")))
    #expect(promptText(s)! == ("2020-X08", 6))
    for _ in 0..<10 { send(&s, .key(key)) }
    #expect(promptText(s)!.1 == 0)
  }

  @Test(arguments: Command.cursorRight.keys)
  func cursorRight(_ key: Key) {
    var s = datePrompt
    send(&s, .key(.home), .key(key), .key(.char("X")))
    #expect(promptText(s)! == ("2X020-08", 2))
    for _ in 0..<10 { send(&s, .key(key)) }
    #expect(promptText(s)!.1 == 8)
  }

  @Test(arguments: Command.lineStart.keys)
  func lineStart(_ key: Key) {
    var s = datePrompt
    send(&s, .key(key), .key(.char("~")))
    #expect(promptText(s)! == ("~2020-08", 1))
  }

  @Test(arguments: Command.lineEnd.keys)
  func lineEnd(_ key: Key) {
    var s = datePrompt
    send(&s, .key(.home), .key(key), .key(.char("~")))
    #expect(promptText(s)! == ("2020-08~", 8))
  }

  @Test(arguments: Command.deleteBackward.keys)
  func deleteBackward(_ key: Key) {
    var s = datePrompt
    send(&s, .key(.left), .key(key))
    #expect(promptText(s)! == ("2020-8", 5))
    send(&s, .key(.home), .key(key))
    #expect(promptText(s)! == ("2020-8", 0), "nothing before the start")
  }

  @Test(arguments: Command.deleteForward.keys)
  func deleteForward(_ key: Key) {
    var s = datePrompt
    send(&s, .key(.home), .key(key))
    #expect(promptText(s)! == ("020-08", 0))
    send(&s, .key(.end), .key(key))
    #expect(promptText(s)! == ("020-08", 6), "nothing after the end")
  }

  @Test(arguments: Command.deleteWord.keys)
  func deleteWord(_ key: Key) {
    var s = makeState(keys: "/", "text:raid arrest  ")
    send(&s, .key(key))
    #expect(promptText(s)! == ("raid ", 5), "the spaces, then the word before them, as readline")
    #expect(s.search?.text == "raid ", "the search follows the text")
    send(&s, .key(key))
    #expect(promptText(s)! == ("", 0))
  }

  @Test(arguments: Command.deleteToStart.keys)
  func deleteToStart(_ key: Key) {
    var s = datePrompt
    send(&s, .key(.left), .key(.left), .key(key))
    #expect(promptText(s)! == ("08", 0))
  }

  @Test(arguments: Command.deleteToEnd.keys)
  func deleteToEnd(_ key: Key) {
    var s = datePrompt
    send(&s, .key(.home), .key(.right), .key(.right), .key(key))
    #expect(promptText(s)! == ("20", 2))
  }

  @Test(arguments: Command.historyPrevious.keys)
  func historyPrevious(_ key: Key) {
    var s = initial
    press(&s, ":", "text:2016", "Enter", ":", "text:2020-08", "Enter", ":", "text:19")
    send(&s, .key(key))
    #expect(promptText(s)! == ("2020-08", 7))
    send(&s, .key(key))
    #expect(promptText(s)! == ("2016", 4))
    send(&s, .key(key))
    #expect(s.message == "no earlier entry")
    // The search prompt has its own history.
    press(&s, "Esc", "/")
    send(&s, .key(key))
    #expect(promptText(s)! == ("", 0))
  }

  @Test(arguments: Command.historyNext.keys)
  func historyNext(_ key: Key) {
    var s = initial
    press(&s, "/", "text:olathe", "Enter", "/", "text:paphos", "Enter", "/", "text:bri", "Up", "Up")
    #expect(promptText(s)!.0 == "olathe")
    #expect(s.search?.text == "olathe", "a recalled search runs")
    send(&s, .key(key))
    #expect(promptText(s)!.0 == "paphos")
    send(&s, .key(key))
    #expect(promptText(s)!.0 == "bri")
    send(&s, .key(key))
    #expect(s.message == "no later entry")
  }

  @Test(arguments: Command.promptAccept.keys)
  func promptAccept(_ key: Key) {
    var s = datePrompt
    var expected = initial
    expected.history.add("2020-08", .date)
    #expect(send(&s, .key(key)) == [.saveHistory(expected.history)])
    #expect(s.overlay == nil)
    #expect(s.selectedID == "2020-08-23-bridi-arrested-paphos")
  }

  @Test(arguments: Command.promptCancel.keys)
  func promptCancel(_ key: Key) {
    var s = datePrompt
    #expect(send(&s, .key(key)).isEmpty)
    #expect(s == initial, "nothing kept, nothing moved")
  }

  @Test(arguments: Command.regexToggle.keys)
  func regexToggle(_ key: Key) {
    var s = makeState(keys: "/", "text:ol.the")
    #expect(s.search?.matches == [], "as words, the dot is a dot")
    send(&s, .key(key))
    #expect(prompt(s)?.regex == true)
    #expect(s.search?.regex == true && s.search?.matches.count == 1, "a changed mode searches again")
    send(&s, .key(key))
    #expect(prompt(s)?.regex == false && s.search?.matches == [])
    // Only searches have it.
    s = makeState(keys: ":", "text:2020")
    send(&s, .key(key))
    #expect(s.message == "Ctrl-R is for searches")
  }

  @Test func aPickersQueryEditsAsAPromptAndTakesSpaces() throws {
    // B3: a space is typed, so names with spaces can be found.
    var s = makeState(keys: "c", "text:coree du")
    var p = try #require(picker(s))
    #expect(p.filter == "coree du")
    #expect(p.visible.map { p.entries[$0].key } == ["KR"], "Corée du Sud, South Korea's French name")
    #expect(p.selection == FacetFilter(), "the space toggled nothing")
    s = makeState(keys: "p", "text:correa jon")
    p = try #require(picker(s))
    #expect(p.visible.map { p.entries[$0].key } == ["jonatan-correa"])
    // ←, a character, Ctrl-A, Ctrl-K: as in a prompt.
    press(&s, "Left", "Left", "Left", "Left", "text:X")
    #expect(picker(s)?.query.text == "correaX jon")
    press(&s, "C-a", "C-k")
    #expect(picker(s)?.query.text == "" && picker(s)?.visible.count == picker(s)?.entries.count)
  }

  // MARK: - Help

  var helpOpen: AppState { makeState(keys: "?") }
  var helpMax: Int { max(0, HelpView.lines(Fixtures.large).count - HelpView.bodyHeight(Fixtures.large)) }

  @Test(arguments: Command.helpDown.keys)
  func helpDown(_ key: Key) {
    var s = helpOpen
    send(&s, .key(key))
    #expect(s.overlay == .help(scroll: 1))
  }

  @Test(arguments: Command.helpUp.keys)
  func helpUp(_ key: Key) {
    var s = makeState(keys: "?", "j", "j")
    send(&s, .key(key))
    #expect(s.overlay == .help(scroll: 1))
  }

  @Test(arguments: Command.helpPageDown.keys)
  func helpPageDown(_ key: Key) {
    var s = helpOpen
    send(&s, .key(key))
    #expect(s.overlay == .help(scroll: min(helpMax, HelpView.bodyHeight(Fixtures.large) - 1)))
  }

  @Test(arguments: Command.helpPageUp.keys)
  func helpPageUp(_ key: Key) {
    var s = makeState(keys: "?", "G")
    send(&s, .key(key))
    #expect(s.overlay == .help(scroll: max(0, helpMax - HelpView.bodyHeight(Fixtures.large) + 1)))
  }

  @Test(arguments: Command.helpTop.keys)
  func helpTop(_ key: Key) {
    var s = makeState(keys: "?", "G")
    send(&s, .key(key))
    #expect(s.overlay == .help(scroll: 0))
  }

  @Test(arguments: Command.helpBottom.keys)
  func helpBottom(_ key: Key) {
    var s = helpOpen
    send(&s, .key(key))
    #expect(s.overlay == .help(scroll: helpMax))
    #expect(helpMax > 0)
  }

  @Test(arguments: Command.helpClose.keys)
  func helpClose(_ key: Key) {
    var s = makeState(keys: "?", "j")
    #expect(send(&s, .key(key)).isEmpty)
    #expect(s == initial)
  }
}
