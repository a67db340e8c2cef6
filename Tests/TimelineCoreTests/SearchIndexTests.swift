import CTimelineSupport
import Foundation
import Testing

@testable import TimelineCore

/// The word index gives, for every word and every piece of one, exactly the events whose text holds
/// it, whichever way each word's events are kept (a bitset for common words, a list for rare ones) and
/// however the build was split between threads; and searches through it give what reading every
/// event's text gives.
@Suite("word index")
struct SearchIndexTests {
  /// Words by how common they are: most events have one of the first, some the next, few the rest,
  /// and each event has its own number (a word of one event).
  static let common = ["serveur", "Réseau", "saisie", "Zürich", "東京"]
  static let middling = ["enquête", "ÉTATS-UNIS", "straße", "naïve", "copper", "beacon", "raid", "Kraków"]
  /// Words around the eight and sixteen bytes the tokeniser reads at a time, some alike up to their
  /// last byte, and one that folds longer than it is written.
  static let long = [
    "abcdefg", "abcdefgh", "abcdefgz", "abcdefghi", "abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnoq",
    "abcdefghijklmnopq", "Internationalisation", "1234567890123456", "übergrößenträger", "ßßßßßßßßß",
  ]
  static let rare = ["orbit", "lantern", "meadow", "🎉", "quill", "tundra", "harvest", "会議"]

  /// A timeline of `n` events whose words are drawn as above, in a random file order (so the document
  /// order is not the events' order), some without a summary, some with notes.
  /// Some words are written with escapes (`\u00e9`, capitals in hex, surrogate pairs), and some are
  /// separated by an escaped line break, tab or quote: the index folds the file's bytes as they are.
  static func document(events n: Int, seed: UInt64) -> String {
    var r = PropertyTests.RNG(state: seed)
    func escaped(_ word: String) -> String {
      word.utf16.map { unit in
        let hex = String(format: "%04x", unit)
        return "\\u" + (r.int(2) == 0 ? hex : hex.uppercased())
      }.joined()
    }
    func words(_ count: Int) -> String {
      (0..<count).map { _ -> String in
        let word: String
        switch r.int(100) {
        case 0..<60: word = r.pick(common)
        case 60..<88: word = r.pick(middling)
        case 88..<92: word = r.pick(long)
        default: word = r.pick(rare)
        }
        return r.int(10) == 0 ? escaped(word) : word
      }.joined(separator: r.pick([" ", " ", " ", " ", "-", "\\n", "\\t", "\\\"", " \\/ "]))
    }
    var events: [String] = []
    for i in 0..<n {
      let date = "\(1990 + r.int(30))-\(String(format: "%02d", 1 + r.int(12)))"
      var event = "{\"id\": \"e\(i)\", \"date\": \"\(date)\", \"title\": \"Event \(i) \(words(1 + r.int(4)))\""
      if r.int(5) != 0 { event += ", \"summary\": \"\(words(r.int(12)))\"" }
      if r.int(8) == 0 { event += ", \"notes\": \"note n\(r.int(n)) \(words(2))\"" }
      event += ", \"confidence\": \"confirmed\", \"sources\": [\"s0\"]}"
      events.append(event)
    }
    return """
      {"format": "timeline/1", "title": "Words \(seed)", "description": "d",
       "sources": [{"id": "s0", "title": "Record", "publisher": "Gazette", "date": "2020", "language": "en"}],
       "events": [
      \(events.joined(separator: ",\n"))
      ]}
      """
  }

  /// The ways of building the index: each word's events as a bitset, none, or by size; on one thread
  /// or two, the two taking the file's chunks as they come or every other one each (so that each
  /// thread's lists hold chunks apart in the file, which on a small timeline one thread taking every
  /// chunk would not show).
  static let builds: [(dense: Int?, parallel: Int, schedule: SearchIndexBuilder.Schedule)] = [
    (1, 0, .shared), (Int.max, 0, .shared), (nil, 0, .shared), (Int.max, 0, .alternating), (nil, 0, .alternating),
    (8, 1 << 30, .shared), (nil, 1 << 30, .shared),
  ]

  /// Each event's folded words, read the plain way.
  static func foldedWords(_ t: Timeline) -> [Set<[UInt8]>] {
    (0..<t.count).map { e in
      let text = t.title(at: e) + "\n" + t.summary(at: e) + "\n" + (t.notes(at: e) ?? "")
      var out: Set<[UInt8]> = []
      TextFolding.fold(text).withUnsafeBufferPointer { f in SearchIndex.words(f) { out.insert(Array($0)) } }
      return out
    }
  }

  static func timelines(seed: UInt64, events n: Int) throws -> [Timeline] {
    let text = document(events: n, seed: seed)
    let inMemory = try TimelineDecoder.decode(Array(text.utf8), fileName: "mem")
    let fromFile = try TimelineLoader.load(path: try PropertyTests.write(text), options: .init(forceStreaming: true))
    return [inMemory, fromFile]
  }

  @Test("every word's events, and every piece's, are the events whose text holds them", arguments: [31, 32] as [UInt64])
  func everyWordHasExactlyItsEvents(seed: UInt64) throws {
    for t in try Self.timelines(seed: seed, events: 700) {
      let perEvent = Self.foldedWords(t)
      var expected: [[UInt8]: [UInt32]] = [:]
      for (e, words) in perEvent.enumerated() {
        for w in words { expected[w, default: []].append(UInt32(e)) }
      }
      // Pieces of words: a letter, a syllable, a number, a whole word, and what no word holds.
      let vocabulary = Set(perEvent.joined())
      let pieces = [
        "s", "e", "se", "ser", "serveur", "reseau", "zurich", "東", "京", "1", "12", "n3", "kra", "strasse", "🎉", "zzz",
        "abcdefgh", "abcdefghijklmnop", "hijklmnopq", "nationalisation", "ssssss", "ubergrossen",
      ].map { piece in
        let folded = TextFolding.fold(piece)
        let holding = vocabulary.filter { PropertyTests.contains($0, folded) }
        return (folded, perEvent.indices.filter { !perEvent[$0].isDisjoint(with: holding) }.map { UInt32($0) })
      }
      for build in Self.builds {
        let index = SearchIndex(timeline: t, denseThreshold: build.dense, parallelThreshold: build.parallel, schedule: build.schedule)
        let label = "dense from \(build.dense.map(String.init) ?? "default"), two threads from \(build.parallel), \(build.schedule)"
        #expect(index.wordCount == expected.count, "\(label)")
        var dense = 0
        for w in 0..<index.wordCount {
          let word = Array(index.vocabulary[Int(index.wordStarts[w])..<Int(index.wordStarts[w + 1]) - 1])
          #expect(index.postings.events(of: w) == expected[word] ?? [], "\(label): \(String(decoding: word, as: UTF8.self))")
          if index.postings.bitset(of: w) != nil { dense += 1 }
        }
        switch build.dense {
        case 1: #expect(dense == index.wordCount, "\(label)")
        case Int.max: #expect(dense == 0, "\(label)")
        default: #expect(dense > 0 && dense < index.wordCount, "\(label): both kinds of words")
        }
        for (piece, events) in pieces {
          #expect(index.events(containing: piece).sorted == events, "\(label): \(String(decoding: piece, as: UTF8.self))")
        }
      }
    }
  }

  /// Queries of every kind, most of them text: pieces of common, middling and rare words, numbers,
  /// phrases, exclusions, alternatives, capitals, dates.
  static func randomQuery(_ r: inout PropertyTests.RNG) -> Query {
    var q = Query()
    let word = r.pick(common + middling + rare + ["event", "note", "gazette", "record", "7", "1990", "-0", "\"serveur réseau\"", "Serveur"])
    let start = word.hasPrefix("\"") ? 0 : r.int(max(1, word.count / 2))
    var text = String(word.dropFirst(start).prefix(1 + r.int(8)))
    switch r.int(6) {
    case 0: text += " " + r.pick(common + rare).prefix(2)
    case 1: text = "!" + text + " " + r.pick(middling).prefix(3)
    case 2: text += " | " + r.pick(rare).prefix(3)
    default: break
    }
    q.text = text
    if r.int(5) == 0 { q.from = TimelineDate(year: 1995 + r.int(20)) }
    if r.int(5) == 0 { q.to = TimelineDate(year: 2005 + r.int(20)) }
    return q
  }

  @Test("searches through the index give the events a scan of every text gives, typed at once or a letter at a time", arguments: [41, 42] as [UInt64])
  func searchesEqualAScan(seed: UInt64) throws {
    let text = Self.document(events: 600, seed: seed)
    let scanned = try TimelineDecoder.decode(Array(text.utf8), fileName: "mem")
    var r = PropertyTests.RNG(state: seed)
    let queries = (0..<80).map { _ in Self.randomQuery(&r) }
    let expected = queries.map { scanned.evaluate($0, textSearch: .scan) }
    let typed = ["serveur", "reseau-saisie", "東京", "Zürich", "krak", "event 12", "e1"].flatMap { word in
      (1...word.count).map { Query(text: String(word.prefix($0))) }
    }
    let typedExpected = typed.map { scanned.evaluate($0, textSearch: .scan) }
    for build in Self.builds {
      for t in try Self.timelines(seed: seed, events: 600) {
        t.buildSearchIndex(denseThreshold: build.dense, parallelThreshold: build.parallel, schedule: build.schedule)
        for (q, events) in zip(queries, expected) {
          #expect(t.evaluate(q) == events, "\(build): \(q.text)")
        }
        // Each letter narrows the answer to the one before, as the explorer asks (a new word starts afresh).
        var previous: (query: Query, result: [UInt32])?
        for (q, events) in zip(typed, typedExpected) {
          let narrowed = t.evaluate(q, narrowing: previous)
          #expect(narrowed == events, "\(build): \"\(q.text)\"")
          previous = (q, narrowed)
        }
      }
    }
    #expect(!scanned.isSearchIndexBuilt, "the scan read the text, not an index")
  }

  @Test("the index's tokeniser, by a bitmap of the word bytes, finds the words the plain one finds")
  func tokeniserSplitsLikeThePlainOne() {
    // Every byte value in every place of a 64-byte block, the bytes after the text random.
    var r = PropertyTests.RNG(state: 11)
    var bits = [UInt64](repeating: 0, count: 8)
    for b in 0..<256 {
      for lane in 0..<64 {
        var bytes = (0..<128).map { _ in UInt8(r.int(256)) }
        bytes[lane] = UInt8(b)
        let n = 64 - r.int(2) * r.int(64 - lane)
        bytes.withUnsafeBufferPointer { timeline_word_bits($0.baseAddress!, n, &bits) }
        for k in 0..<64 {
          let expected = k < n && TextFolding.isWordByte(bytes[k])
          #expect((bits[0] >> UInt64(k)) & 1 == (expected ? 1 : 0), "byte \(bytes[k]) in place \(k) of \(n)")
        }
      }
    }
    // Random text of every length up to 300 (words across the 64-byte blocks, ending at the text's end
    // or at a block's): runs of word and other bytes, of any length, and random bytes after the text.
    for _ in 0..<4000 {
      var text: [UInt8] = []
      let n = r.int(4) == 0 ? 64 * r.int(5) : r.int(301)
      while text.count < n {
        let run = 1 + r.int(r.int(4) == 0 ? 80 : 9)
        let word = r.int(2) == 0
        for _ in 0..<run {
          let pool: [UInt8] = word ? [0x61, 0x7A, 0x30, 0x39, 0x41, 0x5A, 0x80, 0xC3, 0xFF] : [0x20, 0x0A, 0x2F, 0x40, 0x5B, 0x60, 0x7B, 0x7F, 0x00]
          text.append(r.int(3) == 0 ? UInt8(r.int(256)) : r.pick(pool))
        }
      }
      text.removeLast(text.count - n)
      var expected: [[UInt8]] = []
      text.withUnsafeBufferPointer { t in SearchIndex.words(t) { expected.append(Array($0)) } }
      var found: [[UInt8]] = []
      let padded = text + (0..<64).map { _ in r.int(2) == 0 ? 0x61 : UInt8(r.int(256)) }
      var bits = [UInt64](repeating: .max, count: (n + 63) / 64 + 1)
      padded.withUnsafeBufferPointer { p in
        bits.withUnsafeMutableBufferPointer { b in
          SearchIndexBuilder.forEachWord(p.baseAddress!, count: n, bits: b.baseAddress!) { start, length in found.append(Array(p[start..<start + length])) }
        }
      }
      #expect(found == expected, "\(text)")
    }
  }

  @Test("interning from folded text with room after it gives the ids that interning the bytes alone gives")
  func internWithRoomAfter() {
    var r = PropertyTests.RNG(state: 12)
    // Keys of every length to 40, many alike but for their last byte or their length; each read with
    // random bytes after it.
    var keys: [[UInt8]] = []
    for n in 0...40 {
      let base = (0..<n).map { _ in UInt8(0x61 + r.int(3)) }
      keys.append(base)
      if n > 0 {
        var other = base
        other[n - 1] ^= 1
        keys.append(other)
        var first = base
        first[0] ^= 2
        keys.append(first)
      }
    }
    for k in keys where k.count <= 16 {
      let padded = k + (0..<16).map { _ in UInt8(r.int(256)) }
      padded.withUnsafeBufferPointer { p in
        let raw = UnsafeRawPointer(p.baseAddress!)
        let wide = ByteInterner.hash(low: raw.loadUnaligned(as: UInt64.self), high: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self), count: k.count)
        #expect(ByteInterner.hash(UnsafeBufferPointer(rebasing: p[0..<k.count])) == wide, "\(k)")
      }
    }
    let plain = ByteInterner(capacity: 4)
    let padded = ByteInterner(capacity: 4)
    for round in 0..<3 {
      var order = keys
      for i in order.indices.reversed() { order.swapAt(i, r.int(i + 1)) }
      for k in order {
        let expected = k.withUnsafeBufferPointer { plain.intern($0).id }
        let bytes = k + (0..<16).map { _ in UInt8(r.int(256)) }
        // With one method and the other, into the same interner.
        let id = bytes.withUnsafeBufferPointer { p in
          round == 1 ? padded.intern(UnsafeBufferPointer(rebasing: p[0..<k.count])).id : padded.intern(p.baseAddress!, count: k.count)
        }
        #expect(id == expected, "\(k)")
        #expect(Array(padded.keyBuffer(id)) == k)
        #expect(k.withUnsafeBufferPointer { padded.lookup($0) } == expected)
      }
    }
    #expect(padded.count == Set(keys).count)
  }

  /// The interner's hash spreads keys that differ only after their fourth byte (source ids `src-0` ...
  /// `src-249`, event ids) over a table's index bits: with a multiply as its last step, such keys
  /// landed on a few dozen of a 512-slot table's slots, and a lookup probed 12 slots on average.
  @Test func internerHashSpreadsKeysThatDifferLate() {
    for (prefix, count, bits) in [("src-", 250, 9), ("ev-2000-", 3000, 12), ("abcdefghijkl-", 3000, 12), ("p", 5000, 13)] {
      var used = Set<UInt32>()
      for i in 0..<count {
        let k = Array((prefix + String(i)).utf8)
        used.insert(k.withUnsafeBufferPointer { ByteInterner.hash($0) } & (1 << bits - 1))
      }
      // Spread at random, `count` keys would take about `slots * (1 - exp(-count / slots))` slots.
      let slots = Double(1 << bits)
      let expected = slots * (1 - exp(-Double(count) / slots))
      #expect(Double(used.count) > 0.9 * expected, "\(prefix): \(used.count) slots of \(Int(slots)) for \(count) keys")
    }
  }

  @Test("the index reads a streamed file's events in the order their text lies in it")
  func textOrder() throws {
    for threads in [1, 2] {
      let t = try TimelineLoader.load(
        path: try PropertyTests.write(Self.document(events: 3_000, seed: 13)), options: .init(forceStreaming: true, threads: threads))
      #expect(t.document.file != nil)
      let order = SearchIndexBuilder.textOrder(t)
      #expect(order.map { Int($0) } == (0..<t.count).sorted { t.titles[$0].offset < t.titles[$1].offset }, "\(threads) threads")
      #expect(order.map { Int($0) } != Array(0..<t.count), "the file is not in the events' order")
    }
  }

  @Test("event sets: lists and bitsets give the same sorted events, intersections and differences")
  func eventSets() {
    var r = PropertyTests.RNG(state: 5)
    for universe in [1, 63, 64, 65, 200, 1000] {
      for _ in 0..<20 {
        let a = (0..<universe).filter { _ in r.int(3) == 0 }.map { UInt32($0) }
        let b = (0..<universe).filter { _ in r.int(2) == 0 }.map { UInt32($0) }
        var bits = EventBits(universe: universe)
        bits.insert(contentsOf: a)
        let lo = r.int(universe)
        let range = lo..<lo + r.int(universe - lo + 1)
        for set in [EventSet.list(a), .bits(bits)] {
          #expect(set.sorted == a)
          #expect(set.sorted(in: range) == a.filter { range.contains(Int($0)) })
          #expect(set.intersection(b) == b.filter(a.contains))
          #expect(set.subtracting(from: b) == b.filter { !a.contains($0) })
        }
        #expect(SortedLists.intersection(a, b) == b.filter(a.contains))
        let all = (0..<UInt32(universe)).map { $0 }
        #expect(SortedLists.intersection(all, b) == b)
        #expect(SortedLists.intersection(b, Array(all[range])) == b.filter { range.contains(Int($0)) })
      }
    }
  }

  /// A search term's events are gathered (`EventUnion`) and walked (`EventBits`) by two threads from a
  /// quarter of a million events; forced on small sets here, each thread's half must give what one
  /// thread gives: a union of lists and bitsets, the sorted events in a range, and a filter kept or left out.
  @Test("event sets made and walked by two threads equal those of one", arguments: [1, 63, 64, 65, 127, 128, 129, 200, 1_000, 4_097])
  func eventSetsInTwoHalves(universe: Int) {
    var r = PropertyTests.RNG(state: UInt64(universe))
    let words = (universe + 63) / 64
    for round in 0..<12 {
      // Lists of every density, some all in one half, and bitsets.
      let lists: [[UInt32]] = (0..<r.int(5)).map { k in
        let lo = k == 0 ? universe / 2 : 0
        return (lo..<universe).filter { _ in r.int(k + 2) == 0 }.map { UInt32($0) }
      }
      let sets: [[UInt32]] = (0..<(round % 3)).map { _ in (0..<universe).filter { _ in r.int(7) == 0 }.map { UInt32($0) } }
      let expected = Set(lists.joined()).union(sets.joined()).sorted()
      var bitsets: [[UInt64]] = []
      for set in sets {
        var b = EventBits(universe: universe)
        b.insert(contentsOf: set)
        bitsets.append(b.words)
      }
      for parallelFrom in [0, Int.max] {
        var gather = EventUnion(universe: universe, parallelFrom: parallelFrom)
        for l in lists { gather.add(l) }
        for b in bitsets { gather.add(bits: b[...]) }
        let union = gather.finish()
        #expect(union.sorted == expected, "universe \(universe), round \(round), parallelFrom \(parallelFrom)")
        guard case .bits(let bits) = union else { continue }
        #expect(bits.words.count == words)
        let lo = r.int(universe)
        for range in [0..<universe, lo..<lo + r.int(universe - lo + 1), universe / 2..<universe] {
          #expect(bits.sorted(in: range, parallelFrom: parallelFrom) == expected.filter { range.contains(Int($0)) }, "range \(range)")
        }
        let candidates = (0..<universe).filter { _ in r.int(2) == 0 }.map { UInt32($0) }
        let inSet = Set(expected)
        #expect(bits.filter(candidates, keeping: true, parallelFrom: parallelFrom) == candidates.filter(inSet.contains))
        #expect(bits.filter(candidates, keeping: false, parallelFrom: parallelFrom) == candidates.filter { !inSet.contains($0) })
      }
    }
  }

  /// The shortcuts of a search keystroke on a large timeline, against plain set arithmetic: a union
  /// whose bitsets already fill a half (or all) of the events skips the lists' events there; a set that
  /// holds every event is `isFull`; a filter that keeps every event answers with the list itself; an
  /// intersection with a list without gaps (every event, a range) lists the set's bits in its bounds.
  /// Each on one thread and two (halves forced on small sets), with sets that drop a single event
  /// first, last or in the middle, so a shortcut taken when it should not be shows.
  @Test("a keystroke's shortcuts (full halves, filters that keep all, lists without gaps) give the plain answers", arguments: [1, 63, 64, 65, 127, 128, 129, 200, 1_000, 4_097])
  func keystrokeShortcuts(universe: Int) {
    var r = PropertyTests.RNG(state: UInt64(universe) &+ 99)
    let words = (universe + 63) / 64
    let mid = words / 2
    for round in 0..<24 {
      // A bitset full everywhere, in the first or second half of the words, or nearly full (one event
      // missing), with lists of every density.
      var full = EventBits(universe: universe)
      let missing = r.int(universe)
      let kind = round % 4
      let filled = (0..<universe).filter { e in
        switch kind {
        case 0: true
        case 1: e >> 6 < mid
        case 2: e >> 6 >= mid
        default: e != missing
        }
      }.map { UInt32($0) }
      full.insert(contentsOf: filled)
      let lists: [[UInt32]] = (0..<1 + r.int(4)).map { k in (0..<universe).filter { _ in r.int(k + 2) == 0 }.map { UInt32($0) } }
      let expected = Set(lists.joined()).union(filled).sorted()
      #expect(full.isFull == (filled.count == universe), "universe \(universe), round \(round)")
      for parallelFrom in [0, Int.max] {
        var gather = EventUnion(universe: universe, parallelFrom: parallelFrom)
        for l in lists { gather.add(l) }
        gather.add(bits: full.words[...])
        let union = gather.finish()
        #expect(union.sorted == expected, "universe \(universe), round \(round), parallelFrom \(parallelFrom)")
        guard case .bits(let bits) = union else { continue }
        #expect(bits.isFull == (expected.count == universe))
        let inSet = Set(expected)
        // Candidates all in the set, all but one (first, last, anywhere), and at random; and the
        // same for the events left out.
        let inside = expected.filter { _ in r.int(3) != 0 }
        let outside = (0..<UInt32(universe)).filter { !inSet.contains($0) }
        var candidates: [[UInt32]] = [inside, expected, (0..<UInt32(universe)).filter { _ in r.int(2) == 0 }]
        if !outside.isEmpty {
          for stray in [outside[0], outside[outside.count - 1], r.pick(outside)] { candidates.append((inside + [stray]).sorted()) }
          candidates.append(outside)
        }
        for c in candidates {
          #expect(bits.filter(c, keeping: true, parallelFrom: parallelFrom) == c.filter(inSet.contains), "keeping, \(c.count) candidates")
          #expect(bits.filter(c, keeping: false, parallelFrom: parallelFrom) == c.filter { !inSet.contains($0) }, "leaving out, \(c.count) candidates")
        }
        // Lists without gaps: every event, a range, one event.
        let lo = r.int(universe)
        for range in [0..<universe, lo..<lo + r.int(universe - lo + 1), lo..<lo + 1] {
          let list = range.map { UInt32($0) }
          #expect(union.intersection(list) == list.filter(inSet.contains), "range \(range)")
          #expect(bits.count(in: range) == list.filter(inSet.contains).count, "range \(range)")
        }
      }
    }
  }

  /// The rows' highlights fold a character of one ASCII byte from a table; they must be those of
  /// folding each character alone, over text of every kind: ASCII words and capitals, a lone "\r" and
  /// "\r\n" (one character of two bytes), combining marks after an ASCII letter, letters that fold
  /// longer, emoji with variation selectors and flags, other scripts; terms in any case (capitals make
  /// them case-sensitive), phrases, alternatives, exclusions; as text, names and dates.
  @Test("highlights folded from the ASCII table equal those of folding each character alone")
  func highlightsFromTheASCIITable() {
    var r = PropertyTests.RNG(state: 77)
    let pieces = [
      "serveur", "Serveur", "SERVEUR", "Synthetic", "event", "e", "s", "se", "ser", "\r\n", "\r", "\n", "\t", " ", "-", ":", "\"",
      "e\u{301}", "É", "é", "ß", "straße", "İ", "ﬁ", "⚖️", "🇫🇷", "🎉", "서울", "東京", "Zürich", "Ålesund", "Łódź", "12", "2024-12",
      "a\u{308}", "\u{301}", "ÆØ", "ǅ", "x", "X",
    ]
    let terms = ["s", "se", "Se", "serv", "SERV", "e", "é", "ss", "ß", "strasse", "zur", "Zür", "alesund", "lodz", "東", "서", "2024",
      "\"event 1\"", "\"\r\nx\"", "\"\rx\"", "!x", "ser | zur", "ev", "r\n", "fi", "i", "İ", "a", "ae"]
    for round in 0..<400 {
      let text = (0..<1 + r.int(12)).map { _ in r.pick(pieces) }.joined()
      let query = (0..<1 + r.int(2)).map { _ in r.pick(terms) }.joined(separator: " ")
      let pattern = SearchPattern(query)
      for kind in [SearchPattern.FieldKind.text, .name, .date] {
        let fast = pattern.highlights(in: text, as: kind, asciiTable: true)
        let reference = pattern.highlights(in: text, as: kind, asciiTable: false)
        #expect(fast == reference, "round \(round): \(query) in \(text.debugDescription) as \(kind)")
      }
    }
  }

  /// A word-index thread's reader is told where its chunk's text ends (`SequentialText.readEnd`): its
  /// reads stop there rather than reading 4 MiB on (which, a chunk being about 4 MiB, read the file
  /// about twice); and read the usual 4 MiB when it is not told.
  @Test("a text reader told where its text ends reads no further")
  func readerStopsAtReadEnd() throws {
    let text = String(repeating: "word ", count: 2_000_000)
    let file = try #require(FileText(path: try PropertyTests.write(text)))
    let reader = SequentialText(document: DocumentText(file: file))
    reader.readEnd = 100_000
    #expect(reader.cover(1_000..<2_000))
    #expect(file.bytesRead.load(ordering: .relaxed) == 99_000)
    // A range reaching past the end is still read whole.
    #expect(reader.cover(50_000..<150_000))
    #expect(file.bytesRead.load(ordering: .relaxed) == 99_000 + 100_000)
    reader.readEnd = .max
    #expect(reader.cover(5_000_000..<5_000_010))
    #expect(file.bytesRead.load(ordering: .relaxed) == 99_000 + 100_000 + (4 << 20))
  }
}
