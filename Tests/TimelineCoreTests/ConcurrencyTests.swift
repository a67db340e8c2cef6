import Foundation
import Synchronization
import Testing

@testable import TimelineCore

/// The concurrent code, exercised the way the explorer uses it, for ThreadSanitizer (`.ci/run` runs
/// this suite with `--sanitize=thread`) as much as for its answers: a large file loaded by two threads,
/// its word index built on one thread while searches run on others.
@Suite("concurrent use")
struct ConcurrencyTests {
  @Test("a timeline loaded on two threads answers the same while its word index is built on another")
  func searchWhileTheIndexIsBuilt() throws {
    // Above the 20,000 events from which the index and text scans split the work in two.
    let text = PropertyTests.document(events: 24_000, seed: 41)
    let path = try PropertyTests.write(text)
    var timings = TimelineLoader.Timings()
    let t = try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: 2, parallelThreshold: 0), timings: &timings)
    #expect(timings.path == "stream-2")
    let queries = [Query(text: "serveur"), Query(text: "zürich raid"), Query(text: "\"rapport copper\""), Query(countries: ["FR"])]

    // Scans (no index yet) on this thread while another builds the index and a third waits for it.
    let built = DispatchSemaphore(value: 0)
    let indexed = Mutex<[[UInt32]]>([])
    Thread.detachNewThread {
      _ = t.searchIndex
      built.signal()
    }
    Thread.detachNewThread {
      let answers = queries.map { t.evaluate($0) }
      indexed.withLock { $0 = answers }
      built.signal()
    }
    let scanned = queries.map { t.evaluate($0, textSearch: .scan) }
    built.wait()
    built.wait()
    #expect(t.isSearchIndexBuilt)
    #expect(indexed.withLock { $0 } == scanned)
    #expect(queries.map { t.evaluate($0) } == scanned)
    #expect(scanned[0].count > 100, "the queries match something")
  }

  @Test("picker counts asked from several threads at once, each split in two, equal those found one at a time")
  func facetCountsFromSeveralThreads() throws {
    let t = try TimelineDecoder.decode(Array(PropertyTests.document(events: 6_000, seed: 42).utf8), fileName: "mem")
    var r = PropertyTests.RNG(state: 42)
    var everything = Query()
    everything[.tag].excluded = ["no such tag"]
    let queries = [Query(), everything, Query(countries: ["FR"])] + (0..<12).map { _ in PropertyTests.randomQuery(&r).clearingText }
    // One at a time, each counted afresh and split in two.
    var expected: [[Int]] = []
    var split: [[[Int]]] = []
    for q in queries {
      for facet in Facet.allCases {
        t.forgetFacetCounts()
        expected.append(t.facetCounts(facet, for: q))
        let among = q.clearing(facet).isEmpty ? nil : t.evaluate(q.clearing(facet))
        let h = t.histogram(facet, among: among, buckets: 12, parallelFrom: 100)
        split.append((0..<t.valueCount(facet)).map(h.histogram(of:)))
      }
    }
    t.forgetFacetCounts()
    // Four threads ask for all of them at once, through the kept counts (one forgets them meanwhile),
    // and count on two threads each.
    let answers = Mutex<[Int: [[Int]]]>([:])
    let splits = Mutex<[Int: [[[Int]]]]>([:])
    DispatchQueue.concurrentPerform(iterations: 4) { k in
      var mine: [[Int]] = []
      var mineSplit: [[[Int]]] = []
      for q in queries {
        for facet in Facet.allCases {
          if k == 3 { t.forgetFacetCounts() }
          mine.append(t.facetCounts(facet, for: q))
          let among = q.clearing(facet).isEmpty ? nil : t.evaluate(q.clearing(facet))
          let h = t.histogram(facet, among: among, buckets: 12, parallelFrom: 100)
          mineSplit.append((0..<t.valueCount(facet)).map(h.histogram(of:)))
        }
      }
      answers.withLock { $0[k] = mine }
      splits.withLock { $0[k] = mineSplit }
    }
    for k in 0..<4 {
      #expect(answers.withLock { $0[k] } == expected, "thread \(k)")
      #expect(splits.withLock { $0[k] } == split, "thread \(k)")
    }
    #expect(expected.contains { $0.contains { $0 > 100 } }, "the counts count something")
  }
}
