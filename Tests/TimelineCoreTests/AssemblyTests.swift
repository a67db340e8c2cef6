import Foundation
import Testing

@testable import TimelineCore

/// The load's steps after parsing: the chronological sort, the columns placed in its order straight
/// from the loading threads' batches, and the indexes built from them.
@Suite("sorting and assembling the loaded rows")
struct AssemblyTests {
  /// Row numbers sorted by key, equal keys in row order: what the radix sort must give.
  static func reference(_ keys: [Int64]) -> [UInt32] {
    (0..<UInt32(keys.count)).sorted { (keys[Int($0)], $0) < (keys[Int($1)], $1) }
  }

  /// The order and spare arrays from the sort of `keys` cut into parts at `cuts`.
  static func order(_ keys: [Int64], cuts: [Int] = [], ranges: Int? = nil) -> (order: [UInt32]?, spare: [[Int64]]) {
    var spare: [[Int64]] = []
    let bounds = [0] + cuts + [keys.count]
    let order = keys.withUnsafeBufferPointer { all in
      let parts = (0..<bounds.count - 1).map { UnsafeBufferPointer(rebasing: all[bounds[$0]..<bounds[$0 + 1]]) }
      return EventColumns.stableOrder(parts, spare: &spare, ranges: ranges)
    }
    return (order, spare)
  }

  static func random(_ n: Int, seed: UInt64, _ make: (UInt64) -> Int64) -> [Int64] {
    var r = SplitMix64(seed: seed)
    return (0..<n).map { _ in make(r.next()) }
  }

  /// Named key columns that exercise each branch of the sort.
  static let keyCases: [(String, [Int64])] = {
    var cases: [(String, [Int64])] = []
    cases.append(("equal keys among few values", random(5000, seed: 1) { Int64($0 % 7) }))
    cases.append(("negative keys", random(5000, seed: 2) { Int64(bitPattern: $0) >> 20 }))
    cases.append(("one 16-bit digit high up, the rest the same", random(5000, seed: 3) { Int64($0 & 0xFFFF) << 40 | 0x1234 }))
    cases.append(("three packed passes of 14 bits", random(5000, seed: 4) { Int64($0 >> 24) }))
    cases.append(("a middle digit every key shares", random(5000, seed: 5) { Int64($0 & 0xFF) | Int64(($0 >> 8) & 0xFF) << 40 }))
    let full: [Int64] = random(5000, seed: 6) { Int64(bitPattern: $0) }
    cases.append(("keys spanning all 64 bits", full + [Int64.min, Int64.max, 0, Int64.min]))
    cases.append(("a range too wide for a row number beside it, above bits all keys share", random(5000, seed: 7) { Int64(bitPattern: $0) & ~0x3F }))
    let mostly: [Int64] = (0..<5000).map { (i: Int) -> Int64 in i % 10 == 3 ? Int64((i * 7919) % 5000) : Int64(i) }
    cases.append(("mostly in order, one in ten out of place", mostly))
    cases.append(("two rows out of order", [5, 3]))
    cases.append(("descending", (0..<3000).map { (i: Int) -> Int64 in Int64(3000 - i) }))
    return cases
  }()

  @Test("the sort gives the order of a stable comparison sort", arguments: keyCases.map(\.0))
  func sortAgainstAComparisonSort(_ name: String) throws {
    let keys = try #require(Self.keyCases.first { $0.0 == name }?.1)
    let expected = Self.reference(keys)
    #expect(EventColumns.stableOrder(byKeys: keys) == expected, "\(name)")
    // Cut into the two loading threads' parts anywhere: the same order.
    for cut in [0, 1, keys.count / 3, keys.count - 1, keys.count] {
      #expect(Self.order(keys, cuts: [cut]).order == expected, "\(name), cut at \(cut)")
    }
    // Cut into runs sorted side by side, however many, across the parts' cut or not: the same order.
    for ranges in [2, 3, 4, 7] {
      for cut in [0, keys.count / 3] {
        let sorted = Self.order(keys, cuts: [cut], ranges: ranges)
        #expect(sorted.order == expected, "\(name), \(ranges) runs, cut at \(cut)")
      }
    }
  }

  @Test("rows in order but for one at a run's edge, sorted in runs: found out of order")
  func outOfOrderAtARunsEdge() {
    // Each run is in order by itself; only the boundary between the second and third run is not.
    var keys = (0..<100).map { Int64($0) }
    keys.swapAt(49, 50)
    for ranges in [1, 2, 3, 4] {
      #expect(Self.order(keys, ranges: ranges).order == Self.reference(keys), "\(ranges) runs")
      #expect(Self.order((0..<100).map { Int64($0) }, ranges: ranges).order == nil, "\(ranges) runs, in order")
    }
  }

  @Test("rows in order already, none and one: no order to apply")
  func nothingToSort() {
    #expect(Self.order([]).order == nil)
    #expect(Self.order([42]).order == nil)
    #expect(Self.order([-5, -5, 0, 7, 7, Int64.max], cuts: [3]).order == nil)
    #expect(EventColumns.stableOrder(byKeys: []) == [])
    #expect(EventColumns.stableOrder(byKeys: [1, 1, 2]) == [0, 1, 2])
  }

  @Test("the packed sort leaves two arrays of as many words as rows; the wide sort none")
  func spareArrays() {
    let packed = Self.order(Self.random(1000, seed: 8) { Int64($0 % 100_000) })
    #expect(packed.spare.map(\.count) == [1000, 1000])
    let wide = Self.order(Self.random(1000, seed: 9) { Int64(bitPattern: $0) })
    #expect(wide.spare.isEmpty)
    let spare = SpareWords(packed.spare)
    #expect(spare.take(count: 999) == nil)
    #expect(spare.take(count: 1000)?.count == 1000)
    #expect(spare.take(count: 1000)?.count == 1000)
    #expect(spare.take(count: 1000) == nil)
  }

  @Test("dates sort by day, then precision, then time of day, file order among equals")
  func datesInOrder() throws {
    let written = ["2020-08-25T14:30", "2020", "2020-08-25", "-0044-03-15", "2020-08", "2020-08-25", "-13800000000", "2020-08-25T09:05", "2020"]
    let dates = try written.map { try TimelineDate.parse($0).get() }
    var spare: [[Int64]] = []
    let order = try #require(dates.withUnsafeBufferPointer { EventColumns.stableOrder([$0], spare: &spare) })
    #expect(order.map { written[Int($0)] } == [
      "-13800000000", "-0044-03-15", "2020", "2020", "2020-08", "2020-08-25", "2020-08-25", "2020-08-25T09:05", "2020-08-25T14:30",
    ])
    #expect(order == Self.reference(dates.map(\.sortKey)))
  }

  // MARK: - The streaming load's assembly

  /// Loads `text` with two threads (the file cut in the middle) and compares it, indexes included,
  /// with the reference decoder's timeline.
  static func expectTwoThreadsEqualTheReference(_ text: String) throws {
    let path = try PropertyTests.write(text)
    let reference = try TimelineDecoder.decode(Array(text.utf8), fileName: path)
    var timings = TimelineLoader.Timings()
    let fast = try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: 2, parallelThreshold: 0), timings: &timings)
    #expect(timings.path == "stream-2")
    #expect(fast.events == reference.events)
    #expect((0..<fast.count).map(fast.fileIndex(at:)) == (0..<reference.count).map(reference.fileIndex(at:)))
    #expect(fast.checkInvariants() == nil)
    for slot in 0..<CountryTable.slotCount {
      #expect(fast.events(withCountrySlot: slot) == reference.events(withCountrySlot: slot))
    }
    for p in 0..<fast.people.count { #expect(fast.events(withPerson: p) == reference.events(withPerson: p)) }
    // Tags are numbered in order of first appearance on each path; compare them by name.
    for (k, tag) in fast.tags.enumerated() {
      let r = try #require(reference.tags.firstIndex(of: tag))
      #expect(fast.events(withTag: k) == reference.events(withTag: r), "tag \(tag)")
    }
    #expect((0..<fast.count).map(fast.startKey(at:)) == (0..<reference.count).map(reference.startKey(at:)))
    #expect(fast.span! == reference.span!)
    #expect(fast.hasTimesOfDay == reference.hasTimesOfDay)
  }

  @Test("two threads' rows out of order: placed in order with their ids mapped, indexes as the reference's", arguments: [21, 22] as [UInt64])
  func twoThreadsOutOfOrder(seed: UInt64) throws {
    try Self.expectTwoThreadsEqualTheReference(PropertyTests.document(events: 1200, seed: seed))
  }

  @Test("two threads' rows in order already: placed as they are")
  func twoThreadsInOrder() throws {
    let unsorted = try TimelineDecoder.decode(Array(PropertyTests.document(events: 1200, seed: 23).utf8), fileName: "t.json")
    let sorted = TimelineJSONWriter.render(unsorted, events: (0..<UInt32(unsorted.count)).map { $0 })
    try Self.expectTwoThreadsEqualTheReference(sorted)
  }

  @Test("a list no event fills (no tags at all, no countries, no people): empty lists, on both paths")
  func listsWithNoValues() throws {
    var text = PropertyTests.document(events: 1200, seed: 25)
    for list in [#""tags": \["[a-z]+"\], "#, #""countries": \[("[A-Z]{2}"(, )?)*\], "#, #""people": \[("p[0-9]"(, )?)*\], "#] {
      text = text.replacingOccurrences(of: list, with: "", options: .regularExpression)
    }
    #expect(!text.contains("\"tags\"") && !text.contains("\"countries\": [") && !text.contains("\"people\": [\"p"))
    try Self.expectTwoThreadsEqualTheReference(text)
  }

  @Test("lists of every length up to nine copied as they are (countries, the first thread's tags): as the reference's")
  func longUnmappedLists() throws {
    let text = PropertyTests.document(events: 1200, seed: 26)
    let countries = ["IT", "ES", "JP", "BR", "IN", "GB", "PT", "SE", "FI"].map { "\"\($0)\"" }
    let tags = ["a", "b", "c", "d", "e", "f", "g", "h", "i"].map { "\"\($0)\"" }
    var out = ""
    var rest = Substring(text)
    var k = 0
    // Each event's countries and tags lists get 0 to 9 more values, a different count each time.
    while let r = rest.firstRange(of: /"(countries|tags)": \[/) {
      let isCountries = rest[r].contains("countries")
      out += rest[..<r.upperBound]
      rest = rest[r.upperBound...]
      let extra = (rest.hasPrefix("\"") || rest.hasPrefix("]")) ? k % 10 : 0
      let added = (isCountries ? countries : tags).prefix(extra)
      if !added.isEmpty { out += added.joined(separator: ", ") + (rest.hasPrefix("]") ? "" : ", ") }
      k += 1
    }
    out += rest
    #expect(out.contains(#""countries": ["IT", "ES", "JP", "BR", "IN", "GB", "PT", "SE", "FI", "#))
    #expect(out.contains(#""tags": ["a", "b", "c", "d", "e"]"#) || out.contains(#""tags": ["a", "b", "c", "d", "e", "#))
    try Self.expectTwoThreadsEqualTheReference(out)
  }

  @Test("members after the events, with two threads: the decode begun early is not taken, the timeline is the reference's", arguments: [false, true])
  func membersAfterTheEvents(withPeople: Bool) throws {
    let text = PropertyTests.document(events: 1200, seed: 27)
    // The people, sources and eras moved after the events array (the title stays before it); with
    // `withPeople` false, only the eras.
    let moved = withPeople ? [#"(?s)"people": \[.*?\],\n"#, #""sources": \[.*?\],\n"#, #""eras": \[.*?\],\n"#] : [#""eras": \[.*?\],\n"#]
    var out = text
    var tail = ""
    for pattern in moved {
      let r = try #require(out.range(of: pattern, options: .regularExpression))
      tail += ", " + out[r].dropLast(2)
      out.removeSubrange(r)
    }
    let end = try #require(out.range(of: "]}", options: .backwards))
    out.replaceSubrange(end, with: "]" + tail + "}")
    let path = try PropertyTests.write(out)
    let reference = try TimelineDecoder.decode(Array(out.utf8), fileName: path)
    #expect(reference.eras.count == 2 && (!withPeople || reference.people.count == 6))
    var timings = TimelineLoader.Timings()
    let fast = try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: 2, parallelThreshold: 0), timings: &timings)
    #expect(timings.path == "stream-2")
    #expect(fast.events == reference.events)
    #expect(fast.people == reference.people)
    #expect(fast.sources == reference.sources)
    #expect(fast.eras == reference.eras)
  }

  @Test("an id used in both threads' halves is a duplicate")
  func duplicateAcrossThreads() throws {
    var text = PropertyTests.document(events: 1200, seed: 24)
    let at = try #require(text.range(of: "\"id\": \"e1100\""))
    text.replaceSubrange(at, with: "\"id\": \"e3\"")
    let path = try PropertyTests.write(text)
    #expect(throws: TimelineLoader.Failure.self) {
      try TimelineLoader.load(path: path, options: .init(forceStreaming: true, threads: 2, parallelThreshold: 0))
    }
  }

  @Test("repeated hashes are found across parts, and only those")
  func repeatedHashesAcrossParts() {
    let a: [UInt64] = [1, 2, 3, 1 << 40 | 5]
    let b: [UInt64] = [7, 3, 1 << 40 | 5, 1 << 40 | 6]
    let found = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in StreamingLoad.repeatedHashes([pa, pb]) } }
    #expect(found.sorted() == [3, 1 << 40 | 5])
    let none = a.withUnsafeBufferPointer { StreamingLoad.repeatedHashes([$0]) }
    #expect(none.isEmpty)
  }

  /// The hashes that occur more than once, by counting: what `repeatedHashes` must find.
  static func referenceRepeats(_ parts: [[UInt64]]) -> [UInt64] {
    var counts: [UInt64: Int] = [:]
    for part in parts { for h in part { counts[h, default: 0] += 1 } }
    return counts.filter { $0.value > 1 }.map(\.key).sorted()
  }

  static func repeats(_ parts: [[UInt64]]) -> [UInt64] {
    func go(_ k: Int, _ done: [UnsafeBufferPointer<UInt64>]) -> Set<UInt64> {
      if k == parts.count { return StreamingLoad.repeatedHashes(done) }
      return parts[k].withUnsafeBufferPointer { go(k + 1, done + [$0]) }
    }
    return go(0, []).sorted()
  }

  @Test("repeated hashes among many: every bucket size, repeats within and across parts, twice and more")
  func repeatedHashesMany() {
    var r = SplitMix64(seed: 77)
    for n in [2, 3, 511, 512, 513, 1025, 40_000, 300_000] {
      var a = (0..<n / 2).map { _ in r.next() }
      var b = (0..<n - n / 2).map { _ in r.next() }
      #expect(Self.repeats([a, b]) == Self.referenceRepeats([a, b]), "no repeats, \(n) hashes")
      // Some of each part again, in the other part or its own, one of them three times.
      for k in 0..<min(20, n / 4) {
        b[Int(r.next() % UInt64(b.count))] = a[k]
        a[Int(r.next() % UInt64(a.count))] = a[(k + 7) % a.count]
      }
      if n > 8 { a[a.count - 1] = b[0]; a[a.count - 2] = b[0] }
      let expected = Self.referenceRepeats([a, b])
      #expect(!expected.isEmpty || n < 8)
      #expect(Self.repeats([a, b]) == expected, "\(n) hashes")
      #expect(Self.repeats([a + b]) == expected, "\(n) hashes in one part")
    }
  }

  @Test("repeated hashes alike in their top and low bits: the bucket's table gives way to a sort, same answer")
  func repeatedHashesAlike() {
    var r = SplitMix64(seed: 78)
    // Top bits the same (one bucket) and low 24 bits the same (one slot): only the middle bits differ.
    let alike = (0..<5000).map { _ in (0xABC0_0000_0000_0000 as UInt64) | (r.next() & 0x000F_FFFF_FF00_0000) | 0x12_3456 }
    var others = (0..<60_000).map { _ in r.next() }
    others[10] = alike[100]
    others[20] = alike[4000]
    let parts = [alike + [alike[3], alike[4999]], others]
    #expect(Self.repeats(parts) == Self.referenceRepeats(parts))
    #expect(Self.referenceRepeats(parts).count == 4)
  }

  /// Per-key sorted event lists, each event once per distinct value: what the inversion must give.
  static func referencePostings<T: FixedWidthInteger>(_ lists: [[T]], keys: Int) -> [[UInt32]] {
    var out = [[UInt32]](repeating: [], count: keys)
    for (e, list) in lists.enumerated() {
      for v in Set(list) { out[Int(v)].append(UInt32(e)) }
    }
    return out.map { $0.sorted() }
  }

  static func flat<T: FixedWidthInteger>(_ lists: [[T]]) -> FlatLists<T> {
    var f = FlatLists<T>()
    for list in lists { f.append(list) }
    return f
  }

  @Test("the posting lists, cut into ranges of events filled side by side, are those of one pass", arguments: [1, 2, 3, 4, 7] as [Int])
  func postingsInParts(_ parts: Int) {
    var r = SplitMix64(seed: 31)
    // Lists of 0 to 5 values, with repeats, over keys some of which no event lists.
    let countries: [[UInt16]] = (0..<3001).map { _ in (0..<Int(r.next() % 6)).map { _ in UInt16(r.next() % 40) } }
    let people: [[UInt32]] = (0..<3001).map { _ in (0..<Int(r.next() % 3)).map { _ in UInt32(r.next() % 700) } }
    let none: [[UInt32]] = Array(repeating: [], count: 3001)
    let few: [[UInt32]] = [[2, 2], [], [0]]
    let built = Postings.build(
      [.init(Self.flat(countries), keys: 50), .init(Self.flat(people), keys: 701), .init(Self.flat(none), keys: 0),
       .init(Self.flat(none), keys: 3), .init(Self.flat(few), keys: 3)],
      parts: parts)
    let expected = [
      Self.referencePostings(countries, keys: 50), Self.referencePostings(people, keys: 701), [], [[], [], []], [[2], [], [0]],
    ]
    #expect(built.count == expected.count)
    for (c, (lists, want)) in zip(built, expected).enumerated() {
      #expect(lists.count == want.count, "column \(c)")
      #expect((0..<lists.count).map { Array(lists[$0]) } == want, "column \(c), \(parts) parts")
    }
    // What runs alongside runs once.
    var ran = 0
    _ = Postings.build([.init(Self.flat(people), keys: 701)], parts: parts, alongside: { ran += 1 })
    #expect(ran == 1)
  }
}
