import Foundation
import TimelineCore
@testable import TimelineUI

// A state-machine monkey: random but reproducible actions fed to `update`, with `view` drawn and every
// invariant checked after each one. The same seed always gives the same run, so a failure names its seed
// and step and can be replayed exactly (see `Monkey.Failure.description`).

/// The monkey's ranges over `SplitMix64` (from TimelineCore): mapped here, as the standard library's
/// `random(in:using:)` algorithms are not promised to stay the same.
extension SplitMix64 {
  /// A number in `0..<n` (n > 0), by multiply-high (Lemire) without the rejection step: the bias is
  /// at most n / 2^64, nothing for a test.
  mutating func int(_ n: Int) -> Int {
    precondition(n > 0)
    return Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(range.count) }

  /// True `percent` times in a hundred.
  mutating func chance(_ percent: Int) -> Bool { int(100) < percent }

  mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

  /// Picks an index with probability proportional to its weight.
  mutating func weighted(_ weights: [Int]) -> Int {
    var r = int(weights.reduce(0, +))
    for (i, w) in weights.enumerated() {
      if r < w { return i }
      r -= w
    }
    return weights.count - 1
  }
}

/// Drives an `AppState` with random actions and checks the invariants after every one.
struct Monkey {
  let timeline: Timeline
  let dataset: String
  let seed: UInt64
  private(set) var rng: SplitMix64
  private(set) var state: AppState
  /// Steps taken (actions sent to `update`).
  private(set) var step = 0
  /// The last actions with their step numbers, oldest first, for the failure message.
  private(set) var recent: [(step: Int, action: String)] = []
  static let recentCount = 20
  /// Actions decided in advance: a gesture (open a picker, type, toggle, apply) is several actions.
  private var script: [Action] = []
  /// Search requests asked for and not answered yet, oldest first.
  private var inFlight: [SearchRequest] = []
  /// Pickers' counts asked for and not yet answered (from a state that counts in the background).
  private var countsInFlight: [FacetCountRequest] = []
  /// Whether searches are answered at once (`timeline render`, small timelines) or later, as the
  /// background searcher does for large ones: in order, the newest pending request replacing older
  /// pending ones while one runs.
  private var synchronousSearch = true
  /// In the background mode, the chance in a hundred that the oldest request is answered at a step.
  private var answerChance = 30
  private var searchAnswers: [Query: [UInt32]] = [:]
  /// The last answer delivered.
  private var lastAnswer: SearchResult?
  /// Whether a search showing the answer to a request made under the filters before a change (the
  /// generation is not bumped when filters change, so such an answer is accepted) is let through and
  /// counted in `stats.staleSearchAnswers` instead of failing invariant (7).
  var toleratesStaleSearchAnswers: Bool
  private(set) var stats = Stats()

  /// What the run went through, so a test can check the monkey did not get stuck somewhere.
  struct Stats: CustomStringConvertible {
    var tooSmall = 0
    var fullScreenDetail = 0
    var pickersOpened = 0
    var pickersApplied = 0
    var promptsOpened = 0
    var searchesAnswered = 0
    var searchesDropped = 0
    var helpOpened = 0
    var emptyResults = 0
    var filtered = 0
    var resizes = 0
    var mouse = 0
    var quits = 0
    var restarts = 0
    var staleSearchAnswers = 0
    /// Steps checked with the timeline view on screen.
    var timeline = 0
    var historySaves = 0
    /// Searches run (not remembered from an earlier identical query).
    var searchesRun = 0
    /// Seconds spent in `update`, in `view`, checking, and running searches.
    var updateTime = 0.0, viewTime = 0.0, checkTime = 0.0, searchTime = 0.0

    var description: String {
      "too small \(tooSmall), full-screen detail \(fullScreenDetail), pickers \(pickersOpened) (applied \(pickersApplied)), "
        + "prompts \(promptsOpened), searches answered \(searchesAnswered) (superseded \(searchesDropped)), help \(helpOpened), "
        + "no result \(emptyResults), filtered \(filtered), resizes \(resizes), mouse \(mouse), quits \(quits), restarts \(restarts), stale search answers shown \(staleSearchAnswers), timeline \(timeline); "
        + String(format: "%.1f s in update, %.1f s in view, %.1f s checking, %.1f s in %d searches", updateTime, viewTime, checkTime, searchTime, searchesRun)
    }
  }

  struct Failure: Error, CustomStringConvertible {
    var dataset: String
    var seed: UInt64
    var step: Int
    var invariant: String
    var recent: [(step: Int, action: String)]
    var size: Size
    /// The filters and search in force.
    var state: String
    var screen: String

    var description: String {
      """
      monkey invariant broken on the \(dataset) timeline
        seed \(String(format: "0x%016llX", seed)), step \(step), size \(size)
        \(invariant)
        state: \(state)
        replay: TIMELINE_MONKEY_SEED=\(String(format: "0x%016llX", seed)) TIMELINE_MONKEY_STEPS=\(step) swift test --filter MonkeyTests
        last \(recent.count) actions (oldest first):
      \(recent.map { "    \($0.step): \($0.action)" }.joined(separator: "\n"))
        screen:
      \(screen.split(separator: "\n", omittingEmptySubsequences: false).map { "    |\($0)" }.joined(separator: "\n"))
      """
    }
  }

  init(timeline: Timeline, dataset: String, seed: UInt64, toleratesStaleSearchAnswers: Bool = false) {
    self.toleratesStaleSearchAnswers = toleratesStaleSearchAnswers
    self.timeline = timeline
    self.dataset = dataset
    self.seed = seed
    rng = SplitMix64(seed: seed)
    state = AppState(timeline: timeline, size: Fixtures.medium)
    state = freshState()
  }

  /// Runs `steps` more actions; stops at the first broken invariant.
  mutating func run(steps: Int) -> Failure? {
    if step == 0, let f = check() { return f }
    for _ in 0..<steps {
      // Now and then start again from a new initial state (a command-line query, another size), so
      // the run covers what `AppState.init` sets up as well as what keys lead to.
      if step > 0 && step % 1_000 == 0 {
        stats.restarts += 1
        state = freshState()
        script.removeAll()
        inFlight.removeAll()
        countsInFlight.removeAll()
        // A search left pending by `init` (as the explorer makes it) is asked by `.start` first.
        if state.search?.unanswered == true { script = [.start] }
        note("restart: \(describe(state))")
      }
      let action = nextAction()
      step += 1
      note(describe(action))
      let t0 = Date()
      let effects = update(&state, action)
      stats.updateTime += Date().timeIntervalSince(t0)
      for effect in effects {
        switch effect {
        case .quit: stats.quits += 1
        case .redraw: break
        // The world outside is not the monkey's: nothing is copied, opened, written or read again.
        case .copy, .open, .export, .saveSession, .reload: break
        case .saveHistory(let h):
          stats.historySaves += 1
          if h != state.history {
            return Failure(
              dataset: dataset, seed: seed, step: step, invariant: "(9) asked to save a history other than the state's", recent: recent,
              size: state.size, state: describe(state), screen: view(state).text)
          }
        case .countFacet(let request):
          // Answered later, as the background counter does: the picker may be closed or reopened by then.
          countsInFlight.append(request)
        case .search(let request):
          // The background searcher runs one request at a time; a newer one replaces those waiting.
          if inFlight.count > 1 {
            stats.searchesDropped += inFlight.count - 1
            inFlight.removeSubrange(1...)
          }
          inFlight.append(request)
        }
      }
      if case .searchFinished(let answer) = action {
        stats.searchesAnswered += 1
        lastAnswer = answer
      }
      if let f = check() { return f }
    }
    return nil
  }

  private mutating func note(_ text: String) {
    recent.append((step, text))
    if recent.count > Self.recentCount { recent.removeFirst(recent.count - Self.recentCount) }
  }

  // MARK: - Choosing actions

  private mutating func nextAction() -> Action {
    if step % 500 == 0 {
      synchronousSearch = rng.chance(60)
      answerChance = rng.pick([5, 15, 40])
    }
    // Pickers' counts, as searches: at once, or after a few other actions.
    if !countsInFlight.isEmpty && (synchronousSearch || rng.chance(answerChance)) {
      return .facetCounted(countsInFlight.removeFirst().run(on: state.timeline))
    }
    // Answers to searches: at once in synchronous mode, else after a few other actions.
    if !inFlight.isEmpty && (synchronousSearch || rng.chance(answerChance)) {
      let request = inFlight.removeFirst()
      let answer: SearchResult
      if request.generation < state.searchGeneration {
        // An answer to a request older than the newest one: `update` must ignore it whatever it
        // holds, so it holds nonsense (every event), and the search need not run.
        answer = SearchResult(generation: request.generation, query: request.query, matches: (0..<UInt32(timeline.count)).map { $0 })
      } else if let matches = searchAnswers[request.query] {
        // A search is a pure function of its query; remembering answers keeps a debug build's run short.
        answer = SearchResult(generation: request.generation, query: request.query, matches: matches)
      } else {
        let started = Date()
        answer = request.run(on: timeline, previous: nil)
        stats.searchTime += Date().timeIntervalSince(started)
        stats.searchesRun += 1
        searchAnswers[request.query] = answer.matches.array
      }
      return .searchFinished(answer)
    }
    if script.isEmpty { script = gesture() }
    return script.removeFirst()
  }

  private static let commandKeys: [Key] = Command.allCases.flatMap(\.keys)
  private static let otherKeys: [Key] =
    [.left, .right, .delete, .backTab, .tab, .function(1), .function(5), .function(12), .ctrl("a"), .ctrl("z"), .ctrl("n"), .ctrl("p"), .ctrl("k"), .ctrl("w")]
  private static let printable: [Character] = Array(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
  private static let accented: [Character] = ["é", "è", "ê", "ë", "à", "ç", "ü", "ö", "Å", "ø", "ñ", "ß", "Œ", "e\u{301}", "a\u{300}", "ł", "ő", "ř"]
  private static let cjk: [Character] = ["東", "京", "会", "議", "田", "中", "한", "국", "日", "本", "ｶ", "Ａ", "🎉", "👨‍👩‍👧", "🇫🇷", "❤️"]
  private static let dateTexts = [
    "2020", "2020-08", "2020-08-25", "1999-12-31", "2021-02-29", "2020-13", "-0044", "0850", "999999", "-999999", "2020~",
    " 2015 ", "", "abc", "２０２０", "2020-08-25~", "1", "3000-01-01",
    // Ranges, open at either end, cleared, backwards, and years before Christ.
    "2020-08..2020-09", "2020-08-23..", "..2016", "..", "2021..2020", "45 BC..", "-0600..0850", "1999..x", "2020-08-25..2020-08-27",
  ]

  private mutating func randomChar() -> Character {
    switch rng.weighted([6, 2, 2]) {
    case 0: rng.pick(Self.printable)
    case 1: rng.pick(Self.accented)
    default: rng.pick(Self.cjk)
    }
  }

  private mutating func randomText(_ maxLength: Int) -> String {
    String((0..<rng.int(in: 0...maxLength)).map { _ in randomChar() })
  }

  /// Something worth typing into a picker: the start of a real name or code, or noise.
  private mutating func pickerText(_ facet: Facet) -> String {
    if rng.chance(25) { return randomText(4) }
    let names = (0..<timeline.valueCount(facet)).filter { !timeline.events(facet, $0).isEmpty }.flatMap { timeline.names(facet, $0) }
    guard !names.isEmpty else { return randomText(3) }
    // Sometimes two words, with the space between them (a space is text in a picker).
    let words = rng.pick(names).split(separator: " ").map(String.init)
    if words.count > 1 && rng.chance(20) { return words.prefix(2).joined(separator: " ") }
    let word = rng.pick(words + [""])
    return String(word.prefix(rng.int(in: 1...4)))
  }

  /// Something worth searching: a word of a title, a part of one, or noise.
  private mutating func searchText() -> String {
    // Words that are not words (punctuation, lone letters) make the search check every event's text,
    // slow in a debug build over thousands of events: fewer of them there.
    switch rng.weighted(timeline.count > 1_000 ? [20, 1, 1, 1] : [6, 2, 1, 1]) {
    case 0:
      // A word of a title, or over a large timeline one of a few words its titles use (the same
      // queries come back, and their answers are remembered).
      let words = timeline.count > 1_000
        ? MonkeyData.searchWords : timeline.title(at: rng.int(timeline.count)).split(separator: " ").map(String.init)
      return words.isEmpty ? "x" : String(rng.pick(words).prefix(rng.int(in: 1...4)))
    case 1: return randomText(6)
    case 2: return "\"" + (timeline.people.isEmpty ? "a" : rng.pick(timeline.people).name) + "\""
    default: return String(repeating: " ", count: rng.int(in: 0...3))
    }
  }

  private mutating func randomSize() -> Size {
    // About a third of the steps end up below 40×10, where only quitting and resizing do anything.
    switch rng.weighted([24, 30, 5, 36, 5]) {
    case 0: return Size(width: rng.int(in: 1...80), height: rng.int(in: 1...30))
    case 1: return Size(width: rng.int(in: 39...42), height: rng.int(in: 9...12))  // the 40×10 boundary
    case 2: return Size(width: rng.int(in: 1...3), height: rng.int(in: 1...3))
    case 3:
      return rng.pick([
        Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 100, height: 30), Size(width: 99, height: 23),
        Size(width: 100, height: 23), Size(width: 99, height: 24), Size(width: 40, height: 20), Size(width: 40, height: 30),
        Size(width: 100, height: 10), Size(width: 45, height: 12), Size(width: 60, height: 15), Size(width: 70, height: 20),
      ])
    default: return Size(width: rng.int(in: 1...300), height: rng.int(in: 1...100))
    }
  }

  private mutating func keys(_ keys: [Key]) -> [Action] { keys.map { .key($0) } }

  private mutating func type(_ text: String) -> [Action] { text.map { .key(.char($0)) } }

  /// The next few actions: one key, a burst, or a whole gesture.
  private mutating func gesture() -> [Action] {
    let w = state.size.width
    let h = state.size.height
    switch rng.weighted([22, 8, 8, 10, 10, 4, 3, 10, 8, 5, 6, 2, 12]) {
    case 0:  // any command key
      return [.key(rng.pick(Self.commandKeys))]
    case 1:  // a printable character, as a command or as text in an open overlay
      return [.key(.char(randomChar()))]
    case 2:  // Esc / Enter / Backspace heavy: overlays open and close
      return (0..<rng.int(in: 2...6)).map { _ in .key(rng.pick([.escape, .enter, .backspace, .backspace, .escape, .char("q"), .tab])) }
    case 3:  // a picker of any facet: narrow (spaces, editing, history), move, turn on, exclude, apply or cancel
      let facet = rng.pick(Facet.allCases)
      stats.pickersOpened += 1
      var out = keys(Command.picker(facet).keys)
      if rng.chance(60) { out += type(pickerText(facet)) }
      if rng.chance(15) { out += keys([rng.pick([.backspace, .left, .home, .ctrl("w"), .ctrl("k"), .ctrl("a"), .end, .delete])]) }
      if rng.chance(10) { out += keys([rng.pick([.ctrl("p"), .ctrl("n")])]) }
      for _ in 0..<rng.int(in: 0...3) {
        out += keys((0..<rng.int(in: 0...4)).map { _ in rng.pick([.down, .down, .up, .pageDown, .pageUp]) })
        if rng.chance(70) { out += keys([rng.pick([.tab, .tab, .backTab, .ctrl("x")])]) }
      }
      switch rng.weighted([65, 20, 15]) {
      case 0:
        out += keys([.enter])
        stats.pickersApplied += 1
      case 1: out += keys([.escape])
      default: break  // left open for whatever comes next
      }
      return out
    case 4:  // a search: typed, kept, dropped, erased or left open
      stats.promptsOpened += 1
      var out = keys([.char("/")]) + type(searchText())
      switch rng.weighted([45, 25, 10, 5, 10, 10]) {
      case 0: out += keys([.enter])
      case 1: out += keys([.escape])
      case 2: out += keys((0..<rng.int(in: 1...8)).map { _ in .backspace }) + keys([rng.pick([.enter, .escape])])
      case 3: out += keys([.ctrl("u"), .enter])
      case 4:  // edit inside the line, or recall an earlier search
        out += keys((0..<rng.int(in: 1...5)).map { _ in
          rng.pick([.left, .right, .home, .end, .ctrl("a"), .ctrl("e"), .ctrl("w"), .ctrl("k"), .ctrl("b"), .ctrl("f"), .delete, .up, .down])
        })
        out += type(String(randomChar())) + keys([rng.pick([.enter, .escape])])
      default: break
      }
      if rng.chance(30) { out += keys((0..<rng.int(in: 1...4)).map { _ in rng.pick([.char("n"), .char("N")]) }) }
      return out
    case 5:  // go to a date
      stats.promptsOpened += 1
      let recall: [Key] = rng.chance(20) ? [rng.pick([.up, .ctrl("p"), .up, .down])] : []
      return keys([.char(":")]) + type(rng.pick(Self.dateTexts)) + keys(recall + [rng.pick([.enter, .enter, .escape])])
    case 6:  // help, scrolled, closed
      stats.helpOpened += 1
      return keys([.char("?")] + (0..<rng.int(in: 0...6)).map { _ in rng.pick([.char("j"), .char("k"), .char(" "), .char("G"), .char("g"), .pageUp, .end]) }
        + [rng.pick([.char("q"), .escape, .char("?"), .enter])])
    case 7:  // the mouse, anywhere, outside the screen included, now and then with Ctrl or Alt held
      stats.mouse += 1
      let kind: MouseEvent.Kind = rng.pick([.press, .press, .release, .wheelUp, .wheelDown])
      let modifiers: MouseEvent.Modifiers = rng.chance(20) ? rng.pick([.control, .alt, .shift]) : []
      var out: [Action] = [.mouse(MouseEvent(kind, x: rng.int(in: -3...(w + 3)), y: rng.int(in: -3...(h + 3)), modifiers: modifiers))]
      // Often on the time strip (rows 2 to 6): clicks, drags and second clicks there set date ranges.
      if rng.chance(40) {
        let y = rng.int(in: 2...6)
        out = [.mouse(MouseEvent(.press, x: rng.int(in: 0...w), y: y))]
        if rng.chance(60) { out.append(.mouse(MouseEvent(.release, x: rng.int(in: 0...w), y: y))) }
      }
      return out
    case 8:
      stats.resizes += 1
      return [.resized(randomSize())]
    case 9:  // keys that mean nothing, or quit and redraw
      return [.key(rng.pick(Self.otherKeys + [.ctrl("c"), .ctrl("l"), .char("q")]))]
    case 10:  // a run of one moving key, to reach far into the list or the detail; sometimes brushing a range
      let key: Key = rng.pick([.char("j"), .char("k"), .pageDown, .pageUp, .ctrl("d"), .ctrl("u"), .char("]"), .char("["), .char("}"), .char("{"), .char("n")])
      let run = keys(Array(repeating: key, count: rng.int(in: 3...30)))
      return rng.chance(25) ? keys([.char("v")]) + run + keys([rng.pick([.char("v"), .char("v"), .escape])]) : run
    case 11:  // clear the filters, undo, the search as a filter and back, or toggle the detail
      return keys([rng.pick([.char("x"), .char("u"), .char("&"), .enter, .tab, .escape])])
    default:  // the timeline view: into it (or back to the list), then a run of its keys
      var out: [Action] = state.mode == .lanes && rng.chance(70) ? [] : keys([.char("T")])
      let timelineKeys: [Key] = [
        .char("h"), .char("l"), .left, .right, .char("j"), .char("k"), .up, .down, .char("z"), .char("Z"), .char("+"), .char("-"),
        .char("H"), .char("L"), .char("0"), .char("f"), .char("F"), .char("S"), .char("g"), .char("G"), .pageDown, .pageUp,
        .char("n"), .char("]"), .char("}"), .char("{"), .char("v"),
      ]
      out += keys((0..<rng.int(in: 1...20)).map { _ in rng.pick(timelineKeys) })
      if rng.chance(15) { out += keys([.char("T")]) }
      return out
    }
  }

  /// A new starting state: sometimes a command-line query (filters, dates, tags, text).
  private mutating func freshState() -> AppState {
    var q = Query()
    if rng.chance(50) {
      if rng.chance(40), !timeline.usedCountrySlots.isEmpty {
        q.countries = Set((0..<rng.int(in: 1...3)).map { _ in CountryTable.code(ofSlot: rng.pick(timeline.usedCountrySlots)) })
      }
      if rng.chance(30), !timeline.people.isEmpty { q.people = [rng.pick(timeline.people).id] }
      if rng.chance(20), !timeline.tags.isEmpty { q.tags = [rng.pick(timeline.tags)] }
      if rng.chance(25) { q.from = TimelineDate(year: Int(rng.int(in: 1990...2025))) }
      if rng.chance(25) { q.to = TimelineDate(year: Int(rng.int(in: 1990...2030)), month: UInt8(rng.int(in: 1...12))) }
      if rng.chance(30) { q.text = searchText() }
    }
    if stats.restarts % 4 == 1 { q.tags = ["no such tag"] }  // nothing matches
    var s = AppState(
      timeline: timeline, size: randomSize(), query: q, colorEnabled: rng.chance(80), mouseEnabled: rng.chance(90),
      searchNow: rng.chance(50))
    // Half the time, pickers open before their counts, as on a large timeline.
    if rng.chance(50) { s.backgroundCountsFrom = 0 }
    return s
  }

  // MARK: - Describing

  func describe(_ action: Action) -> String {
    switch action {
    case .key(let k): return "key \(k.debugName)"
    case .mouse(let m): return "mouse \(m.kind) at (\(m.x), \(m.y))"
    case .resized(let s): return "resize to \(s)"
    case .start: return "start"
    case .searchFinished(let r):
      return "search answer #\(r.generation) for \(String(reflecting: r.query.text)) (\(r.matches.count) matches)"
    case .facetCounted(let c): return "\(c.facet.name) counts #\(c.generation)"
    case .reloaded(let r): return "reloaded: \(r.outcome)"
    case .said(let text): return "said \(String(reflecting: text))"
    case .exportWouldReplace(let r): return "export would replace \(r.path)"
    }
  }

  func describe(_ s: AppState) -> String {
    let q = s.query
    return "size \(s.size), countries \(q.countries.sorted()), people \(q.people.sorted()), tags \(q.tags.sorted()), "
      + "from \(q.from.map(String.init(describing:)) ?? "-"), to \(q.to.map(String.init(describing:)) ?? "-"), "
      + "search \(s.search.map { String(reflecting: $0.text) } ?? "none")"
  }

  // MARK: - Invariants

  /// Checks every invariant on the state and its screen; a failure carries what is needed to replay it.
  private mutating func check() -> Failure? {
    let t0 = Date()
    let buffer = view(state)
    let t1 = Date()
    stats.viewTime += t1.timeIntervalSince(t0)
    defer { stats.checkTime += Date().timeIntervalSince(t1) }
    let layout = Layout(state: state)
    if layout.tooSmall { stats.tooSmall += 1 }
    if layout.detailPlacement == .fullScreen { stats.fullScreenDetail += 1 }
    if state.mode == .lanes && !layout.lanes.isEmpty { stats.timeline += 1 }
    if state.results.isEmpty { stats.emptyResults += 1 }
    if !state.query.isEmpty { stats.filtered += 1 }
    guard let problem = Self.violation(state, buffer, checkLines: step % 50 == 0) ?? searchViolation() else { return nil }
    return Failure(dataset: dataset, seed: seed, step: step, invariant: problem, recent: recent, size: state.size, state: describe(state), screen: buffer.text)
  }

  /// (7) A search that is not waiting for an answer shows the matches of its text under the filters in
  /// force: what the header and the footer count, and what n / N go through.
  private mutating func searchViolation() -> String? {
    // (13) A search not answered yet (given at launch, asked in the background) hides nothing and
    // counts no match, and is waiting for its answer.
    if let s = state.search, s.unanswered {
      if !s.pending { return "(13) a search not answered yet is not waiting for an answer" }
      if !s.matches.isEmpty || state.results != state.user.listed(state.filtered) {
        return "(13) a search not answered yet lists \(state.results.count) events and counts \(s.matches.count) matches"
      }
      return nil
    }
    guard let s = state.search, !s.pending else { return nil }
    var q = state.query
    q.text = s.text
    q.regex = s.regex
    let expected: [UInt32]
    if let known = searchAnswers[q] {
      expected = known
    } else {
      expected = timeline.evaluate(q)
      searchAnswers[q] = expected
    }
    // (12) A search used as a filter lists its matches, else the filters' events are listed (only the
    // marked ones while `M` is on).
    let listed = state.user.listed(state.filtered)
    if state.results != (s.isFilter ? s.matches.array : listed) {
      return "(12) the list has \(state.results.count) events; the search (\(s.isFilter ? "a filter" : "highlighting")) says \(s.isFilter ? s.matches.count : listed.count)"
    }
    // The matches are among the listed events: the marked ones while `M` is on.
    guard s.matches.array != state.user.listed(expected) else { return nil }
    if toleratesStaleSearchAnswers, let a = lastAnswer, a.matches == s.matches, a.query.text == s.text {
      var filters = a.query
      filters.text = state.query.text
      if filters != state.query {
        // The known bug: an answer for the filters before a change, accepted (see
        // `MonkeyTests.anAnswerForTheFiltersBeforeAChangeIsIgnored`).
        stats.staleSearchAnswers += 1
        return nil
      }
    }
    return "(7) the search \(String(reflecting: s.text)) shows \(s.matches.count) matches; under the filters in force it has \(state.user.listed(expected).count)"
  }

  /// The first invariant the state or its screen breaks, or nil.
  static func violation(_ state: AppState, _ buffer: Buffer, checkLines: Bool = true) -> String? {
    let size = state.size
    let results = state.results

    // (1) The selection is a result.
    if results.isEmpty {
      if state.selected != 0 { return "(1) no result, but selected = \(state.selected)" }
      if state.selectedEvent != nil { return "(1) no result, but an event is selected" }
    } else {
      guard (0..<results.count).contains(state.selected) else {
        return "(1) selected = \(state.selected), outside 0..<\(results.count)"
      }
      guard let e = state.selectedEvent, e == results[state.selected], state.resultIndex(ofEvent: e) == state.selected else {
        return "(1) the selected event is not result \(state.selected)"
      }
    }
    if state.detailScroll < 0 { return "(1) detailScroll = \(state.detailScroll)" }
    if case .picker(let p) = state.overlay {
      // (10) The values on when the picker opened come first (toggling in it does not move rows), and
      // every value on is listed, so that it can be turned off.
      let applied = state.query[p.facet]
      let rank = p.entries.map { applied.state(of: $0.key) == .off ? 1 : 0 }
      if rank != rank.sorted() { return "(10) a value on is listed after one that is off" }
      if !p.selection.keys.union(applied.keys).isSubset(of: Set(p.entries.map(\.key))) { return "(10) a value on is not listed" }
      let hl = PickerView.listHeight(size, p)
      if !p.visible.isEmpty && !(p.scroll...(p.scroll + hl - 1)).contains(p.highlighted) {
        return "(1) the picker's highlighted row \(p.highlighted) is off its list (scroll \(p.scroll), \(hl) rows)"
      }
      if !p.visible.isEmpty && p.highlighted >= p.visible.count { return "(1) the picker highlights row \(p.highlighted) of \(p.visible.count)" }
    }

    // (2) The buffer is exactly the screen: width × height cells, every row exactly `width` columns.
    if buffer.size != size { return "(2) buffer size \(buffer.size), screen \(size)" }
    if buffer.cells.count != size.width * size.height {
      return "(2) \(buffer.cells.count) cells for \(size)"
    }
    // The rows as text, exactly as `Buffer.lines` makes them (each cell's text, continuations adding
    // nothing) but straight from the packed glyphs: `lines` makes a String per cell, which in a debug
    // build cost more than everything else here. `checkLines` compares the two now and then.
    let lines = checkLines ? buffer.lines : Self.rows(buffer)
    if checkLines && lines != Self.rows(buffer) { return "(2) Buffer.lines differs from the cells' text" }
    if lines.count != size.height { return "(2) \(lines.count) rows for \(size)" }
    // (4) The cursor is on the screen.
    if let c = buffer.cursor, !(0..<size.width).contains(c.x) || !(0..<size.height).contains(c.y) {
      return "(4) cursor at (\(c.x), \(c.y)), outside \(size)"
    }
    let cells = buffer.cells
    for (y, line) in lines.enumerated() {
      // Cell by cell: one grapheme a cell, of one or more columns; a wide one is followed by its
      // continuations, and continuations by nothing else. (5) And nothing the terminal would obey: no
      // control character, DEL, C1 or bidi control in any cell.
      var x = 0
      var drawn = 0
      var plain = true
      // Neighbouring cells that each hold a lone regional indicator (what is left of a flag) pair up
      // into one grapheme when the row is read back as a string, as they may on a terminal: two
      // columns either way, but one `Character`. Every other cell must stay a grapheme of its own.
      var pairs = 0
      var run = 0
      while x < size.width {
        let cell = cells[y * size.width + x]
        drawn += 1
        // The common case, printable ASCII, without building anything (this runs for every cell).
        if isPrintableASCII(cell) {
          pairs += run / 2
          run = 0
          x += 1
          continue
        }
        plain = false
        if cell.isContinuation { return "(2) cell (\(x), \(y)) continues nothing" }
        let cw: Int
        let text: String
        if let scalar = singleScalar(cell) {
          // One scalar, so one grapheme (most cells: accents, CJK, box drawing), read without a String.
          text = String(scalar)
          if TerminalSafety.isUnsafe(scalar) { return "(5) cell (\(x), \(y)) holds \(String(reflecting: text))" }
          if (0x1F1E6...0x1F1FF).contains(scalar.value) {
            run += 1
          } else {
            pairs += run / 2
            run = 0
          }
          cw = DisplayWidth.of(scalar)
        } else {
          text = cell.text
          if text.unicodeScalars.contains(where: TerminalSafety.isUnsafe) {
            return "(5) cell (\(x), \(y)) holds \(String(reflecting: text))"
          }
          var characters = text.makeIterator()
          guard let character = characters.next(), characters.next() == nil else {
            return "(2) cell (\(x), \(y)) holds \(text.count) characters: \(String(reflecting: text))"
          }
          pairs += run / 2
          run = 0
          cw = DisplayWidth.of(character)
        }
        guard cw >= 1, cw == cell.columns else {
          return "(2) cell (\(x), \(y)) is \(cw) columns wide but says \(cell.columns): \(String(reflecting: text))"
        }
        for k in 1..<cw {
          guard x + k < size.width, buffer[x + k, y].isContinuation else {
            return "(2) the \(cw)-column \(String(reflecting: text)) at (\(x), \(y)) has no continuation cell \(k)"
          }
        }
        x += cw
      }
      pairs += run / 2
      // The row read back as a string. A row of printable ASCII cells is its cells by construction. Any
      // other must read back as one Character a cell (no cluster spanning two cells); its width by
      // `DisplayWidth` is then the sum of its cells' widths, which the walk above found to be exactly
      // `size.width`. The full measure of the string runs now and then, and to report a mismatch.
      guard !plain else { continue }
      let characters = line.count + pairs
      if characters != drawn || checkLines {
        let width = DisplayWidth.of(line) + pairs
        if width != size.width { return "(2) row \(y) is \(width) columns wide, not \(size.width): \(String(reflecting: line))" }
        if characters != drawn {
          return "(2) row \(y): \(drawn) cells read back as \(characters) characters (a cluster spans cells): \(String(reflecting: line))"
        }
      }
    }

    let layout = Layout(state: state)
    guard !layout.tooSmall else { return nil }
    let coveringOverlay: Bool
    switch state.overlay {
    case .help, .picker, .chooser, .note, .problems: coveringOverlay = true
    case .prompt, nil: coveringOverlay = false
    }

    // (3) The header tells the filters in force and the count.
    if !coveringOverlay, let problem = headerViolation(state, lines) { return problem }

    // (12) In the timeline view, the selected event is in the current lane, whose row is on screen
    // and marked ▸, the event is in the window, and its mark is highlighted where the cursor rests.
    if state.mode == .lanes, let problem = lanesViolation(state, buffer, layout, coveringOverlay: coveringOverlay) { return problem }

    // (6) The selected event's row is on screen, marked.
    if state.mode == .list && !coveringOverlay && layout.list.height > 0 && !results.isEmpty {
      let list = layout.list
      let marked = (list.y..<list.maxY).filter { buffer[list.x, $0].text == "▸" }
      guard marked.count == 1, let y = marked.first else {
        return "(6) \(marked.count) rows marked ▸ in the list (selected: result \(state.selected), top \(state.list.top))"
      }
      let visible = state.rows(from: state.list.top, count: list.height)
      let row = y - list.y
      guard row < visible.count, visible[row].row == .event(state.selected) else {
        return "(6) the ▸ row \(y) is not the selected result \(state.selected)"
      }
      if state.focus == .list, state.overlay == nil, let c = buffer.cursor, c.y != y { return "(6) the cursor is on row \(c.y), the selection on row \(y)" }
    }

    // (11) With a prompt or a picker open, the text cursor is where typing goes: on the prompt line, or
    // on the picker's input line (B14).
    switch state.overlay {
    case .prompt(let p):
      guard let c = buffer.cursor, c.y == layout.footer.y else { return "(11) the cursor is off the prompt line" }
      if p.editor.cursor == p.editor.text.count, DisplayWidth.of(p.text) < 20, c.x < DisplayWidth.of(p.text) {
        return "(11) the cursor (\(c.x)) is before the end of \(String(reflecting: p.text))"
      }
    case .picker(let p):
      let f = PickerView.frame(size, p)
      guard let c = buffer.cursor, c.y == f.y + 1, c.x > f.x, c.x < f.maxX else { return "(11) the cursor is off the picker's input line" }
    default: break
    }

    // (13) The time strip's axis fits its width, and its ticks are inside the span it shows.
    if !coveringOverlay && layout.strip.height >= 2, let axis = TimeStripView.axis(state, width: layout.strip.width - 2) {
      if axis.count > axis.width || axis.columns(ofBucket: axis.count - 1).upperBound != axis.width {
        return "(13) the strip's \(axis.count) buckets do not fill its \(axis.width) columns"
      }
      for tick in axis.ticks(measure: DisplayWidth.of) where tick.dayKey < axis.lower || tick.dayKey > axis.upper {
        return "(13) the tick \(tick.label) is outside the span"
      }
    }

    // (8) The time strip marks the selected event on its axis (the strip fits the width whatever the
    // span of the results).
    if !coveringOverlay && layout.strip.height >= 2 && !results.isEmpty {
      let axis = lines[layout.strip.y + 1]
      if !axis.contains("▲") { return "(8) no ▲ on the time strip's axis: \(String(reflecting: axis))" }
    }
    return nil
  }

  static func lanesViolation(_ state: AppState, _ buffer: Buffer, _ layout: Layout, coveringOverlay: Bool) -> String? {
    guard let e = state.selectedEvent, !layout.lanes.isEmpty else { return nil }
    let g = state.lanesLayout
    guard state.laneValues(of: e).contains(state.lanes.lane) else { return "(12) the current lane \(state.lanes.lane) does not hold the selected event" }
    guard let row = state.currentLaneRow else { return "(12) the current lane is not among the lanes" }
    guard g.lanes.height == 0 || (state.lanes.topLane..<(state.lanes.topLane + g.lanes.height)).contains(row) else {
      return "(12) the current lane (row \(row)) is off screen (top \(state.lanes.topLane), \(g.lanes.height) rows)"
    }
    let w = g.window(state.lanes)
    guard let spans = state.lanesData?.spans else { return "(12) the timeline view shows without its spans" }
    guard w.columns == 0 || MarkGeometry(w, spans: spans).isShown(e) else {
      return "(12) the selected event \(spans.span(e)) is outside the window \(w.start)..<\(w.end)"
    }
    guard !coveringOverlay, g.lanes.height > 0, g.labels.width > 0 else { return nil }
    let y = g.lanes.y + row - state.lanes.topLane
    if buffer[g.labels.x, y].text != "▸" { return "(12) the current lane's row \(y) is not marked ▸" }
    let marked = (g.lanes.y..<g.lanes.maxY).filter { buffer[g.labels.x, $0].text == "▸" }
    if marked.count != 1 { return "(12) \(marked.count) lanes marked ▸" }
    if state.focus == .list, state.overlay == nil, w.columns > 0 {
      guard let c = buffer.cursor, c.y == y, g.plot.contains(x: c.x, y: c.y) else { return "(12) the cursor is not on the selected event's mark" }
      if !buffer[c.x, c.y].style.reverse { return "(12) the cell under the cursor is not highlighted" }
    }
    return nil
  }

  /// Whether a cell holds one printable ASCII character (read from the packed glyph, not through a String:
  /// this runs for every cell of every screen).
  @inline(__always) static func isPrintableASCII(_ cell: Cell) -> Bool { cell.glyph >= 0x20 && cell.glyph < 0x7F }

  /// Each row's text: the UTF-8 of its cells' clusters, one after the other.
  static func rows(_ buffer: Buffer) -> [String] {
    let w = buffer.size.width
    var bytes: [UInt8] = []
    bytes.reserveCapacity(4 * w)
    return buffer.cells.withUnsafeBufferPointer { cells in
      (0..<buffer.size.height).map { y in
        bytes.removeAll(keepingCapacity: true)
        for x in 0..<w { cells[y * w + x].withUTF8 { bytes.append(contentsOf: $0) } }
        return String(decoding: bytes, as: UTF8.self)
      }
    }
  }

  /// The cell's only scalar, decoded from the packed UTF-8 of its glyph; nil when it holds several
  /// (a character and its accents) or is not valid UTF-8.
  static func singleScalar(_ cell: Cell) -> Unicode.Scalar? {
    let g = cell.glyph
    let b0 = UInt32(g & 0xFF)
    let (length, lead): (Int, UInt32) =
      b0 < 0x80 ? (1, b0) : b0 >= 0xF0 ? (4, b0 & 0x07) : b0 >= 0xE0 ? (3, b0 & 0x0F) : b0 >= 0xC0 ? (2, b0 & 0x1F) : (0, 0)
    guard length > 0, g >> (8 * UInt64(length)) == 0 else { return nil }
    var v = lead
    for k in 1..<max(1, length) {
      let b = UInt32((g >> (8 * UInt64(k))) & 0xFF)
      guard b & 0xC0 == 0x80 else { return nil }
      v = v << 6 | (b & 0x3F)
    }
    return Unicode.Scalar(v)
  }

  /// How `Buffer.put` shows a string (placeholders for control characters, clusters cut as drawn).
  static func shown(_ text: String) -> String {
    text.map { Buffer.displayable($0) }.filter { $0.1 > 0 }.map(\.0).joined()
  }

  /// The header's filter line (row 1) and count (row 0) against the state.
  static func headerViolation(_ state: AppState, _ lines: [String]) -> String? {
    let t = state.timeline
    let q = state.query
    let width = state.size.width
    let row0 = lines[0]
    let row1 = lines[1]
    let header = row0 + "\n" + row1

    // The count, right-aligned on row 0.
    let words = row0.split(separator: " ")
    let count: Int?
    let total: Int?
    if words.count >= 4, words[words.count - 1] == "events", words[words.count - 3] == "of" {
      count = Int(words[words.count - 4])
      total = Int(words[words.count - 2])
    } else if words.count >= 2, words[words.count - 1] == "events" {
      count = Int(words[words.count - 2])
      total = count
    } else {
      count = nil
      total = nil
    }
    guard let count, let total else { return "(3) no event count at the end of row 0: \(String(reflecting: row0))" }
    if count != state.results.count || total != t.count {
      return "(3) the header says \(count) of \(total) events; the results are \(state.results.count) of \(t.count)"
    }

    let noFilter = !q.hasFilters
    let saysNoFilter = row1.hasPrefix(" No filters")
    if noFilter != saysNoFilter {
      return "(3) the query has \(noFilter ? "no" : "some") filters, the header: \(String(reflecting: row1))"
    }
    guard !noFilter else { return nil }
    // Every value of every facet, whole (its short form at least: a country's code), "not" before the
    // excluded ones, unless even the shortest form of the filters cannot fit on the row: then the row
    // must end with "…", so the cut is not silent.
    var parts: [String] = []
    // Each value by its name or its short form (a country's name and code when they fit, else its code).
    var expected: [[String]] = []
    for facet in Facet.allCases where !q[facet].isEmpty {
      let f = q[facet]
      let on = f.included.sorted().map { shown(t.shortLabel(facet, key: $0)) }
      let off = f.excluded.sorted().map { "not " + shown(t.shortLabel(facet, key: $0)) }
      expected += f.included.sorted().map { [shown(t.shortLabel(facet, key: $0)), shown(t.label(facet, key: $0))] }
      expected += f.excluded.sorted().map { ["not " + shown(t.shortLabel(facet, key: $0)), "not " + shown(t.label(facet, key: $0))] }
      parts.append(facet.name + " " + ([on.joined(separator: " or ")].filter { !$0.isEmpty } + off).joined(separator: ", "))
    }
    let dates = [q.from.map { "from \(DateText.compact($0))" }, q.to.map { "to \(DateText.compact($0))" }].compactMap(\.self)
    expected += dates.map { [$0] }
    if !dates.isEmpty { parts.append("dates " + dates.joined(separator: " ")) }
    let shortest = "Filters: " + parts.joined(separator: " · ")
    if DisplayWidth.of(shortest) <= width - 2 {
      for forms in expected where !forms.contains(where: row1.contains) {
        return "(3) the filter \(String(reflecting: forms[0])) is not in the header:\n\(header)"
      }
    } else if !row1.trimmingCharacters(in: .whitespaces).hasSuffix("…") {
      return "(3) the filters do not fit and the header does not say it is cut:\n\(header)"
    }
    return nil
  }
}

extension Key {
  /// The key as Swift would write it, unambiguous in a replay log ("Space" and " " differ there).
  var debugName: String {
    switch self {
    case .char(let c): return String(reflecting: String(c))
    default: return description
    }
  }
}

// MARK: - A generated timeline

/// A deterministic timeline of about 3,000 events built to be hard to draw and to filter: accents
/// (precomposed and combining), CJK, emoji (with joiners, flags and variation selectors), control
/// characters and bidi overrides written as escapes, very long and very short titles, several countries
/// and people per event, BC years and far-future years, eras that overlap.
enum MonkeyData {
  static let generated: Timeline = {
    let json = document(events: 3_000, seed: 0x7131_E11E)
    do {
      return try TimelineDecoder.decode(Array(json.utf8), fileName: "monkey.json")
    } catch {
      fatalError("the generated monkey timeline does not decode: \(error)")
    }
  }()

  static let words = [
    "réunion", "enquête", "saisie", "témoin", "procès", "Zürich", "Kraków", "São", "Ålesund", "Łódź", "naïve", "coöperation",
    "Re\u{301}sume\u{301}", "東京", "会議", "記録", "서울", "회의", "北京", "資料", "ＡＢＣ", "🎉", "📁", "⚖️", "🚢", "❤️", "👨‍👩‍👧",
    "🇫🇷🇩🇪", "🏳️‍🌈", "ημέρα", "город", "עברית", "العربية", "हिन्दी", "ไทย", "\u{1100}\u{1161}\u{11A8}", "zero\u{200B}width",
    "hearing", "warrant", "release", "ledger", "transfer", "notice", "shipment", "council", "harbour", "orbit", "lantern",
    "copper", "granite", "ember", "cascade", "beacon", "thistle", "x", "-", "…",
  ]
  /// Words of the titles that searches over the generated timeline type.
  static let searchWords = ["réunion", "Zürich", "город", "hearing", "lantern", "granite", "beacon"]
  /// Written into the JSON as escapes: the decoder keeps them, and the screen must not.
  static let hostile = [
    "\\u001b[31mred\\u001b[0m", "\\u001b]0;pwned\\u0007", "\\u202eevil", "bell\\u0007", "tab\\there", "line\\nbreak", "\\u009bC1",
    "\\u2028sep", "del\\u007f", "nul\\u0000byte",
  ]
  static let codes = ["FR", "DE", "JP", "KR", "CN", "US", "GB", "CY", "CZ", "NO", "SE", "BR", "IN", "IL", "EG", "TH", "GR", "RU", "QZ", "XK"]
  static let people: [(id: String, name: String, aliases: [String])] = [
    ("zoe", "Zoë Dupré", ["Zozo"]), ("tanaka", "田中太郎", ["Tarō"]), ("jose", "José Núñez", []), ("orsted", "Ørsted Åberg", []),
    ("ngoc", "Nguyễn Ngọc Ánh", ["Ánh"]), ("kim", "김민준", []), ("long", String(repeating: "Bartholomew ", count: 6) + "the Long", []),
    ("emoji", "Ada 🎉 Lovelace", ["👩‍💻"]), ("combining", "Rene\u{301}e Zu\u{308}rich", []), ("ctrl", "Eve \\u001b[2J Mallory", []),
    ("rtl", "\\u202eRight To Left", []), ("a", "A", []), ("wide", "ＷＩＤＥ　ＮＡＭＥ", []), ("cyr", "Анна Каренина", []),
    ("greek", "Σωκράτης", []), ("arabic", "محمد", []),
  ]

  static func document(events n: Int, seed: UInt64) -> String {
    var r = SplitMix64(seed: seed)
    func quoted(_ s: String) -> String {
      // Text here is already JSON-safe except for quotes (hostile escapes are written raw on purpose).
      "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
    func phrase(_ minLength: Int) -> String {
      var s = ""
      while s.count < minLength {
        if !s.isEmpty { s += r.chance(5) ? "  " : " " }
        s += r.chance(4) ? r.pick(hostile) : r.pick(words)
      }
      return s
    }
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    func yearText(_ y: Int) -> String {
      let digits = String(abs(y))
      return (y < 0 ? "-" : "") + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
    var out = "{\n  \"format\": \"timeline/1\",\n"
    out += "  \"title\": \"Monkey 🐒 timeline · 東京 \\u001b[1mbold\\u001b[0m with a title long enough to be cut on any screen narrower than a cinema\",\n"
    out += "  \"description\": \"Generated for the state-machine monkey test.\",\n"
    out += "  \"countries\": {\"QZ\": {\"name\": \"Qüzland 🏳️\", \"name_fr\": \"Qüzlande\"}, \"XK\": {\"name\": \"Kosovo\", \"aliases\": [\"Kosova\"]}},\n"
    out += "  \"sources\": [{\"id\": \"s1\", \"title\": \"Source ソース\", \"publisher\": \"Gazette\", \"date\": \"2020-01-01\", \"language\": \"fr\", \"url\": \"https://example.org/\\u001b\"}],\n"
    out += "  \"people\": [\n"
    out += people.map { p in
      "    {\"id\": \"\(p.id)\", \"name\": \(quoted(p.name)), \"aliases\": [\(p.aliases.map(quoted).joined(separator: ", "))], \"role\": \(quoted(phrase(r.int(in: 0...80))))}"
    }.joined(separator: ",\n")
    out += "\n  ],\n  \"eras\": [\n"
    let eras = [(-500, -400), (1990, 2000), (1995, 2010), (2008, 2009), (2020, 2020), (2015, 2030), (2100, 2200)]
    out += eras.enumerated().map { k, e in
      "    {\"id\": \"era\(k)\", \"title\": \(quoted("Era \(k) " + phrase(r.int(in: 0...40)))), \"start\": \"\(yearText(e.0))\", \"end\": \"\(yearText(e.1))\"}"
    }.joined(separator: ",\n")
    out += "\n  ],\n  \"events\": [\n"
    var lines: [String] = []
    for i in 0..<n {
      let year: Int
      switch r.weighted([85, 5, 5, 5]) {
      case 0: year = r.int(in: 1990...2025)
      case 1: year = r.int(in: -600 ... -1)
      case 2: year = r.int(in: 1...1500)
      default: year = r.int(in: 2026...9999)
      }
      let y = yearText(year)
      let month = r.int(in: 1...12)
      var date: String
      switch r.weighted([60, 25, 15]) {
      case 0: date = "\(y)-\(two(month))-\(two(r.int(in: 1...28)))"
      case 1: date = "\(y)-\(two(month))"
      default: date = y
      }
      if r.chance(5) { date += "~" }
      // The ends of the calendar, so the time strip spans two million years.
      if i == 0 { date = "-999999" }
      if i == 1 { date = "999999-12-31" }
      var e = "    {\"id\": \"ev-\(i)\", \"date\": \"\(date)\""
      if r.chance(8) && year < 9999 && i > 1 { e += ", \"end\": \"\(yearText(year + 1))\"" }
      let title: String
      switch r.weighted([80, 8, 7, 5]) {
      case 0: title = phrase(r.int(in: 5...70))
      case 1: title = phrase(300)
      case 2: title = r.pick(words)
      default: title = r.pick(hostile)
      }
      e += ", \"title\": \(quoted(title))"
      if r.chance(80) { e += ", \"summary\": \(quoted(phrase(r.int(in: 0...160))))" }
      let nc = r.weighted([10, 40, 30, 15, 5]) + (r.chance(3) ? 8 : 0)
      var cs: [String] = []
      while cs.count < nc { let c = r.pick(codes); if !cs.contains(c) { cs.append(c) } }
      e += ", \"countries\": [\(cs.map { "\"\($0)\"" }.joined(separator: ", "))]"
      let np = r.weighted([20, 40, 25, 15])
      var ps: [String] = []
      while ps.count < np { let p = r.pick(people).id; if !ps.contains(p) { ps.append(p) } }
      e += ", \"people\": [\(ps.map { "\"\($0)\"" }.joined(separator: ", "))]"
      if r.chance(30) { e += ", \"tags\": [\(quoted(r.pick(["court", "raid", "報告", "réunion"])))]" }
      e += ", \"confidence\": \"\(r.pick(["confirmed", "reported", "rumoured", "disputed"]))\", \"sources\": [\"s1\"]"
      if r.chance(5) { e += ", \"notes\": \(quoted(phrase(60)))" }
      lines.append(e + "}")
    }
    out += lines.joined(separator: ",\n")
    out += "\n  ]\n}\n"
    return out
  }
}
