import CTimelineSupport
import Foundation
import Testing

@testable import TimelineCore

#if canImport(Glibc)
  import Glibc
#endif

/// The word index's build buffers (`Pages`): large ones are mappings of their own, grown by remapping
/// and given back when freed or cleared, so that what they held does not stay resident. Whatever the
/// way, a buffer keeps its contents, and the interner and the index built on them give what they gave.
@Suite("pages")
struct PagesTests {
  @Test("a buffer keeps its contents through every resize, below and above the mapped size, and reads zero past them")
  func resizeKeepsContents() {
    var r = PropertyTests.RNG(state: 3)
    var capacity = 10
    var p = Pages.allocate(UInt32.self, capacity: capacity)
    var expected = [UInt32](repeating: 0, count: capacity)
    for next in [1000, 70_000, 300_000, 2_000_000, 90_000, 600_000, 50, 5, 200_000] {
      for i in 0..<capacity { #expect(p[i] == expected[i], "at \(i) of \(capacity)") }
      p = Pages.resize(p, capacity: capacity, to: next)
      let kept = min(capacity, next)
      var wrong = 0
      for i in 0..<kept where p[i] != expected[i] { wrong += 1 }
      for i in kept..<next where p[i] != 0 { wrong += 1 }
      #expect(wrong == 0, "from \(capacity) to \(next)")
      expected = Array(expected.prefix(kept)) + [UInt32](repeating: 0, count: next - kept)
      for _ in 0..<1000 {
        let i = r.int(next)
        let v = UInt32(truncatingIfNeeded: r.int(1 << 30))
        p[i] = v
        expected[i] = v
      }
      capacity = next
    }
    // Shrunk to a size that ends inside a page, written to its end, then grown: the bytes past the
    // shrunk size on its last page read zero (the mapping kept that page whole).
    p = Pages.resize(p, capacity: capacity, to: 300_000)
    for i in 0..<300_000 { p[i] = 0xFFFF_FFFF }
    p = Pages.resize(p, capacity: 300_000, to: 90_001)
    p = Pages.resize(p, capacity: 90_001, to: 300_000)
    #expect((90_001..<300_000).allSatisfy { p[$0] == 0 }, "grown again after a shrink")
    capacity = 300_000
    timeline_pages_clear(p, capacity * 4)
    #expect((0..<capacity).allSatisfy { p[$0] == 0 })
    Pages.free(p, capacity: capacity)
  }

  #if os(Linux)
    /// Which of the block's pages are resident (`mincore`).
    static func resident(_ p: UnsafeMutableRawPointer, bytes: Int) -> [Bool] {
      let page = Int(sysconf(Int32(_SC_PAGESIZE)))
      var flags = [UInt8](repeating: 0, count: (bytes + page - 1) / page)
      #expect(mincore(p, bytes, &flags) == 0)
      return flags.map { $0 & 1 != 0 }
    }

    @Test("a large block's pages are resident only once written, stay so through a resize, and are given back when cleared")
    func largeBlocksAreMappedPages() {
      let mib = 1 << 20
      let p = Pages.allocate(UInt8.self, capacity: 8 * mib)
      #expect(Self.resident(p, bytes: 8 * mib).allSatisfy { !$0 }, "a fresh block")
      for i in Swift.stride(from: 0, to: 2 * mib, by: 512) { p[i] = 1 }
      var pages = Self.resident(p, bytes: 8 * mib)
      let written = pages.count / 4
      #expect(pages[..<written].allSatisfy { $0 } && pages[written...].allSatisfy { !$0 }, "the first quarter written")
      let q = Pages.resize(p, capacity: 8 * mib, to: 16 * mib)
      pages = Self.resident(q, bytes: 16 * mib)
      #expect(pages[..<written].allSatisfy { $0 } && pages[written...].allSatisfy { !$0 }, "grown to twice the size")
      #expect(q[0] == 1 && q[2 * mib - 512] == 1 && q[2 * mib] == 0)
      timeline_pages_clear(q, 16 * mib)
      #expect(Self.resident(q, bytes: 16 * mib).allSatisfy { !$0 }, "cleared")
      #expect(q[0] == 0)
      Pages.free(q, capacity: 16 * mib)
    }
  #endif

  @Test("an interner grown far past the mapped size keeps every key, and its keys once its lookups are dropped")
  func largeInterner() {
    let interner = ByteInterner(capacity: 16)
    let n = 300_000
    func key(_ i: Int) -> [UInt8] { Array("w\(i * 7919 % 1_000_003)x\(i)".utf8) }
    for i in 0..<n {
      #expect(key(i).withUnsafeBufferPointer { interner.intern($0).id } == i)
    }
    var wrong = 0
    for i in Swift.stride(from: 0, to: n, by: 7) {
      let k = key(i)
      if k.withUnsafeBufferPointer({ interner.lookup($0) }) != i || Array(interner.keyBuffer(i)) != k { wrong += 1 }
    }
    #expect(wrong == 0)
    #expect(interner.count == n)
    interner.dropLookups()
    #expect((0..<n).allSatisfy { Array(interner.keyBuffer($0)) == key($0) })
  }

  @Test("the word index of 34,000 events (its largest build buffers mapped) holds each word's events exactly")
  func largeIndex() throws {
    let text = SearchIndexTests.document(events: 34_000, seed: 77)
    let t = try TimelineLoader.load(path: try PropertyTests.write(text), options: .init(forceStreaming: true))
    var expected: [[UInt8]: [UInt32]] = [:]
    for (e, words) in SearchIndexTests.foldedWords(t).enumerated() {
      for w in words { expected[w, default: []].append(UInt32(e)) }
    }
    for schedule in [SearchIndexBuilder.Schedule.alternating, .shared] {
      let index = SearchIndex(timeline: t, parallelThreshold: 0, schedule: schedule)
      #expect(index.wordCount == expected.count)
      var wrong = 0
      var dense = 0
      for w in 0..<index.wordCount {
        let word = Array(index.vocabulary[Int(index.wordStarts[w])..<Int(index.wordStarts[w + 1]) - 1])
        if index.postings.events(of: w) != expected[word] ?? [] { wrong += 1 }
        if index.postings.bitset(of: w) != nil { dense += 1 }
      }
      #expect(wrong == 0, "\(schedule)")
      #expect(dense > 0, "\(schedule): some words are bitsets")
    }
  }
}
