/// One value of a facet and its sorted events, as a query's facet filter names it.
struct FacetPosting {
  let facet: Facet
  let value: Int
  let list: ArraySlice<UInt32>

  struct Key: Hashable, Sendable {
    let facet: Facet
    let value: Int
  }
}

/// The facet filters as bitsets, for filters that keep millions of events: one bit per event, a
/// value's bitset made once from its events and kept (`FacetMemo.bits`), the facets combined a word of
/// 64 events at a time, and the events of the result listed from the set bits (on two threads for a
/// large timeline). Only values with a thirty-second of the events or more get a bitset, which then
/// takes no more memory than their list of events.
extension Timeline {
  /// The fewest events a value, or a facet's included values together, must have for the bitsets.
  var denseFrom: Int { max(1, count / 32) }

  /// The value's events as a bitset, kept once made; nil for a value with fewer than `least` events.
  func facetBits(_ p: FacetPosting, least: Int) -> [UInt64]? {
    guard p.list.count >= least else { return nil }
    let key = FacetPosting.Key(facet: p.facet, value: p.value)
    if let known = facetMemo.bits.withLock({ $0[key] }) { return known }
    var words = [UInt64](repeating: 0, count: (count + 63) / 64)
    words.withUnsafeMutableBufferPointer { w in
      p.list.withUnsafeBufferPointer { list in
        for e in list { w[Int(e >> 6)] |= 1 &<< UInt64(e & 63) }
      }
    }
    facetMemo.bits.withLock { $0[key] = words }
    return words
  }

  /// The events in every facet's included values (any of a facet's) and in no excluded value, found
  /// with bitsets (`included` is not empty). Values with `least` events or more are combined through
  /// their own bitsets (`facetBits`), the others read from their lists.
  func bitCandidates(_ included: [[FacetPosting]], _ excluded: [FacetPosting], parallelFrom: Int, least: Int? = nil) -> [UInt32] {
    let least = least ?? denseFrom
    let wordCount = (count + 63) / 64
    /// A facet's included values as one bitset: a value's own, or their union.
    func operand(_ part: [FacetPosting]) -> [UInt64] {
      if part.count == 1, let bits = facetBits(part[0], least: least) { return bits }
      var words = [UInt64](repeating: 0, count: wordCount)
      words.withUnsafeMutableBufferPointer { w in
        for p in part {
          if let bits = facetBits(p, least: least) {
            bits.withUnsafeBufferPointer { b in for i in 0..<wordCount { w[i] |= b[i] } }
          } else {
            p.list.withUnsafeBufferPointer { list in for e in list { w[Int(e >> 6)] |= 1 &<< UInt64(e & 63) } }
          }
        }
      }
      return words
    }
    var acc = operand(included[0])
    acc.withUnsafeMutableBufferPointer { w in
      for part in included.dropFirst() {
        operand(part).withUnsafeBufferPointer { b in for i in 0..<wordCount { w[i] &= b[i] } }
      }
      for p in excluded {
        if let bits = facetBits(p, least: least) {
          bits.withUnsafeBufferPointer { b in for i in 0..<wordCount { w[i] &= ~b[i] } }
        } else {
          p.list.withUnsafeBufferPointer { list in for e in list { w[Int(e >> 6)] &= ~(1 &<< UInt64(e & 63)) } }
        }
      }
    }
    return SortedLists.numbers(ofBits: acc, parallelFrom: parallelFrom)
  }
}

extension SortedLists {
  /// The numbers whose bits are set (bit `k` of word `w` is number `64 * w + k`), in order. From
  /// `parallelFrom` bits, each of two threads lists half the words into its own part of the result.
  static func numbers(ofBits words: [UInt64], parallelFrom: Int) -> [UInt32] {
    words.withUnsafeBufferPointer { numbers(ofBits: $0, in: 0..<$0.count * 64, parallelFrom: parallelFrom) }
  }

  /// The numbers in `range` whose bits are set, in order. From `parallelFrom` numbers in the range
  /// (and two words), each of two threads lists half of its words into its own part of the result.
  static func numbers(ofBits w: UnsafeBufferPointer<UInt64>, in range: Range<Int>, parallelFrom: Int) -> [UInt32] {
    guard !range.isEmpty else { return [] }
    let first = range.lowerBound >> 6
    let last = (range.upperBound - 1) >> 6
    /// Word `i` with the bits outside the range cleared.
    @inline(__always) func word(_ i: Int) -> UInt64 {
      var x = w[i]
      if i == first { x &= ~UInt64(0) << UInt64(range.lowerBound & 63) }
      if i == last && range.upperBound & 63 != 0 { x &= ~UInt64(0) >> UInt64(64 - range.upperBound & 63) }
      return x
    }
    let mid = (first + last + 1) / 2
    let halves = range.count >= Swift.max(parallelFrom, 128) && last > first ? [first..<mid, mid..<last + 1] : [first..<last + 1]
    let counts = Parallel.map(halves.map { half in
      { () -> Int in
        var total = 0
        for i in half { total &+= word(i).nonzeroBitCount }
        return total
      }
    })
    return .filled(count: counts.reduce(0, +)) { out in
      let base = out.baseAddress!
      Parallel.run(halves.indices.map { k in
        {
          var o = base + (k == 0 ? 0 : counts[0])
          for i in halves[k] {
            var x = word(i)
            let start = UInt32(truncatingIfNeeded: i &* 64)
            if x == ~UInt64(0) {
              for b in 0..<64 { o[b] = start &+ UInt32(b) }
              o += 64
              continue
            }
            while x != 0 {
              o.pointee = start &+ UInt32(truncatingIfNeeded: x.trailingZeroBitCount)
              o += 1
              x &= x &- 1
            }
          }
        }
      })
    }
  }

  /// A copy of a list, made by two threads (each a half) from `parallelFrom` numbers.
  static func copy(_ list: ArraySlice<UInt32>, parallelFrom: Int) -> [UInt32] {
    guard list.count >= parallelFrom && list.count >= 2 else { return Array(list) }
    return .filled(count: list.count) { out in
      let base = out.baseAddress!
      list.withUnsafeBufferPointer { src in
        let mid = src.count / 2
        Parallel.run([0..<mid, mid..<src.count].map { half in
          { (base + half.lowerBound).initialize(from: src.baseAddress! + half.lowerBound, count: half.count) }
        })
      }
    }
  }
}
