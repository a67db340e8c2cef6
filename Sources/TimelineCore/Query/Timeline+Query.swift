import CTimelineSupport
import Foundation

extension Timeline {
  /// The events matching `query`, as event numbers in chronological order.
  ///
  /// Facets are answered from the posting lists (a union within a facet, an intersection across,
  /// excluded values taken out), the date range by binary search over start days and "reach" (latest
  /// end so far), and text last, over the survivors only.
  /// - Complexity: O(k log k) for facets with k postings in all (O(n) when a value is excluded),
  ///   O(log n) for the date bounds, and for text a `memmem` pass over the vocabulary and a union of
  ///   the matching words' event lists per term.
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
  ///
  /// `userNotes` (the user's own notes by event number) are searched as a fourth text of their events;
  /// `previous` must have been found with the same notes.
  public func evaluate(
    _ query: Query, narrowing previous: (query: Query, result: [UInt32])?, textSearch: TextSearch = .index,
    userNotes: [UInt32: String] = [:]
  ) -> [UInt32] {
    matches(query, narrowing: previous.map { ($0.query, EventMatches($0.result)) }, textSearch: textSearch, userNotes: userNotes).array
  }

  /// Like `evaluate`, but the answer kept as it was cheapest to find: a bitset when it holds many
  /// events (a search's first letters), which the next keystroke narrows with an AND of words and the
  /// explorer reads without listing (`EventMatches`).
  public func matches(
    _ query: Query, narrowing previous: (query: Query, result: EventMatches)?, textSearch: TextSearch = .index,
    userNotes: [UInt32: String] = [:]
  ) -> EventMatches {
    let range = dateRange(from: query.from, to: query.to)
    var candidates: [UInt32]? = facetCandidates(query)
    if query.from != nil || query.to != nil {
      candidates = datedCandidates(candidates, range: range, from: query.from)
    }
    let pattern = query.pattern
    if pattern.isEmpty {
      return EventMatches(candidates ?? (range == 0..<count ? everyEvent : SortedLists.numbers(range)))
    }
    var narrowed: EventMatches? = candidates.map(EventMatches.init)
    if let previous, previous.query.clearingText == query.clearingText,
      Self.narrows(previous.query.pattern, to: pattern)
    {
      narrowed = previous.result
    }
    if pattern.regex != nil || (textSearch == .scan && !isSearchIndexBuilt) {
      return EventMatches(scanFilter(pattern, candidates: narrowed?.array, range: range, userNotes: userNotes))
    }
    return textFilter(pattern, candidates: narrowed, range: range, userNotes: userNotes)
  }

  /// Whether the new pattern can only match fewer events than the old one: the same clauses, the last
  /// of which may be one word grown at its end, perhaps followed by more clauses. Every way a word
  /// matches (part of the text, start of a name, start of a written date) matches fewer events when
  /// the word grows.
  static func narrows(_ old: SearchPattern, to new: SearchPattern) -> Bool {
    guard old.regex == nil, new.regex == nil, !old.clauses.isEmpty, old.clauses.count <= new.clauses.count else { return false }
    for (k, (o, n)) in zip(old.clauses, new.clauses).enumerated() where o != n {
      guard k == old.clauses.count - 1, o.count == 1, n.count == 1, !o[0].negated, !n[0].negated,
        n[0].folded.starts(with: o[0].folded)
      else { return false }
      if let oc = o[0].cased {
        guard let nc = n[0].cased, nc.starts(with: oc) else { return false }
      }
    }
    return true
  }

  /// Text matching through the word index: clause by clause (those that only add conditions first),
  /// each term's events found from the index and the name tables, then kept or left out.
  private func textFilter(_ pattern: SearchPattern, candidates: EventMatches?, range: Range<Int>, userNotes: [UInt32: String]) -> EventMatches {
    let index = searchIndex
    var current = candidates
    let ordered = pattern.clauses.filter { !$0.contains(where: \.negated) } + pattern.clauses.filter { $0.contains(where: \.negated) }
    for clause in ordered {
      var hits: EventMatches = []
      for term in clause {
        let m = termMatches(term, index, among: current, range: range, userNotes: userNotes)
        let within: EventMatches
        if term.negated {
          if let c = current {
            within = c.subtracting(m, universe: count)
          } else if case .bits(let b) = m {
            within = EventMatches(bits: b.complement(in: range))
          } else {
            within = EventMatches(m.subtracting(from: SortedLists.numbers(range)))
          }
        } else if let c = current {
          within = c.intersection(m, universe: count)
        } else if range == 0..<count, case .bits(let b) = m, b.isFull {
          // Every event (a first letter that a word of every title holds): the shared list, not a
          // fresh one of millions.
          within = EventMatches(everyEvent)
        } else if case .bits(let b) = m {
          within = EventMatches(bits: b.masked(to: range))
        } else {
          within = EventMatches(m.sorted(in: range))
        }
        hits = hits.union(within, universe: count)
      }
      current = hits
    }
    return current ?? EventMatches(SortedLists.numbers(range))
  }

  /// Every event a term matches (a superset of those in `among` is fine: the caller intersects): its
  /// text through the word index, the names it starts, the dates it starts, and the user's notes.
  private func termMatches(
    _ term: SearchPattern.Term, _ index: SearchIndex, among candidates: EventMatches?, range: Range<Int>, userNotes: [UInt32: String]
  ) -> EventSet {
    var gather = EventUnion(universe: count)
    if let cased = term.cased {
      // Smart case: the folded text matched; keep the events whose text matches with its capitals.
      var folded: [UInt8] = []
      let text = textMatches(term.folded, index, among: candidates, range: range).sorted.filter { e in
        folded.removeAll(keepingCapacity: true)
        appendText(Int(e), into: &folded, fold: TextFolding.foldKeepingCase)
        return SearchPattern.find(cased, in: folded, from: 0, wordStart: false) != nil
      }
      gather.add(text)
    } else {
      addTextMatches(term.folded, index, among: candidates, range: range, to: &gather)
    }
    let names = NameMatcher(self, term, index: index)
    for list in names.postings(self) { gather.add(list) }
    gather.add(dateMatches(term))
    if !userNotes.isEmpty { gather.add(Self.noteMatches(term, userNotes)) }
    return gather.finish()
  }

  /// The event's title, summary and notes, one line each, folded by `fold`.
  func appendText(_ e: Int, into out: inout [UInt8], fold: (UnsafeBufferPointer<UInt8>, inout [UInt8]) -> Void) {
    document.withUTF8(titles[e]) { fold($0, &out) }
    out.append(0x0A)
    if !summaries[e].isEmpty { document.withUTF8(summaries[e]) { fold($0, &out) } }
    out.append(0x0A)
    if !notes[e].isEmpty { document.withUTF8(notes[e]) { fold($0, &out) } }
  }

  /// Events whose user note holds the term (as in the event's own text: folded, with smart case).
  static func noteMatches(_ term: SearchPattern.Term, _ notes: [UInt32: String]) -> [UInt32] {
    var out: [UInt32] = []
    for (e, note) in notes {
      let found: Bool
      if let cased = term.cased {
        found = SearchPattern.find(cased, in: TextFolding.foldKeepingCase(note), from: 0, wordStart: false) != nil
      } else {
        found = SearchPattern.find(term.folded, in: TextFolding.fold(note), from: 0, wordStart: false) != nil
      }
      if found { out.append(e) }
    }
    return out.sorted()
  }

  /// Events whose start or end date, as written, starts with the term.
  func dateMatches(_ term: SearchPattern.Term) -> [UInt32] {
    guard let prefix = term.date else { return [] }
    var out: [UInt32] = []
    for years in prefix.yearRanges() {
      let lo = TimelineDate.key(years.lowerBound, 1, 1)
      let hi = TimelineDate.key(years.upperBound, 12, 31)
      let first = SortedLists.partitionPoint(count) { startKeys[$0] >= lo }
      let last = SortedLists.partitionPoint(count) { startKeys[$0] > hi }
      for e in first..<max(first, last) where prefix.matches(starts[e]) { out.append(UInt32(e)) }
    }
    var ended: [UInt32] = []
    for e in facetTables.eventsWithEnd {
      if let end = ends[Int(e)], prefix.matches(end) { ended.append(e) }
    }
    out.sort()
    return SortedLists.union(out, ended)
  }

  /// Events whose folded title, summary or notes contains `term` (within `candidates` when given).
  private func textMatches(_ term: [UInt8], _ index: SearchIndex, among candidates: EventMatches?, range: Range<Int>) -> EventSet {
    var gather = EventUnion(universe: count)
    addTextMatches(term, index, among: candidates, range: range, to: &gather)
    return gather.finish()
  }

  /// Adds the events whose folded title, summary or notes contains `term` to `gather` (at least those
  /// among `candidates`, when given).
  ///
  /// A term that is one word, or part of one, is answered by the word index alone; a term that spans
  /// words ("etats-unis", a quoted phrase) is narrowed by its words, then checked in each event's text.
  private func addTextMatches(_ term: [UInt8], _ index: SearchIndex, among candidates: EventMatches?, range: Range<Int>, to gather: inout EventUnion) {
    var tokens: [[UInt8]] = []
    term.withUnsafeBufferPointer { t in SearchIndex.words(t) { tokens.append(Array($0)) } }
    if tokens.count == 1 && tokens[0] == term { return index.addEvents(containing: term, to: &gather) }
    // Listed only here (a term of several words): a word's letters are answered from the index alone.
    var pool: [UInt32]? = candidates?.array
    for token in tokens {
      let hits = index.events(containing: token)
      pool = pool.map { hits.intersection($0) } ?? hits.sorted
    }
    let checked = pool ?? range.map { UInt32($0) }
    var folded: [UInt8] = []
    gather.add(checked.filter { e in
      folded.removeAll(keepingCapacity: true)
      appendText(Int(e), into: &folded, fold: TextFolding.fold)
      return SearchPattern.find(term, in: folded, from: 0, wordStart: false) != nil
    })
  }

  /// Text matching without the word index, and regular expressions: every candidate's title, summary
  /// and notes are read (in file order, in large reads, on two threads for many events) and checked
  /// against the whole pattern.
  private func scanFilter(_ pattern: SearchPattern, candidates: [UInt32]?, range: Range<Int>, userNotes: [UInt32: String]) -> [UInt32] {
    let matcher = EventMatcher(self, pattern)
    if matcher.foldedSuffices {
      return scanFolded(matcher, pool: candidates ?? range.map { UInt32($0) }, userNotes: userNotes)
    }
    var pool = candidates ?? range.map { UInt32($0) }
    if document.file != nil { pool.sort { titles[Int($0)].offset < titles[Int($1)].offset } }
    let halves = pool.count >= 20_000 ? [0..<pool.count / 2, pool.count / 2..<pool.count] : [0..<pool.count]
    let work = pool
    let found = Parallel.map(halves.map { half in
      { () -> [UInt32] in
        let reader = SequentialText(document: self.document)
        var raw: [UInt8] = []
        var scratch: [UInt8] = []
        var hits: [UInt32] = []
        for e in work[half] {
          let i = Int(e)
          raw.removeAll(keepingCapacity: true)
          reader.bytes(self.titles[i], scratch: &scratch) { raw.append(contentsOf: $0) }
          raw.append(0x0A)
          reader.bytes(self.summaries[i], scratch: &scratch) { raw.append(contentsOf: $0) }
          raw.append(0x0A)
          reader.bytes(self.notes[i], scratch: &scratch) { raw.append(contentsOf: $0) }
          if !userNotes.isEmpty, let note = userNotes[e] {
            raw.append(0x0A)
            raw.append(contentsOf: note.utf8)
          }
          if matcher.matches(i, text: raw) { hits.append(e) }
        }
        return hits
      }
    })
    var result = Array(found.joined())
    result.sort()
    return result
  }

  /// Event numbers whose start may fall in the range: those starting no later than `to`, from the
  /// first whose reach (latest end so far) gets to `from`.
  func dateRange(from: TimelineDate?, to: TimelineDate?) -> Range<Int> {
    var lo = 0
    var hi = count
    if let to {
      let upper = to.upperKey
      hi = SortedLists.partitionPoint(count) { startKeys[$0] > upper }
    }
    if let from {
      let lower = from.lowerKey
      lo = SortedLists.partitionPoint(count) { reachKeys[$0] >= lower }
    }
    return lo..<max(lo, hi)
  }
}

/// Whether one event matches a whole pattern, reading its text as given: the scan path's test (and
/// the regular expression's, which no index can answer).
struct EventMatcher {
  let timeline: Timeline
  let pattern: SearchPattern
  /// For each clause, for each term, the events' names it matches.
  let names: [[NameMatcher]]
  /// For a regular expression: the events whose names or written dates it matches.
  let regexNames: Set<UInt32>

  init(_ t: Timeline, _ pattern: SearchPattern) {
    timeline = t
    self.pattern = pattern
    names = pattern.clauses.map { $0.map { NameMatcher(t, $0, index: nil) } }
    if let regex = pattern.regex {
      let matched = NameMatcher(t, regex: regex)
      var set = Set(matched.postings(t).flatMap { $0 })
      for e in 0..<t.count where regex.matches(t.starts[e].description) || (t.ends[e].map { regex.matches($0.description) } ?? false) {
        set.insert(UInt32(e))
      }
      regexNames = set
    } else {
      regexNames = []
    }
  }

  /// Whether event `e`, whose title, summary and notes are `text` (three lines, as decoded), matches.
  func matches(_ e: Int, text: [UInt8]) -> Bool {
    if let regex = pattern.regex {
      if regexNames.contains(UInt32(e)) { return true }
      return String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).contains {
        regex.matches(String($0))
      }
    }
    var folded: [UInt8]?
    var cased: [UInt8]?
    for (clause, clauseNames) in zip(pattern.clauses, names) {
      var holds = false
      for (term, names) in zip(clause, clauseNames) {
        let found: Bool
        if names.carries(timeline, e) || term.date.map({ p in p.matches(timeline.starts[e]) || (timeline.ends[e].map(p.matches) ?? false) }) == true {
          found = true
        } else if let c = term.cased {
          if cased == nil {
            var out: [UInt8] = []
            text.withUnsafeBufferPointer { TextFolding.foldKeepingCase($0, into: &out) }
            cased = out
          }
          found = SearchPattern.find(c, in: cased!, from: 0, wordStart: false) != nil
        } else {
          if folded == nil {
            var out: [UInt8] = []
            text.withUnsafeBufferPointer { TextFolding.fold($0, into: &out) }
            folded = out
          }
          found = SearchPattern.find(term.folded, in: folded!, from: 0, wordStart: false) != nil
        }
        if found != term.negated {
          holds = true
          break
        }
      }
      if !holds { return false }
    }
    return true
  }
}

/// Operations on sorted, duplicate-free lists of event numbers (the query's, and the explorer's for its
/// search matches, marks and binary searches).
public enum SortedLists {
  /// The elements of two sorted lists that are in both.
  public static func intersection(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    // A list without gaps (every event, or a date range's) keeps the other's elements in its bounds:
    // two binary searches instead of a walk through millions.
    if let range = contiguousRange(a) { return within(range, b) }
    if let range = contiguousRange(b) { return within(range, a) }
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

  /// The range a sorted, duplicate-free list covers when it has no gap (its last element is its first
  /// plus its count less one).
  static func contiguousRange(_ a: [UInt32]) -> ClosedRange<UInt32>? {
    guard let first = a.first, let last = a.last, Int(last) - Int(first) + 1 == a.count else { return nil }
    return first...last
  }

  /// The elements of sorted `a` that lie in `range` (`a` itself, not a copy, when all do).
  static func within(_ range: ClosedRange<UInt32>, _ a: [UInt32]) -> [UInt32] {
    let lo = partitionPoint(a.count) { a[$0] >= range.lowerBound }
    let hi = partitionPoint(a.count) { a[$0] > range.upperBound }
    return lo == 0 && hi == a.count ? a : Array(a[lo..<max(lo, hi)])
  }

  /// The elements of `a` that are not in `b`.
  static func difference(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
    if b.isEmpty { return a }
    var out: [UInt32] = []
    out.reserveCapacity(a.count)
    var j = 0
    for x in a {
      while j < b.count && b[j] < x { j += 1 }
      if j == b.count || b[j] != x { out.append(x) }
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
  public static func partitionPoint(_ n: Int, _ isAfter: (Int) -> Bool) -> Int {
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
