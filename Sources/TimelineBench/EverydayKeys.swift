import Foundation
import TimelineCore
import TimelineUI

/// The keys a user presses most that no other step of `run` times on its own: clearing the filters and
/// undoing it, the first and last event, a page, the search's filter on and off, the next match, a mark,
/// marked-only, and the detail. Each sample is the key's `update` (its searches run at once, as a
/// synchronous runtime does), the whole 200×60 screen drawn, and what changed found.
enum EverydayKeys {
  static let steps = [
    "press x (clear the filters)", "press u (undo the clear)", "press G / g (last, first event)", "press PgDn / PgUp",
    "press & (a search's filter on, off)", "press n / N (next, previous match)", "press m (mark)", "press M (marked only on, off)",
    "press Enter / Esc (detail)", "press Esc (drop a search used as a filter)", "press Ctrl-R (afresh, under filters)",
    "press ? / q (help)", "resize (200x60 / 120x40)", "press a letter in the person picker",
  ]

  static func measure(_ tl: Timeline, wants: (String) -> Bool, add: (String, [Double]) -> Void) {
    guard steps.contains(where: wants), tl.count > 0 else { return }
    var state = AppState(timeline: tl, size: Size(width: 200, height: 60))
    var buffer = Buffer(size: state.size)
    var previous = buffer

    /// Presses a key as the explorer does, its searches answered at once.
    func press(_ key: Key) {
      var effects = update(&state, .key(key))
      while !effects.isEmpty {
        if case .search(let request) = effects.removeFirst() {
          effects += update(&state, .searchFinished(request.run(on: tl, previous: nil)))
        }
      }
    }
    func press(_ text: String) { for c in text { press(.char(c)) } }
    /// Times each key of `keys`, in turn, `count` times.
    func timed(_ keys: [Key], _ count: Int) -> [Double] {
      draw(state, into: &buffer)
      previous = buffer
      var samples: [Double] = []
      for k in 0..<count {
        let start = Date()
        press(keys[k % keys.count])
        draw(state, into: &buffer)
        let changes = buffer.changes(since: previous)
        samples.append(Date().timeIntervalSince(start))
        precondition(changes.count >= 0)
        previous = buffer
      }
      return samples
    }

    // x and u: the most common confidence and country on, cleared, brought back.
    func mostCommon(_ facet: Facet) -> String? {
      let counts = tl.facetCounts(facet, for: Query())
      return counts.indices.max(by: { counts[$0] < counts[$1] }).map { tl.key(facet, $0) }
    }
    if wants(steps[0]) || wants(steps[1]) {
      var q = Query()
      if let c = mostCommon(.confidence) { q[.confidence].included = [c] }
      if let c = mostCommon(.country) { q[.country].included = [c] }
      var clears: [Double] = []
      var undos: [Double] = []
      for _ in 0..<10 {
        state.setQuery(q)
        clears += timed([.char("x")], 1)
        precondition(state.query.isEmpty, "x clears the filters")
        undos += timed([.char("u")], 1)
        precondition(state.query == q, "u brings them back")
      }
      add(steps[0], clears)
      add(steps[1], undos)
      state.setQuery(Query())
    }
    if wants(steps[2]) { add(steps[2], timed([.char("G"), .char("g")], 20)) }
    if wants(steps[3]) { add(steps[3], timed([.pageDown, .pageUp], 20)) }
    // A search matching about half the events (as "serveur" does in generated files).
    if wants(steps[4]) || wants(steps[5]) {
      press("/")
      press("serveur")
      press(.enter)
      precondition((state.search?.matches.count ?? 0) > 0, "the search matches")
      if wants(steps[4]) { add(steps[4], timed([.char("&"), .char("&")], 20)) }
      if wants(steps[5]) { add(steps[5], timed([.char("n"), .char("N")], 20)) }
      press(.escape)
      state.setSearch(nil)
    }
    if wants(steps[6]) || wants(steps[7]) {
      // A few marks, on the first events, then marked-only on and off.
      let marks = timed([.char("m"), .down], 20).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      if wants(steps[6]) { add(steps[6], marks) }
      if wants(steps[7]) { add(steps[7], timed([.char("M"), .char("M")], 20)) }
    }
    if wants(steps[8]) { add(steps[8], timed([.enter, .escape], 20)) }
    if wants(steps[9]) {
      // A search used as a filter, dropped: every event listed again.
      var drops: [Double] = []
      for _ in 0..<10 {
        press("/")
        press("serveur")
        press(.enter)
        press("&")
        drops += timed([.escape], 1)
        precondition(state.search == nil, "Esc drops the search")
      }
      add(steps[9], drops)
    }
    if wants(steps[10]) {
      var q = Query()
      if let c = mostCommon(.confidence) { q[.confidence].included = [c] }
      var fresh: [Double] = []
      for _ in 0..<10 {
        state.setQuery(q)
        fresh += timed([.ctrl("r")], 1)
        precondition(state.query.isEmpty, "Ctrl-R starts afresh")
      }
      add(steps[10], fresh)
    }
    if wants(steps[11]) { add(steps[11], timed([.char("?"), .char("q")], 20)) }
    if wants(steps[12]) {
      var resizes: [Double] = []
      draw(state, into: &buffer)
      for k in 0..<20 {
        let size = k % 2 == 0 ? Size(width: 120, height: 40) : Size(width: 200, height: 60)
        let start = Date()
        _ = update(&state, .resized(size))
        var screen = Buffer(size: size)
        draw(state, into: &screen)
        resizes.append(Date().timeIntervalSince(start))
      }
      add(steps[12], resizes)
      _ = update(&state, .resized(Size(width: 200, height: 60)))
    }
    if wants(steps[13]) {
      // "ma", then erased, in the person picker (thousands of names, folded once when it opens).
      press("p")
      add(steps[13], timed([.char("m"), .char("a"), .backspace, .backspace], 20))
      press(.escape)
    }
  }
}
