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
  func scanFolded(_ matcher: EventMatcher, pool: [UInt32], userNotes: [UInt32: String]) -> [UInt32] {
    let work = inFileOrder(pool)
    let halves = work.count >= 20_000 ? [0..<work.count / 2, work.count / 2..<work.count] : [0..<work.count]
    let found = Parallel.map(
      halves.map { half in
        { () -> [UInt32] in
          let reader = SequentialText(document: self.document)
          let folded = FoldedText()
          let tables = TextFolding.Tables.shared
          var hits: [UInt32] = []
          work.withUnsafeBufferPointer { events in
            for k in half {
              let e = events[k]
              let i = Int(e)
              folded.removeAll()
              reader.foldEvent(title: self.titles[i], summary: self.summaries[i], notes: self.notes[i], into: folded, tables: tables)
              if !userNotes.isEmpty, let note = userNotes[e] {
                folded.append(0x0A)
                var text = note
                text.withUTF8 { u in
                  guard let src = u.baseAddress else { return }
                  folded.write(upTo: TextFolding.roomNeeded(u.count)) { TextFolding.foldJSON(src, u.count, escaped: false, into: $0, tables: tables) }
                }
              }
              if matcher.matches(i, folded: folded.bytes) { hits.append(e) }
            }
          }
          return hits
        }
      })
    var result = Array(found.joined())
    result.sort()
    return result
  }
}

extension EventMatcher {
  /// Whether folded text is enough to decide (no regular expression, and no term with capitals, which
  /// is checked against text folded keeping its case).
  var foldedSuffices: Bool {
    pattern.regex == nil && pattern.clauses.allSatisfy { $0.allSatisfy { $0.cased == nil } }
  }

  /// Whether event `e`, whose title, summary and notes folded (`TextFolding.fold`, one line each) are
  /// `folded`, matches. Only when `foldedSuffices`.
  func matches(_ e: Int, folded: UnsafeBufferPointer<UInt8>) -> Bool {
    for (clause, clauseNames) in zip(pattern.clauses, names) {
      var holds = false
      for (term, names) in zip(clause, clauseNames) {
        let found =
          names.carries(timeline, e)
          || term.date.map { p in p.matches(timeline.starts[e]) || (timeline.ends[e].map(p.matches) ?? false) } == true
          || Self.contains(folded, term.folded)
        if found != term.negated {
          holds = true
          break
        }
      }
      if !holds { return false }
    }
    return true
  }

  /// Whether `needle` occurs in `haystack`.
  @inline(__always) static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard let h = haystack.baseAddress, haystack.count >= needle.count else { return false }
    return needle.withUnsafeBufferPointer { n in timeline_memmem(h, haystack.count, n.baseAddress!, n.count) != nil }
  }
}
