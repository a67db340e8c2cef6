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

  /// Puts rows in chronological order, keeping file order among equal start dates.
  mutating func sortChronologically() {
    var sorted = true
    var previous = Int64.min
    for d in starts {
      let k = d.lowerKey
      if k < previous {
        sorted = false
        break
      }
      previous = k
    }
    if sorted { return }
    let order = Self.stableOrder(byKeys: starts.map { $0.lowerKey })
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
  /// on the keys' 32 bits (day keys fit for years within ±1,000,000), two passes of 16 bits. Stable by
  /// construction, and about ten times faster than a comparison sort on a million rows.
  static func stableOrder(byKeys keys: [Int64]) -> [Int] {
    let n = keys.count
    let k32 = keys.map { UInt32(bitPattern: Int32(truncatingIfNeeded: $0)) ^ 0x8000_0000 }
    var order = Array(0..<n)
    var next = [Int](repeating: 0, count: n)
    for shift in [0, 16] as [UInt32] {
      var counts = [Int](repeating: 0, count: 65537)
      for i in 0..<n { counts[Int((k32[i] >> shift) & 0xFFFF) + 1] += 1 }
      for d in 0..<65536 { counts[d + 1] += counts[d] }
      for i in order {
        let d = Int((k32[i] >> shift) & 0xFFFF)
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
