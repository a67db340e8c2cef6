import Testing
import TimelineCore
@testable import TimelineUI

/// Resizing and the mouse.
@Suite("resize and mouse")
struct ResizeAndMouseTests {
  let initial = AppState(timeline: Fixtures.bundled, size: Fixtures.large)

  // MARK: - Resize

  @Test(arguments: [
    Size(width: 80, height: 24), Size(width: 40, height: 10), Size(width: 200, height: 60), Size(width: 100, height: 12),
    Size(width: 99, height: 23),
  ])
  func resizingKeepsTheSelectionVisible(_ size: Size) {
    for start in [0, 20, 30, 54] {
      var before = initial
      before.selected = start
      before.scrollToSelection()
      var s = before
      #expect(send(&s, .resized(size)).isEmpty)
      var expected = before
      expected.size = size
      expected.scrollToSelection()
      #expect(s == expected, "\(size), event \(start)")
      #expect(s.selected == start)
      #expect(s.selectionIsVisible, "\(size), event \(start)")
      // And the screen shows it: the ▸ row holds the selected event's date.
      let row = view(s).lines.first { $0.hasPrefix("▸") }
      #expect(row?.contains(s.timeline.date(at: Int(s.selectedEvent!)).description) == true, "\(size), event \(start)")
    }
  }

  @Test func resizingBackAndForthKeepsTheSelection() {
    var s = initial
    press(&s, ":", "text:2020-08-26", "Enter")
    let id = s.selectedID
    for size in [Fixtures.medium, Fixtures.small, Size(width: 30, height: 8), Fixtures.large] {
      send(&s, .resized(size))
      #expect(s.selectedID == id)
      if !Layout(state: s).tooSmall { #expect(s.selectionIsVisible, "\(size)") }
    }
  }

  @Test func resizingClampsTheDetailScroll() {
    var s = initial
    press(&s, "Enter", "G")
    let deep = s.detailScroll
    #expect(deep > 0)
    send(&s, .resized(Size(width: 200, height: 60)))
    let layout = Layout(state: s)
    let lines = DetailView.lines(s, width: layout.detail.width).count
    #expect(s.detailScroll == max(0, lines - max(1, layout.detail.height - 1)) || lines <= layout.detail.height && s.detailScroll == 0)
    #expect(s.detailScroll < deep)
  }

  @Test func aTooSmallTerminalOnlyQuits() {
    var s = initial
    send(&s, .resized(Size(width: 39, height: 10)))
    #expect(Layout(state: s).tooSmall)
    let before = s
    for key in ["j", "G", "c", "/", "?", "Enter", "Esc", "x"] {
      #expect(press(&s, key).isEmpty)
      #expect(s == before, "\(key) does nothing while the terminal is too small")
    }
    #expect(send(&s, .mouse(MouseEvent(.press, x: 5, y: 5))).isEmpty)
    #expect(s == before)
    #expect(press(&s, "q") == [.quit])
  }

  // MARK: - Mouse

  /// At 120×40 the list starts on row 7 (2 header rows, 5 time strip rows) and is 66 columns wide.
  let listY = 7

  @Test func clickOnAListRowSelectsThatEvent() {
    var s = initial
    // Row 18 of the list is George Bridi's arrest (see UpdateKeyTests).
    #expect(send(&s, .mouse(MouseEvent(.press, x: 20, y: listY + 18))).isEmpty)
    var expected = initial
    expected.selected = 9
    expected.scrollToSelection()
    #expect(s == expected)
    #expect(s.selectedID == "2020-08-23-bridi-arrested-paphos")
    #expect(view(s).lines[listY + 18].hasPrefix("▸ 2020-08-23"), "the clicked row is the selected row, without scrolling")
  }

  @Test func clickOnAHeadingSelectsTheEventUnderIt() {
    var s = initial
    send(&s, .mouse(MouseEvent(.press, x: 3, y: listY + 4)))  // the 2016 heading
    #expect(s.selectedID == "2016-09-investigation-begins")
  }

  @Test func clickBelowTheLastRowOrOnTheHeaderDoesNothing() {
    var s = initial
    send(&s, .mouse(MouseEvent(.press, x: 5, y: 0)))
    send(&s, .mouse(MouseEvent(.press, x: 5, y: 39)))
    #expect(s == initial)
  }

  @Test func clickInTheDetailFocusesIt() {
    var s = initial
    send(&s, .mouse(MouseEvent(.press, x: 100, y: 10)))
    var expected = initial
    expected.focus = .detail
    #expect(s == expected)
    // A click back in the list focuses the list and selects.
    send(&s, .mouse(MouseEvent(.press, x: 10, y: listY + 2)))
    expected.focus = .list
    expected.selected = 1
    expected.scrollToSelection()
    #expect(s == expected)
  }

  @Test func nothingHappensWhenTheMouseIsOff() {
    let before = AppState(timeline: Fixtures.bundled, size: Fixtures.large, mouseEnabled: false)
    for event in [
      MouseEvent(.press, x: 20, y: listY + 16), MouseEvent(.wheelDown, x: 20, y: listY + 3),
      MouseEvent(.wheelUp, x: 100, y: 10), MouseEvent(.press, x: 100, y: 10),
    ] {
      var s = before
      #expect(send(&s, .mouse(event)).isEmpty)
      #expect(s == before, "\(event)")
    }
  }

  @Test func theWheelMovesTheSelectionInTheList() {
    var s = initial
    send(&s, .mouse(MouseEvent(.wheelDown, x: 20, y: listY + 3)))
    var expected = initial
    expected.selected = 3
    expected.scrollToSelection()
    #expect(s == expected)
    send(&s, .mouse(MouseEvent(.wheelUp, x: 20, y: listY + 3)))
    #expect(s == initial)
    send(&s, .mouse(MouseEvent(.wheelUp, x: 20, y: listY + 3)))
    #expect(s == initial, "no scrolling above the first event")
  }

  @Test func theWheelScrollsTheDetailPane() {
    var s = initial
    send(&s, .mouse(MouseEvent(.wheelDown, x: 100, y: 10)))
    var expected = initial
    expected.detailScroll = 3
    #expect(s == expected)
    send(&s, .mouse(MouseEvent(.wheelUp, x: 100, y: 10)), .mouse(MouseEvent(.wheelUp, x: 100, y: 10)))
    expected.detailScroll = 0
    #expect(s == expected)
  }

  @Test func theWheelScrollsTheHelp() {
    var s = initial
    press(&s, "?")
    send(&s, .mouse(MouseEvent(.wheelDown, x: 60, y: 20)))
    #expect(s.overlay == .help(scroll: 1))
    send(&s, .mouse(MouseEvent(.wheelUp, x: 60, y: 20)))
    #expect(s.overlay == .help(scroll: 0))
    // A click in the help does nothing (and does not reach the list underneath).
    send(&s, .mouse(MouseEvent(.press, x: 10, y: listY + 16)))
    #expect(s.overlay == .help(scroll: 0) && s.selected == 0)
  }

  @Test func clickInAPickerTogglesTheValue() throws {
    var s = initial
    press(&s, "c")
    guard case .picker(let p) = s.overlay else { throw PickerMissing() }
    let frame = PickerView.frame(s.size, p)
    // The third row of values.
    send(&s, .mouse(MouseEvent(.press, x: frame.x + 10, y: PickerView.listTop(frame) + 2)))
    guard case .picker(let after) = s.overlay else { throw PickerMissing() }
    #expect(after.highlighted == 2)
    #expect(after.selection.included == [p.entries[p.visible[2]].key])
    press(&s, "Enter")
    #expect(s.query.countries == [p.entries[p.visible[2]].key])
  }

  /// Rough edge 15 of the review: a click beside the picker left it open.
  @Test func aClickOutsideAPickerClosesItLeavingTheFilters() throws {
    var s = initial
    press(&s, "c")
    press(&s, "Tab")
    guard case .picker(let p) = s.overlay else { throw PickerMissing() }
    let frame = PickerView.frame(s.size, p)
    send(&s, .mouse(MouseEvent(.press, x: frame.x - 2, y: frame.y + 3)))
    #expect(s.overlay == nil)
    #expect(s.query == initial.query, "what was toggled is dropped, as Esc drops it")
    #expect(s.message == "country filter unchanged")
  }

  @Test func aClickDuringAPromptDoesNothing() {
    var s = initial
    press(&s, "/")
    let before = s
    send(&s, .mouse(MouseEvent(.press, x: 20, y: listY + 16)))
    #expect(s == before)
  }

  struct PickerMissing: Error {}
}
