import TimelineCore

/// The time strip under the header: a histogram of the listed events over the span the filters leave
/// (years, months, weeks or days: whatever fills the width, so a filter that keeps three days draws
/// days), the part the list shows drawn brighter, the selected event marked ▲ on an axis of round
/// ticks, a range being brushed (`v`, or a click then another) in reverse, and the eras as labelled
/// spans below; eras with no room are counted ("+2 eras"), never dropped in silence.
enum TimeStripView {
  /// The axis for a state and a strip width: the date range when one is set (so `2020-08..2020-09`
  /// draws those two months, although events that started before and last into it are listed), else
  /// from the first listed event to the last.
  static func axis(_ state: AppState, width: Int) -> TimeAxis? {
    let t = state.timeline
    guard let f = state.results.first, let l = state.results.last else { return nil }
    let lower = state.query.from?.lowerKey ?? t.startKey(at: Int(f))
    let upper = state.query.to?.upperKey ?? max(lower, t.startKey(at: Int(l)))
    return TimeAxis(lower: lower, upper: max(lower, upper), width: width)
  }

  /// The axis as drawn in the layout's strip (one column of margin each side), and that strip.
  static func placedAxis(_ state: AppState) -> (axis: TimeAxis, rect: Rect)? {
    let layout = Layout(state: state)
    guard layout.strip.height >= 2, let axis = axis(state, width: layout.strip.width - 2) else { return nil }
    return (axis, layout.strip)
  }

  /// Results (indexes into `results`) starting in bucket `k`: found by binary search, since results
  /// are in chronological order, so the strip costs its buckets, not the events.
  static func results(inBucket k: Int, _ axis: TimeAxis, _ state: AppState) -> Range<Int> {
    let (lo, hi) = axis.dayKeys(ofBucket: k)
    let r = state.results
    let t = state.timeline
    let a = SortedLists.partitionPoint(r.count) { t.startKey(at: Int(r[$0])) >= lo }
    let b = SortedLists.partitionPoint(r.count) { t.startKey(at: Int(r[$0])) > hi }
    return a..<max(a, b)
  }

  /// The bucket of the selected event.
  static func selectedBucket(_ state: AppState, _ axis: TimeAxis) -> Int? {
    state.selectedEvent.map { axis.bucket(ofDayKey: state.timeline.startKey(at: Int($0))) }
  }

  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard rect.height >= 2, let axis = axis(state, width: rect.width - 2) else { return }
    let x0 = rect.x + 1
    let t = state.timeline

    // Bars.
    let counts = (0..<axis.count).map { results(inBucket: $0, axis, state).count }
    let peak = max(1, counts.max() ?? 1)
    // The stretch the list or the timeline shows, drawn brighter.
    let visible: [Int]
    switch state.mode {
    case .list:
      visible = state.rows(from: state.list.top, count: Layout(state: state).list.height).compactMap { r -> Int? in
        if case .event(let i) = r.row { return axis.bucket(ofDayKey: t.startKey(at: Int(state.results[i]))) }
        return nil
      }
    case .lanes:
      let w = state.lanesLayout.window(state.lanes)
      visible = [w.start, max(w.start, w.end - 1)].map { axis.bucket(ofDayKey: TimeScale.dayKey(ofMinute: $0)) }
    }
    let shown = (visible.min() ?? -1)...(visible.max() ?? -1)
    // A range being brushed: from its anchor to the selected event.
    var brushed: ClosedRange<Int>?
    if let b = state.brush, let s = selectedBucket(state, axis) {
      let a = axis.bucket(ofDayKey: b.lower.lowerKey)
      brushed = min(a, s)...max(a, s)
    }
    for (k, c) in counts.enumerated() {
      let level = c == 0 ? 0 : max(1, (8 * c + peak - 1) / peak)
      var style = shown.contains(k) ? Theme.spark : Theme.sparkOutside
      if brushed?.contains(k) == true { style = Theme.brush }
      let cell = Cell(Theme.sparkChars[level], style: style)
      for col in axis.columns(ofBucket: k) { buffer.set(cell, x: x0 + col, y: rect.y) }
    }

    // Axis: the selected event's ▲ first, then round ticks inside the span, room permitting (a label
    // never covers the marker).
    var markerX = -1
    if let k = selectedBucket(state, axis) {
      // An event that started before the range shown is marked at the strip's start.
      let cols = axis.columns(ofBucket: min(max(0, k), axis.count - 1))
      markerX = x0 + (cols.lowerBound + cols.upperBound - 1) / 2
      buffer.put("▲", x: markerX, y: rect.y + 1, style: Theme.marker)
    }
    // The user's marks among the listed events: ★ under their bucket (the selection's ▲ wins, and a
    // year label gives way to them).
    var markColumns = Set<Int>()
    for e in state.user.index.marked where state.resultIndex(ofEvent: e) != nil {
      let k = axis.bucket(ofDayKey: t.startKey(at: Int(e)))
      guard k >= 0 && k < axis.count else { continue }
      let cols = axis.columns(ofBucket: k)
      let x = x0 + (cols.lowerBound + cols.upperBound - 1) / 2
      if x != markerX && markColumns.insert(x).inserted { buffer.put("★", x: x, y: rect.y + 1, style: Theme.userMark) }
    }
    var nextFree = x0
    for tick in axis.ticks(measure: DisplayWidth.of) {
      var x = x0 + tick.labelColumn
      let w = DisplayWidth.of(tick.label)
      if x <= markerX && markerX < x + w { x = markerX + 1 }
      if x >= nextFree && x + w <= rect.maxX - 1 && !(x..<x + w).contains(where: markColumns.contains) {
        buffer.put(tick.label, x: x, y: rect.y + 1, style: Theme.dim)
        nextFree = x + w + 1
      }
    }

    // Eras, each on the first row where it meets no other.
    let rows = rect.height - 2
    guard rows > 0 else { return }
    let placed = eras(state, axis, rows: rows, x0: x0, maxX: rect.maxX - 1)
    for p in placed.shown {
      let y = rect.y + 2 + p.row
      let era = p.era
      if p.xe - p.xs < 2 {
        buffer.put("┃", x: p.xs, y: y, style: Theme.era)
        buffer.put(era.title, x: p.xs + 1, y: y, style: Theme.era, maxWidth: max(0, min(rect.maxX - p.xs - 2, 24)))
        continue
      }
      buffer.put(p.startsBefore ? "─" : "├", x: p.xs, y: y, style: Theme.era)
      for x in (p.xs + 1)..<p.xe { buffer.put("─", x: x, y: y, style: Theme.era) }
      buffer.put(p.endsAfter ? "─" : "┤", x: p.xe, y: y, style: Theme.era)
      let inside = p.xe - p.xs - 1
      if p.titleAfter {
        buffer.put(era.title, x: p.xe + 2, y: y, style: Theme.era)
      } else {
        buffer.put(era.title, x: p.xs + 1, y: y, style: Theme.era, maxWidth: inside)
      }
    }
    if placed.hidden > 0 {
      // Eras with no row left are counted at the end of the last row, over whatever was there.
      let note = " +\(placed.hidden) era\(placed.hidden == 1 ? "" : "s")"
      let y = rect.y + 1 + rows
      let x = max(x0, rect.maxX - 1 - DisplayWidth.of(note))
      buffer.fill(Rect(x: x, y: y, width: rect.maxX - 1 - x, height: 1))
      buffer.put(note, x: x, y: y, style: Theme.era)
    }
  }

  /// An era as laid out on the strip: its row, first and last columns, whether its title follows it.
  struct PlacedEra {
    var era: Era
    var row: Int
    var xs: Int
    var xe: Int
    var titleAfter: Bool
    var startsBefore: Bool
    var endsAfter: Bool
  }

  /// The eras that meet the axis, packed on `rows` rows (`LanePacker`); those with no room are counted.
  static func eras(_ state: AppState, _ axis: TimeAxis, rows: Int, x0: Int, maxX: Int) -> (shown: [PlacedEra], hidden: Int) {
    var candidates: [PlacedEra] = []
    var spans: [ClosedRange<Int>] = []
    for era in state.timeline.eras {
      let a = axis.bucket(ofDayKey: era.start.lowerKey)
      let b = axis.bucket(ofDayKey: era.end.upperKey)
      guard b >= 0, a < axis.count else { continue }  // outside the span shown
      let xs = x0 + axis.columns(ofBucket: max(0, a)).lowerBound
      let xe = x0 + axis.columns(ofBucket: min(axis.count - 1, b)).upperBound - 1
      let titleWidth = DisplayWidth.of(era.title)
      var end = xe
      var titleAfter = false
      if xe - xs < 2 {
        end = xs + 1 + min(24, titleWidth)
      } else if titleWidth > xe - xs - 1 && xe - xs - 1 < 8 && xe + 2 + titleWidth <= maxX {
        // Too short a span for its name: the name follows it, and the row is taken up to its end.
        titleAfter = true
        end = xe + 2 + titleWidth
      }
      candidates.append(PlacedEra(era: era, row: 0, xs: xs, xe: xe, titleAfter: titleAfter, startsBefore: a < 0, endsAfter: b >= axis.count))
      spans.append(xs...end)
    }
    // The last row keeps room for the count of eras that do not fit, if any do not.
    var lanes = LanePacker.pack(spans, lanes: rows)
    let hidden = lanes.filter { $0 == nil }.count
    if hidden > 0 {
      let note = DisplayWidth.of(" +\(hidden) eras")
      let limit = maxX - note - 1
      // Eras on the last row that reach into the note's place make way for it.
      for i in lanes.indices where lanes[i] == rows - 1 && spans[i].upperBound >= limit { lanes[i] = nil }
    }
    var shown: [PlacedEra] = []
    for (i, lane) in lanes.enumerated() {
      guard let lane else { continue }
      var p = candidates[i]
      p.row = lane
      shown.append(p)
    }
    return (shown, lanes.filter { $0 == nil }.count)
  }
}
