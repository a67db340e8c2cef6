import SnapshotTesting
import Testing
import TimelineCore
@testable import TimelineUI

/// What the explorer draws, as text, compared with the recorded screens in
/// `__Snapshots__/ScreenSnapshotTests/`. Run with `SNAPSHOT_TESTING_RECORD=missing` to record a new one
/// (the first run fails by design), then read the file: a snapshot is only as good as the eyes that
/// checked it.
@Suite("screens")
struct ScreenSnapshotTests {
  static let sizes = [Fixtures.large, Fixtures.medium, Fixtures.small]

  func screen(_ size: Size, _ keys: String...) -> String {
    var s = AppState(timeline: Fixtures.bundled, size: size)
    send(&s, keys.flatMap(keyActions))
    return view(s).text
  }

  @Test(arguments: sizes)
  func initialScreen(_ size: Size) {
    assertScreen(screen(size), named: "\(size.width)x\(size.height)")
  }

  @Test func countryPickerNarrowedToChypre() {
    assertScreen(screen(Fixtures.large, "c", "text:chy"), named: "120x40")
  }

  @Test func personPickerWithTwoChosen() {
    assertScreen(screen(Fixtures.medium, "p", "Tab", "Tab"), named: "80x24")
  }

  @Test func countryPickerWithAnExcludedValue() {
    assertScreen(screen(Fixtures.large, "c", "text:united states", "C-x", "C-u"), named: "120x40")
  }

  @Test func pickerOnTheSmallestScreen() {
    // Nothing of the list beside the box (B15); the names keep their room, the spark lines go (14).
    let text = screen(Fixtures.small, "p", "Tab")
    assertScreen(text, named: "40x10")
    #expect(!text.contains("▸"))
  }

  @Test func tagPicker() {
    assertScreen(screen(Fixtures.medium, "t", "Tab", "Tab"), named: "80x24")
  }

  @Test func aLongSearchScrollsToKeepTheCursorInView() {
    // The review's rough edge 5: the end of what is typed stays in view, and so does the count.
    let text = screen(Fixtures.medium, "/", "text:raid arrest servers europol eurojust coordination bridi correa paphos olathe", "Left", "Left")
    assertScreen(text, named: "80x24")
    #expect(text.split(separator: "\n").last?.contains("no match") == true)
  }

  @Test func daysOnTheStrip() {
    // Germany and France: 25 to 27 August 2020, drawn as three days.
    assertScreen(screen(Fixtures.large, "c", "text:germany", "Tab", "C-u", "text:france", "Tab", "Enter"), named: "120x40")
  }

  @Test(arguments: [Fixtures.medium, Fixtures.small])
  func aDateRangeFromTheColon(_ size: Size) {
    assertScreen(screen(size, ":", "text:2020-08..2020-09", "Enter"), named: "\(size.width)x\(size.height)")
  }

  @Test func brushingARangeOnTheStrip() {
    assertScreen(screen(Fixtures.large, "]", "]", "v", "]"), named: "120x40")
  }

  @Test func filteredByCountryAndPerson() {
    assertScreen(screen(Fixtures.large, "c", "text:chy", "Enter", "p", "text:bridi", "Enter"), named: "120x40")
  }

  @Test func aTimelineWithoutEventsSaysSo() throws {
    let json = #"{"title": "Empty", "description": "None yet.", "sources": [], "events": []}"#
    let t = try TimelineDecoder.decode(Array(json.utf8), fileName: "empty.json")
    let lines = view(AppState(timeline: t, size: Fixtures.medium)).lines
    #expect(lines.contains { $0.contains("This timeline has no events.") })
    #expect(!lines.contains { $0.contains("No event matches the filters") })
  }

  @Test func noEventMatches() {
    assertScreen(screen(Fixtures.medium, "c", "text:chy", "Enter", "p", "text:raid", "Enter"), named: "80x24")
  }

  @Test(arguments: [Fixtures.large, Fixtures.medium])
  func helpOverlay(_ size: Size) {
    assertScreen(screen(size, "?"), named: "\(size.width)x\(size.height)")
  }

  @Test func helpOverlayScrolledToTheEnd() {
    assertScreen(screen(Fixtures.medium, "?", "G"), named: "80x24")
  }

  @Test func detailFocused() {
    assertScreen(screen(Fixtures.medium, "Enter", "j", "j"), named: "80x24")
  }

  @Test func detailFocusedFullScreen() {
    assertScreen(screen(Fixtures.small, "Enter"), named: "40x10")
  }

  @Test func searchInProgress() {
    assertScreen(screen(Fixtures.medium, "/", "text:olathe"), named: "80x24")
  }

  @Test func searchWaitingForItsResult() {
    // The runtime has not answered yet: "searching…".
    var s = AppState(timeline: Fixtures.bundled, size: Fixtures.medium)
    _ = update(&s, .key(.char("/")))
    _ = update(&s, .key(.char("k")))
    #expect(s.search?.pending == true)
    assertScreen(view(s).text, named: "80x24")
  }

  @Test func searchKeptAfterWrapping() {
    assertScreen(screen(Fixtures.large, "/", "text:olathe", "Enter", "n"), named: "120x40")
  }

  @Test func goToDatePrompt() {
    assertScreen(screen(Fixtures.medium, ":", "text:2020-08"), named: "80x24")
  }

  @Test func terminalTooSmall() {
    assertScreen(screen(Size(width: 39, height: 10)), named: "39x10")
  }

  @Test func aVerySmallTerminalStillSaysWhatToDo() {
    // The review's rough edge 18: at 20×5 the notice was cut ("Enlarge it, or pres…").
    let text = screen(Size(width: 20, height: 5))
    assertScreen(text, named: "20x5")
    #expect(!text.contains("…"))
    #expect(text.contains("Enlarge it, or press") && text.contains("q to quit"), "\(text)")
  }

  @Test func backToNormalAfterGrowingFromTooSmall() {
    var s = AppState(timeline: Fixtures.bundled, size: Size(width: 39, height: 10))
    send(&s, .resized(Fixtures.small))
    let text = view(s).text
    assertScreen(text, named: "40x10")
    #expect(text == screen(Fixtures.small), "the same screen as when started at 40×10")
  }

  @Test func lastEventAtTheBottom() {
    assertScreen(screen(Fixtures.large, "G"), named: "120x40")
  }

  /// Dates longer than a day's (times of day, as imported calendars and spreadsheets have them; years
  /// from the Big Bang to past 9999) are shown whole in the list's date column, which was cut at 11
  /// columns ("2020-08-25…").
  static let longDates = longDatesTimeline(deepTime: true)
  /// The same without the years before Christ and after 9999 (whose room would hide a column too
  /// narrow for times of day).
  static let timesOfDay = longDatesTimeline(deepTime: false)

  static func longDatesTimeline(deepTime: Bool) -> Timeline {
    let deep = [
      #"{"id": "bang", "date": "-13800000000", "title": "The Big Bang", "confidence": "confirmed", "sources": ["s"]}"#,
      #"{"id": "earth", "date": "-4540000000~", "title": "The Earth forms", "confidence": "reported", "sources": ["s"]}"#,
      #"{"id": "caesar", "date": "-0044-03-15", "title": "Caesar is killed", "confidence": "confirmed", "sources": ["s"]}"#,
      #"{"id": "far", "date": "12021-01-01", "title": "Far in the future", "confidence": "rumoured", "sources": ["s"]}"#,
    ]
    let times = [
      #"{"id": "morning", "date": "2020-08-25T09:05", "title": "Morning call", "confidence": "confirmed", "sources": ["s"]}"#,
      #"{"id": "meeting", "date": "2020-08-25T14:30~", "title": "Meeting at half past two", "confidence": "reported", "sources": ["s"]}"#,
      #"{"id": "day", "date": "2020-08-26", "title": "A whole day", "confidence": "confirmed", "sources": ["s"]}"#,
    ]
    let json = #"""
      {"format": "timeline/1", "title": "Long dates", "description": "Times of day and deep time",
       "sources": [{"id": "s", "title": "t", "publisher": "p", "language": "en"}],
       "events": [
      """# + ((deepTime ? deep : []) + times).joined(separator: ",\n") + "]}"
    return try! TimelineDecoder.decode(Array(json.utf8), fileName: "long-dates.json")
  }

  @Test(arguments: [Fixtures.large, Fixtures.medium])
  func longDatesAreShownWhole(_ size: Size) {
    var s = AppState(timeline: Self.longDates, size: size)
    let top = view(s).text
    assertScreen(top, named: "\(size.width)x\(size.height)")
    press(&s, "G")
    let text = top + view(s).text
    for date in ["13800000001 BC", "4540000001 BC~", "15 Mar 45 BC", "2020-08-25T09:05", "2020-08-25T14:30~", "2020-08-26", "12021-01-01"] {
      #expect(text.contains(date + " "), "\(date) is shown whole\n\(text)")
    }
    let times = view(AppState(timeline: Self.timesOfDay, size: size)).text
    #expect(Self.timesOfDay.count == 3)
    for date in ["2020-08-25T09:05", "2020-08-25T14:30~", "2020-08-26"] {
      #expect(times.contains(date + " "), "\(date) is shown whole\n\(times)")
    }
    // A timeline of days keeps its 11 columns: the bundled case's titles start where they did.
    let bundled = view(AppState(timeline: Fixtures.bundled, size: size)).text
    #expect(bundled.contains("  2011        ● The Sparks Group's alleged conduct begins"), "\(bundled)")
  }
}
