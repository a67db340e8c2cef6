import Dispatch
import Synchronization
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
/// changes, so this is made once, the first time the timeline view is shown, and every lane reads it
/// without calendar arithmetic (lanes hold event numbers, not copies of these).
public final class EventSpans: Sendable {
  /// The timeline the spans are of (a new version of the file makes new spans).
  let timeline: Timeline
  /// The first minute of each event, by event number (non-decreasing: events are in time order).
  let lo: [Int64]
  /// The minute after each event's last.
  let hi: [Int64]
  let kind: [MarkKind]
  let cover: [Cover]
  /// The furthest `hi`: where the span of every event ends.
  let furthest: Int64

  /// `parallelFrom`: from this many events, two halves are found side by side (ten million events took
  /// a second on one core); each writes only its own.
  public init(_ t: Timeline, parallelFrom: Int = 100_000) {
    timeline = t
    let n = t.count
    let parts = n >= max(2, parallelFrom) ? 2 : 1
    var lo = [Int64](repeating: 0, count: n)
    var hi = [Int64](repeating: 0, count: n)
    var kind = [MarkKind](repeating: .point, count: n)
    var cover = [Cover](repeating: .none, count: n)
    var furthest = [Int64](repeating: .min, count: parts)
    lo.withUnsafeMutableBufferPointer { loP in
      hi.withUnsafeMutableBufferPointer { hiP in
        kind.withUnsafeMutableBufferPointer { kindP in
          cover.withUnsafeMutableBufferPointer { coverP in
            furthest.withUnsafeMutableBufferPointer { furthestP in
              nonisolated(unsafe) let (loP, hiP, kindP, coverP, furthestP) = (loP, hiP, kindP, coverP, furthestP)
              DispatchQueue.concurrentPerform(iterations: parts) { part in
                var end = Int64.min
                for e in (n * part / parts)..<(n * (part + 1) / parts) {
                  let start = t.date(at: e)
                  let last = t.endDate(at: e)
                  let span = TimeScale.span(start: start, end: last)
                  loP[e] = span.lowerBound
                  hiP[e] = span.upperBound
                  end = max(end, span.upperBound)
                  let approximate = start.isApproximate || last?.isApproximate == true
                  let k: MarkKind = last == nil ? (approximate ? .approximatePoint : .point) : (approximate ? .approximateBar : .bar)
                  kindP[e] = k
                  coverP[e] = Cover(k, start)
                }
                furthestP[part] = end
              }
            }
          }
        }
      }
    }
    self.lo = lo
    self.hi = hi
    self.kind = kind
    self.cover = cover
    self.furthest = furthest.max() ?? .min
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
/// reach. Made when the results or the facet change (never while drawing a frame); a frame then costs
/// the columns it shows, not the events.
///
/// Nothing is copied per event: a lane holds event numbers and reads their spans from `EventSpans`.
/// When every event is a result (no filter), a lane is its value's posting list, read in place, and the
/// lanes of each facet are kept for the timeline's life (`LaneCache`), so that switching facets costs
/// the values, not the events (at ten million events a switch built every lane in full: 194 ms). How
/// far a lane's events reach is found the first time the lane is drawn, and kept with it.
public final class LaneIndex: Sendable {
  /// A lane's value when it has none: the lane of events without a value for the facet, or the one
  /// lane of all events when no facet is chosen.
  public static let noValue = -1

  public struct Lane: Sendable {
    /// The facet's value index, or `noValue`.
    public let value: Int
    /// Event numbers, in time order.
    public let events: LaneEvents
    let spans: EventSpans
    /// For each drawn `Cover` (all but `.none`), the furthest minute reached by the events of that
    /// cover in each block of `blockSize` positions and all before it: with the few positions since
    /// the last block, how far the events before any position reach, for the columns a long event
    /// passes through. Found when first drawn (`reachBlocks`).
    let reach: ReachBox
    static let blockSize = 32
    static let covers = Cover.allCases.count - 1

    init(value: Int, events: LaneEvents, spans: EventSpans) {
      self.value = value
      self.events = events
      self.spans = spans
      reach = ReachBox()
    }

    public var count: Int { events.count }
    /// The first minute of the event at position `p`, the minute after its last, and how it fills
    /// what it passes through.
    func lo(_ p: Int) -> Int64 { spans.lo[Int(events[p])] }
    func hi(_ p: Int) -> Int64 { spans.hi[Int(events[p])] }
    func cover(_ p: Int) -> Cover { spans.cover[Int(events[p])] }

    /// The reach of each block, by block then cover (`covers` a block); made on first use, then kept.
    func reachBlocks() -> [Int64] {
      reach.blocks.withLock { known in
        if let known { return known }
        let made = Self.reach(events, spans)
        known = made
        return made
      }
    }

    static func reach(_ events: LaneEvents, _ spans: EventSpans) -> [Int64] {
      let blocks = events.count / blockSize
      var out = [Int64](repeating: .min, count: blocks * covers)
      var furthest = [Int64](repeating: .min, count: covers)
      events.base.withUnsafeBufferPointer { ev in
        spans.hi.withUnsafeBufferPointer { hi in
          spans.cover.withUnsafeBufferPointer { cover in
            out.withUnsafeMutableBufferPointer { out in
              furthest.withUnsafeMutableBufferPointer { f in
                for b in 0..<blocks {
                  for k in (b * blockSize)..<((b + 1) * blockSize) {
                    let e = Int(ev[k])
                    let c = Int(cover[e].rawValue)
                    if c < covers && hi[e] > f[c] { f[c] = hi[e] }
                  }
                  for c in 0..<covers { out[b * covers + c] = f[c] }
                }
              }
            }
          }
        }
      }
      return out
    }
  }

  /// Where a lane keeps its reach once found (a lane is a value shared by the indexes that hold it).
  final class ReachBox: Sendable {
    let blocks = Mutex<[Int64]?>(nil)
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

  /// `cache`, when given, must be of `t` and `spans`: with every event a result, the lanes come from
  /// it (made once per facet); without it they are made here, the same way. `inPlace` false makes
  /// them as under a filter, from copies (for the tests, which compare both ways).
  public init(timeline t: Timeline, results: [UInt32], facet: Facet?, spans: EventSpans, cache: LaneCache? = nil, inPlace: Bool = true) {
    self.facet = facet
    // Results are sorted and distinct, so as many as the events are all of them.
    let all = inPlace && results.count == t.count && t.count > 0
    if all {
      lanes = (cache ?? LaneCache(spans)).lanes(facet, allEvents: results)
    } else if let facet {
      // Lanes in value order, then the one without a value.
      let order = results.count >= t.count / 4 ? Self.byPostings(t, results, facet) : Self.byEvents(t, results, facet)
      lanes = order.map { Lane(value: $0.value, events: LaneEvents($0.events[...]), spans: spans) }
    } else {
      lanes = results.isEmpty ? [] : [Lane(value: Self.noValue, events: LaneEvents(results[...]), spans: spans)]
    }
    var map: [Int: Int] = [:]
    for (k, lane) in lanes.enumerated() { map[lane.value] = k }
    laneOfValue = map
    // The lane without a value stays last in both orders: it is the rest, not a value.
    let built = lanes
    let firsts = built.map { $0.lo(0) }
    let ranked = built.indices.filter { built[$0].value != Self.noValue }
    let last = built.indices.filter { built[$0].value == Self.noValue }
    byCount = ranked.sorted { (-built[$0].count, firsts[$0], $0) < (-built[$1].count, firsts[$1], $1) } + last
    byFirst = ranked.sorted { (firsts[$0], $0) < (firsts[$1], $1) } + last
    if all {
      span = spans.lo[0]..<spans.furthest
    } else if let first = results.first {
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

  /// Lane positions in the order asked for.
  public func ordered(_ order: LanesState.Order) -> [Int] { order == .count ? byCount : byFirst }

  /// Finds how far the events of these lanes reach, where not yet known, on two threads (the lanes a
  /// screen shows, before they are drawn: the first screen of lanes by a facet reads most events).
  static func findReach(_ lanes: [Lane], parallelFrom: Int = 100_000) {
    let missing = lanes.filter { lane in lane.reach.blocks.withLock { $0 == nil } && lane.count >= Lane.blockSize }
    let total = missing.reduce(0) { $0 + $1.count }
    guard total >= parallelFrom, total > 0 else { return }
    // Two shares of about as many events each.
    var half = 0
    var split = 0
    while split < missing.count && half + missing[split].count <= total / 2 {
      half += missing[split].count
      split += 1
    }
    let shares = [missing[..<split], missing[split...]]
    DispatchQueue.concurrentPerform(iterations: 2) { k in
      for lane in shares[k] { _ = lane.reachBlocks() }
    }
  }

  /// The lane of a value, if the results give it one.
  public func lane(ofValue v: Int) -> Int? { laneOfValue[v] }
}

/// A lane's event numbers, at positions from 0: a posting list of the timeline read in place, or the
/// results carrying a value.
public struct LaneEvents: RandomAccessCollection, Sendable {
  let base: ArraySlice<UInt32>

  init(_ base: ArraySlice<UInt32>) { self.base = base }

  public var startIndex: Int { 0 }
  public var endIndex: Int { base.count }
  public subscript(p: Int) -> UInt32 { base[base.startIndex + p] }
}

/// The lanes of every event of a timeline, for each facet, made the first time a facet's lanes are
/// asked for and kept with the spans: a value's lane is its posting list read in place, and the lane
/// without a value the events carrying none. Going back to a facet (or clearing the filters) then
/// finds its lanes, and the reach of those already drawn.
public final class LaneCache: Sendable {
  let spans: EventSpans
  private let made = Mutex<[Facet?: [LaneIndex.Lane]]>([:])

  public init(_ spans: EventSpans) { self.spans = spans }

  public var timeline: Timeline { spans.timeline }

  /// The lanes of a facet over every event; `allEvents` is the list of every event number (the
  /// explorer's results without filters), the one lane without a facet.
  func lanes(_ facet: Facet?, allEvents: [UInt32]) -> [LaneIndex.Lane] {
    if let known = made.withLock({ $0[facet] }) { return known }
    let t = spans.timeline
    var out: [LaneIndex.Lane] = []
    if let facet {
      // Which events carry a value, a bit each (ten million events: 1.2 MB, which the caches hold).
      let words = (t.count + 63) / 64
      var carries = [UInt64](repeating: 0, count: words)
      for v in 0..<t.valueCount(facet) {
        let posting = t.events(facet, v)
        guard !posting.isEmpty else { continue }
        out.append(LaneIndex.Lane(value: v, events: LaneEvents(posting), spans: spans))
        carries.withUnsafeMutableBufferPointer { c in
          posting.withUnsafeBufferPointer { p in for e in p { c[Int(e >> 6)] |= 1 << (e & 63) } }
        }
      }
      var none: [UInt32] = []
      carries.withUnsafeBufferPointer { c in
        for w in 0..<words {
          var missing = ~c[w]
          if w == words - 1 && t.count % 64 != 0 { missing &= (1 << UInt64(t.count % 64)) - 1 }
          while missing != 0 {
            none.append(UInt32(w * 64 + missing.trailingZeroBitCount))
            missing &= missing - 1
          }
        }
      }
      if !none.isEmpty { out.append(LaneIndex.Lane(value: LaneIndex.noValue, events: LaneEvents(none[...]), spans: spans)) }
    } else if !allEvents.isEmpty {
      out = [LaneIndex.Lane(value: LaneIndex.noValue, events: LaneEvents(allEvents[...]), spans: spans)]
    }
    made.withLock { $0[facet] = out }
    return out
  }
}

extension LaneIndex.Lane {
  /// The first position whose event starts at or after minute `t`.
  func firstIndex(startingAtOrAfter t: Int64) -> Int {
    var a = 0
    var b = count
    while a < b {
      let m = (a + b) / 2
      if lo(m) < t { a = m + 1 } else { b = m }
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
    while after < count && !allowed(after) { after += 1 }
    switch (before >= 0, after < count) {
    case (true, true): return t - lo(before) <= lo(after) - t ? before : after
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
    column(from: a, to: b, startingAt: i, showing: shown, reach: reachBlocks())
  }

  /// The same, with the lane's `reachBlocks()` (found once for a frame's columns).
  func column(from a: Int64, to b: Int64, startingAt i: Int, showing shown: [Bool], reach: [Int64]) -> (Column, next: Int) {
    var j = i
    // Most columns hold few events: walk a little before searching.
    while j < count && lo(j) < b && j - i < 8 { j += 1 }
    if j < count && lo(j) < b {
      var lower = j
      var upper = count
      while lower < upper {
        let m = (lower + upper) / 2
        if lo(m) < b { lower = m + 1 } else { upper = m }
      }
      j = lower
    }
    let covers = Self.covers
    var best = covers
    // The events since the last whole block, one by one; those before, by the blocks' reach.
    let block = j / Self.blockSize
    for k in (block * Self.blockSize)..<j where hi(k) > a {
      let c = Int(cover(k).rawValue)
      if c < best && shown[c] { best = c }
    }
    if block > 0 {
      for c in 0..<best where shown[c] && reach[(block - 1) * covers + c] > a {
        best = c
        break
      }
    }
    return (Column(count: j - i, first: i, cover: best == covers ? nil : Cover(rawValue: UInt8(best))), j)
  }
}
