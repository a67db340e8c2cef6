/// Each word's events, stored by how common the word is (as Roaring bitmaps do): a word in at least
/// `denseThreshold` events (1/32 of them on a large timeline) as a bitset of one bit per event, any
/// other as a sorted array of event numbers.
///
/// Why: a bitset of n events takes n/8 bytes, which for a word in 1/32 of the events is what its array
/// takes (4 bytes an event), and less for any more common word; in real text and in the generated
/// files, most of the index's entries are a few dozen common words, so their bitsets take a tenth of
/// the arrays' memory. And a search term's first letters match most of those words: their union is
/// then an OR of a few dozen bitsets instead of a merge of millions of numbers.
struct WordPostings: Sendable {
  /// The events of the timeline: the bitsets' length in bits.
  let eventCount: Int
  /// Rare words' events: word `w`'s at `values[starts[w]..<starts[w + 1]]`, sorted; empty for a dense word.
  let starts: [UInt32]
  let values: [UInt32]
  /// The dense words, in increasing order; the k-th one's bitset is `bits[k * stride..<(k + 1) * stride]`.
  let denseWords: [UInt32]
  let bits: [UInt64]

  /// 64-bit words per bitset.
  var stride: Int { (eventCount + 63) / 64 }

  var wordCount: Int { starts.count - 1 }

  /// Which bitset holds word `w`'s events, if it is dense.
  func bitset(of w: Int) -> Int? {
    guard starts[w] == starts[w + 1] else { return nil }
    let k = SortedLists.partitionPoint(denseWords.count) { denseWords[$0] >= UInt32(w) }
    return k < denseWords.count && denseWords[k] == UInt32(w) ? k : nil
  }

  /// Adds word `w`'s events to `gather`.
  func add(word w: Int, to gather: inout EventUnion) {
    if let k = bitset(of: w) {
      gather.add(bits: bits[k * stride..<(k + 1) * stride])
    } else {
      gather.add(values[Int(starts[w])..<Int(starts[w + 1])])
    }
  }

  /// Word `w`'s events as a sorted list (for tests and tools: a search uses `add`).
  func events(of w: Int) -> [UInt32] {
    var gather = EventUnion(universe: eventCount)
    add(word: w, to: &gather)
    return gather.finish().sorted
  }
}

/// A set of event numbers, one bit each: what the union of many words' events is gathered into.
struct EventBits: Sendable {
  let universe: Int
  var words: [UInt64]

  init(universe: Int) {
    self.universe = universe
    words = [UInt64](repeating: 0, count: (universe + 63) / 64)
  }

  @inline(__always)
  func contains(_ e: UInt32) -> Bool { words[Int(e >> 6)] & (1 << UInt64(e & 63)) != 0 }

  /// Whether every event of the universe is in the set (a common first letter: a word of every title).
  var isFull: Bool {
    words.withUnsafeBufferPointer { Self.isFull($0, words: 0..<$0.count, universe: universe) }
  }

  /// Whether the bits of `words` that stand for events of the universe are all set (only the last
  /// word of the set may hold bits past the universe's end, which do not count).
  static func isFull(_ w: UnsafeBufferPointer<UInt64>, words: Range<Int>, universe: Int) -> Bool {
    for i in words {
      let valid = i == universe >> 6 ? (UInt64(1) << UInt64(universe & 63)) &- 1 : ~UInt64(0)
      if w[i] & valid != valid { return false }
    }
    return true
  }

  /// How many events of `range` are in the set.
  func count(in range: Range<Int>) -> Int {
    guard !range.isEmpty else { return 0 }
    return words.withUnsafeBufferPointer { w in
      let first = range.lowerBound >> 6
      let last = (range.upperBound - 1) >> 6
      var total = 0
      for i in first...last {
        var x = w[i]
        if i == first { x &= ~UInt64(0) << UInt64(range.lowerBound & 63) }
        if i == last && range.upperBound & 63 != 0 { x &= ~UInt64(0) >> UInt64(64 - range.upperBound & 63) }
        total &+= x.nonzeroBitCount
      }
      return total
    }
  }

  mutating func insert<C: Collection>(contentsOf list: C) where C.Element == UInt32 {
    words.withUnsafeMutableBufferPointer { w in
      for e in list { w[Int(e >> 6)] |= 1 << UInt64(e & 63) }
    }
  }

  mutating func formUnion(_ other: UnsafeBufferPointer<UInt64>) {
    precondition(other.count == words.count)
    words.withUnsafeMutableBufferPointer { w in
      for i in 0..<w.count { w[i] |= other[i] }
    }
  }

  /// The events in the set within `range`, in increasing order. From `parallelFrom` events in the
  /// range, each of two threads lists half of its words into its own part of the result.
  func sorted(in range: Range<Int>, parallelFrom: Int = EventBits.parallelFrom) -> [UInt32] {
    words.withUnsafeBufferPointer { SortedLists.numbers(ofBits: $0, in: range, parallelFrom: parallelFrom) }
  }

  /// The elements of the sorted list `events` that are in the set (`keeping`), or that are not. From
  /// `parallelFrom` events, two threads each filter half of the list.
  func filter(_ events: [UInt32], keeping: Bool, parallelFrom: Int = EventBits.parallelFrom) -> [UInt32] {
    guard !events.isEmpty else { return [] }
    let flip: UInt64 = keeping ? 0 : 1
    let halves = events.count >= Swift.max(parallelFrom, 2) ? [0..<events.count / 2, events.count / 2..<events.count] : [0..<events.count]
    // A filter that keeps every event (the next letter of a word all of whose events the previous
    // letters already matched) answers with the list itself: no new list of millions to fill, whose
    // fresh pages cost more than the filter. A filter that drops an event learns it within a few events
    // (each half stops at its first), so the look costs little when it fails.
    let keepsAll = words.withUnsafeBufferPointer { w in
      events.withUnsafeBufferPointer { ev in
        Parallel.map(halves.map { half in
          { () -> Bool in
            for i in half {
              let e = ev[i]
              if ((w[Int(e >> 6)] >> UInt64(e & 63)) & 1) ^ flip == 0 { return false }
            }
            return true
          }
        })
      }
    }
    if !keepsAll.contains(false) { return events }
    var total = 0
    let out = [UInt32](unsafeUninitializedCapacity: events.count) { buffer, initialized in
      let base = buffer.baseAddress!
      words.withUnsafeBufferPointer { w in
        events.withUnsafeBufferPointer { ev in
          // Each half is written from where it starts in the list (it keeps no more than it reads).
          let kept = Parallel.map(halves.map { half in
            { () -> Int in
              var k = half.lowerBound
              // Branch-free: each event is written, and kept by moving on when its bit says so.
              for i in half {
                let e = ev[i]
                base[k] = e
                k &+= Int(((w[Int(e >> 6)] >> UInt64(e & 63)) & 1) ^ flip)
              }
              return k - half.lowerBound
            }
          })
          total = kept[0]
          if halves.count == 2 {
            // The second half's kept events, moved down to follow the first's.
            UnsafeMutableRawPointer(base + total).copyMemory(
              from: base + halves[1].lowerBound, byteCount: kept[1] * MemoryLayout<UInt32>.stride)
            total += kept[1]
          }
        }
      }
      initialized = total
    }
    return out
  }

  /// From how many events a walk over a set is split between two threads (a million events take
  /// about 1 ms on one; a thread's start costs tens of microseconds).
  static let parallelFrom = 1 << 18
}

/// The events a search term matches, kept as they were cheapest to gather: a sorted list when few, a
/// bitset over every event when many.
enum EventSet: Sendable {
  case list([UInt32])
  case bits(EventBits)

  var sorted: [UInt32] {
    switch self {
    case .list(let l): return l
    case .bits(let b): return b.sorted(in: 0..<b.universe)
    }
  }

  /// The events in the set within `range`, sorted.
  func sorted(in range: Range<Int>) -> [UInt32] {
    switch self {
    case .list(let l):
      let lo = SortedLists.partitionPoint(l.count) { Int(l[$0]) >= range.lowerBound }
      let hi = SortedLists.partitionPoint(l.count) { Int(l[$0]) >= range.upperBound }
      return lo == 0 && hi == l.count ? l : Array(l[lo..<max(lo, hi)])
    case .bits(let b): return b.sorted(in: range.clamped(to: 0..<b.universe))
    }
  }

  /// The elements of the sorted list `events` that are in the set.
  func intersection(_ events: [UInt32]) -> [UInt32] {
    switch self {
    case .list(let l): return SortedLists.intersection(events, l)
    case .bits(let b):
      // A list without gaps (every event, after a first letter that matched them all): the set's
      // events in its bounds, listed from the bits rather than by reading the list; the list itself
      // when the set holds all of it.
      if let bounds = SortedLists.contiguousRange(events) {
        let range = Int(bounds.lowerBound)..<Int(bounds.upperBound) + 1
        return b.count(in: range) == events.count ? events : b.sorted(in: range)
      }
      return b.filter(events, keeping: true)
    }
  }

  /// The elements of the sorted list `events` that are not in the set.
  func subtracting(from events: [UInt32]) -> [UInt32] {
    switch self {
    case .list(let l): return SortedLists.difference(events, l)
    case .bits(let b): return b.filter(events, keeping: false)
    }
  }
}

/// Gathers the union of several lists and bitsets of events (a term's words, the names it matches, the
/// dates it starts): lists are merged while they are few next to the events, else everything goes
/// into one bitset, made by two threads (each half of the events) when there is much to set.
struct EventUnion {
  let universe: Int
  private var lists: [ArraySlice<UInt32>] = []
  private var listed = 0
  /// Dense words' bitsets (slices of the index's bits: no copy), OR-ed in at the end.
  private var bitsets: [ArraySlice<UInt64>] = []
  /// From how much work (events listed, plus 64 for each bitset word) the bitset is made by two threads.
  private let parallelFrom: Int

  init(universe: Int, parallelFrom: Int = EventBits.parallelFrom) {
    self.universe = universe
    self.parallelFrom = parallelFrom
  }

  mutating func add(_ list: ArraySlice<UInt32>) {
    guard !list.isEmpty else { return }
    lists.append(list)
    listed += list.count
  }

  mutating func add(_ list: [UInt32]) { add(list[...]) }

  /// Adds a bitset of `universe` bits.
  mutating func add(bits other: ArraySlice<UInt64>) {
    precondition(other.count == (universe + 63) / 64)
    bitsets.append(other)
  }

  consuming func finish() -> EventSet {
    if bitsets.isEmpty {
      if lists.isEmpty { return .list([]) }
      if lists.count == 1 { return .list(Array(lists[0])) }
      if listed <= universe / 16 { return .list(SortedLists.union(lists, universe: universe)) }
    }
    var bits = EventBits(universe: universe)
    let wordCount = bits.words.count
    let work = listed + bitsets.count * wordCount * 64
    // Split at a word: each thread writes only its own words.
    let mid = wordCount / 2
    let halves = work >= parallelFrom && wordCount >= 2 ? [0..<mid, mid..<wordCount] : [0..<wordCount]
    let lists = self.lists, bitsets = self.bitsets
    let universe = self.universe
    bits.words.withUnsafeMutableBufferPointer { w in
      nonisolated(unsafe) let out = w.baseAddress!
      Parallel.run(halves.map { half in
        {
          for b in bitsets {
            b.withUnsafeBufferPointer { src in
              for i in half { out[i] |= src[i] }
            }
          }
          // A half the bitsets already fill (a first letter that a word of every title holds) gains
          // nothing from the lists: skip their events (the names a letter starts can be tens of millions).
          if !bitsets.isEmpty && EventBits.isFull(UnsafeBufferPointer(start: out, count: wordCount), words: half, universe: universe) {
            return
          }
          let lo = UInt32(truncatingIfNeeded: half.lowerBound << 6)
          let hi = UInt64(half.upperBound) << 6
          for list in lists {
            list.withUnsafeBufferPointer { l in
              // The list's events in this half: from the first not below it, to the first above it.
              var i = half.lowerBound == 0 ? 0 : SortedLists.partitionPoint(l.count) { l[$0] >= lo }
              while i < l.count {
                let e = l[i]
                if UInt64(e) >= hi { break }
                out[Int(e >> 6)] |= 1 &<< UInt64(e & 63)
                i &+= 1
              }
            }
          }
        }
      })
    }
    return .bits(bits)
  }
}
