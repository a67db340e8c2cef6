/// A search's answer: a sorted, duplicate-free set of event numbers, kept as a list when few, or as a
/// bitset of one bit per event (with its count, and the count before every block of words) when many.
///
/// Why: the first letters of a search match most events of a large timeline ("se": 8.3 of 10 million).
/// As a list, each keystroke filled a fresh list of millions of numbers (33 MB, most of the keystroke's
/// time the kernel giving fresh pages); as a bitset the answer takes 1.25 MB, the next letter narrows it
/// with an AND of words, and the explorer reads only what it shows: a row's match by one bit, "match k of
/// n" by counting bits, the k-th match by the block counts. The list is made only when asked for
/// (`array`: a search used as a filter lists its matches).
///
/// A collection of the event numbers in increasing order: `self[k]` is the k-th match (found from the
/// block counts in the bitset, so O(log n)); iterating walks the bits.
public struct EventMatches: Sendable, RandomAccessCollection, ExpressibleByArrayLiteral, CustomStringConvertible {
  enum Storage: Sendable {
    case list([UInt32])
    case bits(RankedBits)
  }
  let storage: Storage

  /// A set from a sorted, duplicate-free list.
  public init(_ sorted: [UInt32]) { storage = .list(sorted) }

  public init(arrayLiteral elements: UInt32...) { storage = .list(elements) }

  init(ranked: RankedBits) { storage = .bits(ranked) }

  /// From `bits.words` (no bit set at or past `bits.universe`): a bitset when it holds at least one
  /// event in `listBelow` (then the bitset is no bigger than the list), else the list.
  init(bits: EventBits, listBelow: Int = EventMatches.listBelow) {
    let ranked = RankedBits(bits)
    if ranked.count * listBelow < bits.universe {
      storage = .list(bits.sorted(in: 0..<bits.universe))
    } else {
      storage = .bits(ranked)
    }
  }

  /// A set of fewer than one event in `listBelow` is kept as a list (a bitset takes one bit an event of
  /// the timeline, a list 32 bits a match).
  public static let listBelow = 32

  /// The events as a sorted list: the list itself when kept as one; made from the bits otherwise, once
  /// (kept with the bits and shared by their copies: a search used as a filter, turned off and on
  /// again with `&`, lists its matches once).
  public var array: [UInt32] {
    switch storage {
    case .list(let l): return l
    case .bits(let b):
      return b.listed.withLock { cached in
        if let cached { return cached }
        let list = b.bits.sorted(in: 0..<b.bits.universe)
        cached = list
        return list
      }
    }
  }

  /// Whether the set is kept as a bitset (for tests and tools).
  public var isBitset: Bool {
    if case .bits = storage { return true }
    return false
  }

  public var startIndex: Int { 0 }
  public var endIndex: Int { count }

  public var count: Int {
    switch storage {
    case .list(let l): return l.count
    case .bits(let b): return b.count
    }
  }

  public var isEmpty: Bool { count == 0 }

  /// The k-th event of the set.
  public subscript(k: Int) -> UInt32 {
    switch storage {
    case .list(let l): return l[k]
    case .bits(let b): return b.select(k)
    }
  }

  public func makeIterator() -> Iterator {
    switch storage {
    case .list(let l): return Iterator(list: l, bits: nil)
    case .bits(let b): return Iterator(list: [], bits: b.bits.words)
    }
  }

  public struct Iterator: IteratorProtocol {
    let list: [UInt32]
    let bits: [UInt64]?
    var i = 0
    var word: UInt64 = 0

    init(list: [UInt32], bits: [UInt64]?) {
      self.list = list
      self.bits = bits
      if let bits, !bits.isEmpty { word = bits[0] }
    }

    public mutating func next() -> UInt32? {
      guard let bits else {
        guard i < list.count else { return nil }
        defer { i += 1 }
        return list[i]
      }
      while word == 0 {
        i += 1
        guard i < bits.count else { return nil }
        word = bits[i]
      }
      let e = UInt32(truncatingIfNeeded: i &* 64 &+ word.trailingZeroBitCount)
      word &= word &- 1
      return e
    }
  }

  /// Whether event `e` is in the set.
  public func contains(_ e: UInt32) -> Bool {
    switch storage {
    case .list(let l):
      let i = SortedLists.partitionPoint(l.count) { l[$0] >= e }
      return i < l.count && l[i] == e
    case .bits(let b): return Int(e) < b.bits.universe && b.bits.contains(e)
    }
  }

  /// How many events of the set are below `e`: the index of the first at or after `e` (`count` when
  /// there is none).
  public func lowerBound(_ e: UInt32) -> Int {
    switch storage {
    case .list(let l): return SortedLists.partitionPoint(l.count) { l[$0] >= e }
    case .bits(let b): return b.rank(Int(e))
    }
  }

  /// The events of the set that are in the sorted list `events` (the explorer's listed events): the set
  /// itself when `events` has no gap and holds every one (no filter in force).
  public func intersection(_ events: [UInt32]) -> EventMatches {
    switch storage {
    case .list(let l): return EventMatches(SortedLists.intersection(events, l))
    case .bits(let b):
      if let bounds = SortedLists.contiguousRange(events) {
        let range = Int(bounds.lowerBound)..<Swift.min(Int(bounds.upperBound) + 1, b.bits.universe)
        let inside = range.isEmpty ? 0 : b.rank(range.upperBound) - b.rank(range.lowerBound)
        if inside == b.count { return self }
        return EventMatches(bits: b.bits.masked(to: range))
      }
      return EventMatches(b.bits.filter(events, keeping: true))
    }
  }

  public var description: String { "EventMatches(\(count) events\(isBitset ? ", bits" : ""))" }
}

extension EventMatches: Hashable {
  public static func == (a: EventMatches, b: EventMatches) -> Bool {
    switch (a.storage, b.storage) {
    case (.list(let x), .list(let y)): return x == y
    case (.bits(let x), .bits(let y)) where x.bits.universe == y.bits.universe: return x.count == y.count && x.bits.words == y.bits.words
    default: return a.count == b.count && a.elementsEqual(b)
    }
  }

  /// The count only: equal sets kept differently (a list, a bitset) hash alike.
  public func hash(into hasher: inout Hasher) { hasher.combine(count) }
}

/// A bitset with its count and the count before each block of `blockWords` words, for the k-th event
/// (`select`) and the events below one (`rank`) in a few steps. A class, immutable: the answer's copies
/// share it (and the list made from it), and `EventMatches` keeps the size of a reference whatever this
/// holds.
final class RankedBits: Sendable {
  let bits: EventBits
  /// `blockCounts[j]`: the events in the words before block `j` (`j * blockWords`).
  let blockCounts: [UInt32]
  let count: Int
  /// The events as a list, once asked for (`EventMatches.array`).
  let listed = Locked<[UInt32]?>(nil)

  static let blockWords = 8

  init(_ bits: EventBits) {
    self.bits = bits
    let n = bits.words.count
    var counts = [UInt32](repeating: 0, count: (n + Self.blockWords - 1) / Self.blockWords)
    var total = 0
    bits.words.withUnsafeBufferPointer { w in
      counts.withUnsafeMutableBufferPointer { c in
        for j in 0..<c.count {
          c[j] = UInt32(truncatingIfNeeded: total)
          let end = Swift.min(n, (j + 1) * Self.blockWords)
          for i in j * Self.blockWords..<end { total &+= w[i].nonzeroBitCount }
        }
      }
    }
    blockCounts = counts
    count = total
  }

  /// How many events of the set are below `e` (`e` may be up to the universe, or past it).
  func rank(_ e: Int) -> Int {
    if e >= bits.universe { return count }
    if e <= 0 { return 0 }
    let w = e >> 6
    let j = w / Self.blockWords
    return bits.words.withUnsafeBufferPointer { words in
      var total = Int(blockCounts[j])
      for i in j * Self.blockWords..<w { total &+= words[i].nonzeroBitCount }
      let low = e & 63
      if low != 0 { total &+= (words[w] & ((UInt64(1) << UInt64(low)) &- 1)).nonzeroBitCount }
      return total
    }
  }

  /// The k-th event of the set (k < count).
  func select(_ k: Int) -> UInt32 {
    precondition(k >= 0 && k < count, "index out of range")
    // The last block with fewer than k + 1 events before it.
    let j = SortedLists.partitionPoint(blockCounts.count) { Int(blockCounts[$0]) > k } - 1
    var left = k - Int(blockCounts[j])
    return bits.words.withUnsafeBufferPointer { words in
      var i = j * Self.blockWords
      while true {
        let c = words[i].nonzeroBitCount
        if left < c { break }
        left -= c
        i += 1
      }
      var x = words[i]
      for _ in 0..<left { x &= x &- 1 }
      return UInt32(truncatingIfNeeded: i &* 64 &+ x.trailingZeroBitCount)
    }
  }
}

extension EventBits {
  init(universe: Int, words: [UInt64]) {
    precondition(words.count == (universe + 63) / 64)
    self.universe = universe
    self.words = words
  }

  /// The set's events within `range` (a new set).
  func masked(to range: Range<Int>) -> EventBits {
    if range.lowerBound <= 0 && range.upperBound >= universe { return self }
    var out = EventBits(universe: universe)
    guard !range.isEmpty else { return out }
    let first = range.lowerBound >> 6
    let last = (range.upperBound - 1) >> 6
    words.withUnsafeBufferPointer { w in
      out.words.withUnsafeMutableBufferPointer { o in
        for i in first...last {
          var x = w[i]
          if i == first { x &= ~UInt64(0) << UInt64(range.lowerBound & 63) }
          if i == last && range.upperBound & 63 != 0 { x &= ~UInt64(0) >> UInt64(64 - range.upperBound & 63) }
          o[i] = x
        }
      }
    }
    return out
  }

  /// The events of `range` that are not in the set.
  func complement(in range: Range<Int>) -> EventBits {
    var flipped = EventBits(universe: universe)
    words.withUnsafeBufferPointer { w in
      flipped.words.withUnsafeMutableBufferPointer { o in
        for i in 0..<o.count { o[i] = ~w[i] }
        // No bit past the universe's end.
        if universe & 63 != 0 { o[o.count - 1] &= (UInt64(1) << UInt64(universe & 63)) &- 1 }
      }
    }
    return flipped.masked(to: range.clamped(to: 0..<universe))
  }

  /// Clears, in place, every event of `list`.
  mutating func remove<C: Collection>(contentsOf list: C) where C.Element == UInt32 {
    words.withUnsafeMutableBufferPointer { w in
      for e in list { w[Int(e >> 6)] &= ~(1 << UInt64(e & 63)) }
    }
  }

  /// Each word with the other's: `&` (`keep`), or `& ~` (not `keep`).
  mutating func combine(_ other: EventBits, keep: Bool) {
    precondition(other.words.count == words.count)
    other.words.withUnsafeBufferPointer { b in
      words.withUnsafeMutableBufferPointer { w in
        if keep {
          for i in 0..<w.count { w[i] &= b[i] }
        } else {
          for i in 0..<w.count { w[i] &= ~b[i] }
        }
      }
    }
  }
}

extension EventMatches {
  /// The set as bits over `universe` events (a copy: the caller may change it).
  func eventBits(universe: Int) -> EventBits {
    switch storage {
    case .bits(let b): return b.bits
    case .list(let l):
      var bits = EventBits(universe: universe)
      bits.insert(contentsOf: l)
      return bits
    }
  }

  /// The events of the set that a term matched (`m`): `m ∩ self`, over `universe` events.
  func intersection(_ m: EventSet, universe: Int) -> EventMatches {
    switch (storage, m) {
    case (.list(let l), .list(let ml)): return EventMatches(SortedLists.intersection(l, ml))
    case (.list(let l), .bits(let mb)):
      // A list without gaps (every event, after a first letter that matched them all): the term's events
      // in its bounds, kept as bits; the list itself when the term holds all of it.
      if let bounds = SortedLists.contiguousRange(l) {
        let range = Int(bounds.lowerBound)..<Int(bounds.upperBound) + 1
        if mb.count(in: range) == l.count { return self }
        return EventMatches(bits: mb.masked(to: range))
      }
      return EventMatches(mb.filter(l, keeping: true))
    case (.bits(let b), .list(let ml)): return EventMatches(ml.filter { b.bits.contains($0) })
    case (.bits(let b), .bits(let mb)):
      var out = b.bits
      out.combine(mb, keep: true)
      return EventMatches(bits: out)
    }
  }

  /// The events of the set that a term did not match (`m`).
  func subtracting(_ m: EventSet, universe: Int) -> EventMatches {
    switch (storage, m) {
    case (.list(let l), _): return EventMatches(m.subtracting(from: l))
    case (.bits(let b), .list(let ml)):
      var out = b.bits
      out.remove(contentsOf: ml)
      return EventMatches(bits: out)
    case (.bits(let b), .bits(let mb)):
      var out = b.bits
      out.combine(mb, keep: false)
      return EventMatches(bits: out)
    }
  }

  /// The events in either set.
  func union(_ other: EventMatches, universe: Int) -> EventMatches {
    if isEmpty { return other }
    if other.isEmpty { return self }
    if case .list(let a) = storage, case .list(let b) = other.storage { return EventMatches(SortedLists.union(a, b)) }
    var out = eventBits(universe: universe)
    switch other.storage {
    case .list(let l): out.insert(contentsOf: l)
    case .bits(let b): b.bits.words.withUnsafeBufferPointer { out.formUnion($0) }
    }
    return EventMatches(bits: out)
  }
}
