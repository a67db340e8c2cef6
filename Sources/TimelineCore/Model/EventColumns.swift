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
    spare = SpareWords(words)
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
  /// `spare` receives two arrays of as many words as rows that the sort no longer needs, for the
  /// caller to overwrite rather than have fresh memory mapped (empty when the sort made none).
  static func stableOrder<E: SortKeyed>(_ parts: [UnsafeBufferPointer<E>], spare: inout [[Int64]]) -> [UInt32]? {
    let n = parts.reduce(0) { $0 + $1.count }
    precondition(n <= Int(UInt32.max), "too many rows for 32-bit row numbers")
    // The range, whether the rows are in order already, and the bits where some key differs from the
    // first (below the lowest of them every key has the same bits, and so every distance has zeros).
    var lowest = Int64.max, highest = Int64.min, previous = Int64.min
    var inOrder = true
    var differ: UInt64 = 0
    let first = parts.first { !$0.isEmpty }.map { $0[0].sortKey } ?? 0
    for part in parts {
      for e in part {
        let k = e.sortKey
        if k < previous { inOrder = false }
        previous = k
        lowest = min(lowest, k)
        highest = max(highest, k)
        differ |= UInt64(bitPattern: k ^ first)
      }
    }
    if inOrder { return nil }
    let low = differ.trailingZeroBitCount
    let keyBits = UInt64.bitWidth - (UInt64(bitPattern: highest &- lowest) >> low).leadingZeroBitCount
    let rowBits = max(1, Int.bitWidth - (n - 1).leadingZeroBitCount)
    guard keyBits + rowBits <= 64 else { return indirectOrder(parts, count: n, lowest: lowest, low: low, keyBits: keyBits) }

    let passes = (keyBits + 15) / 16
    let width = (keyBits + passes - 1) / passes
    var words = [Int64].filled(count: n) { out in
      var r = 0
      for part in parts {
        for e in part {
          let distance = UInt64(bitPattern: e.sortKey &- lowest) >> low
          out[r] = Int64(bitPattern: distance << rowBits | UInt64(r))
          r += 1
        }
      }
    }
    var other = [Int64].filled(count: n) { _ in }
    let mask = (1 << width) - 1
    var counts = [UInt32](repeating: 0, count: mask + 2)
    for pass in 0..<passes {
      let shift = UInt64(rowBits + pass * width)
      var moved = false
      words.withUnsafeBufferPointer { src in
        other.withUnsafeMutableBufferPointer { dst in
          counts.withUnsafeMutableBufferPointer { c in
            for d in 0..<c.count { c[d] = 0 }
            for w in src { c[Int((UInt64(bitPattern: w) >> shift) & UInt64(mask)) + 1] += 1 }
            // A digit every row shares moves nothing.
            if c.contains(UInt32(n)) { return }
            for d in 0...mask { c[d + 1] += c[d] }
            for w in src {
              let d = Int((UInt64(bitPattern: w) >> shift) & UInt64(mask))
              dst[Int(c[d])] = w
              c[d] += 1
            }
            moved = true
          }
        }
      }
      if moved { swap(&words, &other) }
    }
    let rowMask = UInt64.max >> (64 - rowBits)
    let order = [UInt32].filled(count: n) { out in
      words.withUnsafeBufferPointer { src in
        for k in 0..<n { out[k] = UInt32(truncatingIfNeeded: UInt64(bitPattern: src[k]) & rowMask) }
      }
    }
    spare = [words, other]
    return order
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
