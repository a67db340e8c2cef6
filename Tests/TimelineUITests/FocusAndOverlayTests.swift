import Testing
import TimelineCore
@testable import TimelineUI

/// The detail pane's focus and scrolling, the help overlay, and what q and Esc close first.
@Suite("focus and overlays")
struct FocusAndOverlayTests {
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  @Test func qClosesTheHelpFirstThenQuits() {
    var s = initial
    press(&s, "?")
    #expect(s.overlay == .help(scroll: 0))
    #expect(press(&s, "q").isEmpty)
    #expect(s == initial)
    #expect(press(&s, "q") == [.quit])
  }

  @Test(arguments: ["q", "Esc", "?", "Enter"])
  func theHelpClosesWith(_ key: String) {
    var s = initial
    press(&s, "?", "j", key)
    #expect(s == initial)
  }

  @Test func theHelpScrollsWithinItsLength() {
    var s = initial
    press(&s, "?", "j", "j")
    #expect(s.overlay == .help(scroll: 2))
    press(&s, "k")
    #expect(s.overlay == .help(scroll: 1))
    press(&s, "G")
    let last: Int
    if case .help(let scroll) = s.overlay { last = scroll } else { last = -1 }
    #expect(last > 0)
    press(&s, "j", "PgDn")
    #expect(s.overlay == .help(scroll: last), "no scrolling past the end")
    press(&s, "g")
    #expect(s.overlay == .help(scroll: 0))
    press(&s, "k", "PgUp")
    #expect(s.overlay == .help(scroll: 0))
    // Keys that mean nothing in the help leave it open and the list alone.
    press(&s, "c", "x", "/")
    #expect(s.overlay == .help(scroll: 0))
    #expect(s.query == Query() && s.search == nil)
    // The last line of the help is reachable at 80×24.
    var small = AppState(timeline: Fixtures.bundled, size: Fixtures.medium)
    press(&small, "?", "G")
    #expect(view(small).text.contains("the selected event on the time strip"))
  }

  @Test func qInTheFullScreenDetailGoesBackToTheListThenQuits() {
    let before = AppState(timeline: Fixtures.bundled, size: Fixtures.small)
    var s = before
    press(&s, "Enter")
    #expect(Layout(state: s).detailPlacement == .fullScreen)
    #expect(press(&s, "q").isEmpty)
    #expect(s == before)
    #expect(press(&s, "q") == [.quit])
  }

  @Test func qInASideDetailQuits() {
    var s = initial
    press(&s, "Enter")
    #expect(press(&s, "q") == [.quit])
  }

  @Test func qInThePromptsIsText() {
    var s = initial
    #expect(press(&s, "/", "q").isEmpty)
    if case .prompt(let p) = s.overlay { #expect(p.text == "q") } else { Issue.record("the prompt closed") }
    s = initial
    #expect(press(&s, ":", "q").isEmpty)
    #expect(s.overlay == .prompt(Prompt(kind: .goToDate, text: "q")))
  }

  @Test func detailFocusScrollsTheDetailNotTheList() {
    var s = initial
    press(&s, "Enter")
    var expected = initial
    expected.focus = .detail
    expected.scrollToSelection()
    #expect(s == expected)

    press(&s, "j")
    expected.detailScroll = 1
    #expect(s == expected)
    press(&s, "Down", "j")
    expected.detailScroll = 3
    #expect(s == expected)
    press(&s, "k")
    expected.detailScroll = 2
    #expect(s == expected)
    press(&s, "g")
    expected.detailScroll = 0
    #expect(s == expected)
    press(&s, "k")
    #expect(s == expected, "no scrolling above the top")

    // G: the last page, with the "lines a–b of n" note on the pane's last row.
    press(&s, "G")
    let layout = Layout(state: s)
    let lineCount = DetailView.lines(s, width: layout.detail.width).count
    expected.detailScroll = lineCount - (layout.detail.height - 1)
    #expect(s == expected)
    #expect(view(s).lines[layout.detail.maxY - 1].contains("lines \(expected.detailScroll + 1)–\(lineCount) of \(lineCount)"))
    press(&s, "j", "PgDn", "C-d")
    #expect(s == expected, "no scrolling past the end")

    // Pages are the pane's height less one row; scrolling stops at both ends.
    let maxScroll = expected.detailScroll
    let page = layout.detail.height - 1
    func clamp(_ v: Int) -> Int { min(max(0, v), maxScroll) }
    press(&s, "C-u")
    expected.detailScroll = clamp(maxScroll - page / 2)
    #expect(s == expected)
    press(&s, "PgUp")
    expected.detailScroll = clamp(expected.detailScroll - page)
    #expect(s == expected)
    #expect(s.detailScroll == 0)
    press(&s, "C-d")
    expected.detailScroll = clamp(page / 2)
    #expect(s == expected)
    press(&s, "C-b")
    expected.detailScroll = 0
    #expect(s == expected)
    press(&s, "C-f")
    expected.detailScroll = clamp(page)
    #expect(s == expected)
    press(&s, "Space")
    expected.detailScroll = clamp(2 * page)
    #expect(s == expected)

    // Esc: back to the list, which has not moved.
    press(&s, "Esc")
    expected.focus = .list
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selected == 0)
  }

  @Test func listCommandsStillWorkFromTheDetail() {
    var s = initial
    press(&s, "Enter", "j", "]")
    #expect(s.focus == .detail)
    #expect(s.selectedID == "2016-09-investigation-begins")
    #expect(s.detailScroll == 0, "a new event starts at the top of its detail")
  }
}
