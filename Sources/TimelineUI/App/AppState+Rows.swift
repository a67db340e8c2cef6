import TimelineCore

/// A position in the list's rows. The list shows the results grouped under year and month headings;
/// rather than building a row array (a million events would make every filter change pay for it), a
/// row is named by the result it belongs to and which part of it: its year heading, its month heading
/// or the event itself. Walking rows is O(rows walked), so scrolling costs what is on screen.
public struct RowCursor: Hashable, Sendable, Comparable {
  public enum Part: Int, Hashable, Sendable { case year = 0, month = 1, event = 2 }
  public var result: Int
  public var part: Part

  public init(result: Int, part: Part) {
    self.result = result
    self.part = part
  }

  public static func < (a: Self, b: Self) -> Bool { (a.result, a.part.rawValue) < (b.result, b.part.rawValue) }
}

/// What a list row shows.
public enum ListRow: Hashable, Sendable {
  case year(Int64)
  case month(Int64, UInt8)
  /// An index into `results`.
  case event(Int)
}

extension AppState {
  private func yearMonth(_ r: Int) -> (Int64, UInt8) {
    let d = timeline.date(at: Int(results[r]))
    return (d.year, d.month)
  }

  /// Whether result `r` has a heading of the given part above it.
  func hasHeading(_ r: Int, _ part: RowCursor.Part) -> Bool {
    let (y, m) = yearMonth(r)
    switch part {
    case .event: return true
    case .year: return r == 0 || yearMonth(r - 1).0 != y
    case .month:
      // Year-precision events sit under the year heading with no month heading.
      guard m != 0 else { return false }
      if r == 0 { return true }
      let (py, pm) = yearMonth(r - 1)
      return py != y || pm != m
    }
  }

  /// The first row of result `r` (its year heading, month heading or itself).
  func firstRow(of r: Int) -> RowCursor {
    if hasHeading(r, .year) { return RowCursor(result: r, part: .year) }
    if hasHeading(r, .month) { return RowCursor(result: r, part: .month) }
    return RowCursor(result: r, part: .event)
  }

  func row(at c: RowCursor) -> ListRow {
    let (y, m) = yearMonth(c.result)
    switch c.part {
    case .year: return .year(y)
    case .month: return .month(y, m)
    case .event: return .event(c.result)
    }
  }

  func nextRow(_ c: RowCursor) -> RowCursor? {
    switch c.part {
    case .year where hasHeading(c.result, .month): return RowCursor(result: c.result, part: .month)
    case .year, .month: return RowCursor(result: c.result, part: .event)
    case .event: return c.result + 1 < results.count ? firstRow(of: c.result + 1) : nil
    }
  }

  func previousRow(_ c: RowCursor) -> RowCursor? {
    switch c.part {
    case .event:
      if hasHeading(c.result, .month) { return RowCursor(result: c.result, part: .month) }
      if hasHeading(c.result, .year) { return RowCursor(result: c.result, part: .year) }
    case .month:
      if hasHeading(c.result, .year) { return RowCursor(result: c.result, part: .year) }
    case .year: break
    }
    return c.result > 0 ? RowCursor(result: c.result - 1, part: .event) : nil
  }

  /// Moves `n` rows forward (or back for negative `n`), stopping at the ends.
  func moved(_ c: RowCursor, by n: Int) -> RowCursor {
    var cur = c
    if n > 0 {
      for _ in 0..<n {
        guard let next = nextRow(cur) else { break }
        cur = next
      }
    } else {
      for _ in 0..<(-n) {
        guard let prev = previousRow(cur) else { break }
        cur = prev
      }
    }
    return cur
  }

  /// Up to `count` rows starting at `start`.
  public func rows(from start: RowCursor, count: Int) -> [(cursor: RowCursor, row: ListRow)] {
    guard !results.isEmpty, count > 0 else { return [] }
    var out: [(RowCursor, ListRow)] = []
    var cur: RowCursor? = start
    while let c = cur, out.count < count {
      out.append((c, row(at: c)))
      cur = nextRow(c)
    }
    return out
  }

  /// Rows from `a` forward to `b`, or nil if `b` is not within `limit` rows.
  func distance(from a: RowCursor, to b: RowCursor, limit: Int) -> Int? {
    if a == b { return 0 }
    var cur = a
    for k in 1...max(1, limit) {
      guard let next = nextRow(cur) else { return nil }
      cur = next
      if cur == b { return k }
      if b < cur { return nil }
    }
    return nil
  }

  /// Keeps the selected event on screen in the view shown.
  public mutating func scrollToSelection() {
    switch mode {
    case .list: scrollListToSelection()
    case .lanes: revealInLanes()
    }
  }

  /// Scrolls so that the selected event is on screen with a little context around it (its headings
  /// and up to two rows above and below), and the list does not stop short of the bottom when there
  /// are rows to show.
  mutating func scrollListToSelection() {
    guard !results.isEmpty else {
      list.top = RowCursor(result: 0, part: .event)
      selected = 0
      return
    }
    selected = min(max(0, selected), results.count - 1)
    let h = max(1, Layout(state: self).list.height)
    let margin = min(2, (h - 1) / 4)
    if list.top.result >= results.count { list.top = firstRow(of: results.count - 1) }
    list.top = normalized(list.top)
    let sel = RowCursor(result: selected, part: .event)
    let headings = (hasHeading(selected, .year) ? 1 : 0) + (hasHeading(selected, .month) ? 1 : 0)
    let above = min(h - 1, max(margin, headings))
    let below = min(h - 1 - above, margin)
    if sel < list.top {
      list.top = moved(sel, by: -above)
    } else if let d = distance(from: list.top, to: sel, limit: h) {
      if d < above { list.top = moved(sel, by: -above) }
      if d > h - 1 - below { list.top = moved(sel, by: -(h - 1 - below)) }
    } else {
      list.top = moved(sel, by: -(h - 1 - below))
    }
    // Fill the screen: if the rows from `list.top` end before the bottom, move up.
    let shown = rows(from: list.top, count: h).count
    if shown < h { list.top = moved(list.top, by: -(h - shown)) }
  }

  var rowsStart: RowCursor { results.isEmpty ? RowCursor(result: 0, part: .event) : firstRow(of: 0) }

  /// A cursor that names a row that exists (a heading part may vanish when results change).
  func normalized(_ c: RowCursor) -> RowCursor {
    if c.part == .event || hasHeading(c.result, c.part) { return c }
    return RowCursor(result: c.result, part: .event)
  }

  /// The result shown on screen row `y` of the list, if that row is an event (for mouse clicks); a
  /// heading row gives the event under it.
  func result(atListRow y: Int) -> Int? {
    let visible = rows(from: list.top, count: Layout(state: self).list.height)
    guard y >= 0, y < visible.count else { return nil }
    return visible[y].cursor.result
  }
}
