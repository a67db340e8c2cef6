import Foundation
import Testing
import TimelineCore
@testable import TimelineUI

/// The state-machine monkey (see `Support/Monkey.swift`): random keys, mouse events, resizes and search
/// answers, with every invariant checked after each action.
///
/// `swift test` runs a short run per timeline; `.ci/monkey` runs the long one
/// (`TIMELINE_MONKEY_STEPS=100000`). `TIMELINE_MONKEY_SEED` replaces the seeds to replay a failure.
@Suite("state-machine monkey")
struct MonkeyTests {
  static let environment = ProcessInfo.processInfo.environment
  static let steps = environment["TIMELINE_MONKEY_STEPS"].flatMap { Int($0) } ?? 5_000
  static let seedOverride: UInt64? = environment["TIMELINE_MONKEY_SEED"].flatMap { text in
    text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
  }

  func run(_ timeline: Timeline, _ name: String, seed: UInt64) {
    // The stale search answer is a known bug (see `MonkeyFindingsTests.anAnswerForTheFiltersBeforeAChangeIsIgnored`):
    // counted, not failed, until it is fixed.
    var monkey = Monkey(timeline: timeline, dataset: name, seed: Self.seedOverride ?? seed, toleratesStaleSearchAnswers: false)
    let started = Date()
    if let failure = monkey.run(steps: Self.steps) {
      Issue.record("\(failure)")
      return
    }
    let elapsed = Date().timeIntervalSince(started)
    print("monkey: \(name) timeline, seed \(String(format: "0x%016llX", monkey.seed)), \(monkey.step) steps in \(String(format: "%.1f", elapsed)) s; \(monkey.stats)")
    // The run went everywhere it should (a monkey stuck in one overlay would prove little); a short
    // replay need not.
    guard Self.steps >= 2_000 else { return }
    let s = monkey.stats
    #expect(s.tooSmall > 0 && s.pickersApplied > 0 && s.searchesAnswered > 0 && s.helpOpened > 0 && s.resizes > 0, "\(s)")
    #expect(s.filtered > 0 && s.emptyResults > 0 && s.fullScreenDetail > 0 && s.timeline > 0, "\(s)")
  }

  @Test func bundledTimeline() {
    run(Fixtures.bundled, "bundled", seed: 0x0B0E_D5EE_D000_0001)
  }

  @Test func generatedTimeline() {
    #expect(MonkeyData.generated.count == 3_000)
    run(MonkeyData.generated, "generated", seed: 0x0B0E_D5EE_D000_0002)
  }

  /// The monkey itself: the same seed gives the same run.
  @Test func theSameSeedGivesTheSameRun() {
    var a = Monkey(timeline: Fixtures.bundled, dataset: "bundled", seed: 42)
    var b = Monkey(timeline: Fixtures.bundled, dataset: "bundled", seed: 42)
    _ = a.run(steps: 300)
    _ = b.run(steps: 300)
    #expect(a.state == b.state)
    #expect(a.recent.map(\.action) == b.recent.map(\.action))
    #expect(a.rng.state == b.rng.state)
  }

  /// And the invariants do catch what they are meant to.
  @Test func theInvariantsCatchABrokenScreen() {
    var s = AppState(timeline: Fixtures.bundled, size: Fixtures.medium)
    #expect(Monkey.violation(s, view(s)) == nil)
    var b = view(s)
    b.cursor = (80, 0)
    #expect(Monkey.violation(s, b)?.hasPrefix("(4)") == true)
    s.selected = s.results.count  // one past the last event
    #expect(Monkey.violation(s, view(s))?.hasPrefix("(1)") == true)
    // A picker whose cursor is not on its input line, or that lists a value on after one off.
    var p = AppState(timeline: Fixtures.bundled, size: Fixtures.medium, query: Query(countries: ["NO"]))
    press(&p, "c", "text:n")
    #expect(Monkey.violation(p, view(p)) == nil)
    var moved = view(p)
    moved.cursor = (10, 10)
    #expect(Monkey.violation(p, moved)?.hasPrefix("(11)") == true)
    if case .picker(var picker) = p.overlay {
      picker.entries.reverse()
      p.overlay = .picker(picker)
      #expect(Monkey.violation(p, view(p))?.hasPrefix("(10)") == true)
    }
  }
}

/// What the monkey found, each pinned by a focused test.
@Suite("monkey findings")
struct MonkeyFindingsTests {
  /// The header named countries by name and code, then people: at 99 columns a country and three people
  /// did not fit, and the people were cut off with "…". Now countries fall back to their codes.
  @Test func theHeaderNamesEveryFilterWhenTheCodesMakeRoom() {
    let people: Set<String> = ["damian-williams", "george-bridi", "jonatan-correa"]
    let s = AppState(timeline: Fixtures.bundled, size: Size(width: 99, height: 23), query: Query(countries: ["US", "CY"], people: people))
    let row = view(s).lines[1]
    #expect(row.hasPrefix(" Filters: country CY or US · person "), "\(row)")
    for id in people { #expect(row.contains(s.timeline.people.first { $0.id == id }!.name), "\(row)") }
    #expect(Monkey.headerViolation(s, view(s).lines) == nil)
    // Where the names do fit, they stay.
    let wide = AppState(timeline: Fixtures.bundled, size: Fixtures.large, query: Query(countries: ["CY"], people: ["george-bridi"]))
    #expect(view(wide).lines[1].hasPrefix(" Filters: country Cyprus (CY) · person George Bridi"))
  }

  /// A filter part that ended exactly at the row's end made the next ones vanish without a "…".
  @Test func aFilterRowCutAtAPartBoundarySaysSo() {
    let t = MonkeyData.generated
    let s = AppState(timeline: t, size: Size(width: 45, height: 10), query: Query(countries: ["GB", "JP", "KR", "QZ", "TH"], people: ["cyr"]))
    let row = view(s).lines[1]
    #expect(row == " Filters: country GB or JP or KR or QZ or TH…", "\(row)")
    #expect(Monkey.headerViolation(s, view(s).lines) == nil)
  }

  /// A zero-width joiner was kept at the end of a cell ("👨‍" of "👨‍👩‍👧"): the terminal would join it with
  /// an emoji in the next cell and draw one glyph where the buffer has two. Cells now hold whole
  /// clusters, and a joiner that joins nothing (at a cluster's end) is dropped.
  @Test func aCellDoesNotEndWithAJoiner() {
    var b = Buffer(size: Size(width: 12, height: 1))
    b.put("👨‍👩‍👧🎉🏳️‍🌈x", x: 0, y: 0)
    #expect(b[0, 0].text == "👨‍👩‍👧" && b[4, 0].text == "🏳️‍🌈")
    #expect(b.lines[0].count == 4 + 5)  // 👨‍👩‍👧 🎉 🏳️‍🌈 x and five blanks: one grapheme a cell
    #expect(DisplayWidth.of(b.lines[0]) == 12)
    var c = Buffer(size: Size(width: 4, height: 1))
    c.put("👨\u{200D}", x: 0, y: 0)
    c.put("🎉", x: 2, y: 0)
    #expect(!c.cells.contains { $0.text.unicodeScalars.last == "\u{200D}" })
    #expect(c.lines[0] == "👨🎉")
  }

  /// A timeline spanning more than 2,000 years counted its months in groups (say 72 months) that no
  /// bucket size of the time strip is a multiple of, so the strip fell back to 10,000-year buckets:
  /// two bars for 600 BC to AD 9999, labelled "10001 BC".
  @Test func aTimelineSpanningMillenniaKeepsADetailedTimeStrip() throws {
    let s = AppState(timeline: try Self.timeline(dates: ["-0600", "0850", "1999", "2020-08", "9999-12-31"]), size: Size(width: 149, height: 41))
    let axis = try #require(TimeStripView.axis(s, width: 147))
    #expect(axis.count > 50, "\(axis.step) a bucket")
    #expect(!view(s).lines[3].contains("10001 BC"))
  }

  /// The whole calendar (years -999999 to 999999) needed buckets larger than the largest size, 10,000
  /// years: the strip ran past the screen's edge, and the ▲ of a late event was off it.
  @Test(arguments: [Size(width: 40, height: 20), Size(width: 120, height: 40)])
  func theWholeCalendarFitsOnTheTimeStrip(_ size: Size) throws {
    var s = AppState(timeline: try Self.timeline(dates: ["-999999", "2020", "999999-12-31"]), size: size)
    for key in ["g", "j", "G"] {
      press(&s, key)
      let axis = try #require(TimeStripView.axis(s, width: size.width - 2))
      #expect(axis.columns(ofBucket: axis.count - 1).upperBound == size.width - 2, "the whole width, not past it")
      #expect(view(s).lines[3].contains("▲"), "\(key): \(view(s).lines[3])")
    }
  }

  static func timeline(dates: [String]) throws -> Timeline {
    let events = dates.enumerated().map { k, d in
      #"{"id": "e\#(k)", "date": "\#(d)", "title": "Event \#(k)", "confidence": "confirmed", "sources": ["s"]}"#
    }
    let json = #"{"title": "Span", "description": "", "sources": [{"id": "s", "title": "S", "publisher": "P", "date": "2020", "language": "en"}], "events": ["#
      + events.joined(separator: ",") + "]}"
    return try TimelineDecoder.decode(Array(json.utf8), fileName: "span.json")
  }

  /// An answer to the search made under the filters before a change was once accepted as the answer
  /// for the new filters. A search now asks for its text over the whole timeline and the filters are
  /// applied to the answer, so a filter change asks for nothing and the one answer fits any filters.
  @Test func aFilterChangeDuringASearchNeedsNoNewAnswer() {
    var s = AppState(timeline: Fixtures.bundled, size: Fixtures.large)
    var requests: [SearchRequest] = []
    func send(_ action: Action) {
      for case .search(let r) in update(&s, action) { requests.append(r) }
    }
    send(.key(.char("/")))
    for c in "arrest" { send(.key(.char(c))) }
    send(.key(.enter))
    let asked = requests.count
    for key: Key in [.char("c"), .char("c"), .char("y"), .char("p"), .enter] { send(.key(key)) }
    #expect(s.query.countries == ["CY"])
    #expect(requests.count == asked, "the filter change asked for no search")
    // The answer to the text arrives after the filter change: the matches are those under the new filters.
    #expect(s.search?.pending == true)
    send(.searchFinished(requests.last!.run(on: s.timeline, previous: nil)))
    var q = s.query
    q.text = "arrest"
    #expect(s.search?.matches.array == s.timeline.evaluate(q))
    #expect(s.search.map { $0.matches.allSatisfy { s.resultIndex(ofEvent: $0) != nil } } == true)
  }
}
