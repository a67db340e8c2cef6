import CTimelineSupport
import Foundation

/// A word index for free-text search: every distinct folded word of the events' titles, summaries
/// and notes, with the events that contain it, plus the folded names of people, countries, tags and
/// sources.
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
  /// Folded words, each followed by a 0 byte, grouped by `signature` (in increasing order).
  let vocabulary: [UInt8]
  /// Where each word starts in `vocabulary`, plus the end.
  let wordStarts: [UInt32]
  /// The signatures of the words, each with its first word; then the end (`wordCount`).
  let groups: [(signature: UInt16, first: UInt32)]
  /// For each word, the events whose title, summary or notes contain it.
  let postings: WordPostings
  /// Folded names (name first, then aliases) of each person.
  let personNames: [[[UInt8]]]
  /// Folded names of each country slot (code, English, French, aliases); empty for unknown slots.
  let countryNames: [[[UInt8]]]
  let tagNames: [[UInt8]]
  /// Folded publisher, title and id of each source.
  let sourceNames: [[[UInt8]]]

  public var wordCount: Int { wordStarts.count - 1 }

  /// The built-in table's names, folded.
  static let builtInCountryNames: [[[UInt8]]] = (0..<CountryTable.slotCount).map { slot in
    CountryTable.builtIn[slot: slot]?.allNames.map(TextFolding.fold) ?? []
  }

  init(
    timeline t: Timeline, denseThreshold: Int? = nil, parallelThreshold: Int = SearchIndexBuilder.parallelThreshold,
    schedule: SearchIndexBuilder.Schedule = .shared
  ) {
    let clock = Date()
    let built = SearchIndexBuilder.build(t, denseThreshold: denseThreshold, parallelThreshold: parallelThreshold, schedule: schedule)
    defer {
      if ProcessInfo.processInfo.environment["TIMELINE_DEBUG_INDEX"] != nil {
        FileHandle.standardError.write(Data(String(format: "timeline index: names, total %.1f ms\n", Date().timeIntervalSince(clock) * 1000).utf8))
      }
    }
    vocabulary = built.vocabulary
    wordStarts = built.wordStarts
    groups = built.groups
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
    sourceNames = t.sources.map { [$0.publisher, $0.title, $0.id].map(TextFolding.fold) }
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

  /// Which kinds of bytes a word holds, one bit each: a letter (a and o share a bit, b and p, and so on:
  /// 14 bits), a digit, a byte of a non-ASCII character. A word holding a token holds every kind of
  /// byte the token holds, so a search reads only the groups of words whose signature has the token's
  /// bits: a term with a letter never reads the numbers, which are most of the words of a large
  /// timeline whose titles carry ids (9 of 10 million words in the generated ten-million-event file).
  static func signature(_ word: UnsafeBufferPointer<UInt8>) -> UInt16 {
    var bits: UInt16 = 0
    for b in word { bits |= signatureBit[Int(b)] }
    return bits
  }

  static let signatureBit: [UInt16] = (0..<256).map { b -> UInt16 in
    if b >= 0x80 { return 1 << 15 }
    if b >= 0x30 && b <= 0x39 { return 1 << 14 }
    let lower = b | 0x20
    if lower >= 0x61 && lower <= 0x7A { return 1 << UInt16((lower - 0x61) % 14) }
    return 0
  }

  /// Ids of the words that contain `token` (a run of word bytes).
  func wordsContaining(_ token: [UInt8]) -> [Int] {
    var ids: [Int] = []
    guard !token.isEmpty, !vocabulary.isEmpty else { return ids }
    let wanted = token.withUnsafeBufferPointer(Self.signature)
    vocabulary.withUnsafeBufferPointer { v in
      token.withUnsafeBufferPointer { t in
        let base = v.baseAddress!
        for g in 0..<groups.count - 1 where groups[g].signature & wanted == wanted {
          let (first, end) = (Int(groups[g].first), Int(groups[g + 1].first))
          var pos = Int(wordStarts[first])
          let stop = Int(wordStarts[end])
          while pos < stop {
            guard let hit = timeline_memmem(base + pos, stop - pos, t.baseAddress!, t.count) else { break }
            let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            // The word holding the hit: the last start not after it (tokens hold no 0 byte, so a hit
            // never spans two words).
            var lo = first
            var hi = end - 1
            while lo < hi {
              let mid = (lo + hi + 1) / 2
              if Int(wordStarts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
            }
            ids.append(lo)
            pos = Int(wordStarts[lo + 1])
          }
        }
      }
    }
    return ids
  }

  /// Adds the events whose title, summary or notes hold a word containing `token` (a single run of
  /// word bytes) to `gather`.
  func addEvents(containing token: [UInt8], to gather: inout EventUnion) {
    for w in wordsContaining(token) { postings.add(word: w, to: &gather) }
  }

  /// The events whose title, summary or notes hold a word containing `token` (a single run of word bytes).
  func events(containing token: [UInt8]) -> EventSet {
    var gather = EventUnion(universe: postings.eventCount)
    addEvents(containing: token, to: &gather)
    return gather.finish()
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

/// The people, countries, tags, sources and confidence levels a search term names (the start of a
/// word in one of their names), and the events that carry them.
struct NameMatcher {
  var people: Set<UInt32> = []
  var slots: Set<UInt16> = []
  var tags: Set<UInt32> = []
  var sources: Set<UInt32> = []
  var confidences: Set<UInt8> = []

  /// The names a term matches: from the index's folded names when it has them and case does not count,
  /// else folded here (a few thousand names: cheap next to a search).
  init(_ t: Timeline, _ term: SearchPattern.Term, index: SearchIndex?) {
    let needle = term.cased ?? term.folded
    let cased = term.cased != nil
    func fold(_ s: String) -> [UInt8] { cased ? TextFolding.foldKeepingCase(s) : TextFolding.fold(s) }
    func hit(_ name: [UInt8]) -> Bool { TextFolding.containsAtWordStart(name, needle) }
    let useIndex = term.cased == nil ? index : nil
    for p in t.people.indices {
      let names = useIndex?.personNames[p] ?? ([t.people[p].name] + t.people[p].aliases).map(fold)
      if names.contains(where: hit) { people.insert(UInt32(p)) }
    }
    for slot in t.usedCountrySlots {
      let names = useIndex.map { $0.countryNames[slot] } ?? (t.countries[slot: slot]?.allNames.map(fold) ?? [])
      if names.contains(where: hit) { slots.insert(UInt16(slot)) }
    }
    for k in t.tags.indices where hit(useIndex?.tagNames[k] ?? fold(t.tags[k])) { tags.insert(UInt32(k)) }
    for s in t.sources.indices {
      let names = useIndex?.sourceNames[s] ?? [t.sources[s].publisher, t.sources[s].title, t.sources[s].id].map(fold)
      if names.contains(where: hit) { sources.insert(UInt32(s)) }
    }
    for c in Confidence.allCases where hit(fold(c.name)) { confidences.insert(c.rawValue) }
  }

  /// The names a regular expression matches somewhere.
  init(_ t: Timeline, regex: SearchPattern.Expression) {
    for p in t.people.indices where ([t.people[p].name] + t.people[p].aliases).contains(where: regex.matches) { people.insert(UInt32(p)) }
    for slot in t.usedCountrySlots where t.countries[slot: slot]?.allNames.contains(where: regex.matches) ?? false { slots.insert(UInt16(slot)) }
    for k in t.tags.indices where regex.matches(t.tags[k]) { tags.insert(UInt32(k)) }
    for s in t.sources.indices where [t.sources[s].publisher, t.sources[s].title, t.sources[s].id].contains(where: regex.matches) {
      sources.insert(UInt32(s))
    }
    for c in Confidence.allCases where regex.matches(c.name) { confidences.insert(c.rawValue) }
  }

  var isEmpty: Bool { people.isEmpty && slots.isEmpty && tags.isEmpty && sources.isEmpty && confidences.isEmpty }

  /// Whether event `e` carries one of the matched names.
  func carries(_ t: Timeline, _ e: Int) -> Bool {
    (!people.isEmpty && t.personIndexes(at: e).contains(where: people.contains))
      || (!slots.isEmpty && t.countrySlots(at: e).contains(where: slots.contains))
      || (!tags.isEmpty && t.tagIndexes(at: e).contains(where: tags.contains))
      || (!sources.isEmpty && t.sourceIndexes(at: e).contains(where: sources.contains))
      || (!confidences.isEmpty && confidences.contains(t.confidence(at: e).rawValue))
  }

  /// The posting lists of the matched names.
  func postings(_ t: Timeline) -> [ArraySlice<UInt32>] {
    guard !isEmpty else { return [] }
    var out: [ArraySlice<UInt32>] = []
    out += people.map { t.events(withPerson: Int($0)) }
    out += slots.map { t.events(withCountrySlot: Int($0)) }
    out += tags.map { t.events(withTag: Int($0)) }
    out += sources.map { t.facetTables.eventsBySource[Int($0)] }
    out += confidences.map { t.events(.confidence, Int($0)) }
    return out
  }
}
