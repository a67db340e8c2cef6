import Testing

@testable import TimelineCore
@testable import TimelineUI

/// A search whose answer is kept as a bitset shows and moves exactly as one kept as a list: the same
/// screen (highlighted rows, "match k of n"), the same event after each n and N (wrapping included),
/// under filters, marked-only and as a filter (`&`).
@Suite("search answers as bitsets, in the explorer")
struct BitsetMatchesTests {
  /// The state with its search's answer replaced by the same events kept as a list, or as a bitset.
  static func kept(_ s: AppState, asBits: Bool) -> AppState {
    var out = s
    guard var search = out.search else { return out }
    let events = search.textMatches.array
    if asBits {
      var bits = EventBits(universe: s.timeline.count)
      bits.insert(contentsOf: events)
      search.textMatches = EventMatches(ranked: RankedBits(bits))
    } else {
      search.textMatches = EventMatches(events)
    }
    out.setSearch(search)
    #expect(out.search?.textMatches.isBitset == asBits)
    return out
  }

  static func expectSame(_ a: AppState, _ b: AppState, _ context: String) {
    #expect(a.selected == b.selected && a.results == b.results && a.message == b.message, "\(context)")
    #expect(a.search?.matches.array == b.search?.matches.array, "\(context)")
    #expect(view(a).lines == view(b).lines, "\(context)")
  }

  @Test(arguments: ["e", "a", "bridi", "!e", "an | ar"])
  func nAndNMoveAlikeWhateverTheAnswersForm(text: String) {
    for setup in [[], ["c", "text:chy", "Enter"], ["&"], ["m", "j", "j", "m", "M"]] as [[String]] {
      var base = makeState(keys: "/", "text:\(text)", "Enter")
      for k in setup { press(&base, k) }
      var list = Self.kept(base, asBits: false)
      var bits = Self.kept(base, asBits: true)
      Self.expectSame(list, bits, "\(text) \(setup): answered")
      for (step, key) in (Array(repeating: "n", count: 40) + Array(repeating: "N", count: 45) + ["G", "n", "g", "N", "j", "n"]).enumerated() {
        press(&list, key)
        press(&bits, key)
        Self.expectSame(list, bits, "\(text) \(setup): step \(step) \(key)")
      }
    }
  }
}
