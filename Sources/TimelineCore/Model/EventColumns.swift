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

  /// Row numbers in order of their keys, equal keys in row order: a least-significant-digit radix sort
  /// on the keys' distance from the smallest, 16 bits a pass, as many passes as that distance needs (two
  /// for thirty years of timed events, four for the Big Bang). Stable by construction, and about ten
  /// times faster than a comparison sort on a million rows.
  static func stableOrder(byKeys keys: [Int64]) -> [UInt32] {
    let n = keys.count
    guard let lowest = keys.min(), let highest = keys.max() else { return [] }
    // Keys are within ±2^57 (dates' sort keys), so the distance cannot overflow.
    let offsets = keys.map { UInt64(bitPattern: $0 &- lowest) }
    let bits = 64 - UInt64(bitPattern: highest &- lowest).leadingZeroBitCount
    var order = [UInt32].filled(count: n) { b in
      for i in 0..<n { b[i] = UInt32(i) }
    }
    var next = [UInt32](repeating: 0, count: n)
    for shift in stride(from: 0, to: max(bits, 1), by: 16).map(UInt64.init) {
      var counts = [Int](repeating: 0, count: 65537)
      for i in 0..<n { counts[Int((offsets[i] >> shift) & 0xFFFF) + 1] += 1 }
      for d in 0..<65536 { counts[d + 1] += counts[d] }
      for i in order {
        let d = Int((offsets[Int(i)] >> shift) & 0xFFFF)
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
