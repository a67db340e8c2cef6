import Foundation

/// Builds the word index: folds every title, summary and notes once, in file order (so a file-backed
/// timeline is read front to back in large reads rather than a million small ones), on two threads
/// for large timelines (each takes half the events; their vocabularies are merged after).
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

    // Invert, visiting events in event-number order so each word's list comes out sorted.
    var where_ = [(part: Int32, index: Int32)](repeating: (0, 0), count: n)
    for (k, range) in parts.enumerated() {
      for (j, position) in range.enumerated() { where_[byPosition[position]] = (Int32(k), Int32(j)) }
    }
    func wordsOf(_ e: Int) -> (ArraySlice<UInt32>, [UInt32]) {
      let (k, j) = where_[e]
      return (results[Int(k)].perEvent[Int(j)], remaps[Int(k)])
    }
    var counts = [UInt32](repeating: 0, count: words + 1)
    for e in 0..<n {
      let (list, remap) = wordsOf(e)
      for w in list { counts[Int(remap.isEmpty ? w : remap[Int(w)]) + 1] += 1 }
    }
    for k in 0..<words { counts[k + 1] += counts[k] }
    var fill = counts
    let total = Int(counts[words])
    let values = [UInt32].filled(count: total) { out in
      for e in 0..<n {
        let (list, remap) = wordsOf(e)
        for w in list {
          let id = Int(remap.isEmpty ? w : remap[Int(w)])
          out[Int(fill[id])] = UInt32(e)
          fill[id] += 1
        }
      }
    }
    var postings = FlatLists<UInt32>()
    postings.starts = counts
    postings.values = values
    return Built(vocabulary: vocabulary, wordStarts: wordStarts, postings: postings)
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
