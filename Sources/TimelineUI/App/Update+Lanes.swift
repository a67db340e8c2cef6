import TimelineCore

extension AppState {
  /// Switches between the list and the timeline view; both keep the results, search and selection.
  mutating func toggleView() {
    mode = mode == .list ? .lanes : .list
    if mode == .lanes {
      rebuildLanes()
    } else {
      lanesData?.index = nil
    }
    scrollToSelection()
    message = mode == .lanes ? "timeline: \(lanesDescription)" : "list"
  }

  /// "lanes by country, most events first".
  var lanesDescription: String {
    let by = lanes.facet.map { "lanes by \($0.name)" } ?? "one lane"
    return lanes.facet == nil ? by : by + (lanes.order == .count ? ", most events first" : ", in order of first appearance")
  }

  /// Runs a command of the timeline view.
  mutating func runLanes(_ command: Command) -> [Effect] {
    switch command {
    case .laneNext: stepInLane(by: 1)
    case .lanePrevious: stepInLane(by: -1)
    case .laneFirst: stepInLane(by: Int.min)
    case .laneLast: stepInLane(by: Int.max)
    case .laneDown: changeLane(by: 1)
    case .laneUp: changeLane(by: -1)
    case .lanePageDown: changeLane(by: max(1, lanesLayout.lanes.height))
    case .lanePageUp: changeLane(by: -max(1, lanesLayout.lanes.height))
    case .zoomIn: zoom(by: -1)
    case .zoomOut: zoom(by: 1)
    case .panLeft, .panRight:
      let w = lanesLayout.window(lanes)
      pan(by: Int64(command == .panLeft ? -1 : 1) * Int64(max(1, w.columns)) * w.scale)
    case .fitAll:
      fitLanes()
      revealInLanes()
      message = "the whole span of the results: \(TimeScale.ticks(lanesLayout.window(lanes)).unit.name)"
    case .nextLaneFacet, .previousLaneFacet:
      let all = LanesState.facets
      let k = all.firstIndex(of: lanes.facet) ?? 0
      let step = command == .nextLaneFacet ? 1 : all.count - 1
      // Facets no event carries are passed over: their lanes would all be the lane without a value.
      var next = (k + step) % all.count
      while let f = all[next], timeline.usedValues(f).isEmpty, next != k { next = (next + step) % all.count }
      lanes.facet = all[next]
      lanes.topLane = 0
      rebuildLanes()
      revealInLanes()
      message = lanesDescription
    case .laneOrder:
      lanes.order = lanes.order == .count ? .firstAppearance : .count
      revealInLanes()
      message = lanesDescription
    default: break
    }
    return []
  }

  /// Moves to the next or previous event in time in the current lane (`Int.min`/`Int.max`: the first
  /// or last).
  mutating func stepInLane(by n: Int) {
    let index = laneIndex
    guard let e = selectedEvent, let k = index.lane(ofValue: lanes.lane), let p = index.lanes[k].position(of: e) else { return }
    let lane = index.lanes[k]
    let target = n == Int.min ? 0 : n == Int.max ? lane.count - 1 : p + n
    guard target >= 0 && target < lane.count else {
      message = n > 0 ? "no later event in this lane" : "no earlier event in this lane"
      return
    }
    selectInLanes(lane.events[target])
  }

  /// Selects an event and keeps the current lane (the event must be in it, or the lane follows it).
  mutating func selectInLanes(_ e: UInt32) {
    guard let r = resultIndex(ofEvent: e) else { return }
    select(r)
  }

  /// Moves to another lane, selecting its event nearest in time to the selected one (one on screen
  /// when there is one).
  mutating func changeLane(by n: Int) {
    let index = laneIndex
    let order = laneOrder
    guard let e = selectedEvent, let row = currentLaneRow else { return }
    let target = min(max(0, row + n), order.count - 1)
    guard target != row else {
      message = n > 0 ? "no lane below" : "no lane above"
      return
    }
    let lane = index.lanes[order[target]]
    let t = lanesData!.spans.lo[Int(e)]
    let marks = self.marks
    let p = lane.nearest(to: t) { marks.isShown(lane.events[$0]) } ?? lane.nearest(to: t)!
    lanes.lane = lane.value
    // Paging moves the rows shown with the lane, as a page down in the list does.
    if abs(n) > 1 { lanes.topLane += target - row }
    selectInLanes(lane.events[p])
  }

  /// Zooms in (negative) or out by levels, keeping the selection (or the minute `around`) where it is
  /// on screen.
  mutating func zoom(by n: Int, around pointer: Int64? = nil) {
    let scale = TimeScale.zoomed(lanes.scale, by: n)
    guard scale != lanes.scale else {
      message = n < 0 ? "zoomed in as far as it goes: a minute a column" : "zoomed out as far as it goes"
      return
    }
    let w = lanesLayout.window(lanes)
    var focus = w.start + Int64(w.columns) * w.scale / 2
    // The selection keeps its column, unless it is near an edge: then it comes to a quarter of the
    // width from it, so that zooming in deep leaves some of what follows or precedes it in view.
    var column: Int?
    if let pointer {
      focus = pointer
    } else if let e = selectedEvent {
      let span = lanesData!.spans.span(e)
      focus = min(max(span.lowerBound, w.start), max(w.start, w.end - 1))
      column = min(max(w.column(focus), w.columns / 4), w.columns - 1 - w.columns / 4)
    }
    lanes.scale = scale
    lanes.fitted = false
    var zoomed = w.zoomed(to: scale, keeping: focus)
    if let column { zoomed.start += Int64(zoomed.column(focus) - column) * scale }
    lanes.start = zoomed.start
    // Zoomed in around the pointer, away from the selection: the selection follows the pointer.
    if let pointer, let e = selectedEvent, !MarkGeometry(zoomed, spans: lanesData!.spans).isShown(e), let near = event(shownIn: zoomed, near: pointer) {
      selectInLanes(near)
    }
    revealInLanes()
    message = "zoom: \(TimeScale.ticks(lanesLayout.window(lanes)).unit.name)"
  }

  /// `:` with one date in the timeline: the same event as in the list (the first starting on or after
  /// the date, else the last), and the date in the middle of the screen at the zoom in force; when
  /// that event is too far from the date to be on screen with it, the window moves just enough to show
  /// the event, and the message says so.
  mutating func centreLanes(on d: TimelineDate) {
    guard !results.isEmpty else { return }
    let current = lanesLayout.window(lanes)
    let w = TimeScale.Window(center: TimeScale.minute(d), scale: current.scale, columns: current.columns)
    lanes.start = w.start
    lanes.fitted = false
    let i = SortedLists.partitionPoint(results.count) { timeline.startKey(at: Int(results[$0])) >= d.lowerKey }
    let target = min(i, results.count - 1)
    let near = MarkGeometry(w, spans: eventSpans).isShown(results[target])
    select(target)
    if i == results.count {
      message = "no event on or after \(DateText.compact(d)); showing the last one"
    } else {
      message = near ? "\(DateText.compact(d)) in the middle" : "no event near \(DateText.compact(d)) at this zoom; showing the next one"
    }
  }

  /// Pans by `shift` minutes (a screen for H and L, less for the wheel). A selection still on screen
  /// stays; one that leaves it is replaced by the current lane's event nearest the place it had, else
  /// the nearest event of any lane in the new window, else the next event in that direction (a stretch
  /// without events is passed over).
  mutating func pan(by shift: Int64) {
    guard let e = selectedEvent, shift != 0 else { return }
    let spans = lanesData!.spans
    var w = lanesLayout.window(lanes)
    w.start += shift
    lanes.fitted = false
    if MarkGeometry(w, spans: spans).isShown(e) {
      lanes.start = w.start
      return
    }
    guard let chosen = event(shownIn: w, near: spans.lo[Int(e)] + shift) ?? event(beyond: w, forward: shift > 0) else {
      message = shift > 0 ? "no later event" : "no earlier event"
      return
    }
    lanes.start = w.start
    selectInLanes(chosen)
  }

  /// The event nearest minute `t` among those shown in window `w`: in the current lane if it has one
  /// there, else among all results starting in the window.
  func event(shownIn w: TimeScale.Window, near t: Int64) -> UInt32? {
    let spans = eventSpans
    let index = laneIndex
    if let k = index.lane(ofValue: lanes.lane) {
      let lane = index.lanes[k]
      let marks = MarkGeometry(w, spans: spans)
      if let p = lane.nearest(to: t, where: { marks.isShown(lane.events[$0]) }) { return lane.events[p] }
    }
    let results = self.results
    let lo = { (i: Int) in spans.lo[Int(results[i])] }
    let first = SortedLists.partitionPoint(results.count) { lo($0) >= w.start }
    let end = SortedLists.partitionPoint(results.count) { lo($0) >= w.end }
    guard first < end else { return nil }
    let i = min(max(first, SortedLists.partitionPoint(results.count) { lo($0) >= t }), end - 1)
    if i > first && t - lo(i - 1) <= lo(i) - t { return results[i - 1] }
    return results[i]
  }

  /// The first event after the window, or the last before it.
  func event(beyond w: TimeScale.Window, forward: Bool) -> UInt32? {
    let spans = eventSpans
    let results = self.results
    if forward {
      let i = SortedLists.partitionPoint(results.count) { spans.lo[Int(results[$0])] >= w.end }
      return i < results.count ? results[i] : nil
    }
    let i = SortedLists.partitionPoint(results.count) { spans.lo[Int(results[$0])] >= w.start }
    return i > 0 ? results[i - 1] : nil
  }

  /// The mouse over the timeline view: the wheel pans (over the labels it scrolls the lanes; with
  /// Ctrl or Alt it zooms around the pointer), a click selects the clicked lane's event nearest the
  /// pointer (on a label, nearest the selected event's time).
  mutating func handleLanesMouse(_ event: MouseEvent) {
    let g = lanesLayout
    let w = g.window(lanes)
    let forward = event.kind == .wheelDown
    switch event.kind {
    case .wheelUp, .wheelDown:
      if g.labels.contains(x: event.x, y: event.y) {
        changeLane(by: forward ? 3 : -3)
      } else if !event.modifiers.isDisjoint(with: [.control, .alt]) {
        zoom(by: forward ? 1 : -1, around: w.time(atColumn: event.x - g.plot.x) + w.scale / 2)
      } else {
        pan(by: Int64(forward ? 1 : -1) * Int64(max(1, w.columns / 8)) * w.scale)
      }
    case .press:
      let row = event.y - g.lanes.y
      let order = laneOrder
      guard row >= 0, row < g.lanes.height, lanes.topLane + row < order.count, let e = selectedEvent else { return }
      let lane = laneIndex.lanes[order[lanes.topLane + row]]
      let spans = lanesData!.spans
      let t = g.plot.contains(x: event.x, y: event.y) ? w.time(atColumn: event.x - g.plot.x) + w.scale / 2 : spans.lo[Int(e)]
      guard let p = lane.nearest(to: t) else { return }
      focus = .list
      lanes.lane = lane.value
      selectInLanes(lane.events[p])
    case .release:
      break
    }
  }
}
