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

/// Without filters, the timeline view's lanes are the timeline's own lists of each value's events, read
/// in place and kept for every facet once shown (with how far their events reach, found when first
/// drawn); under filters they are copies of the results carrying each value. Both must draw the same
/// screens, and a facet shown again must look as it did.
@Suite("timeline lanes read in place")
struct LanesInPlaceScreenTests {
  /// The screen, and the same state drawn from lanes made as under a filter (copies), whose reach is
  /// found beforehand on two threads, as for the first screen of a large timeline.
  func screens(_ s: AppState) -> (inPlace: String, copied: String) {
    var copied = s
    let index = LaneIndex(timeline: s.timeline, results: s.results, facet: s.lanes.facet, spans: s.lanesData!.spans, inPlace: false)
    LaneIndex.findReach(index.lanes, parallelFrom: 0)
    copied.lanesData?.index = index
    return (view(s).text, view(copied).text)
  }

  /// Every facet in turn and round again, on 3,000 generated events (imprecise and approximate dates,
  /// bars, events with several values or none) at 200×60, zoomed in once: each screen is the one the
  /// copied lanes give, and the second time round the first time's.
  @Test func everyFacetTwiceRoundAsCopiedLanesDrawIt() {
    var s = AppState(timeline: MonkeyData.generated, size: Size(width: 200, height: 60))
    send(&s, ["T", "z"].flatMap(keyActions))
    s.message = nil
    var first: [String] = []
    for round in 0..<2 {
      for k in 0..<LanesState.facets.count {
        let (inPlace, copied) = screens(s)
        #expect(inPlace == copied, "facet \(String(describing: s.lanes.facet)), round \(round)")
        if round == 0 {
          first.append(inPlace)
        } else {
          #expect(inPlace == first[k], "facet \(String(describing: s.lanes.facet)) shown again")
        }
        #expect(inPlace.contains(LanesView.headings(s.lanes)[0]))
        send(&s, keyActions("f"))
        s.message = nil
      }
    }
    // Ordered by first appearance, and moved through: the same lanes, in the other order.
    send(&s, ["S", "j", "j", "l", "l", "G"].flatMap(keyActions))
    let (inPlace, copied) = screens(s)
    #expect(inPlace == copied)
  }

  /// The lane of events without a value, last, with its count: by era, the generated events outside
  /// every era (the lanes' labels list each value's count and the rest's).
  @Test func theRestLaneCountsTheEventsWithoutAValue() throws {
    let t = MonkeyData.generated
    var s = AppState(timeline: t, size: Size(width: 200, height: 60))
    send(&s, keyActions("T"))
    while s.lanes.facet != .era { send(&s, keyActions("f")) }
    let outside = (0..<t.count).filter { e in !t.eras.indices.contains { t.events(.era, $0).contains(UInt32(e)) } }.count
    #expect(outside > 0)
    let lines = view(s).text.split(separator: "\n")
    let rest = try #require(lines.first { $0.hasPrefix(" no era") || $0.hasPrefix("▸no era") })
    #expect(rest.split(separator: "│")[0].hasSuffix(" \(outside) "), "\(rest)")
  }

  /// The file read again while the timeline view shows (one event more, in 2000): the view shows the
  /// new version's lanes and span, as the same view opened on it does.
  @Test func aFileReadAgainShowsItsOwnLanes() throws {
    let edited = try KeepAndShareTests.editedCase()
    var s = makeState(keys: "T")
    _ = s.replaceTimeline(edited)
    var fresh = makeState(edited, keys: "T")
    fresh.select(try #require(fresh.resultIndex(ofID: s.selectedID)))
    fresh.scrollToSelection()
    s.message = nil
    fresh.message = nil
    let screen = view(s).text
    #expect(screen == view(fresh).text)
    #expect(screen.contains("no country") && s.laneIndex.span?.lowerBound == CivilDays.day(year: 2000, month: 1, day: 1) * 1440)
  }
}
