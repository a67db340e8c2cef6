import BundledTimeline
import Testing
import TimelineCore
@testable import TimelineUI

/// A picker opened on a large timeline before its counts are known: it lists its values at once with
/// "…" for the counts, the runtime counts (in the background), and the counts fill in; an answer for a
/// picker since closed or opened again is dropped. Here the bundled case stands for a large timeline
/// (`backgroundCountsFrom` 0), on a timeline of its own so that no other test has counted before.
@Suite("picker counts in the background")
struct PickerCountsTests {
  let t: Timeline
  /// Cyprus on, as "c chy Enter" applies it: the people's counts are under it.
  let cyprus: AppState

  init() throws {
    t = try TimelineDecoder.decode(BundledTimeline.sparksGroup, fileName: BundledTimeline.displayName)
    var s = AppState(timeline: t, size: Fixtures.large)
    s.backgroundCountsFrom = 0
    press(&s, "c", "text:chy", "Enter")
    cyprus = s
  }

  func picker(_ s: AppState) -> Picker? {
    if case .picker(let p) = s.overlay { return p }
    return nil
  }

  /// The picker's rows on the screen, from the mark ("[ ] ", "[x] ", "[-] ") to the box's right border.
  func rows(_ s: AppState) -> [String] {
    view(s).lines.compactMap { line in
      guard let mark = ["[ ] ", "[x] ", "[-] "].compactMap({ line.range(of: $0) }).first else { return nil }
      let rest = line[mark.lowerBound...]
      return String(rest[..<(rest.firstIndex(of: "│") ?? rest.endIndex)])
    }
  }

  /// The same state counting on the key, as a small timeline does: what the screen must end up as.
  func counted(_ s: AppState, _ key: String) -> AppState {
    var sync = s
    sync.backgroundCountsFrom = AppState.backgroundCountThreshold
    press(&sync, key)
    return sync
  }

  /// Presses a key with `update` alone (no runtime): the count asked for is handed back, not run.
  func open(_ s: inout AppState, _ key: Character) throws -> FacetCountRequest {
    let effects = update(&s, .key(.char(key)))
    guard effects.count == 1, case .countFacet(let request) = effects[0] else {
      Issue.record("the key should ask for the counts, not count: \(effects)")
      throw CancellationError()
    }
    return request
  }

  @Test("the picker opens at once with \"…\" for its counts, then shows exactly what counting on the key shows")
  func pendingThenFilled() throws {
    var s = cyprus
    t.forgetFacetCounts()
    let request = try open(&s, "p")
    let p = try #require(picker(s))
    #expect(p.countsPending)
    let screen = view(s).lines
    #expect(screen.contains { $0.contains("People: none on · counting under the other filters…") })
    // Every value is listed at once, each with "…" where its count goes and no count.
    let pending = rows(s)
    #expect(!pending.isEmpty)
    #expect(pending.allSatisfy { $0.contains("…") })
    #expect(pending.allSatisfy { $0.range(of: #" [0-9]+ "#, options: .regularExpression) == nil }, "\(pending)")
    #expect(Set(p.entries.map(\.key)) == Set(t.usedValues(.person).map { t.key(.person, $0) }))

    // The answer comes back: the same picker, rows and screen as a picker counted on the key.
    let expected = counted(cyprus, "p")
    #expect(update(&s, .facetCounted(request.run(on: t))).isEmpty)
    #expect(picker(s) == picker(expected))
    #expect(view(s).lines == view(expected).lines)
    #expect(!view(s).lines.contains { $0.contains("counting") })
    // Bridi has the most events in Cyprus (2): first, with the highlight.
    #expect(rows(s).first?.contains("George Bridi") == true)
    #expect(rows(s).first?.contains(" 2 ") == true)
  }

  @Test("values toggled while the counts are pending stay toggled, the rows do not move, and Enter applies them")
  func togglingWhilePending() throws {
    var s = cyprus
    t.forgetFacetCounts()
    let request = try open(&s, "p")
    press(&s, "Down", "Tab", "Tab")  // turns on the second and third values, the highlight on the fourth
    let before = try #require(picker(s))
    #expect(before.countsPending)
    let on = [before.entries[1].key, before.entries[2].key]
    #expect(before.selection.included == Set(on))
    #expect(view(s).lines.contains { $0.contains("People: 2 on · counting under the other filters…") })

    update(&s, .facetCounted(request.run(on: t)))
    let after = try #require(picker(s))
    #expect(!after.countsPending)
    // Nothing moved under the cursor: the same rows in the same order, the same value highlighted.
    #expect(after.entries.map(\.key) == before.entries.map(\.key))
    #expect(after.highlightedEntry?.key == before.highlightedEntry?.key)
    #expect(after.highlighted == before.highlighted && after.scroll == before.scroll)
    #expect(after.selection == before.selection)
    // The counts are those of counting on the key, value by value.
    let expected = try #require(picker(counted(cyprus, "p")))
    let counts = Dictionary(uniqueKeysWithValues: expected.entries.map { ($0.key, $0.count) })
    #expect(after.entries.allSatisfy { $0.count == counts[$0.key] })
    #expect(rows(s).filter { $0.contains("[x] ") }.count == 2)
    #expect(!rows(s).contains { $0.contains("…") })

    press(&s, "Enter")
    #expect(s.overlay == nil)
    #expect(s.query == Query(countries: ["CY"], people: Set(on)))
  }

  @Test("an answer for a picker closed, applied or opened again since is dropped")
  func staleAnswersAreDropped() throws {
    // Closed and opened again: the first answer is not the one awaited now.
    var s = cyprus
    t.forgetFacetCounts()
    let first = try open(&s, "p")
    press(&s, "Esc")
    t.forgetFacetCounts()
    let second = try open(&s, "p")
    #expect(second.generation != first.generation)
    update(&s, .facetCounted(first.run(on: t)))
    #expect(picker(s)?.countsPending == true)
    #expect(rows(s).allSatisfy { $0.contains("…") })
    // Another facet's answer for the same generation does not fit either.
    var wrong = second.run(on: t)
    wrong.facet = .tag
    update(&s, .facetCounted(wrong))
    #expect(picker(s)?.countsPending == true)
    update(&s, .facetCounted(second.run(on: t)))
    #expect(picker(s)?.countsPending == false)

    // Applied before its counts came: the answer changes nothing.
    var applied = cyprus
    t.forgetFacetCounts()
    let request = try open(&applied, "p")
    press(&applied, "Enter")
    let after = applied
    #expect(applied.overlay == nil)
    update(&applied, .facetCounted(request.run(on: t)))
    #expect(applied == after)
    // The counts were kept: opening the picker again shows them on the key.
    press(&applied, "x")
    press(&applied, "c", "text:chy", "Enter")
    #expect(update(&applied, .key(.char("p"))).isEmpty)
    #expect(picker(applied)?.countsPending == false)
  }

  @Test("a small timeline, or no other filter, counts on the key; a runtime answers at once when it can")
  func countedOnTheKey() throws {
    // The bundled case as it is (57 events): counted on the key, as before.
    var small = cyprus
    small.backgroundCountsFrom = AppState.backgroundCountThreshold
    t.forgetFacetCounts()
    #expect(update(&small, .key(.char("p"))).isEmpty)
    #expect(picker(small)?.countsPending == false)
    #expect(!view(small).lines.contains { $0.contains("…") })
    // No other filter: the values' own lists give the counts at once, whatever the size.
    var s = AppState(timeline: t, size: Fixtures.large)
    s.backgroundCountsFrom = 0
    #expect(update(&s, .key(.char("p"))).isEmpty)
    #expect(picker(s)?.countsPending == false)
    // Through the runtime, with services that count on the calling thread: filled before the frame.
    var state = cyprus
    t.forgetFacetCounts()
    state.overlay = nil
    var h = Harness(state)
    h.press("p")
    #expect(picker(h.state)?.countsPending == false)
    #expect(picker(h.state) == picker(counted(cyprus, "p")))
  }
}
