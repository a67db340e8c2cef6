/// Inverts per-event lists (an event's countries, people, tags) into per-key sorted event lists, the
/// timeline's posting lists: count per key, then fill, so that the result is two flat arrays however
/// many keys there are. A value an event lists twice counts once.
///
/// Several columns are inverted at once, each cut into `parts` ranges of events that are counted and
/// then filled side by side: part p of key k is written after parts 0..<p of the same key, so every
/// list comes out sorted as one pass would make it. At ten million events the three inversions were
/// three jobs of very different sizes (the largest alone set the time) on two cores.
enum Postings {
  /// One column of per-event lists, with its values below `keys`.
  struct Column {
    fileprivate let count: (Range<Int>, UnsafeMutablePointer<UInt32>) -> Void
    fileprivate let fill: (Range<Int>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>) -> Void
    fileprivate let events: Int
    let keys: Int

    init<T: FixedWidthInteger>(_ lists: FlatLists<T>, keys: Int) {
      self.keys = keys
      events = lists.count
      count = { range, counts in
        lists.starts.withUnsafeBufferPointer { s in
          lists.values.withUnsafeBufferPointer { v in
            Postings.scan(s.baseAddress!, v.baseAddress, range, keys: keys) { _, key in counts[key] += 1 }
          }
        }
      }
      fill = { range, next, out in
        lists.starts.withUnsafeBufferPointer { s in
          lists.values.withUnsafeBufferPointer { v in
            Postings.scan(s.baseAddress!, v.baseAddress, range, keys: keys) { e, key in
              out[Int(next[key])] = UInt32(truncatingIfNeeded: e)
              next[key] += 1
            }
          }
        }
      }
    }
  }

  /// How many ranges of events to cut `events` into: one for small timelines (the jobs' overhead
  /// would be most of the work), else a few more than the cores, for the jobs to even out.
  static func parts(events: Int) -> Int {
    events < 1 << 16 ? 1 : 4
  }

  /// The posting lists of each column (in their order), each column's events cut into `parts`
  /// ranges; `alongside` runs among the first step's jobs.
  static func build(_ columns: [Column], parts: Int, alongside: (() -> Void)? = nil) -> [FlatLists<UInt32>] {
    precondition(parts >= 1)
    let cuts = columns.map { c in (0...parts).map { c.events * $0 / parts } }
    // Step 1: each part's count of each key.
    var jobs: [() -> [UInt32]] = []
    if let alongside { jobs.append { alongside(); return [] } }
    let first = jobs.count
    for (c, column) in columns.enumerated() {
      for p in 0..<parts {
        let range = cuts[c][p]..<cuts[c][p + 1]
        jobs.append {
          var counts = [UInt32](repeating: 0, count: column.keys)
          counts.withUnsafeMutableBufferPointer { column.count(range, $0.baseAddress!) }
          return counts
        }
      }
    }
    var counts = Parallel.map(jobs)
    // Each key's start, and where each part writes its first event of the key.
    var starts: [[UInt32]] = []
    for (c, column) in columns.enumerated() {
      var s = [UInt32](repeating: 0, count: column.keys + 1)
      var total: UInt32 = 0
      for k in 0..<column.keys {
        s[k] = total
        for p in 0..<parts {
          let n = counts[first + c * parts + p][k]
          counts[first + c * parts + p][k] = total
          total += n
        }
      }
      s[column.keys] = total
      starts.append(s)
    }
    // Step 2: every part fills its events in, all columns' parts side by side.
    let values = filledTogether(starts.map { Int($0.last!) }) { outs in
      var fills: [() -> Void] = []
      for (c, column) in columns.enumerated() {
        for p in 0..<parts {
          let range = cuts[c][p]..<cuts[c][p + 1]
          let slot = first + c * parts + p
          nonisolated(unsafe) let out = outs[c].baseAddress
          let next = Box(counts[slot])
          fills.append {
            guard let out else { return }
            next.value.withUnsafeMutableBufferPointer { column.fill(range, $0.baseAddress!, out) }
          }
        }
      }
      Parallel.run(fills)
    }
    return zip(starts, values).map { s, v in
      var lists = FlatLists<UInt32>()
      lists.starts = s
      lists.values = v
      return lists
    }
  }

  /// A job's own array, moved into its closure.
  private final class Box: @unchecked Sendable {
    var value: [UInt32]
    init(_ value: [UInt32]) { self.value = value }
  }

  /// Calls `body(e, key)` for each event e in `range` and each value it lists, once per distinct value.
  @inline(__always)
  fileprivate static func scan<T: FixedWidthInteger>(
    _ starts: UnsafePointer<UInt32>, _ values: UnsafePointer<T>?, _ range: Range<Int>, keys: Int,
    _ body: (Int, Int) -> Void
  ) {
    guard let values else { return }
    for e in range {
      let lo = Int(starts[e]), hi = Int(starts[e + 1])
      var j = lo
      while j < hi {
        let v = values[j]
        var k = lo
        while k < j && values[k] != v { k += 1 }
        if k == j {
          let key = Int(v)
          precondition(key >= 0 && key < keys, "a list value outside its keys")
          body(e, key)
        }
        j += 1
      }
    }
  }

  /// Arrays of the given counts, made at once and written by `body` (an empty one as an empty
  /// buffer), without filling them first.
  private static func filledTogether(
    _ counts: [Int], _ body: ([UnsafeMutableBufferPointer<UInt32>]) -> Void
  ) -> [[UInt32]] {
    func make(_ k: Int, _ buffers: [UnsafeMutableBufferPointer<UInt32>]) -> [[UInt32]] {
      guard k < counts.count else {
        body(buffers)
        return []
      }
      if counts[k] == 0 { return [[]] + make(k + 1, buffers + [UnsafeMutableBufferPointer(start: nil, count: 0)]) }
      var rest: [[UInt32]] = []
      let array = [UInt32].filled(count: counts[k]) { rest = make(k + 1, buffers + [$0]) }
      return [array] + rest
    }
    return make(0, [])
  }
}
