/// The facet filters and the pickers' counts: which events pass the facets of a query, and how many
/// events carry each value of a facet under the other filters, with the spark line of when they happen.
///
/// A picker's counts are counts "under the other filters": turning a country on or off cannot change
/// the country counts, so they are kept, keyed by the other filters (`FacetMemo.histograms`), and
/// toggling a value finds them again instead of counting. When they must be counted, the cheaper of two
/// walks is taken: the events the other filters keep, or, when those are most of the timeline, the
/// events they leave out, whose counts are taken from the values' own (unfiltered) counts. Large walks
/// run on two threads.
extension Timeline {
  /// Events passing the query's facet filters (any included value, no excluded one, in every facet),
  /// or nil for "no facet".
  ///
  /// The facets' unions are intersected smallest first, by galloping through the larger list when the
  /// sizes are far apart (a country's 100,000 events among four million confirmed ones), and the
  /// excluded values are taken out in runs.
  ///
  /// When every facet's included events are many (each a thirty-second of the timeline or more) in a
  /// timeline of `bitsFrom` events or more, the facets are combined as bitsets instead (`bitCandidates`):
  /// a word-wide AND over each value's bitset, kept once made, then the set bits listed, on two threads
  /// from `parallelFrom` events. A merge of millions of numbers guessed a branch per number.
  func facetCandidates(_ query: Query, bitsFrom: Int = 1 << 16, parallelFrom: Int = 1 << 18) -> [UInt32]? {
    let (included, excluded) = facetPostings(query)
    if included.isEmpty {
      if excluded.isEmpty { return nil }
      let lists = excluded.map(\.list)
      let out = lists.count == 1 ? Array(lists[0]) : SortedLists.union(lists, universe: count)
      return SortedLists.complement(out, universe: count)
    }
    // A facet's included events number at most the sum of its values' (the sum when they share none).
    let sizes = included.map { $0.reduce(0) { $0 + $1.list.count } }
    if count >= bitsFrom && sizes.min()! >= denseFrom && !(included.count == 1 && included[0].count == 1 && excluded.isEmpty) {
      return bitCandidates(included, excluded, parallelFrom: parallelFrom)
    }
    var parts = included.map { p in p.count == 1 ? p[0].list : ArraySlice(SortedLists.union(p.map(\.list), universe: count)) }
    parts.sort { $0.count < $1.count }
    var current = parts.count == 1 ? SortedLists.copy(parts[0], parallelFrom: parallelFrom) : SortedLists.intersection(parts[0], parts[1])
    for part in parts.dropFirst(2) {
      if current.isEmpty { break }
      current = SortedLists.intersection(current[...], part)
    }
    if excluded.isEmpty || current.isEmpty { return current }
    // One excluded value, or few events kept: each excluded list is taken out in turn (galloping
    // through the longer), not first gathered into one.
    let lists = excluded.map(\.list)
    if lists.count == 1 || current.count * 8 < lists.reduce(0, { $0 + $1.count }) {
      for list in lists where !current.isEmpty { current = SortedLists.difference(current[...], list) }
      return current
    }
    return SortedLists.difference(current[...], SortedLists.union(lists, universe: count)[...])
  }

  /// The events of the values a query's facet filters name: for each facet with included values,
  /// theirs (none when the timeline knows none of them), and those of every excluded value.
  func facetPostings(_ query: Query) -> (included: [[FacetPosting]], excluded: [FacetPosting]) {
    var included: [[FacetPosting]] = []
    var excluded: [FacetPosting] = []
    for (facet, filter) in query.filters.sorted(by: { $0.key < $1.key }) {
      func postings(_ keys: Set<String>) -> [FacetPosting] {
        keys.compactMap { valueIndex(facet, key: $0).map { FacetPosting(facet: facet, value: $0, list: events(facet, $0)) } }
      }
      if !filter.included.isEmpty { included.append(postings(filter.included)) }
      excluded += postings(filter.excluded)
    }
    return (included, excluded)
  }

  /// How many events each value of a facet would have under the rest of the query (a picker's
  /// counts: choosing another country does not change the country counts, only the others').
  /// Indexed by value index (`valueCount(facet)` of them).
  public func facetCounts(_ facet: Facet, for query: Query) -> [Int] {
    facetHistogram(facet, for: query).counts
  }

  /// The counts of a facet's values under the rest of the query, with each value's events spread over
  /// `buckets` equal stretches of time across the events counted (a picker's spark lines).
  ///
  /// `events`, when the caller has it, must be `evaluate(query.clearing(facet))` (the explorer's
  /// filtered events, when the facet itself is not filtered): it is then not found again. Answers are
  /// kept, keyed by the facet and the rest of the query, so a toggle of the facet's own values, or the
  /// picker opened again, does not count again.
  public func facetHistogram(
    _ facet: Facet, for query: Query, buckets: Int = FacetHistogram.sparkBuckets, among events: [UInt32]? = nil
  ) -> FacetHistogram {
    let key = FacetMemo.HistogramKey(facet: facet, others: query.clearing(facet), buckets: max(1, buckets))
    let tables = facetMemo
    if let known = tables.histograms.withLock({ $0.value(for: key) }) { return known }
    let counted: [UInt32]? = key.others.isEmpty ? nil : (events ?? evaluate(key.others))
    let answer = histogram(facet, among: counted, buckets: key.buckets)
    tables.histograms.withLock { $0.insert(answer, for: key) }
    return answer
  }

  /// The counts `facetHistogram` would give, if it has them already (nil when they must be counted):
  /// the explorer answers a picker's key with them at once, and counts in the background otherwise.
  public func knownFacetHistogram(_ facet: Facet, for query: Query, buckets: Int = FacetHistogram.sparkBuckets) -> FacetHistogram? {
    let key = FacetMemo.HistogramKey(facet: facet, others: query.clearing(facet), buckets: max(1, buckets))
    return facetMemo.histograms.withLock { $0.value(for: key) }
  }

  /// Forgets the counts kept by `facetHistogram` (for measuring the first count, and after nothing
  /// else: a timeline never changes).
  public func forgetFacetCounts() { facetMemo.histograms.withLock { $0 = .init() } }

  /// The histogram of a facet's values among `events` (sorted), or among every event when nil.
  /// Walks of `parallelFrom` events or more are split between two threads.
  func histogram(_ facet: Facet, among events: [UInt32]?, buckets n: Int, parallelFrom: Int = 200_000) -> FacetHistogram {
    let values = valueCount(facet)
    let span: (lower: Int64, upper: Int64)?
    if let events {
      span = events.first.map { (startKeys[Int($0)], startKeys[Int(events.last!)]) }
    } else {
      span = count > 0 ? (startKeys[0], startKeys[count - 1]) : nil
    }
    guard let span else {
      return FacetHistogram(counts: [Int](repeating: 0, count: values), buckets: n, cells: [Int32](repeating: 0, count: values * n), span: nil)
    }
    // Event numbers are in chronological order, so each bucket is a run of them: `edges[b]` is the
    // first event of bucket b + 1 (the counted events' first and last start make the span).
    let edges: [UInt32] = (1..<max(1, n)).map { b in
      UInt32(SortedLists.partitionPoint(count) { FacetHistogram.bucket(self.startKeys[$0], of: n, span) >= b })
    } + [UInt32.max]
    var cells: [Int32]
    if let events {
      if facet == .era {
        cells = eraCells(among: events, edges: edges, buckets: n)
      } else if events.count > count / 2 {
        // Most events are kept: the values' own counts, less those of the events left out.
        cells = postingCells(facet, edges: edges, buckets: n, parallelFrom: parallelFrom)
        let outside = walkCells(facet, leftOutBy: events, edges: edges, buckets: n, parallelFrom: parallelFrom)
        for i in cells.indices { cells[i] &-= outside[i] }
      } else {
        cells = walkCells(facet, events: events, edges: edges, buckets: n, parallelFrom: parallelFrom)
      }
    } else {
      cells = postingCells(facet, edges: edges, buckets: n, parallelFrom: parallelFrom)
    }
    var counts = [Int](repeating: 0, count: values)
    cells.withUnsafeBufferPointer { c in
      for v in 0..<values {
        var total = 0
        for b in 0..<n { total += Int(c[v * n + b]) }
        counts[v] = total
      }
    }
    return FacetHistogram(counts: counts, buckets: n, cells: cells, span: span)
  }

  /// Every value's events per bucket, from its posting list alone (by binary search at the edges).
  /// Facets of many values and events (5,000 people over ten million events: 55,000 searches) are
  /// split between two threads by value.
  private func postingCells(_ facet: Facet, edges: [UInt32], buckets n: Int, parallelFrom: Int) -> [Int32] {
    let values = valueCount(facet)
    let lists = (0..<values).map { events(facet, $0) }
    let halves = values >= 2 && count >= parallelFrom ? [0..<values / 2, values / 2..<values] : [0..<values]
    let parts = Parallel.map(halves.map { half in
      { () -> [Int32] in
        var cells = [Int32](repeating: 0, count: values * n)
        for v in half {
          let list = lists[v]
          guard !list.isEmpty else { continue }
          var from = list.startIndex
          for b in 0..<n - 1 {
            let base = from
            let edge = edges[b]
            let to = base + SortedLists.partitionPoint(list.endIndex - base) { list[base + $0] >= edge }
            cells[v * n + b] = Int32(to - from)
            from = to
          }
          cells[v * n + n - 1] = Int32(list.endIndex - from)
        }
        return cells
      }
    })
    return Self.sum(parts)
  }

  /// The eras' events per bucket among `events`: an era's events are a run of event numbers (those
  /// starting in it) and a few before that last into it, so the run is counted by binary search in
  /// `events` and the few are looked up.
  private func eraCells(among events: [UInt32], edges: [UInt32], buckets n: Int) -> [Int32] {
    var cells = [Int32](repeating: 0, count: eras.count * n)
    // Where each bucket's events begin in `events`.
    let bucketStarts = [0] + edges.dropLast().map { edge in SortedLists.partitionPoint(events.count) { events[$0] >= edge } } + [events.count]
    events.withUnsafeBufferPointer { kept in
      for (k, era) in eras.enumerated() {
        let list = facetTables.eventsByEra[k]
        guard !list.isEmpty else { continue }
        let lower = era.start.lowerKey
        let runStart = list.startIndex + SortedLists.partitionPoint(list.count) { self.startKeys[Int(list[list.startIndex + $0])] >= lower }
        // The run: every event from list[runStart] to the list's last.
        if runStart < list.endIndex {
          let a = SortedLists.partitionPoint(kept.count) { kept[$0] >= list[runStart] }
          let z = SortedLists.partitionPoint(kept.count) { kept[$0] > list[list.endIndex - 1] }
          for b in 0..<n {
            let lo = max(a, bucketStarts[b])
            let hi = min(z, bucketStarts[b + 1])
            if hi > lo { cells[k * n + b] += Int32(hi - lo) }
          }
        }
        // Those starting before the era and lasting into it.
        var i = 0
        var b = 0
        for j in list.startIndex..<runStart {
          let e = list[j]
          i = SortedLists.gallop(kept, from: i, toFirstAtLeast: e)
          if i == kept.count { break }
          if kept[i] == e {
            while UInt32(edges[b]) <= e { b += 1 }
            cells[k * n + b] += 1
          }
        }
      }
    }
    return cells
  }

  /// The values' events per bucket among the sorted `events`, each event asked for its values.
  /// The values' events per bucket among the events that the sorted `kept` leaves out, found as the
  /// walk goes (each thread over the gaps of its half of `kept`), not listed first.
  private func walkCells(_ facet: Facet, leftOutBy kept: [UInt32], edges: [UInt32], buckets n: Int, parallelFrom: Int) -> [Int32] {
    let halves = count - kept.count >= parallelFrom ? [0..<kept.count / 2, kept.count / 2..<kept.count] : [0..<kept.count]
    let universe = UInt32(count)
    let parts = Parallel.map(halves.map { half in
      { () -> [Int32] in
        kept.withUnsafeBufferPointer { all in
          let from = half.lowerBound == 0 ? 0 : all[half.lowerBound]
          let to = half.upperBound == all.count ? universe : all[half.upperBound]
          return self.walk(facet, Gaps(kept: all, range: half, from: from, to: to), edges: edges, buckets: n)
        }
      }
    })
    return Self.sum(parts)
  }

  private func walkCells(_ facet: Facet, events: [UInt32], edges: [UInt32], buckets n: Int, parallelFrom: Int) -> [Int32] {
    let halves = events.count >= parallelFrom ? [0..<events.count / 2, events.count / 2..<events.count] : [0..<events.count]
    let parts = Parallel.map(halves.map { half in
      { () -> [Int32] in
        events.withUnsafeBufferPointer { all in
          self.walk(facet, UnsafeBufferPointer(rebasing: all[half]), edges: edges, buckets: n)
        }
      }
    })
    return Self.sum(parts)
  }

  private static func sum(_ parts: [[Int32]]) -> [Int32] {
    guard var out = parts.first else { return [] }
    for part in parts.dropFirst() { for i in out.indices { out[i] &+= part[i] } }
    return out
  }

  /// Counts, per value and bucket, the events that `events` visits in increasing order, with the
  /// tables read through pointers (a walk may visit ten million events).
  private func walk<S: Sequence<UInt32>>(_ facet: Facet, _ events: S, edges: [UInt32], buckets n: Int) -> [Int32] {
    var cells = [Int32](repeating: 0, count: valueCount(facet) * n)
    cells.withUnsafeMutableBufferPointer { cells in
      edges.withUnsafeBufferPointer { edges in
        func lists<T: FixedWidthInteger>(_ lists: FlatLists<T>, _ map: (T) -> Int) {
          lists.starts.withUnsafeBufferPointer { starts in
            lists.values.withUnsafeBufferPointer { values in
              var b = 0
              var next = edges[0]
              for e in events {
                while e >= next {
                  b += 1
                  next = edges[b]
                }
                let lo = Int(starts[Int(e)])
                let hi = Int(starts[Int(e) + 1])
                for j in lo..<hi {
                  let v = map(values[j])
                  var seen = false
                  for i in lo..<j where map(values[i]) == v {
                    seen = true
                    break
                  }
                  if !seen { cells[v &* n &+ b] &+= 1 }
                }
              }
            }
          }
        }
        switch facet {
        case .country: lists(countryLists) { Int($0) }
        case .person: lists(personLists) { Int($0) }
        case .tag: lists(tagLists) { Int($0) }
        case .source:
          facetTables.publisherOfSource.withUnsafeBufferPointer { publisherOf in lists(sourceLists) { publisherOf[Int($0)] } }
        case .confidence:
          confidences.withUnsafeBufferPointer { c in
            var b = 0
            var next = edges[0]
            for e in events {
              while e >= next {
                b += 1
                next = edges[b]
              }
              cells[Int(c[Int(e)].rawValue) &* n &+ b] &+= 1
            }
          }
        case .era:
          var b = 0
          var next = edges[0]
          for e in events {
            while e >= next {
              b += 1
              next = edges[b]
            }
            forEachValue(.era, ofEvent: Int(e)) { cells[$0 &* n &+ b] &+= 1 }
          }
        }
      }
    }
    return cells
  }
}

/// A facet's values counted among some events: each value's count, and its events spread over
/// `buckets` equal stretches of time between the first and the last start of the events counted.
public struct FacetHistogram: Hashable, Sendable {
  /// The number of spark-line buckets the pickers draw.
  public static let sparkBuckets = 12

  /// Events with each value, by value index.
  public let counts: [Int]
  public let buckets: Int
  /// `cells[v * buckets + b]`: the events with value v in bucket b.
  let cells: [Int32]
  /// The first and last start (day keys) of the events counted; nil when none was.
  let spanKeys: [Int64]

  init(counts: [Int], buckets: Int, cells: [Int32], span: (lower: Int64, upper: Int64)?) {
    self.counts = counts
    self.buckets = buckets
    self.cells = cells
    spanKeys = span.map { [$0.lower, $0.upper] } ?? []
  }

  /// Value `v`'s events in each bucket, from the earliest.
  public func histogram(of v: Int) -> [Int] { (0..<buckets).map { Int(cells[v * buckets + $0]) } }

  /// The bucket of a start key among `buckets` across `span` (the first and last start of the events
  /// counted); never decreasing with the key.
  public static func bucket(_ key: Int64, of buckets: Int, _ span: (lower: Int64, upper: Int64)) -> Int {
    guard span.upper > span.lower else { return 0 }
    return min(buckets - 1, Int((key - span.lower) * Int64(buckets) / (span.upper - span.lower + 1)))
  }
}

extension SortedLists {
  /// The elements of `a` that are in `b`, both sorted: galloping through the longer when one is much
  /// shorter, a merge otherwise.
  static func intersection(_ a: ArraySlice<UInt32>, _ b: ArraySlice<UInt32>) -> [UInt32] {
    let (small, large) = a.count <= b.count ? (a, b) : (b, a)
    if small.isEmpty { return [] }
    return small.withUnsafeBufferPointer { s in
      large.withUnsafeBufferPointer { l in
        var out: [UInt32] = []
        out.reserveCapacity(s.count)
        if s.count * 8 < l.count {
          var j = 0
          for x in s {
            j = gallop(l, from: j, toFirstAtLeast: x)
            if j == l.count { break }
            if l[j] == x { out.append(x) }
          }
        } else {
          var i = 0
          var j = 0
          while i < s.count && j < l.count {
            let x = s[i]
            let y = l[j]
            if x == y { out.append(x) }
            i += x <= y ? 1 : 0
            j += y <= x ? 1 : 0
          }
        }
        return out
      }
    }
  }

  /// The elements of `a` that are not in `b`, both sorted: the runs of `a` between `b`'s elements are
  /// copied whole, or, when `a` is much the shorter, each of its elements galloped to in `b`.
  static func difference(_ a: ArraySlice<UInt32>, _ b: ArraySlice<UInt32>) -> [UInt32] {
    if b.isEmpty || a.isEmpty { return Array(a) }
    return a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        var out: [UInt32] = []
        out.reserveCapacity(a.count)
        if a.count * 8 < b.count {
          // Few to keep among many left out: each of `a` looked for in `b`.
          var j = 0
          for x in a {
            j = gallop(b, from: j, toFirstAtLeast: x)
            if j == b.count || b[j] != x { out.append(x) }
          }
          return out
        }
        var i = 0
        for y in b {
          let j = gallop(a, from: i, toFirstAtLeast: y)
          if j > i { out.append(contentsOf: UnsafeBufferPointer(rebasing: a[i..<j])) }
          i = j
          if i == a.count { break }
          if a[i] == y { i += 1 }
        }
        if i < a.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: a[i...])) }
        return out
      }
    }
  }

  /// The numbers in `0..<universe` that are not in the sorted list `b`. Blocks of `b` without a gap
  /// (64 numbers in a row) are passed over whole, so a list that keeps nearly everything costs little
  /// more than what it leaves out.
  static func complement(_ b: [UInt32], universe: Int) -> [UInt32] {
    .filled(count: max(0, universe - b.count)) { out in
      b.withUnsafeBufferPointer { b in
        var w = 0
        var next: UInt32 = 0
        var i = 0
        while i < b.count {
          let x = b[i]
          if x == next {
            if i + 64 <= b.count && b[i + 63] == next &+ 63 {
              i += 64
              next &+= 64
            } else {
              i += 1
              next &+= 1
            }
            continue
          }
          while next < x {
            out[w] = next
            w += 1
            next += 1
          }
          next = x &+ 1
          i += 1
        }
        var e = Int(next)
        while e < universe {
          out[w] = UInt32(e)
          w += 1
          e += 1
        }
      }
    }
  }

  /// The numbers `range` holds, as a list.
  static func numbers(_ range: Range<Int>) -> [UInt32] {
    .filled(count: range.count) { out in
      let base = UInt32(range.lowerBound)
      for k in 0..<range.count { out[k] = base &+ UInt32(k) }
    }
  }

  /// The first index at or after `from` whose element is at least `x` (`a.count` when none is):
  /// steps of doubling length, then a binary search within the last.
  static func gallop(_ a: UnsafeBufferPointer<UInt32>, from: Int, toFirstAtLeast x: UInt32) -> Int {
    var lo = from
    if lo >= a.count || a[lo] >= x { return lo }
    var step = 1
    var hi = lo + 1
    while hi < a.count && a[hi] < x {
      lo = hi
      step &<<= 1
      hi = lo + step
    }
    hi = min(hi, a.count)
    // a[lo] < x, and a[hi] >= x or hi == count.
    lo += 1
    while lo < hi {
      let mid = (lo + hi) >> 1
      if a[mid] < x { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}

extension Timeline {
  /// The candidates (every event when nil) within a date range found by `dateRange`: those in its
  /// run of event numbers that do not end before `from`. Only the events starting before `from` can
  /// end before it, so only those are checked; the rest are kept as a run.
  func datedCandidates(_ candidates: [UInt32]?, range: Range<Int>, from: TimelineDate?) -> [UInt32] {
    // From here on, events start at or after `from`, so they end after it too.
    let sure = from.map { from in
      let lower = from.lowerKey
      return min(max(range.lowerBound, SortedLists.partitionPoint(count) { self.startKeys[$0] >= lower }), range.upperBound)
    } ?? range.lowerBound
    let lower = from?.lowerKey ?? .min
    guard let c = candidates else {
      if sure == range.lowerBound { return SortedLists.numbers(range) }
      var out: [UInt32] = []
      out.reserveCapacity(range.count)
      for e in range.lowerBound..<sure where endKey(at: e) >= lower { out.append(UInt32(e)) }
      for e in sure..<range.upperBound { out.append(UInt32(e)) }
      return out
    }
    let a = SortedLists.partitionPoint(c.count) { c[$0] >= UInt32(range.lowerBound) }
    let m = SortedLists.partitionPoint(c.count) { c[$0] >= UInt32(sure) }
    let z = SortedLists.partitionPoint(c.count) { c[$0] >= UInt32(range.upperBound) }
    if a == 0 && m == 0 && z == c.count { return c }
    var out: [UInt32] = []
    out.reserveCapacity(z - a)
    for e in c[a..<m] where endKey(at: Int(e)) >= lower { out.append(e) }
    out.append(contentsOf: c[m..<z])
    return out
  }
}

/// What the pickers counted and folded, kept for the next time: built empty with the timeline, filled
/// as pickers open (not with `FacetTables`, which a country picker does not need, and which take
/// seconds at ten million events).
final class FacetMemo: Sendable {
  /// What `Timeline.facetHistogram` counted, by facet and the rest of the query.
  let histograms = Locked(HistogramCache())

  struct HistogramKey: Hashable, Sendable {
    var facet: Facet
    var others: Query
    var buckets: Int
  }

  /// The last few histograms counted (a person's histogram holds 60,000 cells; a few dozen of them
  /// at most are kept).
  struct HistogramCache {
    static let limit = 24
    private var entries: [HistogramKey: FacetHistogram] = [:]
    private var order: [HistogramKey] = []

    func value(for key: HistogramKey) -> FacetHistogram? { entries[key] }

    mutating func insert(_ value: FacetHistogram, for key: HistogramKey) {
      if entries.updateValue(value, forKey: key) == nil { order.append(key) }
      if order.count > Self.limit { entries[order.removeFirst()] = nil }
    }
  }

  /// The bitsets of the values with many events (`Timeline.facetBits`), made on first use.
  let bits = Locked([FacetPosting.Key: [UInt64]]())

  /// Each facet's values' names, folded for matching what is typed in a picker (made once a facet).
  let foldedNames = Locked([Facet: [[[UInt8]]]]())
}

/// The numbers in `from..<to` that are not among `kept[range]` (sorted), in order, as a sequence: a
/// walk over the events a filter leaves out, without listing them first. The kept numbers of each
/// block of 64 are gathered into a mask (a block kept whole is passed over at once), and the numbers
/// left out are the mask's clear bits, taken lowest first: no branch per number that the processor must guess (a filter keeping a random 60 %
/// of the events made the number-by-number walk guess wrong about every other number).
struct Gaps: Sequence, IteratorProtocol {
  let kept: UnsafeBufferPointer<UInt32>
  var i: Int
  let end: Int
  let from: UInt32
  let to: UInt32
  /// The block whose numbers left out are in `bits` (its first number), and those not yet returned.
  var base: UInt32
  var bits: UInt64 = 0
  var started = false

  init(kept: UnsafeBufferPointer<UInt32>, range: Range<Int>, from: UInt32, to: UInt32) {
    self.kept = kept
    i = range.lowerBound
    end = range.upperBound
    self.from = from
    self.to = to
    base = from & ~63
  }

  @inline(__always)
  mutating func next() -> UInt32? {
    while bits == 0 {
      if started { base &+= 64 } else { started = true }
      if base >= to || base < (from & ~63) { return nil }
      var mask: UInt64 = 0
      let limit = UInt64(base) + 64
      if i + 64 <= end && kept[i] == base && kept[i + 63] == base &+ 63 {
        // The whole block is kept (a filter that keeps nearly everything passes over it at once).
        mask = ~0
        i += 64
      }
      while i < end, UInt64(kept[i]) < limit {
        mask |= 1 &<< UInt64(kept[i] &- base)
        i += 1
      }
      var left = ~mask
      if from > base { left &= ~0 &<< UInt64(from - base) }
      if UInt64(to) < limit { left &= (1 &<< UInt64(to - base)) &- 1 }
      bits = left
    }
    let t = UInt32(bits.trailingZeroBitCount)
    bits &= bits &- 1
    return base &+ t
  }
}
