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
}
