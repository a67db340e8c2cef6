import TimelineCore

/// The timeline view: lanes of events on a time axis. On the left each lane's value and its count
/// under the filters; across, the axis (the larger unit above the ticks' labels), the eras as labelled
/// spans, then a row per lane where a point is one cell, a stretch is a bar, and a cell where several
/// events start says how many. Meaning is in the glyphs, never in colour alone.
enum LanesView {
  /// Glyphs for what a cell holds (each has an ASCII look-alike in `TerminalText.symbol`).
  enum Glyph {
    static let point = "◆"
    static let approximatePoint = "◇"
    static let bar = "█"
    static let approximateBar = "▒"
    static let open = "░"
    /// Several events in one cell, as many braille dots as events (2 to 8; the last is 8 or more):
    /// digits side by side would read as one number ("33" for two cells of three).
    static let counts = ["⠃", "⠇", "⡇", "⡏", "⡟", "⡿", "⣿"]
    static func count(_ n: Int) -> String { counts[min(max(n, 2), 8) - 2] }
  }

  /// What the glyphs mean, for the help (and the README, which says the same).
  static let legend: [(String, String)] = [
    (Glyph.point, "an event on that date (at this zoom, a point)"),
    (Glyph.approximatePoint, "an event on an approximate date (~)"),
    (Glyph.bar, "an event from its start to its end"),
    (Glyph.approximateBar, "the same, with an approximate start or end"),
    (Glyph.open, "the month (or year, or day) a date names, when zoomed in past it"),
    (Glyph.counts.joined(), "2 to 8 events in one column, as many dots (8 or more: all eight); zoom in to part them"),
    ("▸ ›", "the lane the selection moves in; the selected event's other lanes"),
    ("↑ ↓", "more lanes above or below (PgUp, PgDn)"),
  ]

  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard !rect.isEmpty else { return }
    let t = state.timeline
    if t.count == 0 || state.results.isEmpty {
      let text = t.count == 0 ? "This timeline has no events." : "No event matches the filters."
      buffer.put(text, x: rect.x + 2, y: rect.y + 1, style: Theme.title, maxWidth: rect.width - 3)
      buffer.cursor = (rect.x, min(rect.maxY - 1, rect.y + 1))
      return
    }
    let g = LanesLayout(rect, eras: !t.eras.isEmpty)
    let w = g.window(state.lanes)
    let index = state.laneIndex
    let order = index.ordered(state.lanes.order)
    let (unit, ticks) = TimeScale.ticks(w)

    buffer.fill(Rect(x: g.labels.maxX, y: rect.y, width: 1, height: rect.height), "│", style: Theme.border)
    drawAxis(w, unit: unit, ticks: ticks, g, into: &buffer)
    drawHeading(state, unit: unit, g, into: &buffer)
    drawEras(t, w, g, into: &buffer)

    let selected = state.selectedEvent
    let own = selected.map { Set(state.laneValues(of: $0)) } ?? []
    let spans = state.eventSpans
    let marks = MarkGeometry(w, spans: spans)
    let shown = marks.shown
    let onScreen = order.dropFirst(state.lanes.topLane).prefix(max(0, g.lanes.height))
    LaneIndex.findReach(onScreen.map { index.lanes[$0] })
    for row in 0..<g.lanes.height {
      let position = state.lanes.topLane + row
      guard position < order.count else { break }
      let lane = index.lanes[order[position]]
      let y = g.lanes.y + row
      let isCurrent = lane.value == state.lanes.lane
      drawLabel(state, lane, current: isCurrent, holdsSelection: own.contains(lane.value), x: g.labels.x, y: y, width: g.labels.width, into: &buffer)
      drawLane(state, lane, w, spans: spans, shown: shown, x: g.plot.x, y: y, ticks: ticks, into: &buffer)
      if let e = selected, own.contains(lane.value), let cols = marks.columns(of: e) {
        let style = isCurrent ? (state.focus == .list ? Theme.selected : Style(underline: true, reverse: true)) : Style(underline: true)
        buffer.restyle(Rect(x: g.plot.x + cols.lowerBound, y: y, width: cols.count, height: 1), style)
        if isCurrent && state.focus == .list { buffer.cursor = (g.plot.x + cols.lowerBound, y) }
      }
    }
    // Lanes above or below those shown: arrows on the divider, so that none is hidden silently.
    if state.lanes.topLane > 0 && g.lanes.height > 0 { buffer.put("↑", x: g.labels.maxX, y: g.lanes.y, style: Theme.title) }
    if order.count - state.lanes.topLane > g.lanes.height && g.lanes.height > 0 {
      buffer.put("↓", x: g.labels.maxX, y: g.lanes.maxY - 1, style: Theme.title)
    }
  }

  /// The two axis rows: the larger unit (at its boundaries, and where the window starts), then the
  /// ticks' labels from their column on.
  static func drawAxis(_ w: TimeScale.Window, unit: TimeScale.Unit, ticks: [TimeScale.Tick], _ g: LanesLayout, into buffer: inout Buffer) {
    let minorY = g.axis.maxY - 1
    // A label that does not fit whole at the right edge is left out: a cut date misleads.
    for tick in ticks where tick.column + DisplayWidth.of(tick.label) <= g.plot.width {
      buffer.put(tick.label, x: g.plot.x + tick.column, y: minorY, style: Theme.dim)
    }
    guard g.axis.height >= 2 else { return }
    // The larger unit the window starts in, then each one that starts in it; the first gives way when
    // the next comes too soon after it to be written whole.
    var majors: [(Int, String)] = ticks.compactMap { t in t.major.map { (t.column, $0) } }
    if let context = TimeScale.context(w, unit) { majors.insert((0, context), at: 0) }
    var free = g.plot.x
    for (k, (column, text)) in majors.enumerated() {
      let x = g.plot.x + column
      let next = k + 1 < majors.count ? g.plot.x + majors[k + 1].0 - 1 : g.plot.maxX
      // Whole or not at all: "Thu 20…" would name the wrong day as often as not.
      guard x >= free, x + DisplayWidth.of(text) <= min(next, g.plot.maxX) else { continue }
      free = buffer.put(text, x: x, y: g.axis.y, style: Theme.label) + 1
    }
  }

  /// Above the labels: what the lanes are and their order, and the axis's unit.
  static func drawHeading(_ state: AppState, unit: TimeScale.Unit, _ g: LanesLayout, into buffer: inout Buffer) {
    let room = g.labels.width - 1
    if g.axis.height >= 2 {
      let heading = headings(state.lanes).first { DisplayWidth.of($0) <= room } ?? ""
      buffer.put(heading, x: g.labels.x, y: g.axis.y, style: Theme.label, maxWidth: room)
    }
    buffer.put(unit.name, x: g.labels.x, y: g.axis.maxY - 1, style: Theme.dim, maxWidth: room)
  }

  /// What the lanes are, longest first: "Country, by count", "Country".
  static func headings(_ s: LanesState) -> [String] {
    guard let facet = s.facet else { return ["One lane"] }
    let name = facet.name.prefix(1).uppercased() + facet.name.dropFirst()
    let order = s.order == .count ? "by count" : "by date"
    return ["\(name), \(order)", "\(name) \(order)", name]
  }

  /// The eras as labelled spans, packed on the rows there are.
  static func drawEras(_ t: Timeline, _ w: TimeScale.Window, _ g: LanesLayout, into buffer: inout Buffer) {
    guard !g.eras.isEmpty else { return }
    buffer.put("eras", x: g.labels.x, y: g.eras.y, style: Theme.era, maxWidth: g.labels.width - 1)
    // Each era shown, with the columns it takes: its span, and its name after it when the span is too
    // short to hold it.
    let shown = t.eras.compactMap { era -> (era: Era, cols: ClosedRange<Int>, after: Bool)? in
      guard let cols = w.columns(TimeScale.span(start: era.start, end: era.end)) else { return nil }
      let inside = cols.count - 2
      return (era, cols, DisplayWidth.of(era.title) > inside && inside < 8)
    }
    let rows = LanePacker.pack(
      shown.map { $0.cols.lowerBound...($0.cols.upperBound + ($0.after ? DisplayWidth.of($0.era.title) + 1 : 0)) }, lanes: g.eras.height)
    for (placed, row) in zip(shown, rows) {
      guard let row else { continue }
      let (era, cols, after) = placed
      let xs = g.plot.x + cols.lowerBound
      let xe = g.plot.x + cols.upperBound
      let y = g.eras.y + row
      if xe == xs {
        buffer.put("┃", x: xs, y: y, style: Theme.era)
      } else {
        buffer.fill(Rect(x: xs, y: y, width: xe - xs + 1, height: 1), "─", style: Theme.era)
        // An era that goes on past an edge has no end mark there.
        if cols.lowerBound > 0 || w.column(TimeScale.minute(era.start)) == 0 { buffer.put("├", x: xs, y: y, style: Theme.era) }
        if cols.upperBound < w.columns - 1 { buffer.put("┤", x: xe, y: y, style: Theme.era) }
      }
      if after {
        buffer.put(era.title, x: xe + 2, y: y, style: Theme.era, maxWidth: g.plot.maxX - xe - 2)
      } else {
        buffer.put(era.title, x: xs + 1, y: y, style: Theme.era, maxWidth: max(0, xe - xs - 1))
      }
    }
  }

  /// A lane's label: a mark for the current lane (▸) and the other lanes of the selected event (›),
  /// the value's name, and its count on the right.
  static func drawLabel(
    _ state: AppState, _ lane: LaneIndex.Lane, current: Bool, holdsSelection: Bool, x: Int, y: Int, width: Int, into buffer: inout Buffer
  ) {
    let count = "\(lane.count)"
    let countWidth = count.count
    let style = holdsSelection ? Theme.title : .plain
    buffer.put(current ? "▸" : holdsSelection ? "›" : " ", x: x, y: y, style: Theme.title)
    let room = width - 3 - countWidth
    buffer.put(name(state, lane), x: x + 1, y: y, style: style, maxWidth: max(0, room))
    buffer.put(count, x: x + width - countWidth - 1, y: y, style: Theme.dim)
  }

  /// A lane's name: the value as the header names it ("CY Cyprus": the code first, so that a narrow
  /// label keeps it), or what its events lack.
  static func name(_ state: AppState, _ lane: LaneIndex.Lane) -> String {
    let t = state.timeline
    guard let facet = state.lanes.facet else { return "all events" }
    guard lane.value != LaneIndex.noValue else { return "no \(facet.valueNoun)" }
    let key = t.key(facet, lane.value)
    switch facet {
    case .country: return key + " " + (t.countries[slot: lane.value]?.name ?? "")
    case .confidence: return String(Confidence.allCases[lane.value].mark) + " " + key
    default: return t.label(facet, key: key)
    }
  }

  /// A lane's cells: for each column, how many events start there (a mark for one, a digit for
  /// several), else what passes through it. A few binary searches a column, whatever the events.
  static func drawLane(
    _ state: AppState, _ lane: LaneIndex.Lane, _ w: TimeScale.Window, spans: EventSpans, shown: [Bool], x: Int, y: Int,
    ticks: [TimeScale.Tick], into buffer: inout Buffer
  ) {
    var i = lane.firstIndex(startingAtOrAfter: w.start)
    var tick = 0
    let reach = lane.reachBlocks()
    for c in 0..<w.columns {
      let a = w.start + Int64(c) * w.scale
      let (column, next) = lane.column(from: a, to: a + w.scale, startingAt: i, showing: shown, reach: reach)
      i = next
      while tick < ticks.count && ticks[tick].column < c { tick += 1 }
      var glyph: String
      var style = Theme.lane
      switch column.count {
      case 0:
        guard let cover = column.cover else {
          // Faint guides under the ticks, to read a mark's date against the axis.
          // (Not in the first column: beside the divider it would read as a second one.)
          if c > 0 && tick < ticks.count && ticks[tick].column == c { buffer.put("┊", x: x + c, y: y, style: Theme.border) }
          continue
        }
        glyph = self.glyph(cover)
      case 1:
        let e = lane.events[column.first]
        let cover = spans.cover[Int(e)]
        if shown[Int(cover.rawValue)], let cols = w.columns(spans.span(e)), cols.count > 1 {
          glyph = self.glyph(cover)
        } else {
          glyph = spans.kind[Int(e)].isApproximate ? Glyph.approximatePoint : Glyph.point
        }
        if state.search?.contains(e) == true { style = Theme.match }
        // The user's mark, as in the list.
        if state.user.index.isMarked(e) {
          glyph = "★"
          style = Theme.userMark.over(style)
        }
      default:
        glyph = Glyph.count(column.count)
        style = Theme.title
        // A search match or a mark among the first events of a crowded cell shows; checking them all
        // would make a frame cost what the events cost, not what the screen holds.
        for k in column.first..<min(column.first + column.count, column.first + 16) {
          if state.search?.contains(lane.events[k]) == true { style = Theme.match.over(style) }
          if state.user.index.isMarked(lane.events[k]) { style = Theme.userMark.over(style) }
        }
      }
      buffer.put(glyph, x: x + c, y: y, style: style)
    }
  }

  static func glyph(_ cover: Cover) -> String {
    switch cover {
    case .solid: Glyph.bar
    case .medium: Glyph.approximateBar
    case .openDay, .openMonth, .openYear, .none: Glyph.open
    }
  }

}
