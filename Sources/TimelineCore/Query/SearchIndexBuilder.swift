import Foundation

/// Builds the word index: folds every title, summary and notes once, in file order (so a file-backed
/// timeline is read front to back in large reads rather than a million small ones), on two threads
/// for large timelines (each takes half the events; their vocabularies are merged after).
///
/// A word's events go straight into a bitset once the word is common (`WordPostings`): each thread
/// promotes a word when it has listed it for enough of its events, and from then on sets the word's
/// bit for each further event instead of listing it. So the lists held until the end are the rare
/// words' events and the common words' first few: at a million generated events about 2 million
/// entries instead of 25 million, which is what the index's memory and its last step (turning each
/// event's words into each word's events) were mostly spent on.
enum SearchIndexBuilder {
  struct Built {
    var vocabulary: [UInt8]
    var wordStarts: [UInt32]
    var groups: [(signature: UInt16, first: UInt32)]
    var postings: WordPostings
  }

  /// From this many events the text is read and split on two threads.
  static let parallelThreshold = 20_000

  /// A word in at least this many events is kept as a bitset: 1/32 of the events, where a bitset takes
  /// the memory its array would; at least 16 (a bitset is a 64-bit word at the least).
  static func denseThreshold(events n: Int) -> Int { max(16, n / 32) }

  /// What a thread knows of one of its words.
  struct WordState {
    /// The last event (1-based, in the thread's order) that had the word: a word met again in the same
    /// event is skipped without sorting the event's words.
    var stamp: UInt32 = 0
    /// How many events list the word in `Part.perEvent`; or, once the word is common,
    /// `WordState.common` + its bitset's number.
    var entry: UInt32 = 0

    static let common: UInt32 = 1 << 31
  }

  /// One thread's share: its own vocabulary, the rare words' ids per event of its share, and the
  /// common words' bitsets (over every event number: a share is half the file, not a range of dates).
  final class Part: @unchecked Sendable {
    /// Dropped once the vocabulary is made (it is most of the build's memory for millions of words).
    var interner: ByteInterner? = ByteInterner(capacity: 1 << 16)
    var perEvent = FlatLists<UInt32>()
    var words: [WordState] = []
    /// Blocks of 64 events.
    let blocks: Int
    /// The common words' bitsets, eight to a group. A group holds, for each block of 64 events, its
    /// eight words' 64 bits side by side (a cache line), so that an event's common words fall on a few
    /// lines however far the event is from the one before (a file need not be in the events' order:
    /// with one bitset after the other, each of an event's thirty common words was a cache miss).
    private(set) var groups: [UnsafeMutablePointer<UInt64>] = []
    /// The word of each bitset.
    private(set) var promoted: [UInt32] = []

    init(events n: Int) { blocks = max(1, (n + 63) / 64) }

    deinit { freeBits() }

    /// A new, empty bitset for word `w`; returns its number.
    func promote(_ w: Int) -> Int {
      let k = promoted.count
      if k & 7 == 0 {
        let group = UnsafeMutablePointer<UInt64>.allocate(capacity: blocks * 8)
        group.initialize(repeating: 0, count: blocks * 8)
        groups.append(group)
      }
      promoted.append(UInt32(w))
      return k
    }

    /// Bitset `k`'s 64 bits for block `block`.
    @inline(__always)
    func bits(_ k: Int, block: Int) -> UnsafeMutablePointer<UInt64> { groups[k >> 3] + (block << 3 | k & 7) }

    func freeBits() {
      for group in groups { group.deallocate() }
      groups = []
      promoted = []
    }
  }

  /// Which bytes belong to words (letters, digits, non-ASCII), as a table for the tokenising loop.
  nonisolated(unsafe) static let wordByte: UnsafePointer<Bool> = {
    let p = UnsafeMutablePointer<Bool>.allocate(capacity: 256)
    for b in 0..<256 { p[b] = TextFolding.isWordByte(UInt8(b)) }
    return UnsafePointer(p)
  }()

  static func build(_ t: Timeline, denseThreshold: Int? = nil, parallelThreshold: Int = Self.parallelThreshold) -> Built {
    let n = t.count
    let threshold = max(1, denseThreshold ?? Self.denseThreshold(events: n))
    // Events in the order their text lies in the document.
    var byPosition = Array(0..<n)
    if t.document.file != nil { byPosition.sort { t.titles[$0].offset < t.titles[$1].offset } }

    let parts = n >= max(2, parallelThreshold) ? [0..<n / 2, n / 2..<n] : [0..<n]
    let results = parts.map { _ in Part(events: n) }
    // Each part promotes a word once it has listed it for its share of the threshold.
    let share = threshold / parts.count + (threshold % parts.count == 0 ? 0 : 1)
    let promoteAt = UInt32(min(Int(UInt32.max), max(1, share)))
    nonisolated(unsafe) let order = byPosition
    DispatchQueue.concurrentPerform(iterations: parts.count) { k in
      Self.fill(results[k], t, order[parts[k]], promoteAt: promoteAt)
    }

    let (vocabulary, wordStarts, groups, remaps, words) = makeVocabulary(results)

    let postings = invert(n: n, threshold: threshold, byPosition: byPosition, parts: parts, results: results, remaps: remaps, words: words)
    return Built(vocabulary: vocabulary, wordStarts: wordStarts, groups: groups, postings: postings)
  }

  /// One vocabulary (the first part's, with the other parts' new words added), grouped by signature;
  /// each part's word ids as the vocabulary's. The parts' interners are dropped (their memory goes
  /// before the postings are made).
  private static func makeVocabulary(_ results: [Part]) -> (
    vocabulary: [UInt8], wordStarts: [UInt32], groups: [(signature: UInt16, first: UInt32)], remaps: [[UInt32]], words: Int
  ) {
    // One vocabulary: the first part's, with the other parts' new words added.
    let main = results[0].interner!
    var merged: [[UInt32]] = [[]]
    for part in results.dropFirst() {
      let own = part.interner!
      merged.append((0..<own.count).map { UInt32(main.intern(own.keyBuffer($0)).id) })
      part.interner = nil
    }
    let words = main.count
    // The words grouped by signature (a counting sort), and the parts' word ids turned into the
    // grouped ones.
    var signatures = [UInt16](repeating: 0, count: words)
    var groupStart = [UInt32](repeating: 0, count: 1 << 16 + 1)
    for w in 0..<words {
      let s = SearchIndex.signature(main.keyBuffer(w))
      signatures[w] = s
      groupStart[Int(s) + 1] += 1
    }
    var groups: [(signature: UInt16, first: UInt32)] = []
    for s in 0..<1 << 16 {
      if groupStart[s + 1] > 0 { groups.append((UInt16(s), groupStart[s])) }
      groupStart[s + 1] += groupStart[s]
    }
    groups.append((0, UInt32(words)))
    var grouped = [UInt32](repeating: 0, count: words)
    for w in 0..<words {
      let s = Int(signatures[w])
      grouped[w] = groupStart[s]
      groupStart[s] += 1
    }
    signatures = []
    let remaps = merged.enumerated().map { k, merge in
      k == 0 ? grouped : merge.map { grouped[Int($0)] }
    }
    merged = []
    var ungrouped = [UInt32](repeating: 0, count: words)
    for w in 0..<words { ungrouped[Int(grouped[w])] = UInt32(w) }
    grouped = []
    var vocabulary: [UInt8] = []
    vocabulary.reserveCapacity(main.keyUsed + words)
    var wordStarts: [UInt32] = [0]
    wordStarts.reserveCapacity(words + 1)
    for w in ungrouped {
      vocabulary.append(contentsOf: main.keyBuffer(Int(w)))
      vocabulary.append(0)
      wordStarts.append(UInt32(vocabulary.count))
    }
    ungrouped = []
    results[0].interner = nil
    return (vocabulary, wordStarts, groups, remaps, words)
  }

  /// Each word's events from the parts: common words' bitsets ORed together (with the events listed
  /// before the word was promoted), rare words' lists counted, placed and sorted.
  private static func invert(
    n: Int, threshold: Int, byPosition: [Int], parts: [Range<Int>], results: [Part], remaps: [[UInt32]], words: Int
  ) -> WordPostings {
    let stride = (n + 63) / 64
    // Per word: its number of listed events, or `denseMark` when it is dense.
    let denseMark = UInt32.max
    var counts = [UInt32](repeating: 0, count: words + 1)
    for (k, part) in results.enumerated() {
      let remap = remaps[k]
      for (local, state) in part.words.enumerated() {
        let w = Int(remap[local])
        if state.entry >= WordState.common || counts[w] == denseMark {
          counts[w] = denseMark
        } else {
          counts[w] += state.entry
        }
      }
    }
    var denseWords: [UInt32] = []
    var denseNumber = [Int32](repeating: -1, count: words)
    for w in 0..<words where counts[w] == denseMark || counts[w] >= threshold {
      denseNumber[w] = Int32(denseWords.count)
      denseWords.append(UInt32(w))
      counts[w] = 0
    }
    // The common words' bitsets: each part's ORed in, then the events listed before promotion.
    var bits = [UInt64](repeating: 0, count: denseWords.count * stride)
    bits.withUnsafeMutableBufferPointer { b in
      for (k, part) in results.enumerated() {
        let remap = remaps[k]
        let targets = part.promoted.map { b.baseAddress! + Int(denseNumber[Int(remap[Int($0)])]) * stride }
        for block in 0..<stride {
          for (j, target) in targets.enumerated() { target[block] |= part.bits(j, block: block).pointee }
        }
        part.freeBits()
      }
    }
    // Counting sort of the rare words' entries: starts, then each entry placed, then each list sorted
    // (the parts hold events in document order, which is not quite the events' order).
    func forEachEntry(_ body: (_ event: Int, _ word: Int) -> Void) {
      for (k, part) in results.enumerated() {
        let remap = remaps[k]
        let list = part.perEvent
        list.values.withUnsafeBufferPointer { v in
          list.starts.withUnsafeBufferPointer { s in
            remap.withUnsafeBufferPointer { r in
              for (j, position) in parts[k].enumerated() {
                let e = byPosition[position]
                for i in Int(s[j])..<Int(s[j + 1]) {
                  body(e, Int(r[Int(v[i])]))
                }
              }
            }
          }
        }
      }
    }
    // `counts[w + 1]` becomes where word w's list ends (`counts` was shifted by one for that).
    counts.withUnsafeMutableBufferPointer { c in
      var total: UInt32 = 0
      for w in 0..<words {
        let m = c[w]
        c[w] = total
        total += m
      }
      c[words] = total
    }
    var fill = counts
    let values = [UInt32].filled(count: Int(counts[words])) { out in
      bits.withUnsafeMutableBufferPointer { b in
        denseNumber.withUnsafeBufferPointer { d in
          fill.withUnsafeMutableBufferPointer { f in
            forEachEntry { e, w in
              let k = Int(d[w])
              if k >= 0 {
                b[k * stride + e >> 6] |= 1 << UInt64(e & 63)
              } else {
                out[Int(f[w])] = UInt32(e)
                f[w] += 1
              }
            }
          }
        }
      }
      for w in 0..<words {
        var list = UnsafeMutableBufferPointer(rebasing: out[Int(counts[w])..<Int(counts[w + 1])])
        var sorted = true
        for i in list.indices.dropFirst() where list[i - 1] > list[i] {
          sorted = false
          break
        }
        if !sorted { list.sort() }
      }
    }
    for part in results {
      part.perEvent = FlatLists()
      part.words = []
    }
    return WordPostings(eventCount: n, starts: counts, values: values, denseWords: denseWords, bits: bits)
  }

  /// Folds and tokenises the events at `positions` (in document order) into a part.
  private static func fill(_ part: Part, _ t: Timeline, _ positions: ArraySlice<Int>, promoteAt: UInt32) {
    var perEvent = FlatLists<UInt32>()
    perEvent.starts.reserveCapacity(positions.count + 1)
    perEvent.values.reserveCapacity(positions.count * 4)
    var folded: [UInt8] = []
    var raw: [UInt8] = []
    var states: [WordState] = []
    var stamp: UInt32 = 0
    let reader = SequentialText(document: t.document)
    let interner = part.interner!
    let isWord = wordByte
    for e in positions {
      stamp += 1
      folded.removeAll(keepingCapacity: true)
      reader.bytes(t.titles[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      folded.append(0x0A)
      reader.bytes(t.summaries[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      folded.append(0x0A)
      reader.bytes(t.notes[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      let block = e >> 6
      let bit: UInt64 = 1 << UInt64(e & 63)
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
          if w == states.count { states.append(WordState()) }
          states.withUnsafeMutableBufferPointer { s in
            guard s[w].stamp != stamp else { return }
            s[w].stamp = stamp
            let entry = s[w].entry
            if entry >= WordState.common {
              part.bits(Int(entry - WordState.common), block: block).pointee |= bit
            } else if entry + 1 >= promoteAt {
              let k = part.promote(w)
              s[w].entry = WordState.common + UInt32(k)
              part.bits(k, block: block).pointee |= bit
            } else {
              s[w].entry = entry + 1
              perEvent.values.append(UInt32(w))
            }
          }
        }
      }
      perEvent.closeList()
    }
    part.perEvent = perEvent
    part.words = states
  }
}
