import Foundation

/// Builds the word index: folds every title, summary and notes once, in file order (so a file-backed
/// timeline is read front to back in large reads rather than a million small ones), on two threads
/// for large timelines (each takes half the events; their vocabularies are merged after), and inverted
/// into each word's events on two threads as well.
enum SearchIndexBuilder {
  struct Built {
    var vocabulary: [UInt8]
    var wordStarts: [UInt32]
    var postings: FlatLists<UInt32>
  }

  /// One thread's share: its own vocabulary and, per event of its share, the distinct word ids.
  final class Part: @unchecked Sendable {
    let interner = ByteInterner(capacity: 1 << 16)
    var perEvent = FlatLists<UInt32>()
  }

  /// Which bytes belong to words (letters, digits, non-ASCII), as a table for the tokenising loop.
  nonisolated(unsafe) static let wordByte: UnsafePointer<Bool> = {
    let p = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
    for b in 0..<256 { p[b] = TextFolding.isWordByte(UInt8(b)) }
    return UnsafePointer(p)
  }()

  static func build(_ t: Timeline) -> Built {
    let n = t.count
    // Events in the order their text lies in the document.
    var byPosition = Array(0..<n)
    if t.document.file != nil { byPosition.sort { t.titles[$0].offset < t.titles[$1].offset } }

    let parts = n >= 20_000 ? [0..<n / 2, n / 2..<n] : [0..<n]
    let results = parts.map { _ in Part() }
    nonisolated(unsafe) let order = byPosition
    DispatchQueue.concurrentPerform(iterations: parts.count) { k in
      Self.fill(results[k], t, order[parts[k]])
    }

    // One vocabulary: the first part's, with the second part's new words added.
    let main = results[0].interner
    var remaps: [[UInt32]] = [[]]
    for part in results.dropFirst() {
      remaps.append((0..<part.interner.count).map { UInt32(main.intern(part.interner.keyBuffer($0)).id) })
    }
    let words = main.count
    var vocabulary: [UInt8] = []
    var wordStarts: [UInt32] = [0]
    wordStarts.reserveCapacity(words + 1)
    for w in 0..<words {
      vocabulary.append(contentsOf: main.keyBuffer(w))
      vocabulary.append(0)
      wordStarts.append(UInt32(vocabulary.count))
    }

    let halves = invert(n: n, parts: parts, byPosition: byPosition, results: results, remaps: remaps, words: words)
    // The events' word lists go before the halves are joined: kept, they raised the peak resident
    // memory of a 1 M-event file with its index from 472 to 583 MB.
    for part in results { part.perEvent = FlatLists() }
    let postings = join(halves, words: words)
    return Built(vocabulary: vocabulary, wordStarts: wordStarts, postings: postings)
  }

  /// Turns the parts' word lists per event into each word's sorted list of events: on two threads for
  /// large timelines, each over half of the event numbers (so that each half's lists come out sorted).
  private static func invert(n: Int, parts: [Range<Int>], byPosition: [Int], results: [Part], remaps: [[UInt32]], words: Int) -> [FlatLists<UInt32>] {
    // Where each event's words are: its part, and its place in that part (parts hold events in
    // document order).
    var partOf = [UInt8](repeating: 0, count: n)
    var placeIn = [UInt32](repeating: 0, count: n)
    for (k, range) in parts.enumerated() {
      for (j, position) in range.enumerated() {
        partOf[byPosition[position]] = UInt8(k)
        placeIn[byPosition[position]] = UInt32(j)
      }
    }
    let halves = parts.count > 1 ? [0..<n / 2, n / 2..<n] : [0..<n]
    let shared = (partOf, placeIn, results.map(\.perEvent), remaps)
    return Parallel.map(halves.map { half in
      { () -> FlatLists<UInt32> in
        let (partOf, placeIn, lists, remaps) = shared
        return Self.invert(half, words: words, partOf: partOf, placeIn: placeIn, lists: lists, remaps: remaps)
      }
    })
  }

  /// Each word's events from the halves' lists, the first half's before the second's.
  private static func join(_ halves: [FlatLists<UInt32>], words: Int) -> FlatLists<UInt32> {
    if halves.count == 1 { return halves[0] }
    let (a, b) = (halves[0], halves[1])
    var postings = FlatLists<UInt32>()
    postings.starts = .filled(count: words + 1) { out in
      for w in 0...words { out[w] = a.starts[w] + b.starts[w] }
    }
    postings.values = .filled(count: a.values.count + b.values.count) { out in
      a.values.withUnsafeBufferPointer { av in
        b.values.withUnsafeBufferPointer { bv in
          var o = out.baseAddress!
          for w in 0..<words {
            let (a0, a1) = (Int(a.starts[w]), Int(a.starts[w + 1]))
            o.initialize(from: av.baseAddress! + a0, count: a1 - a0)
            o += a1 - a0
            let (b0, b1) = (Int(b.starts[w]), Int(b.starts[w + 1]))
            o.initialize(from: bv.baseAddress! + b0, count: b1 - b0)
            o += b1 - b0
          }
        }
      }
    }
    return postings
  }

  /// Each word's sorted events among `events`.
  private static func invert(
    _ events: Range<Int>, words: Int, partOf: [UInt8], placeIn: [UInt32], lists: [FlatLists<UInt32>], remaps: [[UInt32]]
  ) -> FlatLists<UInt32> {
    var counts = [UInt32](repeating: 0, count: words + 1)
    func forEachWord(_ body: (Int, Int) -> Void) {
      for e in events {
        let k = Int(partOf[e])
        let j = Int(placeIn[e])
        let list = lists[k]
        let remap = remaps[k]
        list.values.withUnsafeBufferPointer { v in
          remap.withUnsafeBufferPointer { r in
            for i in Int(list.starts[j])..<Int(list.starts[j + 1]) {
              body(e, r.isEmpty ? Int(v[i]) : Int(r[Int(v[i])]))
            }
          }
        }
      }
    }
    counts.withUnsafeMutableBufferPointer { c in forEachWord { _, w in c[w + 1] += 1 } }
    for k in 0..<words { counts[k + 1] += counts[k] }
    var fill = counts
    let values = [UInt32].filled(count: Int(counts[words])) { out in
      fill.withUnsafeMutableBufferPointer { f in
        forEachWord { e, w in
          out[Int(f[w])] = UInt32(e)
          f[w] += 1
        }
      }
    }
    var result = FlatLists<UInt32>()
    result.starts = counts
    result.values = values
    return result
  }

  /// Folds and tokenises the events at `positions` (in document order) into a part.
  private static func fill(_ part: Part, _ t: Timeline, _ positions: ArraySlice<Int>) {
    var perEvent = FlatLists<UInt32>()
    perEvent.starts.reserveCapacity(positions.count + 1)
    perEvent.values.reserveCapacity(positions.count * 24)
    var folded: [UInt8] = []
    var raw: [UInt8] = []
    // For each word, the last event (1-based, in this part's order) that listed it: a word met again
    // in the same event is skipped without sorting the event's words.
    var lastEvent: [UInt32] = []
    var stamp: UInt32 = 0
    let reader = SequentialText(document: t.document)
    let interner = part.interner
    let isWord = wordByte
    for e in positions {
      stamp += 1
      folded.removeAll(keepingCapacity: true)
      reader.bytes(t.titles[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      folded.append(0x0A)
      reader.bytes(t.summaries[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      folded.append(0x0A)
      reader.bytes(t.notes[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      folded.withUnsafeBufferPointer { f in
        let p = f.baseAddress!
        let count = f.count
        var i = 0
        while i < count {
          while i < count && !isWord[Int(p[i])] { i += 1 }
          let start = i
          while i < count && isWord[Int(p[i])] { i += 1 }
          guard i > start else { continue }
          let w = interner.intern(UnsafeBufferPointer(start: p + start, count: i - start)).id
          if w == lastEvent.count { lastEvent.append(0) }
          if lastEvent[w] != stamp {
            lastEvent[w] = stamp
            perEvent.values.append(UInt32(w))
          }
        }
      }
      perEvent.closeList()
    }
    part.perEvent = perEvent
  }
}
