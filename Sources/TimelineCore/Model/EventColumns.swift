import Foundation

/// The columns the decoder fills, one row per event, before sorting.
struct EventColumns {
  var ids: [TextRef] = []
  var titles: [TextRef] = []
  var summaries: [TextRef] = []
  var notes: [TextRef] = []
  var starts: [TimelineDate] = []
  var ends: [TimelineDate?] = []
  var confidences: [Confidence] = []
  var fileOrder: [UInt32] = []
  var countries = FlatLists<UInt16>()
  var people = FlatLists<UInt32>()
  var tags = FlatLists<UInt32>()
  var sources = FlatLists<UInt32>()
  /// Where each event came from; empty unless the events were made by `TimelineBuilder`.
  var origins: [PackedPosition] = []

  /// Two arrays of as many words as rows that the sort left behind, for the day keys (`Timeline`) to
  /// be written into instead of fresh memory; empty unless the rows were sorted.
  var spare = SpareWords()

  /// Puts rows in chronological order (by day, then time of day), keeping file order among equal starts.
  mutating func sortChronologically() {
    var words: [[Int64]] = []
    guard let order = starts.withUnsafeBufferPointer({ Self.stableOrder([$0], spare: &words) }) else { return }
    spare = SpareWords(consume words)  // consumed: a copy left here would make the arrays shared, and copied when written
    // Each column moves into a box its job owns, so that its old rows are freed as soon as its new
    // order is made: keeping every old column until every new one exists would double the columns'
    // memory at the load's peak. The jobs run side by side on the machine's cores.
    let ids = Box(take(&self.ids)), titles = Box(take(&self.titles)), summaries = Box(take(&self.summaries))
    let notes = Box(take(&self.notes)), starts = Box(take(&self.starts)), ends = Box(take(&self.ends))
    let confidences = Box(take(&self.confidences)), fileOrder = Box(take(&self.fileOrder))
    let countries = Box(take(&self.countries)), people = Box(take(&self.people)), tags = Box(take(&self.tags))
    let sources = Box(take(&self.sources)), origins = Box(take(&self.origins))
    var jobs: [() -> Void] = [
      { ids.value = Self.gather(ids.value, order) }, { titles.value = Self.gather(titles.value, order) },
      { summaries.value = Self.gather(summaries.value, order) }, { notes.value = Self.gather(notes.value, order) },
      { starts.value = Self.gather(starts.value, order) }, { ends.value = Self.gather(ends.value, order) },
      { confidences.value = Self.gather(confidences.value, order) }, { fileOrder.value = Self.gather(fileOrder.value, order) },
      { countries.value = countries.value.permuted(order) }, { people.value = people.value.permuted(order) },
      { tags.value = tags.value.permuted(order) }, { sources.value = sources.value.permuted(order) },
    ]
    if !origins.value.isEmpty { jobs.append { origins.value = Self.gather(origins.value, order) } }
    Parallel.run(jobs)
    (self.ids, self.titles, self.summaries, self.notes) = (ids.value, titles.value, summaries.value, notes.value)
    (self.starts, self.ends, self.confidences, self.fileOrder) = (starts.value, ends.value, confidences.value, fileOrder.value)
    (self.countries, self.people, self.tags, self.sources) = (countries.value, people.value, tags.value, sources.value)
    self.origins = origins.value
  }

  /// A column handed to one job.
  private final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
  }

  /// The value, leaving an empty one in its place (so that the caller holds the only reference).
  private func take<T: RangeReplaceableCollection>(_ x: inout T) -> T {
    let v = x
    x = T()
    return v
  }

  private func take<T>(_ x: inout FlatLists<T>) -> FlatLists<T> {
    let v = x
    x = FlatLists<T>()
    return v
  }

  /// Row numbers in order of their keys, equal keys in row order (see `stableOrder(_:spare:)`).
  static func stableOrder(byKeys keys: [Int64]) -> [UInt32] {
    var spare: [[Int64]] = []
    return keys.withUnsafeBufferPointer { stableOrder([$0], spare: &spare) } ?? (0..<UInt32(keys.count)).map { $0 }
  }

  /// How many ranges of rows the sort cuts `rows` into, each counted and moved by a job of its own:
  /// one below 64 Ki rows (the jobs' overhead would be most of the work), else one per core, at most
  /// four. At ten million rows the sort was about half a second of one thread while the other waited.
  static func sortRanges(rows: Int) -> Int {
    rows < 1 << 16 ? 1 : max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
  }

  /// Row numbers in order of their keys, equal keys in row order, or nil when the rows are in order
  /// already; the rows are the parts' elements one after another (the loading threads' columns).
  ///
  /// A least-significant-digit radix sort on the keys' distance from the smallest, above the bits
  /// where all keys are the same: a date's sort key keeps eleven bits for the time of day, unused by a
  /// timeline without times, and thirty years of days fit in sixteen bits: one pass. When those bits
  /// and a row number fit in 64 bits together, each row is sorted as one word, distance above row
  /// number, so that every pass reads its input in order (the sort before read each row's key at
  /// random in every pass). Otherwise (days back to the Big Bang: 44 bits) the row numbers are sorted
  /// by their keys, 16 bits a pass.
  ///
  /// The packed sort cuts the rows into `ranges` runs (see `sortRanges`) that are scanned, counted,
  /// moved and unpacked side by side: in each pass a run's rows of a digit go after the earlier runs'
  /// rows of that digit, so the order is the one a single run gives.
  ///
  /// `spare` receives two arrays of as many words as rows that the sort no longer needs, for the
  /// caller to overwrite rather than have fresh memory mapped (empty when the sort made none).
  static func stableOrder<E: SortKeyed>(_ parts: [UnsafeBufferPointer<E>], spare: inout [[Int64]], ranges: Int? = nil) -> [UInt32]? {
    let n = parts.reduce(0) { $0 + $1.count }
    precondition(n <= Int(UInt32.max), "too many rows for 32-bit row numbers")
    if n < 2 { return nil }
    let runs = max(1, min(ranges ?? sortRanges(rows: n), n))
    let bounds = (0...runs).map { n * $0 / runs }
    nonisolated(unsafe) let parts = parts
    // The range, whether the rows are in order already, and the bits where some key differs from the
    // first (below the lowest of them every key has the same bits, and so every distance has zeros).
    let first = parts.first { !$0.isEmpty }![0].sortKey
    let scans = Parallel.map((0..<runs).map { t in
      {
        var scan = Scan(first: first)
        forEachRow(parts, bounds[t]..<bounds[t + 1]) { _, e in scan.add(e.sortKey) }
        return scan
      }
    })
    var lowest = Int64.max, highest = Int64.min, previous = Int64.min
    var inOrder = true
    var differ: UInt64 = 0
    for scan in scans where scan.any {
      if !scan.inOrder || scan.firstKey < previous { inOrder = false }
      previous = scan.lastKey
      lowest = min(lowest, scan.lowest)
      highest = max(highest, scan.highest)
      differ |= scan.differ
    }
    if inOrder { return nil }
    let low = differ.trailingZeroBitCount
    let keyBits = UInt64.bitWidth - (UInt64(bitPattern: highest &- lowest) >> low).leadingZeroBitCount
    let rowBits = max(1, Int.bitWidth - (n - 1).leadingZeroBitCount)
    guard keyBits + rowBits <= 64 else { return indirectOrder(parts, count: n, lowest: lowest, low: low, keyBits: keyBits) }

    let passes = (keyBits + 15) / 16
    let width = (keyBits + passes - 1) / passes
    var words = [Int64].filled(count: n) { out in
      nonisolated(unsafe) let out = out
      Parallel.run((0..<runs).map { t in
        {
          forEachRow(parts, bounds[t]..<bounds[t + 1]) { r, e in
            let distance = UInt64(bitPattern: e.sortKey &- lowest) >> low
            out[r] = Int64(bitPattern: distance << rowBits | UInt64(r))
          }
        }
      })
    }
    var other = [Int64].filled(count: n) { _ in }
    let mask = (1 << width) - 1
    for pass in 0..<passes {
      let shift = UInt64(rowBits + pass * width)
      let digitMask = UInt64(mask)
      var moved = false
      words.withUnsafeBufferPointer { src in
        other.withUnsafeMutableBufferPointer { dst in
          nonisolated(unsafe) let src = src, dst = dst
          // Each run's count of each digit.
          var counts = Parallel.map((0..<runs).map { t in
            {
              var c = [UInt32](repeating: 0, count: mask + 1)
              c.withUnsafeMutableBufferPointer { c in
                for k in bounds[t]..<bounds[t + 1] { c[Int((UInt64(bitPattern: src[k]) >> shift) & digitMask)] += 1 }
              }
              return c
            }
          })
          // A digit every row shares moves nothing.
          var total = 0
          for d in 0...mask {
            var all = 0
            for t in 0..<runs { all += Int(counts[t][d]) }
            if all == n { return }
            // Where the run's first row of the digit goes: after every smaller digit's rows and the
            // earlier runs' rows of this digit.
            for t in 0..<runs {
              let c = counts[t][d]
              counts[t][d] = UInt32(total)
              total += Int(c)
            }
          }
          let next = counts
          Parallel.run((0..<runs).map { t in
            {
              var at = next[t]
              at.withUnsafeMutableBufferPointer { at in
                for k in bounds[t]..<bounds[t + 1] {
                  let w = src[k]
                  let d = Int((UInt64(bitPattern: w) >> shift) & digitMask)
                  dst[Int(at[d])] = w
                  at[d] += 1
                }
              }
            }
          })
          moved = true
        }
      }
      if moved { swap(&words, &other) }
    }
    let rowMask = UInt64.max >> (64 - rowBits)
    let order = [UInt32].filled(count: n) { out in
      words.withUnsafeBufferPointer { src in
        nonisolated(unsafe) let src = src, out = out
        Parallel.run((0..<runs).map { t in
          { for k in bounds[t]..<bounds[t + 1] { out[k] = UInt32(truncatingIfNeeded: UInt64(bitPattern: src[k]) & rowMask) } }
        })
      }
    }
    spare = [words, other]
    return order
  }

  /// What the sort's first look at a run of keys finds.
  private struct Scan {
    var lowest = Int64.max, highest = Int64.min
    var firstKey = Int64.max, lastKey = Int64.min
    var inOrder = true
    var differ: UInt64 = 0
    let first: Int64
    var any = false

    init(first: Int64) { self.first = first }

    @inline(__always) mutating func add(_ k: Int64) {
      if !any {
        firstKey = k
        any = true
      }
      if k < lastKey { inOrder = false }
      lastKey = k
      lowest = min(lowest, k)
      highest = max(highest, k)
      differ |= UInt64(bitPattern: k ^ first)
    }
  }

  /// Calls `body(r, row)` for each row number r in `rows` of the parts' rows one after another.
  @inline(__always)
  private static func forEachRow<E>(_ parts: [UnsafeBufferPointer<E>], _ rows: Range<Int>, _ body: (Int, E) -> Void) {
    var base = 0
    for part in parts {
      let lo = max(rows.lowerBound, base), hi = min(rows.upperBound, base + part.count)
      if lo < hi { for r in lo..<hi { body(r, part[r - base]) } }
      base += part.count
    }
  }

  /// The same order for keys whose distinct bits leave no room for a row number beside them: row
  /// numbers sorted by their keys, 16 bits a pass, each key read where its row is.
  private static func indirectOrder<E: SortKeyed>(
    _ parts: [UnsafeBufferPointer<E>], count n: Int, lowest: Int64, low: Int, keyBits: Int
  ) -> [UInt32] {
    var distances = [UInt64](repeating: 0, count: n)
    var r = 0
    for part in parts {
      for e in part {
        distances[r] = UInt64(bitPattern: e.sortKey &- lowest) >> low
        r += 1
      }
    }
    var order = (0..<UInt32(n)).map { $0 }
    var next = [UInt32](repeating: 0, count: n)
    for shift in stride(from: 0, to: keyBits, by: 16).map(UInt64.init) {
      var counts = [Int](repeating: 0, count: 65537)
      for i in 0..<n { counts[Int((distances[i] >> shift) & 0xFFFF) + 1] += 1 }
      for d in 0..<65536 { counts[d + 1] += counts[d] }
      for i in order {
        let d = Int((distances[Int(i)] >> shift) & 0xFFFF)
        next[counts[d]] = i
        counts[d] += 1
      }
      swap(&order, &next)
    }
    return order
  }

  static func gather<T>(_ a: [T], _ order: [UInt32]) -> [T] {
    .filled(count: order.count) { buffer in
      a.withUnsafeBufferPointer { src in
        for (k, i) in order.enumerated() { (buffer.baseAddress! + k).initialize(to: src[Int(i)]) }
      }
    }
  }
}

/// Arrays handed on to be overwritten, each taken once: a class, so that the taker holds the only
/// reference and writing into it copies nothing.
final class SpareWords: @unchecked Sendable {
  private var arrays: [[Int64]]

  init(_ arrays: [[Int64]] = []) { self.arrays = arrays }

  /// One of the arrays if it has `count` elements, for the caller alone.
  func take(count: Int) -> [Int64]? {
    guard let k = arrays.firstIndex(where: { $0.count == count }) else { return nil }
    return arrays.remove(at: k)
  }
}

/// What `EventColumns.stableOrder` sorts by.
protocol SortKeyed {
  var sortKey: Int64 { get }
}

extension Int64: SortKeyed {
  var sortKey: Int64 { self }
}

extension TimelineDate: SortKeyed {}
