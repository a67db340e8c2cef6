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
