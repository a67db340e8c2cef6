import SnapshotTesting
import Testing
import TimelineCore
@testable import TimelineUI

/// The timeline view as text, compared with the recorded screens in `__Snapshots__/LanesScreenTests/`:
/// three sizes at the whole span, and three zoom levels (years, months, days).
@Suite("timeline screens")
struct LanesScreenTests {
  func screen(_ size: Size, _ keys: String...) -> String {
    var s = AppState(timeline: Fixtures.bundled, size: size)
    send(&s, (["T"] + keys).flatMap(keyActions))
    return view(s).text
  }

  @Test(arguments: [Fixtures.large, Fixtures.medium, Fixtures.small])
  func wholeSpan(_ size: Size) {
    assertScreen(screen(size), named: "\(size.width)x\(size.height)")
  }

  /// 23 to 26 August 2020, a day to 12 columns: Bridi's arrest in Cyprus on the 23rd, then the action
  /// day on the 25th in its countries' lanes, Correa's arrest in the US lane.
  @Test(arguments: [Fixtures.large, Size(width: 200, height: 60)])
  func dayZoomOnTheActionWeek(_ size: Size) {
    var s = LanesKeyTests.dayZoom(size)
    let text = view(s).text
    assertScreen(text, named: "\(size.width)x\(size.height)")
    #expect(text.contains("Sun 23") && text.contains("Tue 25") && text.contains("Aug 2020"))
    // Correa's arrest is in the US lane.
    s.selected = s.resultIndex(ofID: "2020-08-25-correa-arrested")!
    s.scrollToSelection()
    #expect(s.lanes.lane == s.timeline.valueIndex(.country, key: "US"))
  }

  /// Issue 14's range of sizes: at 80×24 seven lanes with short labels and "↓" for the rest; at
  /// 300×100 every lane of the bundled case, each with its whole name, and the axis in years.
  @Test func fromEightyByTwentyFourToThreeHundredByAHundred() {
    // Booleans first: a failing expectation on the screen itself prints all 100 rows of 300 columns.
    let small = screen(Fixtures.medium)
    let moreBelow = small.contains("↓")
    #expect(moreBelow, "more lanes below at 80×24")
    let large = screen(Size(width: 300, height: 100))
    let lines = large.split(separator: "\n").map(String.init)
    let allFit = !large.contains("↓") && !large.contains("↑")
    #expect(allFit, "every lane fits at 300×100")
    let t = Fixtures.bundled
    let codes = t.usedValues(.country).map { t.key(.country, $0) }
    #expect(codes.count == 19)
    let missing = codes.filter { code in !lines.contains { $0.contains("\(code) \(t.countries[code: code]!.name) ") } }
    #expect(missing == [], "lanes without their whole name")
    let noCountry = lines.contains { $0.hasPrefix(" no country ") }
    let years = lines.contains { $0.hasPrefix("years ") }
    #expect(noCountry && years, "the lane without a country, the axis in years")
  }

  @Test func monthsAroundTheActionDay() {
    assertScreen(screen(Fixtures.medium, ":", "text:2020-08-25", "Enter", "z", "z", "z", "z", "z"), named: "80x24")
  }

  /// `:` with a range in the timeline: the five days fill the width (the events running across them,
  /// from 2011 to 2021, do not stretch it), in days.
  @Test func aRangeAtTheColonFillsTheTimeline() {
    let text = screen(Fixtures.large, ":", "text:2020-08-23..2020-08-27", "Enter")
    assertScreen(text, named: "120x40")
    #expect(text.contains("Sun 23") && text.contains("Thu 27") && text.contains("Filters: dates from 2020-08-23 to 2020-08-27"))
  }

  @Test func byPersonInOrderOfFirstAppearance() {
    assertScreen(screen(Fixtures.large, "f", "S"), named: "120x40")
  }

  @Test func theDayZoomInASCII() {
    let s = LanesKeyTests.dayZoom()
    assertScreen(TerminalText.asciiText(view(s)), named: "120x40")
  }
}
