import CTimelineSupport
import Foundation

/// A word index for free-text search: every distinct folded word of the events' titles and summaries,
/// with the events that contain it, plus the folded names of people, countries and tags.
///
/// Why words and not the text: a search is a substring search, but its terms rarely cross a word
/// boundary; so a term is looked up in the vocabulary (one `memmem` pass over a few megabytes, even
/// for a million events) and the events are the union of the matching words' lists. That answers in
/// milliseconds where scanning a million summaries takes a tenth of a second, and the index is smaller
/// than the folded text would be. A term that does cross words (`"etats-unis"`, a quoted phrase) is
/// narrowed by its words first, then checked against each remaining event's folded text.
///
/// Words are maximal runs of letters, digits and non-ASCII characters in the folded text
/// (`TextFolding.isWordByte`), so "Zürich" is the word "zurich" and "東京で会議" is one word.
public final class SearchIndex: Sendable {
  /// Folded words, each followed by a 0 byte.
  let vocabulary: [UInt8]
  /// Where each word starts in `vocabulary`, plus the end.
  let wordStarts: [UInt32]
  /// For each word, the sorted event numbers whose title or summary contains it.
  let postings: FlatLists<UInt32>
  /// Folded names (name first, then aliases) of each person.
  let personNames: [[[UInt8]]]
  /// Folded names of each country slot (code, English, French, aliases); empty for unknown slots.
  let countryNames: [[[UInt8]]]
  let tagNames: [[UInt8]]

  public var wordCount: Int { wordStarts.count - 1 }

  /// The built-in table's names, folded.
  static let builtInCountryNames: [[[UInt8]]] = (0..<CountryTable.slotCount).map { slot in
    CountryTable.builtIn[slot: slot]?.allNames.map(TextFolding.fold) ?? []
  }

  init(timeline t: Timeline) {
    let built = SearchIndexBuilder.build(t)
    vocabulary = built.vocabulary
    wordStarts = built.wordStarts
    postings = built.postings
    personNames = t.people.map { p in ([p.name] + p.aliases).map(TextFolding.fold) }
    // Only the countries events carry can match; the built-in names are folded once per process.
    var names = [[[UInt8]]](repeating: [], count: CountryTable.slotCount)
    let declared = Set(t.declaredCountries.compactMap { CountryTable.slot(of: $0.code) })
    for slot in t.usedCountrySlots {
      names[slot] = declared.contains(slot)
        ? (t.countries[slot: slot]?.allNames.map(TextFolding.fold) ?? []) : Self.builtInCountryNames[slot]
    }
    countryNames = names
    tagNames = t.tags.map(TextFolding.fold)
  }

  /// What one search term matches besides event text: people, countries and tags with a name (or
  /// alias, or code) that has a word starting with the term. Word starts, not substrings: "us" finds the
  /// US, not Cyprus or Russia.
  struct TermMatches {
    var term: [UInt8]
    var people: [Int]
    var countrySlots: [Int]
    var tags: [Int]
  }

  func termMatches(_ term: [UInt8]) -> TermMatches {
    var people: [Int] = []
    for (p, names) in personNames.enumerated() where names.contains(where: { TextFolding.containsAtWordStart($0, term) }) {
      people.append(p)
    }
    var slots: [Int] = []
    for (slot, names) in countryNames.enumerated() where !names.isEmpty {
      if names.contains(where: { TextFolding.containsAtWordStart($0, term) }) {
        slots.append(slot)
      }
    }
    var tags: [Int] = []
    for (k, name) in tagNames.enumerated() where TextFolding.containsAtWordStart(name, term) { tags.append(k) }
    return TermMatches(term: term, people: people, countrySlots: slots, tags: tags)
  }

  /// The words of folded text: maximal runs of word bytes.
  static func words(_ text: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    var i = 0
    let n = text.count
    while i < n {
      while i < n && !TextFolding.isWordByte(text[i]) { i += 1 }
      let start = i
      while i < n && TextFolding.isWordByte(text[i]) { i += 1 }
      if i > start { body(UnsafeBufferPointer(rebasing: text[start..<i])) }
    }
  }

  /// Ids of the words that contain `token` (a run of word bytes).
  func wordsContaining(_ token: [UInt8]) -> [Int] {
    var ids: [Int] = []
    guard !token.isEmpty, !vocabulary.isEmpty else { return ids }
    vocabulary.withUnsafeBufferPointer { v in
      token.withUnsafeBufferPointer { t in
        let base = v.baseAddress!
        var pos = 0
        while pos < v.count {
          guard let hit = timeline_memmem(base + pos, v.count - pos, t.baseAddress!, t.count) else { break }
          let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          // The word holding the hit: the last start not after it (tokens hold no 0 byte, so a hit never
          // spans two words).
          var lo = 0
          var hi = wordStarts.count - 2
          while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(wordStarts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
          }
          ids.append(lo)
          pos = Int(wordStarts[lo + 1])
        }
      }
    }
    return ids
  }

  /// Events whose title or summary contains a token (a single run of word bytes), as a sorted list.
  func eventsWithToken(_ token: [UInt8], eventCount: Int) -> [UInt32] {
    let ids = wordsContaining(token)
    return SortedLists.union(ids.map { postings[$0] }, universe: eventCount)
  }

  /// Splits a query into folded terms: words separated by spaces, or "quoted phrases".
  public static func terms(of query: String) -> [[UInt8]] {
    var terms: [String] = []
    var current = ""
    var quoted = false
    for ch in query {
      if ch == "\"" {
        if quoted || !current.isEmpty { terms.append(current) }
        current = ""
        quoted.toggle()
      } else if ch.isWhitespace && !quoted {
        if !current.isEmpty { terms.append(current) }
        current = ""
      } else {
        current.append(ch)
      }
    }
    if !current.isEmpty { terms.append(current) }
    return terms.map(TextFolding.fold).filter { !$0.isEmpty }
  }
}

/// The people, countries and tags a search term names (word starts in their folded names), without
/// the word index: cheap enough to make for every search.
struct NameMatcher {
  let people: Set<UInt32>
  let slots: Set<UInt16>
  let tags: Set<UInt32>
  private let timeline: Timeline

  init(_ t: Timeline) {
    timeline = t
    people = []
    slots = []
    tags = []
  }

  private init(_ t: Timeline, people: Set<UInt32>, slots: Set<UInt16>, tags: Set<UInt32>) {
    timeline = t
    self.people = people
    self.slots = slots
    self.tags = tags
  }

  func matches(_ term: [UInt8]) -> NameMatcher {
    let t = timeline
    let people = t.people.indices.filter { i in
      ([t.people[i].name] + t.people[i].aliases).contains { TextFolding.containsAtWordStart(TextFolding.fold($0), term) }
    }
    let slots = t.usedCountrySlots.filter { slot in
      t.countries[slot: slot]?.allNames.contains { TextFolding.containsAtWordStart(TextFolding.fold($0), term) } ?? false
    }
    let tags = t.tags.indices.filter { TextFolding.containsAtWordStart(TextFolding.fold(t.tags[$0]), term) }
    return NameMatcher(t, people: Set(people.map(UInt32.init)), slots: Set(slots.map(UInt16.init)), tags: Set(tags.map(UInt32.init)))
  }

  /// Whether event `e` carries one of the matched names.
  func carries(_ t: Timeline, _ e: Int) -> Bool {
    (!people.isEmpty && t.personIndexes(at: e).contains(where: people.contains))
      || (!slots.isEmpty && t.countrySlots(at: e).contains(where: slots.contains))
      || (!tags.isEmpty && t.tagIndexes(at: e).contains(where: tags.contains))
  }
}

/// Builds the word index: folds every title and summary once, in file order (so a file-backed
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
    let values = [UInt32](unsafeUninitializedCapacity: total) { out, count in
      for e in 0..<n {
        let (list, remap) = wordsOf(e)
        for w in list {
          let id = Int(remap.isEmpty ? w : remap[Int(w)])
          out[Int(fill[id])] = UInt32(e)
          fill[id] += 1
        }
      }
      count = total
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
    var eventWords: [UInt32] = []
    let reader = SequentialText(document: t.document)
    let interner = part.interner
    let isWord = wordByte
    for e in positions {
      folded.removeAll(keepingCapacity: true)
      reader.bytes(t.titles[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      folded.append(0x0A)
      reader.bytes(t.summaries[e], scratch: &raw) { TextFolding.fold($0, into: &folded) }
      eventWords.removeAll(keepingCapacity: true)
      folded.withUnsafeBufferPointer { f in
        let p = f.baseAddress!
        let count = f.count
        var i = 0
        while i < count {
          while i < count && !isWord[Int(p[i])] { i += 1 }
          let start = i
          while i < count && isWord[Int(p[i])] { i += 1 }
          if i > start { eventWords.append(UInt32(interner.intern(UnsafeBufferPointer(start: p + start, count: i - start)).id)) }
        }
      }
      eventWords.sort()
      var last = UInt32.max
      for w in eventWords where w != last {
        perEvent.values.append(w)
        last = w
      }
      perEvent.closeList()
    }
    part.perEvent = perEvent
  }
}

/// Reads text references in increasing offset order with few, large reads.
final class SequentialText {
  private let document: DocumentText
  private var window: [UInt8] = []
  private var windowStart = 0

  init(document: DocumentText) {
    self.document = document
  }

  /// Calls `body` with the decoded bytes of `ref` (escapes undone).
  func bytes(_ ref: TextRef, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    guard let file = document.file else {
      document.withUTF8(ref, body)
      return
    }
    if ref.offset < windowStart || ref.offset + ref.length > windowStart + window.count {
      let size = max(4 << 20, ref.length)
      window = file.bytes(ref.offset..<ref.offset + size)
      windowStart = ref.offset
    }
    let local = ref.offset - windowStart
    guard local + ref.length <= window.count else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    window.withUnsafeBufferPointer { w in
      let slice = UnsafeBufferPointer(rebasing: w[local..<local + ref.length])
      if !ref.escaped {
        body(slice)
      } else {
        scratch.removeAll(keepingCapacity: true)
        JSONString.unescape(slice, into: &scratch)
        scratch.withUnsafeBufferPointer(body)
      }
    }
  }
}
