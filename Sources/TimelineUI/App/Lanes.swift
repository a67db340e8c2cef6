import TimelineCore

/// How an event is drawn in a lane, from what its dates say.
public enum MarkKind: UInt8, Hashable, Sendable {
  /// A date without an end: a point (or, zoomed in past its precision, the stretch it may be in).
  case point, approximatePoint
  /// A start and an end: a bar.
  case bar, approximateBar

  var isApproximate: Bool { self == .approximatePoint || self == .approximateBar }
}

/// How the columns an event passes through are filled: solid for a bar, medium for an approximate
/// bar, and lightly for the stretch a date's precision leaves open (a month-precision date covers its
/// month) once the axis's unit is finer than that precision. A date with a time of day covers nothing.
public enum Cover: UInt8, CaseIterable, Hashable, Sendable {
  case solid, medium, openDay, openMonth, openYear, none

  init(_ kind: MarkKind, _ start: TimelineDate) {
    switch kind {
    case .bar: self = .solid
    case .approximateBar: self = .medium
    case .point, .approximatePoint:
      if start.minuteOfDay != nil {
        self = .none
      } else {
        switch start.precision {
        case .day: self = .openDay
        case .month: self = .openMonth
        case .year: self = .openYear
        }
      }
    }
  }

  /// Whether a date's open stretch shows at this unit of the axis: a day's once the ticks are hours,
  /// a month's once they are days or weeks, a year's once they are months.
  func shows(at unit: TimeScale.Unit) -> Bool {
    switch self {
    case .solid, .medium: true
    case .none: false
    case .openDay: unit.isFinerThanADay
    case .openMonth: unit.isFinerThanAMonth
    case .openYear: unit.isFinerThanAYear
    }
  }
}

/// Where every event lies on the time line (`TimeScale` minutes) and how it is drawn. A timeline never
/// changes, so this is made once, the first time the timeline view is shown, and every lane index is
/// built from it without calendar arithmetic.
public final class EventSpans: Sendable {
  /// The first minute of each event, by event number (non-decreasing: events are in time order).
  let lo: [Int64]
  /// The minute after each event's last.
  let hi: [Int64]
  let kind: [MarkKind]
  let cover: [Cover]

  public init(_ t: Timeline) {
    var lo = [Int64](repeating: 0, count: t.count)
    var hi = [Int64](repeating: 0, count: t.count)
    var kind = [MarkKind](repeating: .point, count: t.count)
    var cover = [Cover](repeating: .none, count: t.count)
    for e in 0..<t.count {
      let start = t.date(at: e)
      let end = t.endDate(at: e)
      let span = TimeScale.span(start: start, end: end)
      lo[e] = span.lowerBound
      hi[e] = span.upperBound
      let approximate = start.isApproximate || end?.isApproximate == true
      kind[e] = end == nil ? (approximate ? .approximatePoint : .point) : (approximate ? .approximateBar : .bar)
      cover[e] = Cover(kind[e], start)
    }
    self.lo = lo
    self.hi = hi
    self.kind = kind
    self.cover = cover
  }

  public func span(_ e: UInt32) -> Range<Int64> { lo[Int(e)]..<hi[Int(e)] }
}

/// Where events' marks are in a window: a bar, or the open stretch of an imprecise date once the unit
/// of the axis is finer than its precision, takes every column it covers; anything else is a point in
/// its first column. The view draws by it, and `update` and the tests use it to tell whether an event
/// is on screen, so that "shown" means the same everywhere.
public struct MarkGeometry {
  public let window: TimeScale.Window
  let spans: EventSpans
  /// Whether each `Cover` is drawn at this window's unit.
  let shown: [Bool]

  public init(_ window: TimeScale.Window, spans: EventSpans) {
    self.window = window
    self.spans = spans
    let unit = TimeScale.unit(of: window)
    shown = Cover.allCases.map { $0.shows(at: unit) }
  }

  /// The columns event `e`'s mark takes, clipped to the window; nil when it is not in it.
  public func columns(of e: UInt32) -> ClosedRange<Int>? {
    guard let cols = window.columns(spans.span(e)) else { return nil }
    if shown[Int(spans.cover[Int(e)].rawValue)] { return cols }
    let first = window.column(spans.lo[Int(e)])
    return (0..<window.columns).contains(first) ? first...first : nil
  }

  public func isShown(_ e: UInt32) -> Bool { columns(of: e) != nil }
}

/// The lanes for a facet under the filters: one per value the results carry, each with its events in
/// time order and, for drawing any window in a few binary searches per column, how far the events
/// reach. Built when the results or the facet change (never while drawing a frame); a frame then costs
/// the columns it shows, not the events.
public final class LaneIndex: Sendable {
  /// A lane's value when it has none: the lane of events without a value for the facet, or the one
  /// lane of all events when no facet is chosen.
  public static let noValue = -1

  public struct Lane: Sendable {
    /// The facet's value index, or `noValue`.
    public let value: Int
    /// Event numbers, in time order.
    public let events: [UInt32]
    /// Their first minutes, the minutes after their last, and how they fill what they pass through.
    let lo: [Int64]
    let hi: [Int64]
    let cover: [Cover]
    /// For each `Cover`, the furthest minute reached by the events of that cover in each block of
    /// `blockSize` positions and all before it: with the few positions since the last block, how far
    /// the events before any position reach, for the columns a long event passes through.
    let reach: [[Int64]]
    static let blockSize = 32

    public var count: Int { events.count }
  }

  public let facet: Facet?
  /// In value order, the lane without a value last.
  public let lanes: [Lane]
  /// Positions in `lanes`, for each order.
  let byCount: [Int]
  let byFirst: [Int]
  /// The position in `lanes` of each value's lane.
  let laneOfValue: [Int: Int]
  /// From the first result's start to the furthest end; nil without results.
  public let span: Range<Int64>?

  public init(timeline t: Timeline, results: [UInt32], facet: Facet?, spans: EventSpans) {
    self.facet = facet
    // Lanes in value order, then the one without a value.
    let order: [(value: Int, events: [UInt32])]
    if let facet {
      order = results.count >= t.count / 4 ? Self.byPostings(t, results, facet) : Self.byEvents(t, results, facet)
    } else {
      order = results.isEmpty ? [] : [(Self.noValue, results)]
    }
    lanes = order.map { Self.lane(value: $0.value, events: $0.events, spans: spans) }
    var map: [Int: Int] = [:]
    for (k, lane) in lanes.enumerated() { map[lane.value] = k }
    laneOfValue = map
    // The lane without a value stays last in both orders: it is the rest, not a value.
    let built = lanes
    let ranked = built.indices.filter { built[$0].value != Self.noValue }
    let last = built.indices.filter { built[$0].value == Self.noValue }
    byCount = ranked.sorted { (-built[$0].count, built[$0].lo[0], $0) < (-built[$1].count, built[$1].lo[0], $1) } + last
    byFirst = ranked.sorted { (built[$0].lo[0], $0) < (built[$1].lo[0], $1) } + last
    if let first = results.first {
      var end = Int64.min
      for e in results { end = max(end, spans.hi[Int(e)]) }
      span = spans.lo[Int(first)]..<end
    } else {
      span = nil
    }
  }

  /// Each value's events among the results, from its posting list: when most events are results,
  /// this costs the postings, where asking each result for its values costs a call per value (at a
  /// million events, switching to lanes by country took 44 ms the one way against 15 ms this way).
  static func byPostings(_ t: Timeline, _ results: [UInt32], _ facet: Facet) -> [(value: Int, events: [UInt32])] {
    let all = results.count == t.count
    var isResult = [Bool](repeating: all, count: all ? 0 : t.count)
    if !all { for e in results { isResult[Int(e)] = true } }
    var carries = [Bool](repeating: false, count: t.count)
    var out: [(value: Int, events: [UInt32])] = []
    for v in 0..<t.valueCount(facet) {
      let posting = t.events(facet, v)
      guard !posting.isEmpty else { continue }
      let kept = all ? Array(posting) : posting.filter { isResult[Int($0)] }
      guard !kept.isEmpty else { continue }
      for e in kept { carries[Int(e)] = true }
      out.append((v, kept))
    }
    let none = results.filter { !carries[Int($0)] }
    if !none.isEmpty { out.append((noValue, none)) }
    return out
  }

  /// Each value's events among the results, asking each result for its values: for a few results.
  static func byEvents(_ t: Timeline, _ results: [UInt32], _ facet: Facet) -> [(value: Int, events: [UInt32])] {
    var members: [[UInt32]] = []
    var values: [Int] = []
    var slot = [Int32](repeating: -1, count: t.valueCount(facet))
    var none: [UInt32] = []
    for e in results {
      var any = false
      t.forEachValue(facet, ofEvent: Int(e)) { v in
        any = true
        var k = Int(slot[v])
        if k < 0 {
          k = members.count
          slot[v] = Int32(k)
          members.append([])
          values.append(v)
        }
        members[k].append(e)
      }
      if !any { none.append(e) }
    }
    var out = values.indices.sorted { values[$0] < values[$1] }.map { (value: values[$0], events: members[$0]) }
    if !none.isEmpty { out.append((noValue, none)) }
    return out
  }

  static func lane(value: Int, events: [UInt32], spans: EventSpans) -> Lane {
    let lo = events.map { spans.lo[Int($0)] }
    let hi = events.map { spans.hi[Int($0)] }
    let cover = events.map { spans.cover[Int($0)] }
    let blocks = events.count / Lane.blockSize
    var reach = [[Int64]](repeating: [Int64](repeating: Int64.min, count: blocks), count: Cover.allCases.count)
    var furthest = [Int64](repeating: Int64.min, count: reach.count)
    for b in 0..<blocks {
      for k in (b * Lane.blockSize)..<((b + 1) * Lane.blockSize) {
        let c = Int(cover[k].rawValue)
        furthest[c] = max(furthest[c], hi[k])
      }
      for c in reach.indices { reach[c][b] = furthest[c] }
    }
    return Lane(value: value, events: events, lo: lo, hi: hi, cover: cover, reach: reach)
  }

  /// Lane positions in the order asked for.
  public func ordered(_ order: LanesState.Order) -> [Int] { order == .count ? byCount : byFirst }

  /// The lane of a value, if the results give it one.
  public func lane(ofValue v: Int) -> Int? { laneOfValue[v] }
}

extension LaneIndex.Lane {
  /// The first position whose event starts at or after minute `t`.
  func firstIndex(startingAtOrAfter t: Int64) -> Int {
    var a = 0
    var b = lo.count
    while a < b {
      let m = (a + b) / 2
      if lo[m] < t { a = m + 1 } else { b = m }
    }
    return a
  }

  /// Where event `e` is in the lane, if it is there.
  public func position(of e: UInt32) -> Int? {
    var a = 0
    var b = events.count
    while a < b {
      let m = (a + b) / 2
      if events[m] < e { a = m + 1 } else { b = m }
    }
    return a < events.count && events[a] == e ? a : nil
  }

  /// The position of the event starting nearest minute `t` (the earlier on a tie), among those for
  /// which `allowed` holds; nil when there is none.
  func nearest(to t: Int64, where allowed: (Int) -> Bool = { _ in true }) -> Int? {
    let i = firstIndex(startingAtOrAfter: t)
    var before = i - 1
    var after = i
    while before >= 0 && !allowed(before) { before -= 1 }
    while after < lo.count && !allowed(after) { after += 1 }
    switch (before >= 0, after < lo.count) {
    case (true, true): return t - lo[before] <= lo[after] - t ? before : after
    case (true, false): return before
    case (false, true): return after
    case (false, false): return nil
    }
  }

  /// What one column shows: how many events start in it, the first of them, and the strongest cover
  /// among those that pass through it (starting there or before) and show at the axis's unit.
  struct Column {
    var count: Int
    var first: Int
    var cover: Cover?
  }

  /// The column from minute `a` to minute `b` (exclusive), given `i`, the first position starting at
  /// or after `a`; also returns the first position starting at or after `b`, for the next column.
  func column(from a: Int64, to b: Int64, startingAt i: Int, showing shown: [Bool]) -> (Column, next: Int) {
    var j = i
    // Most columns hold few events: walk a little before searching.
    while j < lo.count && lo[j] < b && j - i < 8 { j += 1 }
    if j < lo.count && lo[j] < b {
      var lower = j
      var upper = lo.count
      while lower < upper {
        let m = (lower + upper) / 2
        if lo[m] < b { lower = m + 1 } else { upper = m }
      }
      j = lower
    }
    var best = Int(Cover.none.rawValue)
    // The events since the last whole block, one by one; those before, by the blocks' reach.
    let block = j / Self.blockSize
    for k in (block * Self.blockSize)..<j where hi[k] > a {
      let c = Int(cover[k].rawValue)
      if c < best && shown[c] { best = c }
    }
    if block > 0 {
      for c in 0..<best where shown[c] && reach[c][block - 1] > a {
        best = c
        break
      }
    }
    return (Column(count: j - i, first: i, cover: best == Int(Cover.none.rawValue) ? nil : Cover(rawValue: UInt8(best))), j)
  }
}
