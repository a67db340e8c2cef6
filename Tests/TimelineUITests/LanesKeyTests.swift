import Testing
import TimelineCore
@testable import TimelineUI

/// `update` for every key of the timeline view (and `T`, which switches to it), on the bundled case at
/// 120×40, comparing whole states where the key has one right answer, and naming the events it should
/// reach.
///
/// In the timeline view opened on the first event, lanes are by country, most events first: US (18),
/// NO (9), SE (7), … and last the 23 events without a country.
@Suite("update: every key of the timeline view")
struct LanesKeyTests {
  let list = AppState(timeline: Fixtures.bundled, size: Fixtures.large)
  let initial = makeState(keys: "T")

  var t: Timeline { Fixtures.bundled }

  /// The value of a country's lane.
  func country(_ code: String) -> Int { t.valueIndex(.country, key: code)! }

  /// The state after selecting event `id` (by `update`'s own route, as a click or a jump would).
  func selecting(_ id: String, from base: AppState? = nil) -> AppState {
    var s = base ?? initial
    s.selected = s.resultIndex(ofID: id)!
    s.scrollToSelection()
    return s
  }

  func window(_ s: AppState) -> TimeScale.Window { s.lanesLayout.window(s.lanes) }

  /// Whether the selected event is drawn in the window.
  func selectionShown(_ s: AppState) -> Bool {
    guard let e = s.selectedEvent else { return false }
    return s.marks.isShown(e)
  }

  @Test func theViewOpensOnTheWholeSpanInTheSelectedEventsFirstLane() throws {
    #expect(initial.mode == .lanes && initial.lanes.placed)
    #expect(initial.selectedID == list.selectedID, "the same event")
    #expect(initial.lanes.lane == country("US"))
    let span = try #require(initial.laneIndex.span)
    let w = window(initial)
    #expect(w.start < span.lowerBound && w.end > span.upperBound, "the whole span is shown")
    #expect(w.end - w.start - (span.upperBound - span.lowerBound) < 3 * w.scale, "and fills it but for a column each side")
    #expect(initial.message == "timeline: lanes by country, most events first")
  }

  @Test(arguments: Command.toggleView.keys)
  func toggleViewKeepsFiltersSearchAndSelection(_ key: Key) {
    var s = makeState(keys: "c", "text:chy", "Enter", "/", "text:bridi", "Enter", "n")
    let before = s
    send(&s, .key(key))
    #expect(s.mode == .lanes)
    #expect(s.query == before.query && s.results == before.results && s.search == before.search && s.selected == before.selected)
    #expect(selectionShown(s))
    send(&s, .key(key))
    var expected = before
    expected.lanes = s.lanes
    expected.message = "list"
    #expect(s == expected, "back in the list as it was, with the timeline's place kept for next time")
  }

  @Test func theListsMovesAreNotTheTimelines() {
    var s = initial
    send(&s, .key(.ctrl("d")))
    var expected = initial
    expected.message = "Ctrl-D does nothing here; press ? for help"
    #expect(s == expected)
  }

  // MARK: - In a lane

  @Test(arguments: Command.laneNext.keys)
  func laneNext(_ key: Key) {
    var s = initial
    #expect(send(&s, .key(key)).isEmpty)
    let us = s.laneIndex.lanes[s.laneIndex.lane(ofValue: country("US"))!]
    #expect(s.selectedEvent == us.events[1])
    #expect(s.selectedID == "2011-sparks-conduct-begins")
    var expected = initial
    expected.selected = s.selected
    expected.message = nil
    #expect(s == expected, "the same lane and window: only the selection moves")
  }

  @Test(arguments: Command.lanePrevious.keys)
  func lanePrevious(_ key: Key) {
    let before = selecting("2020-01-08-bridi-sealed-indictment")
    var s = before
    send(&s, .key(key))
    #expect(s.selectedID == "2020-01-charged-period-ends")
    #expect(s.lanes == before.lanes)
    // At the lane's first event it says so and stays.
    var first = initial
    send(&first, .key(key))
    var expected = initial
    expected.message = "no earlier event in this lane"
    #expect(first == expected)
  }

  @Test(arguments: Command.laneFirst.keys)
  func laneFirst(_ key: Key) {
    var s = selecting("2020-08-23-bridi-arrested-paphos")
    #expect(s.lanes.lane == country("CY"))
    send(&s, .key(key))
    let cy = s.laneIndex.lanes[s.laneIndex.lane(ofValue: country("CY"))!]
    #expect(s.selectedEvent == cy.events.first && s.lanes.lane == country("CY"))
  }

  @Test(arguments: Command.laneLast.keys)
  func laneLast(_ key: Key) {
    var s = initial
    send(&s, .key(key))
    let us = s.laneIndex.lanes[s.laneIndex.lane(ofValue: country("US"))!]
    #expect(s.selectedEvent == us.events.last)
    #expect(s.selectedID == "2022-02-07-bridi-sentenced")
    #expect(selectionShown(s))
  }

  // MARK: - Between lanes

  @Test(arguments: Command.laneDown.keys)
  func laneDown(_ key: Key) {
    var s = selecting("2021-11-18-bridi-pleads-guilty")
    send(&s, .key(key))
    #expect(s.lanes.lane == country("NO"), "the lane below US")
    #expect(s.selectedID == "2021-11-18-ahmad-still-at-large", "Norway's event nearest in time")
    #expect(selectionShown(s))
    // An event in both lanes stays selected: only the lane changes.
    var both = selecting("2020-08-25-action-day")
    send(&both, .key(key))
    #expect(both.lanes.lane == country("NO") && both.selectedID == "2020-08-25-action-day")
  }

  @Test(arguments: Command.laneUp.keys)
  func laneUp(_ key: Key) {
    var s = selecting("2020-08-25-norway-kripos-searches")
    #expect(s.lanes.lane == country("NO"))
    send(&s, .key(key))
    #expect(s.lanes.lane == country("US"))
    #expect(s.selectedID == "2020-08-25-action-day")
    // The first lane has none above.
    var top = initial
    send(&top, .key(key))
    var expected = initial
    expected.message = "no lane above"
    #expect(top == expected)
  }

  @Test(arguments: Command.lanePageDown.keys)
  func lanePageDown(_ key: Key) {
    // At 80×24 seven lanes show of 20: a page goes down by seven, the rows shown with it.
    var s = makeState(size: Fixtures.medium, keys: "T")
    let rows = s.lanesLayout.lanes.height
    #expect(rows == 7 && s.laneOrder.count == 20)
    send(&s, .key(key))
    #expect(s.lanes.topLane == rows && s.currentLaneRow == rows)
    send(&s, .key(key), .key(key))
    #expect(s.currentLaneRow == 19 && s.lanes.topLane == 20 - rows, "the last page is full")
    #expect(s.lanes.lane == LaneIndex.noValue)
    send(&s, .key(key))
    #expect(s.message == "no lane below")
  }

  @Test(arguments: Command.lanePageUp.keys)
  func lanePageUp(_ key: Key) {
    var s = makeState(size: Fixtures.medium, keys: "T", "PgDn", "PgDn")
    #expect(s.currentLaneRow == 14)
    send(&s, .key(key))
    #expect(s.currentLaneRow == 7 && s.lanes.topLane == 6, "from the last page (13) up by seven")
    send(&s, .key(key), .key(key))
    #expect(s.currentLaneRow == 0 && s.lanes.topLane == 0)
  }

  // MARK: - Zoom and pan

  @Test(arguments: Command.zoomIn.keys)
  func zoomIn(_ key: Key) {
    let before = selecting("2020-08-23-bridi-arrested-paphos")
    var s = before
    send(&s, .key(key))
    #expect(s.lanes.scale == TimeScale.zoomed(before.lanes.scale, by: -1) && s.lanes.scale < before.lanes.scale)
    let e = s.selectedEvent!
    let lo = s.lanesData!.spans.lo[Int(e)]
    // Near the right edge, the selection comes to a quarter of the width from it; then it stays put.
    let columns = window(before).columns
    #expect(window(before).column(lo) > columns - 1 - columns / 4)
    #expect(window(s).column(lo) == columns - 1 - columns / 4)
    let once = s
    send(&s, .key(key))
    #expect(window(s).column(lo) == window(once).column(lo), "the selection stays in its column")
    #expect(s.selected == before.selected && s.lanes.lane == before.lanes.lane)
    // All the way in, then no further.
    for _ in 0..<TimeScale.scales.count { send(&s, .key(key)) }
    #expect(s.lanes.scale == 1)
    #expect(s.message == "zoomed in as far as it goes: a minute a column")
    #expect(selectionShown(s))
  }

  @Test(arguments: Command.zoomOut.keys)
  func zoomOut(_ key: Key) {
    let before = selecting("2020-08-23-bridi-arrested-paphos")
    var s = before
    send(&s, .key(key))
    #expect(s.lanes.scale == TimeScale.zoomed(before.lanes.scale, by: 1) && s.lanes.scale > before.lanes.scale)
    #expect(s.message?.hasPrefix("zoom: ") == true)
    for _ in 0..<TimeScale.scales.count { send(&s, .key(key)) }
    #expect(s.lanes.scale == TimeScale.scales.last! && s.message == "zoomed out as far as it goes")
    #expect(selectionShown(s))
  }

  @Test(arguments: Command.panRight.keys)
  func panRight(_ key: Key) {
    // Zoomed in on 2020 at about a week a column, a screen later shows events further on.
    var s = selecting("2020-07-le-monde-monthly-releases", from: makeState(keys: "T", ":", "text:2020-07", "Enter", "z", "z", "z", "z"))
    let before = s
    send(&s, .key(key))
    #expect(window(s).start == window(before).start + Int64(window(before).columns) * window(before).scale)
    #expect(selectionShown(s))
    #expect(s.selectedEvent! > before.selectedEvent!, "a later event")
    // At the end of time, no further.
    for _ in 0..<200 { send(&s, .key(key)) }
    let last = s
    send(&s, .key(key))
    #expect(s.message == "no later event" && s.lanes.start == last.lanes.start)
  }

  @Test(arguments: Command.panLeft.keys)
  func panLeft(_ key: Key) {
    var s = makeState(keys: "T", "G", "z", "z", "z", "z", "z", "z")
    let before = s
    send(&s, .key(key))
    #expect(window(s).start < window(before).start)
    #expect(s.selectedEvent! < before.selectedEvent!, "an earlier event")
    #expect(selectionShown(s))
    for _ in 0..<200 { send(&s, .key(key)) }
    #expect(s.message == "no earlier event")
    #expect(s.selected == 0)
  }

  @Test(arguments: Command.fitAll.keys)
  func fitAll(_ key: Key) {
    var s = makeState(keys: "T", "z", "z", "z", "L")
    #expect(s.lanes != initial.lanes)
    send(&s, .key(key))
    #expect(s.lanes.scale == initial.lanes.scale && s.lanes.start == initial.lanes.start)
    #expect(s.message == "the whole span of the results: 5 years")
  }

  // MARK: - Dates (`:` as in the list, a range fitted)

  func minute(_ text: String) -> Int64 { TimeScale.minute(try! TimelineDate.parse(text).get()) }

  @Test func colonWithOneDateBringsItToTheMiddleAtTheSameZoom() throws {
    // Zoomed in to weeks somewhere in 2011, far from the action week.
    var s = makeState(keys: "T", "z", "z", "z", "z", "z", "z")
    let before = s
    send(&s, keyActions(":") + keyActions("text:2020-08-23") + keyActions("Enter"))
    let w = window(s)
    #expect(s.lanes.scale == before.lanes.scale, "the zoom is kept")
    #expect(abs(w.start + Int64(w.columns) * w.scale / 2 - minute("2020-08-23")) <= w.scale, "the date is in the middle")
    // The same event as the list selects for that text (the first on or after the date), in its lane.
    let inList = makeState(keys: ":", "text:2020-08-23", "Enter")
    #expect(s.selectedID == "2020-08-23-bridi-arrested-paphos" && s.selectedID == inList.selectedID)
    #expect(s.lanes.lane == country("CY"))
    #expect(selectionShown(s))
    #expect(s.message == "2020-08-23 in the middle")
  }

  @Test func colonWithADateFarFromAnyEventTakesTheNextOne() {
    var s = makeState(keys: "T", "z", "z", "z", "z", "z", "z", "z", "z")
    send(&s, keyActions(":") + keyActions("text:1990") + keyActions("Enter"))
    #expect(s.selected == 0, "the first event on or after 1990")
    #expect(selectionShown(s))
    #expect(s.message == "no event near 1990 at this zoom; showing the next one")
  }

  @Test func aRangeAtTheColonFitsTheTimelineToIt() throws {
    var s = makeState(keys: "T", "z", "z", "z", "L")
    send(&s, keyActions(":") + keyActions("text:2020-08-23..2020-08-27") + keyActions("Enter"))
    #expect(s.query.from == TimelineDate(year: 2020, month: 8, day: 23) && s.query.to == TimelineDate(year: 2020, month: 8, day: 27))
    let w = window(s)
    let lo = minute("2020-08-23"), hi = minute("2020-08-28")
    // The five days fill the width but for a column each side, although events of the results run
    // from 2011 (the alleged conduct) to 2021.
    #expect(w.start <= lo && w.end >= hi && w.end - w.start - (hi - lo) < 3 * w.scale, "\(w)")
    #expect(TimeScale.ticks(w).unit.name == "days")
    #expect(selectionShown(s))
    // `..` clears it, and the whole span is back.
    send(&s, keyActions(":") + keyActions("text:..") + keyActions("Enter"))
    #expect(s.lanes.scale == initial.lanes.scale && s.lanes.start == initial.lanes.start)
  }

  @Test func aFilterChangeRefitsATimelineThatWasFittedButNotAZoomedOne() {
    let fitted = makeState(keys: "T", "c", "text:chy", "Tab", "Enter")
    // Cyprus: from the arrest on 23 August 2020 to mid-2021, in quarters rather than five years.
    #expect(fitted.lanes.scale < initial.lanes.scale / 10)
    #expect(fitted.lanes.start > minute("2020-08-01") && fitted.lanes.start < minute("2020-08-23"))
    let zoomed = makeState(keys: "T", "z", "c", "text:chy", "Tab", "Enter")
    #expect(zoomed.lanes.scale == makeState(keys: "T", "z").lanes.scale, "a zoom the user chose is kept")
    #expect(selectionShown(zoomed))
  }

  // MARK: - What the lanes are

  @Test(arguments: Command.nextLaneFacet.keys)
  func nextLaneFacet(_ key: Key) {
    var s = initial
    send(&s, .key(key))
    #expect(s.lanes.facet == .person)
    #expect(s.message == "lanes by person, most events first")
    // The first event names Umar Ahmad and George Bridi: the lane is one of theirs.
    #expect(s.laneValues(of: s.selectedEvent!).contains(s.lanes.lane))
    #expect(s.laneIndex.facet == .person && s.lanesData?.index?.facet == .person)
    var seen: [Facet?] = [s.lanes.facet]
    for _ in 0..<6 {
      send(&s, .key(key))
      seen.append(s.lanes.facet)
    }
    #expect(seen == [.person, .tag, .confidence, .era, .source, nil, .country])
    #expect(s.selected == initial.selected)
  }

  @Test(arguments: Command.previousLaneFacet.keys)
  func previousLaneFacet(_ key: Key) {
    var s = initial
    send(&s, .key(key))
    #expect(s.lanes.facet == nil && s.message == "one lane")
    #expect(s.laneOrder.count == 1 && s.lanes.lane == LaneIndex.noValue)
    send(&s, .key(key))
    #expect(s.lanes.facet == .source)
  }

  @Test(arguments: Command.laneOrder.keys)
  func laneOrder(_ key: Key) {
    var s = selecting("2020-08-23-bridi-arrested-paphos")
    send(&s, .key(key))
    #expect(s.lanes.order == .firstAppearance)
    #expect(s.message == "lanes by country, in order of first appearance")
    let index = s.laneIndex
    #expect(index.lanes[s.laneOrder[0]].value == country("US"), "US has the first event")
    #expect(s.selected == initial.resultIndex(ofID: "2020-08-23-bridi-arrested-paphos"))
    send(&s, .key(key))
    #expect(s.lanes.order == .count)
  }

  // MARK: - The mouse

  /// The timeline at 120×40 on 23 to 26 August 2020, two hours a column (a day is 12 columns).
  static func dayZoom(_ size: Size = Fixtures.large) -> AppState {
    var s = makeState(size: size, keys: "T", ":", "text:2020-08-23", "Enter")
    s.lanes.scale = 120
    s.lanes.start = CivilDays.day(year: 2020, month: 8, day: 23) * TimeScale.minutesPerDay
    s.scrollToSelection()
    return s
  }

  @Test func aClickSelectsTheNearestEventInTheClickedLane() throws {
    var s = Self.dayZoom()
    let g = s.lanesLayout
    let order = s.laneOrder
    let cy = try #require(order.firstIndex { s.laneIndex.lanes[$0].value == country("CY") })
    let arrest = try #require(t.event(withID: "2020-08-23-bridi-arrested-paphos"))
    let column = window(s).column(s.lanesData!.spans.lo[Int(arrest)])
    // A click two columns right of the mark still finds it.
    send(&s, .mouse(MouseEvent(.press, x: g.plot.x + column + 2, y: g.lanes.y + cy)))
    #expect(s.selectedID == "2020-08-23-bridi-arrested-paphos" && s.lanes.lane == country("CY"))
    // On a label: that lane, its event nearest in time to the selection.
    send(&s, .mouse(MouseEvent(.press, x: g.labels.x + 2, y: g.lanes.y)))
    #expect(s.lanes.lane == country("US"))
    #expect(s.selectedID == "2020-08-25-action-day" || s.selectedID == "2020-08-25-correa-arrested")
  }

  @Test func theWheelPansAndWithCtrlZoomsAroundThePointer() {
    var s = makeState(keys: "T", "z", "z")
    let g = s.lanesLayout
    let before = s
    send(&s, .mouse(MouseEvent(.wheelDown, x: g.plot.x + 5, y: g.lanes.y)))
    #expect(s.lanes.start == before.lanes.start + Int64(g.columns / 8) * window(before).scale)
    #expect(selectionShown(s))
    let pointer = window(s).time(atColumn: 30) + window(s).scale / 2
    let panned = s
    send(&s, .mouse(MouseEvent(.wheelUp, x: g.plot.x + 30, y: g.lanes.y, modifiers: .control)))
    #expect(s.lanes.scale == TimeScale.zoomed(panned.lanes.scale, by: -1))
    #expect(window(s).column(pointer) == 30, "the time under the pointer stays under it")
    // Over the labels, the wheel goes through the lanes.
    var lanes = initial
    send(&lanes, .mouse(MouseEvent(.wheelDown, x: g.labels.x, y: g.lanes.y)))
    #expect(lanes.currentLaneRow == 3)
  }
}
