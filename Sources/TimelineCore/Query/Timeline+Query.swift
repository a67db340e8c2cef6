import CTimelineSupport
import Foundation

extension Timeline {
  /// The events matching `query`, as event numbers in chronological order.
  ///
  /// Facets are answered from the posting lists (a union within a facet, an intersection across), the
  /// date range by binary search over start days and "reach" (latest end so far), and text last, over
  /// the survivors only.
  /// - Complexity: O(k log k) for facets with k postings in all, O(log n) for the date bounds, and for
  ///   text a `memmem` pass over the vocabulary and a union of the matching words' event lists.
  public func evaluate(_ query: Query) -> [UInt32] {
    evaluate(query, narrowing: nil)
  }

  /// How free text is matched: through the word index (built once, then every search takes
  /// milliseconds: the explorer), or by reading every candidate's text (no index to build: a single
  /// search from the command line, where building the index would cost more than the search).
  public enum TextSearch: Sendable { case index, scan }

  /// The events matching `query`, matching its text by `textSearch`.
  public func evaluate(_ query: Query, textSearch: TextSearch) -> [UInt32] {
    evaluate(query, narrowing: nil, textSearch: textSearch)
  }

  /// Like `evaluate`, but when `previous` holds the result of a query that differs only by text, and
  /// the new text only adds to it (each keystroke of a word), searches only among those results.
  public func evaluate(
    _ query: Query, narrowing previous: (query: Query, result: [UInt32])?, textSearch: TextSearch = .index
  ) -> [UInt32] {
    let range = dateRange(query)
    var candidates: [UInt32]? = facetCandidates(query)
    if let c = candidates, range != 0..<count {
      candidates = c.filter { range.contains(Int($0)) }
    }
    // Events in the index range may still end before `from`.
    if let from = query.from {
      let lower = from.lowerKey
      if let c = candidates {
        candidates = c.filter { endKey(at: Int($0)) >= lower }
      } else {
        candidates = range.lazy.filter { self.endKey(at: $0) >= lower }.map { UInt32($0) }
      }
    }
    let terms = SearchIndex.terms(of: query.text)
    if terms.isEmpty {
      return candidates ?? (range.map { UInt32($0) })
    }
    if let previous, previous.query.clearingText == query.clearingText,
      Self.narrows(SearchIndex.terms(of: previous.query.text), to: terms)
    {
      candidates = previous.result
    }
    if textSearch == .scan && !isSearchIndexBuilt { return scanFilter(terms, candidates: candidates, range: range) }
    return textFilter(terms, candidates: candidates, range: range)
  }

  /// Text matching without the word index: every candidate's title and summary are read (in file
  /// order, in large reads, on two threads for many events), folded and searched for each term.
  private func scanFilter(_ terms: [[UInt8]], candidates: [UInt32]?, range: Range<Int>) -> [UInt32] {
    let names = NameMatcher(self)
    let perTerm = terms.map { names.matches($0) }
    var pool = candidates ?? range.map { UInt32($0) }
    if document.file != nil { pool.sort { titles[Int($0)].offset < titles[Int($1)].offset } }
    let halves = pool.count >= 20_000 ? [0..<pool.count / 2, pool.count / 2..<pool.count] : [0..<pool.count]
    final class Found: @unchecked Sendable { var events: [[UInt32]] = [[], []] }
    let found = Found()
    nonisolated(unsafe) let work = pool
    DispatchQueue.concurrentPerform(iterations: halves.count) { k in
      let reader = SequentialText(document: document)
      var folded: [UInt8] = []
      var raw: [UInt8] = []
      var hits: [UInt32] = []
      for e in work[halves[k]] {
        let i = Int(e)
        folded.removeAll(keepingCapacity: true)
        reader.bytes(titles[i], scratch: &raw) { TextFolding.fold($0, into: &folded) }
        folded.append(0x0A)
        reader.bytes(summaries[i], scratch: &raw) { TextFolding.fold($0, into: &folded) }
        let all = folded.withUnsafeBufferPointer { f in
          zip(terms, perTerm).allSatisfy { term, m in
            m.carries(self, i) || term.withUnsafeBufferPointer { t in timeline_memmem(f.baseAddress!, f.count, t.baseAddress!, t.count) != nil }
          }
        }
        if all { hits.append(e) }
      }
      found.events[k] = hits
    }
    var result = found.events[0] + found.events[1]
    result.sort()
    return result
  }

  /// Whether the new terms can only match fewer events than the old ones: the same words, each possibly
  /// longer at its end, perhaps followed by more words. Name matches are by word start and text matches
  /// by substring, so a longer word never matches an event the shorter one did not.
  private static func narrows(_ old: [[UInt8]], to new: [[UInt8]]) -> Bool {
    guard old.count <= new.count, !old.isEmpty else { return false }
    for (o, n) in zip(old, new) where !n.starts(with: o) { return false }
    return true
  }

  private func textFilter(_ terms: [[UInt8]], candidates: [UInt32]?, range: Range<Int>) -> [UInt32] {
    let index = searchIndex
    var current = candidates
    for term in terms {
      let m = index.termMatches(term)
      // An event may carry several matching names (a country and a tag): the union keeps it once.
      let nameLists = m.people.map { eventsByPerson[$0] } + m.countrySlots.map { eventsByCountry[$0] } + m.tags.map { eventsByTag[$0] }
      let nameHits = nameLists.isEmpty ? [] : SortedLists.union(nameLists, universe: count)
      let hits = SortedLists.union(textMatches(term, index, among: current, range: range), nameHits)
      if let c = current {
        current = SortedLists.intersection(c, hits)
      } else {
        current = range == 0..<count ? hits : hits.filter { range.contains(Int($0)) }
      }
    }
    return current ?? []
  }

  /// Events whose folded title or summary contains `term` (within `candidates` when given).
  ///
  /// A term that is one word, or part of one, is answered by the word index alone; a term that spans
  /// words ("etats-unis", a quoted phrase) is narrowed by its words, then checked in each event's text.
  private func textMatches(_ term: [UInt8], _ index: SearchIndex, among candidates: [UInt32]?, range: Range<Int>) -> [UInt32] {
    var tokens: [[UInt8]] = []
    term.withUnsafeBufferPointer { t in SearchIndex.words(t) { tokens.append(Array($0)) } }
    if tokens.count == 1 && tokens[0] == term { return index.eventsWithToken(term, eventCount: count) }
    var pool: [UInt32]? = candidates
    for token in tokens {
      let hits = index.eventsWithToken(token, eventCount: count)
      pool = pool.map { SortedLists.intersection($0, hits) } ?? hits
    }
    let checked = pool ?? range.map { UInt32($0) }
    var folded: [UInt8] = []
    return checked.filter { e in
      folded.removeAll(keepingCapacity: true)
      document.withUTF8(titles[Int(e)]) { TextFolding.fold($0, into: &folded) }
      folded.append(0x0A)
      document.withUTF8(summaries[Int(e)]) { TextFolding.fold($0, into: &folded) }
      return folded.withUnsafeBufferPointer { f in
        term.withUnsafeBufferPointer { t in timeline_memmem(f.baseAddress!, f.count, t.baseAddress!, t.count) != nil }
      }
    }
  }

  /// Event numbers whose start may fall in the query's range: those starting no later than `to`, from
  /// the first whose reach (latest end so far) gets to `from`.
  func dateRange(_ query: Query) -> Range<Int> {
    var lo = 0
    var hi = count
    if let to = query.to {
      let upper = to.upperKey
      hi = SortedLists.partitionPoint(count) { startKeys[$0] > upper }
    }
    if let from = query.from {
      let lower = from.lowerKey
      lo = SortedLists.partitionPoint(count) { reachKeys[$0] >= lower }
    }
    return lo..<max(lo, hi)
  }

  /// Events carrying the query's facet values (OR within a facet, AND across), or nil for "no facet".
  func facetCandidates(_ query: Query) -> [UInt32]? {
    var result: [UInt32]?
    func intersect(_ lists: [ArraySlice<UInt32>]) {
      let union = SortedLists.union(lists, universe: count)
      result = result.map { SortedLists.intersection($0, union) } ?? union
    }
    if !query.countries.isEmpty {
      intersect(query.countries.compactMap { CountryTable.slot(of: $0).map { eventsByCountry[$0] } })
    }
    if !query.people.isEmpty {
      let lookup = personIndexByID
      intersect(query.people.compactMap { lookup[$0].map { eventsByPerson[$0] } })
    }
    if !query.tags.isEmpty {
      intersect(query.tags.compactMap { tag in tags.firstIndex(of: tag).map { eventsByTag[$0] } })
    }
    return result
  }

  var personIndexByID: [String: Int] {
    Dictionary(people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// How many events each value of a facet would have under the rest of the query (a picker's
  /// counts: choosing another country does not change the country counts, only the others').
  /// Indexed by country slot, person index or tag index.
  public func facetCounts(_ facet: Query.Facet, for query: Query) -> [Int] {
    let base = query.clearing(facet)
    switch facet {
    case .country:
      if base.isEmpty { return (0..<eventsByCountry.count).map { eventsByCountry[$0].count } }
      var counts = [Int](repeating: 0, count: CountryTable.slotCount)
      for e in evaluate(base) {
        countryLists[Int(e)].forEachDistinct { counts[Int($0)] += 1 }
      }
      return counts
    case .person:
      if base.isEmpty { return (0..<eventsByPerson.count).map { eventsByPerson[$0].count } }
      var counts = [Int](repeating: 0, count: people.count)
      for e in evaluate(base) {
        personLists[Int(e)].forEachDistinct { counts[Int($0)] += 1 }
      }
      return counts
    case .tag:
      if base.isEmpty { return (0..<eventsByTag.count).map { eventsByTag[$0].count } }
      var counts = [Int](repeating: 0, count: tags.count)
      for e in evaluate(base) {
        tagLists[Int(e)].forEachDistinct { counts[Int($0)] += 1 }
      }
      return counts
    }
  }
}

extension Query {
  fileprivate var clearingText: Query {
    var q = self
    q.text = ""
    return q
  }
}

/// Operations on sorted, duplicate-free lists of event numbers.
enum SortedLists {
  static func intersection(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    var out: [UInt32] = []
    out.reserveCapacity(Swift.min(a.count, b.count))
    var i = 0
    var j = 0
    while i < a.count && j < b.count {
      if a[i] == b[j] {
        out.append(a[i])
        i += 1
        j += 1
      } else if a[i] < b[j] {
        i += 1
      } else {
        j += 1
      }
    }
    return out
  }

  static func union(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    if a.isEmpty { return b }
    if b.isEmpty { return a }
    var out: [UInt32] = []
    out.reserveCapacity(a.count + b.count)
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a[i] < b[j]) {
        out.append(a[i])
        i += 1
      } else if i == a.count || b[j] < a[i] {
        out.append(b[j])
        j += 1
      } else {
        out.append(a[i])
        i += 1
        j += 1
      }
    }
    return out
  }

  /// The union of many lists: a bitmap when they are large relative to the universe, else a merge.
  static func union(_ lists: [ArraySlice<UInt32>], universe: Int) -> [UInt32] {
    if lists.count == 1 { return Array(lists[0]) }
    let total = lists.reduce(0) { $0 + $1.count }
    if total > universe / 16 {
      var bits = [UInt64](repeating: 0, count: (universe + 63) / 64)
      for list in lists {
        for e in list { bits[Int(e >> 6)] |= 1 << (e & 63) }
      }
      var out: [UInt32] = []
      out.reserveCapacity(total)
      for (w, word) in bits.enumerated() where word != 0 {
        var x = word
        while x != 0 {
          let b = x.trailingZeroBitCount
          out.append(UInt32(w * 64 + b))
          x &= x - 1
        }
      }
      return out
    }
    var all = lists.flatMap { $0 }
    all.sort()
    var out: [UInt32] = []
    out.reserveCapacity(all.count)
    for e in all where out.last != e { out.append(e) }
    return out
  }

  /// The first index in `0..<n` where `isAfter` holds, given it is false then true along the range.
  static func partitionPoint(_ n: Int, _ isAfter: (Int) -> Bool) -> Int {
    var lo = 0
    var hi = n
    while lo < hi {
      let mid = (lo + hi) / 2
      if isAfter(mid) { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }
}

extension ArraySlice where Element: Equatable {
  /// Calls `body` once for each distinct element, in order. An event's lists hold a few values, so a
  /// look back beats making a `Set` for every event.
  @inlinable
  public func forEachDistinct(_ body: (Element) -> Void) {
    for i in indices where !self[startIndex..<i].contains(self[i]) { body(self[i]) }
  }
}
