import TimelineCore

/// The timeline view's own state: which facet makes the lanes and in what order, the zoom and the
/// stretch of time shown, the lane the selection moves in, and how far the lanes are scrolled. The
/// selected event is the app's, shared with the list.
public struct LanesState: Hashable, Sendable {
  public enum Order: Hashable, Sendable {
    /// Most events first.
    case count
    /// Earliest first event first.
    case firstAppearance
  }

  /// The facet whose values are the lanes; nil for one lane of every event.
  public var facet: Facet? = .country
  public var order: Order = .count
  /// Minutes per column: one of `TimeScale.scales` after a zoom, or what fits the results exactly.
  public var scale = TimeScale.scales.last!
  /// The minute at the left edge.
  public var start: Int64 = 0
  /// The value of the lane the selection moves in (`LaneIndex.noValue` for the lane without one).
  public var lane = LaneIndex.noValue
  /// The first lane on screen, as a position in the lanes' order.
  public var topLane = 0
  /// Whether the window has been placed: the first time the view shows, it fits the results.
  public var placed = false
  /// Whether the window is as `0` (or the first showing) left it, fitted to the results: a change of
  /// the filters then fits it again, as the time strip follows them; a zoom, pan or `:` keeps it.
  public var fitted = false

  public init() {}

  /// The facets the lanes go through with `f`, in turn, then one lane.
  public static let facets: [Facet?] = [.country, .person, .tag, .confidence, .era, .source, nil]
}

/// Where the parts of the timeline view go in its rectangle; shared by the view (to draw) and `update`
/// (how many columns a screen is, how many lanes a page, what a click hits).
public struct LanesLayout: Hashable, Sendable {
  public var rect: Rect
  /// Lane labels on the left: the value's name and its count.
  public var labels: Rect
  /// The columns of time, from the axis down to the last lane row.
  public var plot: Rect
  /// The axis's rows: the larger unit ("Aug 2020") above when there is room, the ticks' labels.
  public var axis: Rect
  public var eras: Rect
  /// The rows of lanes (as many lanes as rows).
  public var lanes: Rect

  public init(_ rect: Rect, eras hasEras: Bool) {
    self.rect = rect
    let labelWidth = min(26, max(10, rect.width / 4))
    var (l, rest) = rect.splitLeft(labelWidth)
    labels = l
    (_, rest) = rest.splitLeft(1)  // the divider
    plot = rest
    let axisRows = rect.height >= 8 ? 2 : 1
    let eraRows = !hasEras ? 0 : rect.height >= 20 ? 2 : rect.height >= 10 ? 1 : 0
    var below: Rect
    (axis, below) = Rect(x: plot.x, y: rect.y, width: plot.width, height: rect.height).splitTop(axisRows)
    (eras, lanes) = below.splitTop(eraRows)
  }

  public var columns: Int { plot.width }

  public func window(_ s: LanesState) -> TimeScale.Window {
    TimeScale.Window(start: s.start, scale: s.scale, columns: columns)
  }
}

extension AppState {
  /// The lanes the timeline view shows now (built by `update` when the view or its inputs change; made
  /// here when a state was set up by hand, as tests do).
  public var laneIndex: LaneIndex {
    if let built = lanesData?.index, built.facet == lanes.facet { return built }
    let made = currentLanesData
    return LaneIndex(timeline: timeline, results: results, facet: lanes.facet, spans: made.spans, cache: made.cache)
  }

  /// What the view keeps, if it is of the timeline shown; else made anew (without lanes).
  var currentLanesData: LanesData {
    if let kept = lanesData, kept.spans.timeline === timeline { return kept }
    return LanesData(spans: EventSpans(timeline), index: nil)
  }

  /// The events' spans.
  var eventSpans: EventSpans { currentLanesData.spans }

  public var lanesLayout: LanesLayout { LanesLayout(Layout(state: self).lanes, eras: !timeline.eras.isEmpty) }

  /// Builds the lanes for the results and the facet, when the timeline view shows them.
  mutating func rebuildLanes() {
    guard mode == .lanes else {
      // Spans of another version of the file are of no use (and hold it in memory).
      lanesData = lanesData?.spans.timeline === timeline ? lanesData : nil
      lanesData?.index = nil
      return
    }
    var data = currentLanesData
    data.index = LaneIndex(timeline: timeline, results: results, facet: lanes.facet, spans: data.spans, cache: data.cache)
    lanesData = data
    if lanes.fitted { lanes.placed = false }
  }

  /// Where marks are in the window shown now.
  var marks: MarkGeometry { MarkGeometry(lanesLayout.window(lanes), spans: eventSpans) }

  /// The lane positions in the order shown.
  var laneOrder: [Int] { laneIndex.ordered(lanes.order) }

  /// Where the current lane is in the order shown.
  var currentLaneRow: Int? {
    let index = laneIndex
    guard let k = index.lane(ofValue: lanes.lane) else { return nil }
    return laneOrder.firstIndex(of: k)
  }

  /// The values of the lanes an event is in (the lane without a value when it has none).
  func laneValues(of e: UInt32) -> [Int] {
    guard let facet = lanes.facet else { return [LaneIndex.noValue] }
    var out: [Int] = []
    timeline.forEachValue(facet, ofEvent: Int(e)) { out.append($0) }
    return out.isEmpty ? [LaneIndex.noValue] : out
  }

  /// Keeps the timeline view on the selection: the current lane is one of the selected event's (the
  /// first in the order shown, when it was in none), the event is in the window (which moves as little
  /// as it can, keeping a margin), and the lane is among the rows shown.
  mutating func revealInLanes() {
    if lanesData?.index == nil || lanesData?.index?.facet != lanes.facet || lanesData?.spans.timeline !== timeline { rebuildLanes() }
    let index = laneIndex
    let geometry = lanesLayout
    if !lanes.placed { fitLanes() }
    selected = min(max(0, selected), max(0, results.count - 1))
    if let e = selectedEvent {
      let values = laneValues(of: e)
      if !values.contains(lanes.lane) {
        let rows = laneOrder
        let own = Set(values.compactMap { index.lane(ofValue: $0) })
        if let first = rows.first(where: own.contains) { lanes.lane = index.lanes[first].value }
      }
      let span = lanesData!.spans.span(e)
      var w = geometry.window(lanes)
      if w.columns > 0 && !MarkGeometry(w, spans: lanesData!.spans).isShown(e) {
        let margin = Int64(min(4, w.columns / 8)) * w.scale
        if span.lowerBound < w.start {
          w.start = span.lowerBound - margin
        } else {
          w.start = span.lowerBound - (Int64(w.columns) * w.scale - margin - w.scale)
        }
        lanes.start = w.start
      }
    }
    let rows = geometry.lanes.height
    let count = laneOrder.count
    if let r = currentLaneRow, rows > 0 {
      if r < lanes.topLane { lanes.topLane = r }
      if r >= lanes.topLane + rows { lanes.topLane = r - rows + 1 }
    }
    lanes.topLane = min(max(0, lanes.topLane), max(0, count - rows))
  }

  /// Zooms and places the window so that the results' whole span fills it, but for a column at each
  /// side: the scale is what fits exactly, not a zoom level (the ladder's steps of 2 to 2.5 would leave
  /// up to half the width empty); the ticks are round whatever the scale. A date range in force clips
  /// the span, as it does the time strip's: events that run across the range (a year-long bar, a
  /// year-precision date) would otherwise stretch the window to years around a range of three days.
  mutating func fitLanes() {
    lanes.placed = true
    lanes.fitted = true
    let columns = Int64(max(1, lanesLayout.columns))
    guard var span = laneIndex.span else { return }
    let lower = max(span.lowerBound, query.from.map(TimeScale.minute) ?? .min)
    let upper = min(span.upperBound, query.to.map(TimeScale.minuteAfter) ?? .max)
    if lower < upper { span = lower..<upper }
    let length = span.upperBound - span.lowerBound
    let scale = max(1, (length + max(1, columns - 2) - 1) / max(1, columns - 2))
    lanes.scale = scale
    // Centred: the spare columns split between both sides.
    let spare = columns * scale - length
    lanes.start = span.lowerBound - spare / 2
  }
}

/// What the timeline view computes once and keeps: the events' spans and the lanes of every event for
/// each facet shown (once per timeline), and the lanes for the results and facet in force.
public struct LanesData: Sendable {
  public var spans: EventSpans
  public var cache: LaneCache
  public var index: LaneIndex?

  init(spans: EventSpans, index: LaneIndex?) {
    self.spans = spans
    cache = LaneCache(spans)
    self.index = index
  }
}
