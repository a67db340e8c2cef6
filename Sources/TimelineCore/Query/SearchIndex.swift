import CTimelineSupport

/// Folded text for free-text search: every event's title and summary, and the names of people,
/// countries and tags, all folded (`TextFolding`) once so that a query is a byte search.
///
/// Event text lies in one buffer, event after event, separated by a newline so that a match never
/// spans two fields or two events. A term that occurs nowhere costs one `memmem` pass over the buffer;
/// a narrowed search (the next keystroke of the same word) only looks at the previous matches.
public final class SearchIndex: Sendable {
  let text: [UInt8]
  /// Event i's text is `text[starts[i]..<starts[i+1]]`.
  let starts: [Int]
  /// Folded names (name first, then aliases) of each person.
  let personNames: [[[UInt8]]]
  /// Folded names of each country slot (code, English, French, aliases); empty for unknown slots.
  let countryNames: [[[UInt8]]]
  let tagNames: [[UInt8]]

  init(timeline t: Timeline) {
    var text: [UInt8] = []
    // Folding rarely changes the size by much; reserve the raw size to avoid regrowth.
    let estimate = t.titles.reduce(0) { $0 + $1.length } + t.summaries.reduce(0) { $0 + $1.length } + 2 * t.count
    text.reserveCapacity(estimate)
    var starts: [Int] = []
    starts.reserveCapacity(t.count + 1)
    for i in 0..<t.count {
      starts.append(text.count)
      t.document.withUTF8(t.titles[i]) { TextFolding.fold($0, into: &text) }
      text.append(0x0A)
      t.document.withUTF8(t.summaries[i]) { TextFolding.fold($0, into: &text) }
      text.append(0x0A)
    }
    starts.append(text.count)
    self.text = text
    self.starts = starts
    personNames = t.people.map { p in ([p.name] + p.aliases).map(TextFolding.fold) }
    countryNames = (0..<CountryTable.slotCount).map { slot in
      t.countries[slot: slot]?.allNames.map(TextFolding.fold) ?? []
    }
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

  /// Whether event `i`'s folded title or summary contains `term`.
  @inline(__always)
  func textContains(_ i: Int, _ term: [UInt8]) -> Bool {
    let s = starts[i]
    let n = starts[i + 1] - s
    return text.withUnsafeBufferPointer { buf in
      term.withUnsafeBufferPointer { t in timeline_memmem(buf.baseAddress! + s, n, t.baseAddress!, t.count) != nil }
    }
  }

  /// Events whose folded text contains `term`, in order, scanning the whole buffer.
  func eventsWithText(_ term: [UInt8], in range: Range<Int>) -> [UInt32] {
    guard !term.isEmpty, !range.isEmpty else { return [] }
    var result: [UInt32] = []
    text.withUnsafeBufferPointer { buf in
      term.withUnsafeBufferPointer { t in
        let base = buf.baseAddress!
        var pos = starts[range.lowerBound]
        let end = starts[range.upperBound]
        var event = range.lowerBound
        while pos < end {
          guard let hit = timeline_memmem(base + pos, end - pos, t.baseAddress!, t.count) else { break }
          let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
          // Advance to the event holding the hit (hits come in order, so this walks forward only).
          while starts[event + 1] <= offset { event += 1 }
          result.append(UInt32(event))
          pos = starts[event + 1]
          event += 1
        }
      }
    }
    return result
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
