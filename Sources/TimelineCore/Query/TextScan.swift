import CTimelineSupport

/// The search without the word index (`timeline list --search`, and the explorer before its index is
/// built): every candidate's title, summary and notes read back from the file and matched.
///
/// When the pattern can be checked on folded text alone (no regular expression, no term with capitals:
/// every search a user types in lower case), each field is folded straight from the file's bytes into
/// one buffer (`TextFolding.foldJSON`: an escaped string is decoded and folded in one pass, with no
/// decoded copy in between), and the terms are found in it with `memmem`. Events are taken in the
/// order their text lies in the file, whatever the order of the fields inside each event, so that the
/// reads move forward through the file; the candidates are split between two threads.
extension Timeline {
  /// The candidates ordered as their events lie in the file (for a timeline read from a file; as they
  /// are otherwise), found from `fileOrder` in linear time rather than by sorting text offsets.
  func inFileOrder(_ pool: [UInt32]) -> [UInt32] {
    guard document.file != nil, pool.count > 1, fileOrder.count == count else { return pool }
    var byFile = [UInt32](repeating: 0, count: count)
    byFile.withUnsafeMutableBufferPointer { b in
      fileOrder.withUnsafeBufferPointer { f in
        for e in 0..<f.count where Int(f[e]) < b.count { b[Int(f[e])] = UInt32(e) }
      }
    }
    if pool.count == count { return byFile }
    var wanted = [UInt64](repeating: 0, count: (count + 63) / 64)
    for e in pool { wanted[Int(e >> 6)] |= 1 << (e & 63) }
    return byFile.filter { wanted[Int($0 >> 6)] & (1 << ($0 & 63)) != 0 }
  }

  /// The events of `pool` whose folded text (title, summary, notes and the user's note, one line each)
  /// `matcher` accepts; `matcher.foldedSuffices` must hold. Sorted.
  ///
  /// The loop over the events touches no reference-counted value: the pattern is laid out flat once
  /// (`FoldedPlan`: each term's folded bytes, and its name and date matches as a bitset over events),
  /// and the text references are read through buffer pointers. Retaining and releasing the pattern's
  /// arrays once per event on two threads (the same counts, written by both cores) took about a third
  /// of the scan's time, and made it vary from run to run with how the threads happened to overlap.
  func scanFolded(_ matcher: EventMatcher, pool: [UInt32], userNotes: [UInt32: String]) -> [UInt32] {
    let work = inFileOrder(pool)
    let plan = FoldedPlan(matcher, pool: work)
    let halves = work.count >= 20_000 ? [0..<work.count / 2, work.count / 2..<work.count] : [0..<work.count]
    let found = Parallel.map(
      halves.map { half in
        { () -> [UInt32] in
          let reader = SequentialText(document: self.document)
          let folded = FoldedText()
          let tables = TextFolding.Tables.shared
          var hits: [UInt32] = []
          let shortcutPossible = plan.plainShortcut && reader.readsFile
          var shortcutOn = true
          var tries = 0
          var takenCount = 0
          work.withUnsafeBufferPointer { events in
            self.titles.withUnsafeBufferPointer { titles in
              self.summaries.withUnsafeBufferPointer { summaries in
                self.notes.withUnsafeBufferPointer { notes in
                  for k in half {
                    let e = events[k]
                    let i = Int(e)
                    // The events are taken in file order, which is not their order in these lists: the
                    // references of an event a few ahead are asked for now, so they are in the cache by then.
                    if k + 16 < half.upperBound {
                      let ahead = Int(events[k + 16])
                      timeline_prefetch(titles.baseAddress! + ahead)
                      timeline_prefetch(summaries.baseAddress! + ahead)
                      timeline_prefetch(notes.baseAddress! + ahead)
                    }
                    // Most events that a common word matches have it written plainly in the file:
                    // found there, the event is taken without folding its text (`matchesPlainly`).
                    // Looking costs about a fifth of folding text without escapes, so it is kept up
                    // only while at least one event in five is taken that way; otherwise one event in
                    // sixteen is still tried, to notice when the words become common.
                    if shortcutPossible && (shortcutOn || k & 15 == 0) {
                      tries += 1
                      let taken =
                        reader.coverEvent(title: titles[i], summary: summaries[i], notes: notes[i])
                        && plan.matchesPlainly(i, title: titles[i], summary: summaries[i], notes: notes[i], reader: reader)
                      if taken { takenCount += 1 }
                      if tries == 256 {
                        shortcutOn = takenCount * 5 >= tries
                        tries = 0
                        takenCount = 0
                      }
                      if taken {
                        hits.append(e)
                        continue
                      }
                    }
                    folded.removeAll()
                    reader.foldEvent(title: titles[i], summary: summaries[i], notes: notes[i], into: folded, tables: tables)
                    if !userNotes.isEmpty, let note = userNotes[e] {
                      folded.append(0x0A)
                      var text = note
                      text.withUTF8 { u in
                        guard let src = u.baseAddress else { return }
                        folded.write(upTo: TextFolding.roomNeeded(u.count)) { TextFolding.foldJSON(src, u.count, escaped: false, into: $0, tables: tables) }
                      }
                    }
                    if plan.matches(i, folded: folded.bytes) { hits.append(e) }
                  }
                }
              }
            }
          }
          return hits
        }
      })
    withExtendedLifetime(plan) {}
    var result = Array(found.joined())
    result.sort()
    return result
  }
}

/// A pattern checked on folded text (`EventMatcher.foldedSuffices`), laid out for the scan's loop:
/// every term's folded bytes in one buffer, and, for the terms that match names (people, countries,
/// tags, sources, confidences) or written dates, the events they match that way as one bitset each,
/// found once before the scan. `matches` then reads only raw memory.
final class FoldedPlan {
  struct Term {
    var needle: UnsafePointer<UInt8>
    var needleCount: Int
    var negated: Bool
    /// Bits over event numbers: the events this term matches by a name or a date; nil when none.
    var matchedEvents: UnsafePointer<UInt64>?
    /// Whether the needle can be looked for in the file's raw JSON (`timeline_plain_contains`): ASCII
    /// from a space to a tilde, without a backslash or a capital (it folds to itself).
    var plain: Bool
  }
  /// Whether `matchesPlainly` can ever hold: every clause has a term that is not negated and is `plain`
  /// or matches names or dates.
  let plainShortcut: Bool
  private let terms: UnsafeMutableBufferPointer<Term>
  /// For each clause, the end of its terms in `terms` (clause k is ends[k-1]..<ends[k]).
  private let clauseEnds: UnsafeMutableBufferPointer<Int>
  private let bytes: UnsafeMutableBufferPointer<UInt8>
  private let bitsets: [UnsafeMutablePointer<UInt64>]
  private let clauseCount: Int

  /// `pool`: the events that will be checked (a date term is tried on these alone).
  init(_ matcher: EventMatcher, pool: [UInt32]) {
    precondition(matcher.foldedSuffices)
    let t = matcher.timeline
    let clauses = matcher.pattern.clauses
    let flat = clauses.flatMap { $0 }
    bytes = .allocate(capacity: max(1, flat.reduce(0) { $0 + $1.folded.count }))
    terms = .allocate(capacity: max(1, flat.count))
    clauseEnds = .allocate(capacity: max(1, clauses.count))
    let words = (t.count + 63) / 64
    var sets: [UnsafeMutablePointer<UInt64>] = []
    var at = 0
    var k = 0
    var everyClause = true
    for (c, (clause, names)) in zip(clauses, matcher.names).enumerated() {
      var clauseHasShortcut = false
      for (term, name) in zip(clause, names) {
        let needle = bytes.baseAddress! + at
        _ = UnsafeMutableBufferPointer(start: needle, count: term.folded.count).initialize(from: term.folded)
        at += term.folded.count
        var matched: UnsafeMutablePointer<UInt64>?
        func mark(_ e: Int) {
          if matched == nil {
            matched = .allocate(capacity: max(1, words))
            matched!.initialize(repeating: 0, count: max(1, words))
            sets.append(matched!)
          }
          matched![e >> 6] |= 1 << UInt64(e & 63)
        }
        for list in name.postings(t) { for e in list { mark(Int(e)) } }
        if let p = term.date {
          for e in pool where p.matches(t.starts[Int(e)]) || (t.ends[Int(e)].map(p.matches) ?? false) { mark(Int(e)) }
        }
        let plain = term.folded.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") && !($0 >= 0x41 && $0 <= 0x5A) }
        (terms.baseAddress! + k).initialize(
          to: Term(
            needle: UnsafePointer(needle), needleCount: term.folded.count, negated: term.negated, matchedEvents: matched.map { UnsafePointer($0) },
            plain: plain))
        if !term.negated && (plain || matched != nil) { clauseHasShortcut = true }
        k += 1
      }
      clauseEnds[c] = k
      if !clauseHasShortcut { everyClause = false }
    }
    plainShortcut = everyClause
    clauseCount = clauses.count
    bitsets = sets
  }

  deinit {
    terms.deallocate()
    clauseEnds.deallocate()
    bytes.deallocate()
    for b in bitsets { b.deallocate() }
  }

  /// Whether event `e`, whose title, summary and notes folded (one line each) are `folded`, matches:
  /// every clause holds, a clause holding when one of its terms is found (by a name, a date or in the
  /// text) and not negated, or not found and negated.
  @inline(__always) func matches(_ e: Int, folded: UnsafeBufferPointer<UInt8>) -> Bool {
    everyClause { term in
      let found =
        (term.matchedEvents.map { $0[e >> 6] & (1 << UInt64(e & 63)) != 0 } ?? false)
        || Self.contains(folded, term.needle, term.needleCount)
      return found != term.negated
    }
  }

  /// Whether event `e` matches by what can be seen without folding its text: every clause has a term
  /// that is not negated and is found by a name or a date, or in the raw JSON of the title, summary or
  /// notes where no escape covers it (`SequentialText.containsPlain`; the folded text then holds it
  /// too). False says nothing: `matches` decides on the folded text. The event's text must be in
  /// `reader`'s window (`coverEvent`).
  @inline(__always) func matchesPlainly(_ e: Int, title: TextRef, summary: TextRef, notes: TextRef, reader: SequentialText) -> Bool {
    everyClause { term in
      if term.negated { return false }
      if let m = term.matchedEvents, m[e >> 6] & (1 << UInt64(e & 63)) != 0 { return true }
      return term.plain
        && (term.needleCount == 0 || reader.containsPlain(title, term.needle, term.needleCount)
          || reader.containsPlain(summary, term.needle, term.needleCount) || reader.containsPlain(notes, term.needle, term.needleCount))
    }
  }

  /// Whether every clause holds, a clause holding when `holds` is true of one of its terms (clauses
  /// are joined by and, a clause's terms by or): the one loop of `matches` and `matchesPlainly`.
  @inline(__always) private func everyClause(_ holds: (Term) -> Bool) -> Bool {
    var start = 0
    for c in 0..<clauseCount {
      let end = clauseEnds[c]
      var any = false
      for k in start..<end where holds(terms[k]) {
        any = true
        break
      }
      if !any { return false }
      start = end
    }
    return true
  }

  @inline(__always) static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    guard count > 0 else { return true }
    guard let h = haystack.baseAddress, haystack.count >= count else { return false }
    return timeline_memmem(h, haystack.count, needle, count) != nil
  }
}

extension EventMatcher {
  /// Whether folded text is enough to decide (no regular expression, and no term with capitals, which
  /// is checked against text folded keeping its case).
  var foldedSuffices: Bool {
    pattern.regex == nil && pattern.clauses.allSatisfy { $0.allSatisfy { $0.cased == nil } }
  }
}
