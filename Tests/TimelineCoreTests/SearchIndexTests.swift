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
  static let rare = ["orbit", "lantern", "meadow", "🎉", "quill", "tundra", "harvest", "会議"]

  /// A timeline of `n` events whose words are drawn as above, in a random file order (so the document
  /// order is not the events' order), some without a summary, some with notes.
  static func document(events n: Int, seed: UInt64) -> String {
    var r = PropertyTests.RNG(state: seed)
    func words(_ count: Int) -> String {
      (0..<count).map { _ -> String in
        switch r.int(100) {
        case 0..<60: return r.pick(common)
        case 60..<92: return r.pick(middling)
        default: return r.pick(rare)
        }
      }.joined(separator: r.int(6) == 0 ? "-" : " ")
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
  /// or two.
  static let builds: [(dense: Int?, parallel: Int)] = [(1, 0), (Int.max, 0), (nil, 0), (8, 1 << 30), (nil, 1 << 30)]

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
      let pieces = ["s", "e", "se", "ser", "serveur", "reseau", "zurich", "東", "京", "1", "12", "n3", "kra", "strasse", "🎉", "zzz"].map { piece in
        let folded = TextFolding.fold(piece)
        let holding = vocabulary.filter { PropertyTests.contains($0, folded) }
        return (folded, perEvent.indices.filter { !perEvent[$0].isDisjoint(with: holding) }.map { UInt32($0) })
      }
      for build in Self.builds {
        let index = SearchIndex(timeline: t, denseThreshold: build.dense, parallelThreshold: build.parallel)
        let label = "dense from \(build.dense.map(String.init) ?? "default"), two threads from \(build.parallel)"
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
        t.buildSearchIndex(denseThreshold: build.dense, parallelThreshold: build.parallel)
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
}
