import CTimelineSupport
import Foundation
import Synchronization

/// Builds the word index: folds every title, summary and notes once, in file order (so a file-backed
/// timeline is read front to back in large reads rather than a million small ones), on two threads
/// for large timelines (each takes the next of 128 chunks of the file while there are some, so that
/// neither waits for the other at the end; their vocabularies are merged after).
///
/// Each event's text is folded straight from the file's bytes (`SequentialText.foldEvent`, escapes
/// decoded in the same pass) and split into words by a bitmap of its word bytes (`forEachWord`); a
/// thread finds its frequent words in a small cache (`FrequentWord`) and interns the others, most of
/// them new ids, after asking for their slots in the interner's table (`ByteInterner.prefetch`).
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

  /// The events (in document order) are read in this many chunks, each taken by whichever thread is
  /// free: about 4 MiB of a 1 M-event file each, one read of the file. Taking half the file each, one
  /// thread waited for the other for 10 to 180 ms of a 1.1 s build on a shared machine.
  static let chunks = 128

  /// How the chunks are shared between the threads: the next one to whichever asks (`.shared`), or
  /// every other one to each, whatever their speed (`.alternating`, for tests: both threads' lists then
  /// hold chunks apart in the file, however small the timeline).
  enum Schedule { case shared, alternating }

  /// The next chunk to be taken.
  final class ChunkCounter: Sendable {
    let next = Atomic<Int>(0)
  }

  /// A word in at least this many events is kept as a bitset: 1/32 of the events, where a bitset takes
  /// the memory its array would; at least 16 (a bitset is a 64-bit word at the least).
  static func denseThreshold(events n: Int) -> Int { max(16, n / 32) }

  /// What a thread knows of one of its words.
  struct WordState {
    /// The last event (1-based, in the thread's order) that had the word: a word met again in the same
    /// event is skipped without sorting the event's words.
    var stamp: UInt32 = 0
    /// How many events list the word in `Part.listed`; or, once the word is common,
    /// `WordState.common` + its bitset's number.
    var entry: UInt32 = 0

    static let common: UInt32 = 1 << 31
  }

  /// One thread's share: its own vocabulary, the rare words' ids per event of its share, and the
  /// common words' bitsets (over every event number: a share is half the file, not a range of dates).
  final class Part: @unchecked Sendable {
    /// Dropped once the vocabulary is made (it is most of the build's memory for millions of words).
    var interner: ByteInterner?
    /// The ranges of document positions the part read, in the order it read them: the lists of
    /// `listStarts` are their events', one after the other.
    var taken: [Range<Int>] = []
    /// The listed (rare) words of each event the part read: event j's at `listed[listStarts[j]..<
    /// listStarts[j + 1]]` (raw memory, written by `fill`: an array's append checked that its buffer
    /// was not shared for each word and each event).
    var listStarts = UnsafeMutableBufferPointer<UInt32>(start: nil, count: 0)
    var listed = UnsafeMutableBufferPointer<UInt32>(start: nil, count: 0)
    /// The state of each of the part's words (raw memory, grown as words are met).
    var words = UnsafeMutableBufferPointer<WordState>(start: nil, count: 0)
    /// The capacities `listStarts`, `listed` and `words` were allocated with (`Pages`).
    var capacities = (listStarts: 0, listed: 0, words: 0)
    /// Blocks of 64 events.
    let blocks: Int
    /// The common words' bitsets, eight to a group. A group holds, for each block of 64 events, its
    /// eight words' 64 bits side by side (a cache line), so that an event's common words fall on a few
    /// lines however far the event is from the one before (a file need not be in the events' order:
    /// with one bitset after the other, each of an event's thirty common words was a cache miss).
    private(set) var groups: [UnsafeMutablePointer<UInt64>] = []
    /// The word of each bitset.
    private(set) var promoted: [UInt32] = []
    /// While the part is filled, the first `maskedWords` bitsets by event instead: one 64-bit word per
    /// event, bit k for bitset k, written once per event (`fill`), so that an event costs one cache line
    /// however far it is from the one before, not one per group of eight words; turned into `groups`
    /// when the part is filled (`unmask`).
    private(set) var masks: UnsafeMutablePointer<UInt64>?
    static let maskedWords = 64

    /// `expected`: about how many events the part will read.
    init(events n: Int, expected: Int) {
      blocks = max(1, (n + 63) / 64)
      interner = ByteInterner(capacity: 1 << 16, room: Tally.room(expected: expected))
    }

    deinit {
      freeBits()
      freeWords()
    }

    func freeWords() {
      Pages.free(words.baseAddress, capacity: capacities.words)
      words = UnsafeMutableBufferPointer(start: nil, count: 0)
      Pages.free(listStarts.baseAddress, capacity: capacities.listStarts)
      listStarts = UnsafeMutableBufferPointer(start: nil, count: 0)
      Pages.free(listed.baseAddress, capacity: capacities.listed)
      listed = UnsafeMutableBufferPointer(start: nil, count: 0)
      capacities = (0, 0, 0)
    }

    /// A new, empty bitset for word `w`; returns its number.
    func promote(_ w: Int) -> Int {
      let k = promoted.count
      // The groups of the masked words are only written, by `unmask`, for the part's own events' blocks
      // (about half of them): `Pages` memory, resident only there. The others' bits are ORed in as the
      // part reads, so they are zeroed first (a page first read would be the shared zero page, and the
      // write after it a copy and a TLB flush on the other thread's core).
      if k & 7 == 0 {
        let group = Pages.allocate(UInt64.self, capacity: blocks * 8)
        if k >= Self.maskedWords { group.initialize(repeating: 0, count: blocks * 8) }
        groups.append(group)
      }
      if k == 0 { masks = Pages.allocate(UInt64.self, capacity: blocks * 64) }
      promoted.append(UInt32(w))
      return k
    }

    /// Moves the events' masks into the first `maskedWords` bitsets (64 events at a time: a 64 × 64 bit
    /// matrix transposed) and frees them.
    func unmask() {
      guard let masks else { return }
      let words = min(promoted.count, Self.maskedWords)
      let a = UnsafeMutablePointer<UInt64>.allocate(capacity: 64)
      defer { a.deallocate() }
      for block in 0..<blocks {
        a.update(from: masks + block * 64, count: 64)
        // A block of the other part's events: nothing to write (its groups' pages stay unwritten).
        var any: UInt64 = 0
        for i in 0..<64 { any |= a[i] }
        if any == 0 { continue }
        // Bit j of a[i] (event i of the block has word j) becomes bit i of a[j]: the 32 × 32 corners
        // swapped, then the 16 × 16 ones of each quarter, and so on.
        var h = 32
        var m: UInt64 = 0x0000_0000_FFFF_FFFF
        while h != 0 {
          var k = 0
          while k < 64 {
            for r in k..<k + h {
              let t = ((a[r] >> UInt64(h)) ^ a[r + h]) & m
              a[r] ^= t << UInt64(h)
              a[r + h] ^= t
            }
            k += 2 * h
          }
          h >>= 1
          m ^= m << UInt64(h)
        }
        // Written, not ORed: these groups are written only here, once per block (see `promote`).
        for j in 0..<words { groups[j >> 3][block << 3 | j & 7] = a[j] }
      }
      Pages.free(masks, capacity: blocks * 64)
      self.masks = nil
    }

    /// Bitset `k`'s 64 bits for block `block`.
    @inline(__always)
    func bits(_ k: Int, block: Int) -> UnsafeMutablePointer<UInt64> { groups[k >> 3] + (block << 3 | k & 7) }

    func freeBits() {
      Pages.free(masks, capacity: blocks * 64)
      masks = nil
      for group in groups { Pages.free(group, capacity: blocks * 8) }
      groups = []
      promoted = []
    }
  }

  static func build(
    _ t: Timeline, denseThreshold: Int? = nil, parallelThreshold: Int = Self.parallelThreshold, schedule: Schedule = .shared
  ) -> Built {
    let n = t.count
    let laps = Laps()
    let debug = laps.debug
    func lap(_ step: String) { laps.lap(step) }
    let threshold = max(1, denseThreshold ?? Self.denseThreshold(events: n))
    lap("start")
    let byPosition = textOrder(t)
    lap("text order")

    let threads = n >= max(2, parallelThreshold) ? 2 : 1
    let chunk = max(1, (n + Self.chunks - 1) / Self.chunks)
    let expected = n / threads + chunk
    let results = (0..<threads).map { _ in Part(events: n, expected: expected) }

    // Each part promotes a word once it has listed it for its share of the threshold.
    let share = threshold / threads + (threshold % threads == 0 ? 0 : 1)
    let promoteAt = UInt32(min(Int(UInt32.max), max(1, share)))
    let order = byPosition
    let counter = ChunkCounter()
    let started = Date()
    DispatchQueue.concurrentPerform(iterations: threads) { k in
      var mine = k
      Self.fill(results[k], t, order, expected: expected, promoteAt: promoteAt) {
        let c: Int
        switch schedule {
        case .shared: c = counter.next.wrappingAdd(1, ordering: .relaxed).oldValue
        case .alternating:
          c = mine
          mine += threads
        }
        return c * chunk < n ? c * chunk..<min(n, (c + 1) * chunk) : nil
      }
      if debug {
        let r = results[k]
        FileHandle.standardError.write(Data(String(
          format: "timeline index: part %d filled after %.1f ms: %d words (%d bytes), %d listed, %d bitsets\n", k,
          Date().timeIntervalSince(started) * 1000, r.words.count, r.interner!.keyUsed, r.listed.count, r.promoted.count).utf8))
      }
    }
    lap("fill")

    let (vocabulary, wordStarts, groups, remaps, words) = makeVocabulary(results, laps: laps)
    lap("vocabulary")

    let postings = invert(n: n, threshold: threshold, byPosition: byPosition, results: results, remaps: remaps, words: words, laps: laps)
    lap("invert")
    return Built(vocabulary: vocabulary, wordStarts: wordStarts, groups: groups, postings: postings)
  }

  /// The events in the order their text lies in the document: for a file read by the streaming
  /// loader, `fileOrder` inverted (linear time; the titles' offsets are checked to increase), else by
  /// sorting the titles' offsets.
  ///
  /// 32-bit event numbers (an event number is below 2^32, as in `fileOrder`): at ten million events the
  /// order took 80 MB as `Int`s, held through the whole build.
  static func textOrder(_ t: Timeline) -> [UInt32] {
    let n = t.count
    guard t.document.file != nil else { return (0..<n).map { UInt32($0) } }
    if t.fileOrder.count == n {
      let none = UInt32.max
      var byFile = [UInt32](repeating: none, count: n)
      let inverted = byFile.withUnsafeMutableBufferPointer { b in
        t.fileOrder.withUnsafeBufferPointer { f in
          for e in 0..<n {
            let k = Int(f[e])
            guard k < n, b[k] == none else { return false }
            b[k] = UInt32(e)
          }
          return true
        }
      }
      if inverted {
        let ordered = byFile.withUnsafeBufferPointer { b in
          t.titles.withUnsafeBufferPointer { titles in
            (0..<max(0, n - 1)).allSatisfy { titles[Int(b[$0])].offset < titles[Int(b[$0 + 1])].offset }
          }
        }
        if ordered { return byFile }
      }
    }
    var byPosition = (0..<n).map { UInt32($0) }
    byPosition.sort { t.titles[Int($0)].offset < t.titles[Int($1)].offset }
    return byPosition
  }

  /// One vocabulary (the first part's, with the other part's new words added), grouped by signature;
  /// each part's word ids as the vocabulary's. The parts' interners are dropped (their memory goes
  /// before the postings are made).
  ///
  /// The second part's words are looked up in the first part's table, half on each thread (only reads),
  /// not added to it: a word the first part lacks (most of a large file's words are ids, met in one part
  /// only) takes the next id after the first part's and keeps its bytes in its own part's interner.
  /// Adding them grew the first part's table and then filled it, one cache miss each, on one thread.
  private static func makeVocabulary(_ results: [Part], laps: Laps) -> (
    vocabulary: [UInt8], wordStarts: [UInt32], groups: [(signature: UInt16, first: UInt32)], remaps: [[UInt32]], words: Int
  ) {
    precondition(results.count <= 2, "the vocabulary is merged from at most two parts")
    let main = results[0].interner!
    let first = main.count
    // The second part's words that the first lacks, by their id in the second part, in order: word
    // `first + k` of the vocabulary is `added[k]` of `other`.
    let other = results.count > 1 ? results[1].interner! : nil
    var added: [UInt32] = []
    var addedBytes = 0
    var merged: [[UInt32]] = [[]]
    if let own = other {
      let m = own.count
      let halves = [0..<m / 2, m / 2..<m]
      var found = [UInt32](repeating: 0, count: m)
      found.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let out = out
        DispatchQueue.concurrentPerform(iterations: halves.count) { h in
          let range = halves[h]
          let ahead = 16
          for j in range.prefix(ahead) { main.prefetch(hash: own.storedHash(j)) }
          for j in range {
            if j + ahead < range.upperBound { main.prefetch(hash: own.storedHash(j + ahead)) }
            // Id + 1 in the first part, or 0.
            out[j] = main.find(own.keyStart(j), count: own.keyBuffer(j).count, hash: own.storedHash(j)).map { UInt32($0 + 1) } ?? 0
          }
        }
      }
      var next = UInt32(first)
      for j in 0..<m {
        if found[j] != 0 {
          found[j] -= 1
        } else {
          found[j] = next
          next += 1
          added.append(UInt32(j))
          addedBytes += own.keyBuffer(j).count
        }
      }
      merged.append(found)
    }
    // From here only the words' bytes are read.
    for part in results { part.interner!.dropLookups() }
    laps.lap("  vocabulary: second part's words looked up")
    /// Word `w`'s bytes (with 16 readable bytes after them).
    func key(_ w: Int) -> UnsafeBufferPointer<UInt8> { w < first ? main.keyBuffer(w) : other!.keyBuffer(Int(added[w - first])) }
    let words = first + added.count
    // The words grouped by signature (a counting sort), and the parts' word ids turned into the
    // grouped ones.
    var signatures = [UInt16](repeating: 0, count: words)
    var groupStart = [UInt32](repeating: 0, count: 1 << 16 + 1)
    for w in 0..<words {
      let s = SearchIndex.signature(key(w))
      signatures[w] = s
      groupStart[Int(s) + 1] += 1
    }
    var groups: [(signature: UInt16, first: UInt32)] = []
    for s in 0..<1 << 16 {
      if groupStart[s + 1] > 0 { groups.append((UInt16(s), groupStart[s])) }
      groupStart[s + 1] += groupStart[s]
    }
    groups.append((0, UInt32(words)))
    laps.lap("  vocabulary: signatures")
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
    laps.lap("  vocabulary: remaps")
    var ungrouped = [UInt32](repeating: 0, count: words)
    for w in 0..<words { ungrouped[Int(grouped[w])] = UInt32(w) }
    grouped = []
    // The words in their grouped order, each followed by a zero byte.
    var wordStarts = [UInt32](repeating: 0, count: words + 1)
    let vocabulary = [UInt8].filled(count: main.keyUsed + addedBytes + words) { out in
      wordStarts.withUnsafeMutableBufferPointer { starts in
        var used = 0
        for (k, w) in ungrouped.enumerated() {
          let bytes = key(Int(w))
          if let from = bytes.baseAddress, bytes.count > 0 { (out.baseAddress! + used).update(from: from, count: bytes.count) }
          used += bytes.count
          out[used] = 0
          used += 1
          starts[k + 1] = UInt32(used)
        }
      }
    }
    ungrouped = []
    for part in results { part.interner = nil }
    return (vocabulary, wordStarts, groups, remaps, words)
  }

  /// Each word's events from the parts: common words' bitsets ORed together (with the events listed
  /// before the word was promoted), rare words' lists counted, placed and sorted.
  private static func invert(
    n: Int, threshold: Int, byPosition: [UInt32], results: [Part], remaps: [[UInt32]], words: Int, laps: Laps
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
    laps.lap("  invert: counts")
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
    laps.lap("  invert: bitsets")
    // Counting sort of the rare words' entries: starts, then each entry placed, then each list sorted
    // (the parts hold events in document order, which is not quite the events' order).
    func forEachEntry(_ body: (_ event: Int, _ word: Int) -> Void) {
      for (k, part) in results.enumerated() {
        let remap = remaps[k]
        let v = part.listed
        let s = part.listStarts
        remap.withUnsafeBufferPointer { r in
          var j = 0
          for range in part.taken {
            for position in range {
              let e = Int(byPosition[position])
              for i in Int(s[j])..<Int(s[j + 1]) {
                body(e, Int(r[Int(v[i])]))
              }
              j += 1
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
      laps.lap("  invert: entries placed")
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
    laps.lap("  invert: lists sorted")
    if laps.debug {
      FileHandle.standardError.write(Data(String(format: "timeline index: %d words, %d listed events, %d bitsets\n", words, counts[words], denseWords.count).utf8))
    }
    for part in results { part.freeWords() }
    return WordPostings(eventCount: n, starts: counts, values: values, denseWords: denseWords, bits: bits)
  }

  /// Calls `body` with the start and length of each word (a run of word bytes, `TextFolding.isWordByte`)
  /// of the `count` bytes at `p`, which must be followed by 64 readable bytes: which bytes are word bytes
  /// is found 16 at a time (`timeline_word_bits`, one bit each, into `bits`, which has room for
  /// `(count + 63) / 64` words), then the words are walked by their bits, a few instructions each
  /// (finding each word's start and end eight bytes at a time took about seventy).
  @inline(__always)
  static func forEachWord(
    _ p: UnsafePointer<UInt8>, count: Int, bits: UnsafeMutablePointer<UInt64>, _ body: (_ start: Int, _ length: Int) -> Void
  ) {
    guard count > 0 else { return }
    timeline_word_bits(p, count, bits)
    let chunks = (count + 63) >> 6
    // Where the word that runs on from the chunk before starts, or -1.
    var open = -1
    for c in 0..<chunks {
      var m = bits[c]
      let base = c << 6
      if open >= 0 {
        let end = (~m).trailingZeroBitCount
        if end == 64 { continue }
        body(open, base + end - open)
        open = -1
        m &= UInt64.max &<< UInt64(end)
      }
      while m != 0 {
        let start = m.trailingZeroBitCount
        // The bits shifted in above the chunk's last count as the word's end.
        let length = (~(m &>> UInt64(start))).trailingZeroBitCount
        if start + length == 64 {
          open = base + start
          break
        }
        body(base + start, length)
        m &= UInt64.max &<< UInt64(start + length)
      }
    }
    // The bits past `count` are clear: a word still open ends the text.
    if open >= 0 { body(open, count - open) }
  }

  /// For each length of a word up to 16 bytes, the masks of its bytes among the first eight bytes at its
  /// start and among the next eight (a table: working them out took a dozen instructions and two
  /// branches for each word).
  struct KeyMask {
    var low: UInt64
    var high: UInt64

    nonisolated(unsafe) static let table: UnsafePointer<KeyMask> = {
      let p = UnsafeMutablePointer<KeyMask>.allocate(capacity: 17)
      for n in 0...16 { p[n] = KeyMask(low: ByteInterner.lowBytes(min(n, 8)), high: n > 8 ? ByteInterner.lowBytes(n - 8) : 0) }
      return UnsafePointer(p)
    }()
  }

  /// A thread's cache of its frequent words of up to 16 bytes, direct-mapped: a word met again is
  /// found with one multiply and one read, where the interner hashes it and reads its table, the
  /// word's hash, start and bytes one after the other. A word is cached once it has been met in
  /// `after` events (an id met once never is); two frequent words on one slot take turns.
  struct FrequentWord {
    /// The word's bytes, the bytes past its end cleared; a length of 0 marks an empty slot.
    var low: UInt64
    var high: UInt64
    var word: UInt32
    var length: UInt32
    static let slots = 1 << 12
    static let after: UInt32 = 4

    @inline(__always)
    static func slot(low: UInt64, length: Int) -> Int {
      Int(truncatingIfNeeded: ((low ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15) >> 52)
    }
  }

  /// A word of the event being read that was not in the cache, waiting to be interned.
  struct PendingWord {
    var start: UInt32
    var length: UInt32
    var hash: UInt32
    /// Its cache slot (-1 for a word too long to be cached).
    var slot: Int32
  }

  /// Times the build's steps, on standard error, when `TIMELINE_DEBUG_INDEX` is set.
  final class Laps {
    let debug = ProcessInfo.processInfo.environment["TIMELINE_DEBUG_INDEX"] != nil
    private var clock = Date()

    func lap(_ step: String) {
      guard debug else { return }
      let now = Date()
      // The resident set now and at its highest so far (the build's memory, step by step).
      var memory = ""
      if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
        memory = status.split(separator: "\n").filter { $0.hasPrefix("VmRSS") || $0.hasPrefix("VmHWM") }
          .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }.joined(separator: ", ")
      }
      FileHandle.standardError.write(Data(String(format: "timeline index: %@ %.1f ms (%@)\n", step, now.timeIntervalSince(clock) * 1000, memory).utf8))
      clock = now
    }
  }

  /// A thread's running state while it fills a part, its words noted by a mutating method: as
  /// variables captured by a function nested in the loop, six of them had their exclusive access
  /// checked at run time (`swift_beginAccess`) for every event.
  struct Tally {
    let part: Part
    let promoteAt: UInt32
    let frequent: UnsafeMutablePointer<FrequentWord>
    var states: UnsafeMutablePointer<WordState>
    var stateCapacity: Int
    var stateCount = 0
    var groups: [UnsafeMutablePointer<UInt64>]
    var masks: UnsafeMutablePointer<UInt64>?
    /// The current event's first `Part.maskedWords` bitsets' bits.
    var mask: UInt64 = 0
    var stamp: UInt32 = 0
    /// `Part.listed` and `Part.listStarts` while they are written.
    var listed: UnsafeMutablePointer<UInt32>
    var listedCount = 0
    var listedCapacity: Int
    var listStarts: UnsafeMutablePointer<UInt32>
    var listCount = 0
    var listCapacity: Int

    init(part: Part, promoteAt: UInt32, frequent: UnsafeMutablePointer<FrequentWord>, expected: Int) {
      self.part = part
      self.promoteAt = promoteAt
      self.frequent = frequent
      stateCapacity = Self.room(expected: expected)
      states = Pages.allocate(WordState.self, capacity: stateCapacity)
      groups = part.groups
      masks = part.masks
      listedCapacity = Self.room(expected: expected)
      listed = Pages.allocate(UInt32.self, capacity: listedCapacity)
      listCapacity = max(64, 2 * expected + 1)
      listStarts = Pages.allocate(UInt32.self, capacity: listCapacity)
      listStarts[0] = 0
    }

    /// How many words, listed events and interned words a part of about `expected` events makes room
    /// for: four per event (a million-event file's part has about one new word and three listed events
    /// per event). `Pages` memory, resident only as it is written: the room costs address space only,
    /// and spares the buffers' moves while both threads run (each a TLB flush on the other's core).
    static func room(expected: Int) -> Int { max(1 << 16, expected * 4) }

    /// Ends the current event's list.
    @inline(__always)
    mutating func closeList() {
      listCount += 1
      if listCount == listCapacity { doubleCapacity(&listStarts, &listCapacity, keeping: listCount) }
      listStarts[listCount] = UInt32(listedCount)
    }

    /// Word `w` met in the current event (of `block` and `bit`): its events counted, its bit set once
    /// it is common; cached from `slot` (when not -1) once it has been met in a few events.
    @inline(__always)
    mutating func note(_ w: Int, block: Int, bit: UInt64, slot: Int, low: UInt64, high: UInt64, length: Int) {
      if w == stateCount {
        if stateCount == stateCapacity { doubleCapacity(&states, &stateCapacity, keeping: stateCount) }
        (states + w).initialize(to: WordState())
        stateCount += 1
      }
      let s = states + w
      guard s.pointee.stamp != stamp else { return }
      s.pointee.stamp = stamp
      let entry = s.pointee.entry
      if entry >= WordState.common {
        let k = Int(entry - WordState.common)
        if k < Part.maskedWords { mask |= 1 << UInt64(k) } else { groups[k >> 3][block << 3 | k & 7] |= bit }
      } else if entry + 1 >= promoteAt {
        let k = part.promote(w)
        groups = part.groups
        masks = part.masks
        s.pointee.entry = WordState.common + UInt32(k)
        if k < Part.maskedWords { mask |= 1 << UInt64(k) } else { groups[k >> 3][block << 3 | k & 7] |= bit }
      } else {
        s.pointee.entry = entry + 1
        if listedCount == listedCapacity { doubleCapacity(&listed, &listedCapacity, keeping: listedCount) }
        listed[listedCount] = UInt32(w)
        listedCount += 1
      }
      if slot >= 0 && s.pointee.entry >= FrequentWord.after {
        frequent[slot] = FrequentWord(low: low, high: high, word: UInt32(w), length: UInt32(length))
      }
    }
  }

  /// Folds and tokenises the events at the positions of `order` (the events in document order) that
  /// `next` gives, a range at a time, into a part (about `expected` events): each event's text folded
  /// straight from the file's bytes (`SequentialText.foldEvent`), split eight bytes at a time, each
  /// word found in the thread's `FrequentWord`s or interned from the folded text
  /// (`ByteInterner.intern(_:count:)`).
  private static func fill(
    _ part: Part, _ t: Timeline, _ order: [UInt32], expected: Int, promoteAt: UInt32, next: () -> Range<Int>?
  ) {
    let folded = FoldedText(capacity: 1 << 14)
    let reader = SequentialText(document: t.document, paged: true)
    let tables = TextFolding.Tables.shared
    let interner = part.interner!
    let frequent = UnsafeMutablePointer<FrequentWord>.allocate(capacity: FrequentWord.slots)
    frequent.initialize(repeating: FrequentWord(low: 0, high: 0, word: 0, length: 0), count: FrequentWord.slots)
    var tally = Tally(part: part, promoteAt: promoteAt, frequent: frequent, expected: expected)
    var pendingCapacity = 64
    var pending = Pages.allocate(PendingWord.self, capacity: pendingCapacity)
    var bitsCapacity = 256
    var bits = UnsafeMutablePointer<UInt64>.allocate(capacity: bitsCapacity)
    let keyMasks = KeyMask.table
    defer {
      frequent.deallocate()
      Pages.free(pending, capacity: pendingCapacity)
      bits.deallocate()
    }
    var taken: [Range<Int>] = []
    t.titles.withUnsafeBufferPointer { titles in
      t.summaries.withUnsafeBufferPointer { summaries in
        t.notes.withUnsafeBufferPointer { notes in
          while let range = next() {
            taken.append(range)
            // The chunk's text ends about where its last event's does: no read goes far past it.
            if let last = range.last {
              let e = Int(order[last])
              reader.readEnd = max(titles[e].offset + titles[e].length, summaries[e].offset + summaries[e].length, notes[e].offset + notes[e].length)
            }
            for position in range {
              let e = Int(order[position])
              tally.stamp += 1
              folded.removeAll()
              reader.foldEvent(title: titles[e], summary: summaries[e], notes: notes[e], into: folded, tables: tables)
              folded.padForWideReads()
              let block = e >> 6
              let bit: UInt64 = 1 << UInt64(e & 63)
              let p = UnsafePointer(folded.base)
              // A frequent word is found in the cache and noted at once; any other is hashed, its slot
              // in the interner's table asked for, and it is interned after the event's other words
              // (most are new: ids), so that the slot has come by then.
              var waiting = 0
              let chunks = (folded.count + 63) >> 6
              if chunks > bitsCapacity {
                bits.deallocate()
                bitsCapacity = max(chunks, bitsCapacity * 2)
                bits = .allocate(capacity: bitsCapacity)
              }
              forEachWord(p, count: folded.count, bits: bits) { start, length in
                var slot = -1
                if length <= 16 {
                  let raw = UnsafeRawPointer(p + start)
                  let mask = keyMasks[length]
                  let low = raw.loadUnaligned(as: UInt64.self) & mask.low
                  let high = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & mask.high
                  slot = FrequentWord.slot(low: low, length: length)
                  let cached = frequent[slot]
                  if Int(cached.length) == length && cached.low == low && cached.high == high {
                    return tally.note(Int(cached.word), block: block, bit: bit, slot: -1, low: 0, high: 0, length: 0)
                  }
                }
                let h = ByteInterner.hash(p + start, count: length)
                interner.prefetch(hash: h)
                if waiting == pendingCapacity { doubleCapacity(&pending, &pendingCapacity, keeping: waiting) }
                (pending + waiting).initialize(to: PendingWord(start: UInt32(start), length: UInt32(length), hash: h, slot: Int32(slot)))
                waiting += 1
              }
              for k in 0..<waiting {
                let word = pending[k]
                let start = Int(word.start)
                let length = Int(word.length)
                let w = interner.intern(p + start, count: length, hash: word.hash)
                if word.slot >= 0 {
                  let raw = UnsafeRawPointer(p + start)
                  let mask = keyMasks[length]
                  let low = raw.loadUnaligned(as: UInt64.self) & mask.low
                  let high = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & mask.high
                  tally.note(w, block: block, bit: bit, slot: Int(word.slot), low: low, high: high, length: length)
                } else {
                  tally.note(w, block: block, bit: bit, slot: -1, low: 0, high: 0, length: 0)
                }
              }
              if tally.mask != 0 {
                tally.masks![e] = tally.mask
                tally.mask = 0
              }
              tally.closeList()
            }
          }
        }
      }
    }
    // The window's 4 MiB go before the bitsets are made from the masks (both of them held at once).
    reader.freeWindow()
    part.unmask()
    part.taken = taken
    part.listed = UnsafeMutableBufferPointer(start: tally.listed, count: tally.listedCount)
    part.listStarts = UnsafeMutableBufferPointer(start: tally.listStarts, count: tally.listCount + 1)
    part.words = UnsafeMutableBufferPointer(start: tally.states, count: tally.stateCount)
    part.capacities = (tally.listCapacity, tally.listedCapacity, tally.stateCapacity)
  }
}

/// Doubles a full buffer of trivial values (the builder's hot loop keeps raw buffers, grown rarely, and
/// from `Pages`: remapped rather than copied, nothing left behind).
@inline(__always)
private func doubleCapacity<T>(_ buffer: inout UnsafeMutablePointer<T>, _ capacity: inout Int, keeping count: Int) {
  buffer = Pages.resize(buffer, capacity: capacity, to: capacity * 2)
  capacity *= 2
}
