import Foundation
import Testing

@testable import TimelineCore

/// A picker's counts and spark lines, and the facet filters, against a plain count over the events as
/// values, on random timelines: whichever way they are found (posting lists, a walk over the events
/// kept or over those left out, on one thread or two, kept from an earlier count).
@Suite("facet counts")
struct FacetCountTests {
  typealias RNG = PropertyTests.RNG

  /// The value indexes event `i` carries, found from the event as a value (not the indexes).
  static func values(_ t: Timeline, _ facet: Facet, _ i: Int, _ e: Event) -> Set<Int> {
    switch facet {
    case .country: return Set(e.countries.compactMap { t.valueIndex(.country, key: $0) })
    case .person: return Set(e.people.compactMap { t.valueIndex(.person, key: $0) })
    case .tag: return Set(e.tags.compactMap { t.valueIndex(.tag, key: $0) })
    case .confidence: return [Int(e.confidence.rawValue)]
    case .era:
      let lo = e.date.lowerKey
      let hi = (e.end ?? e.date).upperKey
      return Set(t.eras.indices.filter { t.eras[$0].start.lowerKey <= hi && t.eras[$0].end.upperKey >= lo })
    case .source:
      return Set(e.sources.map { id in t.valueIndex(.source, key: t.sources.first { $0.id == id }!.publisher)! })
    }
  }

  /// Counts and per-bucket counts of each value among `kept`, by testing every kept event.
  static func bruteForce(_ t: Timeline, _ facet: Facet, _ kept: [UInt32], _ events: [Event], buckets n: Int) -> (counts: [Int], cells: [[Int]]) {
    var counts = [Int](repeating: 0, count: t.valueCount(facet))
    var cells = [[Int]](repeating: [Int](repeating: 0, count: n), count: t.valueCount(facet))
    guard let first = kept.first, let last = kept.last else { return (counts, cells) }
    let span = (t.startKey(at: Int(first)), t.startKey(at: Int(last)))
    for e in kept {
      let b = FacetHistogram.bucket(t.startKey(at: Int(e)), of: n, span)
      for v in values(t, facet, Int(e), events[Int(e)]) {
        counts[v] += 1
        cells[v][b] += 1
      }
    }
    return (counts, cells)
  }

  /// Random queries, and the ones that matter for the ways of counting: none, one keeping every event,
  /// one keeping most, one keeping few.
  static func queries(_ r: inout RNG, count: Int) -> [Query] {
    var everything = Query()
    everything[.tag].excluded = ["no such tag"]
    var most = Query()
    most[.country].excluded = ["FR"]
    var few = Query()
    few[.confidence].included = ["disputed"]
    few[.person].excluded = ["p1"]
    var dated = Query(from: TimelineDate(year: 2000), to: TimelineDate(year: 2012))
    dated[.era].excluded = ["b"]
    return [Query(), everything, most, few, dated] + (0..<count).map { _ in PropertyTests.randomQuery(&r) }
  }

  @Test("every facet's counts and spark lines under random filters equal a count over the events", arguments: [31, 32] as [UInt64])
  func countsEqualABruteForceCount(seed: UInt64) throws {
    let t = try TimelineDecoder.decode(Array(PropertyTests.document(events: 1_500, seed: seed).utf8), fileName: "mem")
    let events = t.events
    let texts = PropertyTests.texts(t)
    var r = RNG(state: seed)
    for q in Self.queries(&r, count: 40) {
      for facet in Facet.allCases {
        let others = q.clearing(facet)
        let kept = PropertyTests.naive(t, others, texts: texts, events: events)
        let expected = Self.bruteForce(t, facet, kept, events, buckets: FacetHistogram.sparkBuckets)
        #expect(t.facetCounts(facet, for: q) == expected.counts, "\(facet) under \(q)")
        let kept2 = t.facetHistogram(facet, for: q)
        #expect(t.valueCount(facet) == kept2.counts.count)
        #expect((0..<t.valueCount(facet)).map(kept2.histogram(of:)) == expected.cells, "\(facet) spark under \(q)")
        // The same on two threads (the split falls inside the runs of events left out, or in the list).
        let split = t.histogram(facet, among: others.isEmpty ? nil : t.evaluate(others), buckets: 7, parallelFrom: 10)
        let expected7 = Self.bruteForce(t, facet, kept, events, buckets: 7)
        #expect(split.counts == expected7.counts, "\(facet) on two threads under \(q)")
        #expect((0..<t.valueCount(facet)).map(split.histogram(of:)) == expected7.cells, "\(facet) 7 buckets under \(q)")
      }
    }
  }

  @Test("a toggle of a facet's own values finds its counts again, and another filter counts afresh")
  func keptCountsFollowTheOtherFilters() throws {
    let t = try TimelineDecoder.decode(Array(PropertyTests.document(events: 1_200, seed: 33).utf8), fileName: "mem")
    let events = t.events
    let texts = PropertyTests.texts(t)
    for code in ["FR", "US", "CY"] {
      for state in [FacetFilter.State.on, .excluded, .off] {
        var q = Query()
        q[.confidence].included = ["confirmed"]
        q[.country].set(code, state)
        // The country counts under "confirmed" alone, whatever the country filter.
        let kept = PropertyTests.naive(t, q.clearing(.country), texts: texts, events: events)
        #expect(t.facetCounts(.country, for: q) == Self.bruteForce(t, .country, kept, events, buckets: 12).counts)
        // The people counts change with it.
        let people = PropertyTests.naive(t, q.clearing(.person), texts: texts, events: events)
        #expect(t.facetCounts(.person, for: q) == Self.bruteForce(t, .person, people, events, buckets: 12).counts, "\(code) \(state)")
      }
    }
    // Counts handed the events (as the explorer hands its filtered events) are those of the query.
    t.forgetFacetCounts()
    let q = Query(countries: ["NO"])
    let given = t.facetHistogram(.tag, for: q, among: t.evaluate(q))
    t.forgetFacetCounts()
    #expect(given == t.facetHistogram(.tag, for: q))
  }

  @Test("the facet filters equal a plain test of every event, with dates, on and excluded values", arguments: [34, 35] as [UInt64])
  func filtersEqualAPlainTest(seed: UInt64) throws {
    let t = try TimelineDecoder.decode(Array(PropertyTests.document(events: 1_500, seed: seed).utf8), fileName: "mem")
    let events = t.events
    let texts = PropertyTests.texts(t)
    var r = RNG(state: seed)
    for var q in Self.queries(&r, count: 60) {
      q = q.clearingText
      if r.int(3) == 0 { q[.country].included.formUnion(["FR", "US", "CY", "DE"].prefix(1 + r.int(4))) }
      if r.int(3) == 0 { q.from = TimelineDate(year: 1990 + r.int(40)) }
      if r.int(3) == 0 { q.to = TimelineDate(year: 1990 + r.int(40), month: UInt8(1 + r.int(12))) }
      #expect(t.evaluate(q) == PropertyTests.naive(t, q, texts: texts, events: events), "\(q)")
    }
  }

  @Test("sorted-list operations equal set operations")
  func sortedLists() {
    var r = RNG(state: 36)
    for _ in 0..<300 {
      let universe = 1 + r.int(3_000)
      func list(_ density: Int) -> [UInt32] { (0..<universe).filter { _ in r.int(100) < density }.map { UInt32($0) } }
      // Dense lists have runs of 64 and more, which the complement passes over whole.
      let a = list(r.pick([r.int(101), 99, 100]))
      let b = list(r.pick([1, 3, 30, 90, 100]))
      let (inA, inB) = (Set(a), Set(b))
      #expect(SortedLists.intersection(a[...], b[...]) == a.filter(inB.contains))
      #expect(SortedLists.difference(a[...], b[...]) == a.filter { !inB.contains($0) })
      #expect(SortedLists.complement(b, universe: universe) == (0..<UInt32(universe)).filter { !inB.contains($0) })
      #expect(SortedLists.complement(a, universe: universe) == (0..<UInt32(universe)).filter { !inA.contains($0) })
      #expect(SortedLists.numbers(3..<universe + 3) == (3..<UInt32(universe + 3)).map { $0 })
    }
  }

  @Test("the events a filter leaves out, walked block by block, are those not kept, split anywhere")
  func gapsAreTheNumbersNotKept() {
    var r = RNG(state: 37)
    for _ in 0..<400 {
      let universe = 1 + r.int(1_000)
      // Lists with whole blocks of 64 kept (passed over at once), runs starting off a block, and holes.
      let density = r.pick([0, 2, 50, 60, 97, 100, 100])
      let kept = (0..<universe).filter { _ in r.int(100) < density }.map { UInt32($0) }
      let inKept = Set(kept)
      let leftOut = (0..<UInt32(universe)).filter { !inKept.contains($0) }
      kept.withUnsafeBufferPointer { all in
        // As the two threads split it: before the kept number at `cut`, and from it on.
        let cut = r.int(kept.count + 1)
        let middle = cut < kept.count ? all[cut] : UInt32(universe)
        let first = Array(Gaps(kept: all, range: 0..<cut, from: 0, to: middle))
        let second = Array(Gaps(kept: all, range: cut..<kept.count, from: middle, to: UInt32(universe)))
        #expect(first + second == leftOut, "kept \(kept.count) of \(universe), cut at \(cut)")
        #expect(first == leftOut.filter { $0 < middle })
      }
    }
  }

  @Test(
    "the facet filters as bitsets, listed on one thread or two, equal a plain test, at sizes about a word of 64",
    arguments: [0, 1, 63, 64, 65, 129, 1_500] as [Int])
  func bitsetFiltersEqualAPlainTest(events n: Int) throws {
    let t = try TimelineDecoder.decode(Array(PropertyTests.document(events: n, seed: 40 &+ UInt64(n)).utf8), fileName: "mem")
    let events = t.events
    let texts = PropertyTests.texts(t)
    let every = (0..<UInt32(t.count)).map { $0 }
    var r = RNG(state: 41 &+ UInt64(n))
    var bitPaths = 0
    for var q in Self.queries(&r, count: 80) {
      // Facets only (the dates and text are applied after them).
      q = q.clearingText
      q.from = nil
      q.to = nil
      if r.int(3) == 0 { q[.confidence].included.formUnion(["confirmed", "reported", "rumoured"].prefix(1 + r.int(3))) }
      if r.int(4) == 0 { q[.tag].excluded.insert(r.pick(["raid", "court", "scene"])) }
      if r.int(4) == 0 { q[.country].included.formUnion(["FR", "US", "CY", "DE"].prefix(1 + r.int(4))) }
      let expected = PropertyTests.naive(t, q, texts: texts, events: events)
      // Through `evaluate` and `facetCandidates`, bitsets taken from any size or never, on one thread or two.
      for (bitsFrom, parallelFrom) in [(0, 0), (0, Int.max), (Int.max, 0), (Int.max, Int.max)] {
        let found = t.facetCandidates(q, bitsFrom: bitsFrom, parallelFrom: parallelFrom) ?? every
        #expect(found == expected, "\(q), bits from \(bitsFrom), threads from \(parallelFrom)")
      }
      #expect(t.evaluate(q) == expected, "\(q)")
      // The bitsets whatever the sizes: each value's own bitset (from one event up), or its list.
      let (included, excluded) = t.facetPostings(q)
      guard !included.isEmpty else { continue }
      for least in [1, 2, 3, max(1, n / 32), Int.max] {
        for parallelFrom in [0, Int.max] {
          #expect(t.bitCandidates(included, excluded, parallelFrom: parallelFrom, least: least) == expected, "\(q) from \(least)")
          bitPaths += 1
        }
      }
    }
    #expect(bitPaths > 100)
    // Values with many events have their bitsets kept.
    #expect(n == 0 || !t.facetMemo.bits.withLock { $0.isEmpty })
  }

  @Test("set bits listed in order, on one thread or two, and lists copied on two threads, at every small size")
  func bitsListedAndListsCopied() {
    var r = RNG(state: 42)
    for words in Array(0..<6) + [63, 64, 65, 1_001] {
      for density in [0, 1, 50, 99, 100] {
        let bits = (0..<words).map { _ in
          (0..<64).reduce(UInt64(0)) { w, k in r.int(100) < density ? w | 1 << UInt64(k) : w }
        }
        let expected = (0..<UInt32(words * 64)).filter { bits[Int($0 / 64)] & 1 << UInt64($0 % 64) != 0 }
        #expect(SortedLists.numbers(ofBits: bits, parallelFrom: 0) == expected, "\(words) words, \(density) %")
        #expect(SortedLists.numbers(ofBits: bits, parallelFrom: .max) == expected, "\(words) words, \(density) %")
        // A copy of a slice in the middle of a longer list, halved on two threads.
        let list = ArraySlice(expected.dropFirst(r.int(3)).dropLast(r.int(3)))
        #expect(SortedLists.copy(list, parallelFrom: 0) == Array(list))
        #expect(SortedLists.copy(list, parallelFrom: .max) == Array(list))
      }
    }
  }

  @Test("a short list less a long one, galloped through the long one, is the set difference")
  func shortLessLong() {
    var r = RNG(state: 43)
    for _ in 0..<200 {
      let universe = 1 + r.int(5_000)
      let b = (0..<universe).filter { _ in r.int(100) < 70 }.map { UInt32($0) }
      let a = (0..<universe).filter { _ in r.int(100) < 3 }.map { UInt32($0) }
      let inB = Set(b)
      #expect(SortedLists.difference(a[...], b[...]) == a.filter { !inB.contains($0) })
    }
  }
}
