import Dispatch

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

  /// Puts rows in chronological order (by day, then time of day), keeping file order among equal starts.
  mutating func sortChronologically() {
    var sorted = true
    var previous = Int64.min
    for d in starts {
      let k = d.sortKey
      if k < previous {
        sorted = false
        break
      }
      previous = k
    }
    if sorted { return }
    let order = Self.stableOrder(byKeys: starts.map(\.sortKey))
    // Twelve independent gathers: spread them over the cores.
    var ids = self.ids, titles = self.titles, summaries = self.summaries, notes = self.notes
    var starts = self.starts, ends = self.ends, confidences = self.confidences, fileOrder = self.fileOrder
    var countries = self.countries, people = self.people, tags = self.tags, sources = self.sources
    let jobs: [() -> Void] = [
      { ids = Self.gather(ids, order) }, { titles = Self.gather(titles, order) },
      { summaries = Self.gather(summaries, order) }, { notes = Self.gather(notes, order) },
      { starts = Self.gather(starts, order) }, { ends = Self.gather(ends, order) },
      { confidences = Self.gather(confidences, order) }, { fileOrder = Self.gather(fileOrder, order) },
      { countries = countries.permuted(order) }, { people = people.permuted(order) },
      { tags = tags.permuted(order) }, { sources = sources.permuted(order) },
    ]
    nonisolated(unsafe) let run = jobs
    DispatchQueue.concurrentPerform(iterations: run.count) { run[$0]() }
    self.ids = ids
    self.titles = titles
    self.summaries = summaries
    self.notes = notes
    self.starts = starts
    self.ends = ends
    self.confidences = confidences
    self.fileOrder = fileOrder
    self.countries = countries
    self.people = people
    self.tags = tags
    self.sources = sources
  }

  /// Row numbers in order of their keys, equal keys in row order: a least-significant-digit radix sort
  /// on the keys' distance from the smallest, 16 bits a pass, as many passes as that distance needs (two
  /// for thirty years of timed events, four for the Big Bang). Stable by construction, and about ten
  /// times faster than a comparison sort on a million rows.
  static func stableOrder(byKeys keys: [Int64]) -> [Int] {
    let n = keys.count
    guard let lowest = keys.min(), let highest = keys.max() else { return [] }
    // Keys are within ±2^57 (dates' sort keys), so the distance cannot overflow.
    let offsets = keys.map { UInt64(bitPattern: $0 &- lowest) }
    let bits = 64 - UInt64(bitPattern: highest &- lowest).leadingZeroBitCount
    var order = Array(0..<n)
    var next = [Int](repeating: 0, count: n)
    for shift in stride(from: 0, to: max(bits, 1), by: 16).map(UInt64.init) {
      var counts = [Int](repeating: 0, count: 65537)
      for i in 0..<n { counts[Int((offsets[i] >> shift) & 0xFFFF) + 1] += 1 }
      for d in 0..<65536 { counts[d + 1] += counts[d] }
      for i in order {
        let d = Int((offsets[i] >> shift) & 0xFFFF)
        next[counts[d]] = i
        counts[d] += 1
      }
      swap(&order, &next)
    }
    return order
  }

  static func gather<T>(_ a: [T], _ order: [Int]) -> [T] {
    [T](unsafeUninitializedCapacity: order.count) { buffer, count in
      a.withUnsafeBufferPointer { src in
        for (k, i) in order.enumerated() { (buffer.baseAddress! + k).initialize(to: src[i]) }
      }
      count = order.count
    }
  }
}
