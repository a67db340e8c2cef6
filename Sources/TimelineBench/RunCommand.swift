import ArgumentParser
import Foundation
import TimelineCore
import TimelineUI

#if canImport(Glibc)
  import Glibc
#endif

/// `timeline-bench run`: the explorer's work at each size, as medians and 95th percentiles.
struct RunCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Measure load, facet toggles, date ranges, search keystrokes, frames and memory on generated timelines.",
    discussion: """
      Files are generated once per size and seed into --cache (default: $TMPDIR/timeline-bench) and reused.
      Memory is measured in a child process per size, so one size's peak does not hide another's.
      """
  )

  @Option(help: "Event counts, comma-separated.") var events = "10000,100000,1000000"
  @Option(help: "Random seed for the generated files.") var seed: UInt64 = 1
  @Option(help: "Repetitions of each load.") var loads = 5
  @Option(help: "Directory for generated files.") var cache: String?
  @Flag(help: "Print a JSON array (one object per step and size) instead of a table.") var json = false
  @Option(help: "Only the steps whose name contains one of these words, comma-separated (\"facet toggle,picker\"); the load is always measured.")
  var only: String?

  /// Whether a step is measured (`--only`).
  func wants(_ step: String) -> Bool {
    guard let only else { return true }
    return only.split(separator: ",").contains { step.contains($0.trimmingCharacters(in: .whitespaces)) }
  }

  struct Row: Codable {
    var step: String
    var events: Int
    var median_ms: Double
    var p95_ms: Double
    var samples: Int
  }

  func run() throws {
    let sizes = events.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("--events takes positive numbers, e.g. 10000,100000") }
    let dir = cache ?? (NSTemporaryDirectory() + "timeline-bench")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var rows: [Row] = []
    for n in sizes {
      let path = "\(dir)/\(n)-\(seed).json"
      if !FileManager.default.fileExists(atPath: path) {
        log("generating \(n) events into \(path)…")
        Generator(events: n, seed: seed).write(to: try openForWriting(path + ".part"))
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
      }
      // The cache may hold a symbolic link to a file generated elsewhere: measure the file itself.
      let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
      let size = (try FileManager.default.attributesOfItem(atPath: target)[.size] as? Int) ?? 0
      log("measuring \(n) events (\(size / 1_000_000) MB)…")
      rows += try measure(path: path, events: n, fileSize: size)
    }
    if json {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      print(String(decoding: try encoder.encode(rows), as: UTF8.self))
    } else {
      printTable(rows)
    }
  }

  /// Seconds of each load of `path`, in total and by part, and the last timeline loaded.
  struct LoadTimes {
    var total: [Double] = [], parse: [Double] = [], resolve: [Double] = [], sort: [Double] = [], index: [Double] = []
  }

  static func timedLoads(
    path: String, count: Int, options: TimelineLoader.Options = .init()
  ) throws -> (timeline: Timeline, times: LoadTimes, route: String) {
    var times = LoadTimes()
    var timeline: Timeline?
    var route = ""
    for _ in 0..<max(1, count) {
      timeline = nil  // the previous one goes first, so two are never in memory at once
      var t = TimelineLoader.Timings()
      let start = Date()
      timeline = try TimelineLoader.load(path: path, options: options, timings: &t)
      times.total.append(Date().timeIntervalSince(start))
      times.parse.append(t.parse)
      times.resolve.append(t.resolve)
      times.sort.append(t.sort)
      times.index.append(t.index)
      route = t.path
    }
    return (timeline!, times, route)
  }

  func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

  func measure(path: String, events n: Int, fileSize: Int) throws -> [Row] {
    var rows: [Row] = []
    func add(_ step: String, _ samples: [Double]) {
      let s = samples.sorted()
      rows.append(Row(step: step, events: n, median_ms: Self.percentile(s, 0.5) * 1000, p95_ms: Self.percentile(s, 0.95) * 1000, samples: s.count))
    }

    // Load: read + decode + validate + index, in total and by part.
    let (tl, parts, _) = try Self.timedLoads(path: path, count: loads)
    add("load", parts.total)
    add("load: read+parse+validate", parts.parse)
    add("load: resolve references", parts.resolve)
    add("load: sort", parts.sort)
    add("load: index", parts.index)

    // The search index is built on first use (in the explorer, in the background after the first frame).
    var start = Date()
    if wants("search") {
      _ = tl.searchIndex
      add("search index build (once)", [Date().timeIntervalSince(start)])
    }

    // Facet toggle, for each facet: its most common value turned on, then excluded, then off, with
    // another facet's most common value on (so that the counts are under a filter), as the explorer
    // applies a picker (the results, the search's matches among them, the list's scroll), with that
    // facet's picker counts. The value tables are built once before (the first picker pays for them).
    var state = AppState(timeline: tl, size: Size(width: 200, height: 60))
    _ = tl.facetCounts(.era, for: Query(countries: ["FR"]))
    func mostCommon(_ facet: Facet) -> String? {
      let counts = tl.facetCounts(facet, for: Query())
      return counts.indices.max(by: { counts[$0] < counts[$1] }).map { tl.key(facet, $0) }
    }
    // The picker counts are kept by the other filters (`Timeline.facetHistogram`): the first of the 30
    // toggles of a facet counts them, the others find them.
    for facet in Facet.allCases where wants("facet toggle") {
      let other: Facet = facet == .confidence ? .tag : .confidence
      guard let key = mostCommon(facet), let otherKey = mostCommon(other) else { continue }
      let counts = tl.facetCounts(facet, for: Query())
      var toggles: [Double] = []
      for k in 0..<30 {
        var q = Query()
        q[other].included = [otherKey]
        if k % 3 == 0 { q[facet].included = [key] }
        if k % 3 == 1 { q[facet].excluded = [key] }
        start = Date()
        state.setQuery(q)
        let picker = tl.facetCounts(facet, for: q)
        toggles.append(Date().timeIntervalSince(start))
        precondition(picker.count == counts.count)
      }
      add("facet toggle: \(facet.name)", toggles)
    }

    // Opening a picker (its counts and spark lines) with its key in the explorer, and the frame that
    // shows it, for each facet: with no filter on, what c, p, t, o, e and s cost before anything is
    // chosen; the same under a filter that keeps every event (an exclusion of a value no event has),
    // as any filter does. The kept counts are
    // forgotten before each of these ("first"); "again" opens it once more under the same filters, as
    // after a toggle of the picker's own values. The first sample of each facet also folds its names.
    let keys: [Facet: Character] = [.country: "c", .person: "p", .tag: "t", .confidence: "o", .era: "e", .source: "s"]
    for facet in Facet.allCases {
      var everything = Query()
      everything[facet == .tag ? .confidence : .tag] = FacetFilter(excluded: ["no such value"])
      // About half the events (the most work: the walk is over the events kept or over those left out,
      // whichever are fewer): two confidence levels of four (60 % of the generated events), or for
      // the confidence picker five tags of ten.
      var half = Query()
      if facet == .confidence {
        half[.tag].included = Set(tl.usedValues(.tag).prefix(tl.usedValues(.tag).count / 2).map { tl.key(.tag, $0) })
      } else {
        half[.confidence].included = ["confirmed", "reported"]
      }
      for (name, query) in [("no filter", Query()), ("a filter keeping all", everything), ("a filter keeping about half", half)] {
        guard wants("picker open, \(name): \(facet.name)") || wants("picker open again, \(name): \(facet.name)") else { continue }
        var picking = AppState(timeline: tl, size: Size(width: 200, height: 60))
        picking.setQuery(query)
        var screen = Buffer(size: picking.size)
        var opens: [Double] = []
        var again: [Double] = []
        var filled: [Double] = []
        for k in 0..<10 {
          if k < 5 { tl.forgetFacetCounts() }
          // What the user waits for: the key's update and the frame that shows the picker.
          start = Date()
          let effects = update(&picking, .key(.char(keys[facet]!)))
          draw(picking, into: &screen)
          (k < 5 ? { opens.append($0) } : { again.append($0) })(Date().timeIntervalSince(start))
          // Counts not known yet are found in the background by the explorer, while the picker is shown
          // with "…": here on this thread after the frame (the explorer's input thread waits meanwhile),
          // timed from the key until the frame with the counts.
          for case .countFacet(let request) in effects {
            _ = update(&picking, .facetCounted(request.run(on: tl)))
            draw(picking, into: &screen)
            filled.append(Date().timeIntervalSince(start))
          }
          guard case .picker(let picker) = picking.overlay else { preconditionFailure("the key opens the picker") }
          precondition(!picker.entries.isEmpty || tl.valueCount(facet) == 0)
          precondition(!picker.countsPending, "the counts came back")
          _ = update(&picking, .key(.escape))
        }
        add("picker open, \(name): \(facet.name)", opens)
        if !filled.isEmpty { add("picker counts filled in (background), \(name): \(facet.name)", filled) }
        if name != "no filter" { add("picker open again, \(name): \(facet.name)", again) }
      }
    }

    // Date range: a month, a year, an open end, as `:` and the time strip's brush set them.
    var ranges: [Double] = []
    let years = (tl.span.map { Int(TimelineDate(dayKey: $0.lower).year)...Int(TimelineDate(dayKey: $0.upper).year) }) ?? 2000...2000
    for k in 0..<(wants("date-range") ? 30 : 0) {
      let y = years.lowerBound + (k * 7) % max(1, years.count)
      var q = Query()
      switch k % 3 {
      case 0: (q.from, q.to) = (TimelineDate(year: y, month: UInt8(1 + k % 12)), TimelineDate(year: y, month: UInt8(1 + k % 12)))
      case 1: (q.from, q.to) = (TimelineDate(year: y), TimelineDate(year: y))
      default: q.from = TimelineDate(year: y)
      }
      start = Date()
      state.setQuery(q)
      ranges.append(Date().timeIntervalSince(start))
    }
    if !ranges.isEmpty { add("date-range change", ranges) }
    state.setQuery(Query())

    // Search keystroke: a six-letter word typed one letter at a time, each narrowing the previous, as
    // the explorer runs it (the text over the whole timeline, then the matches among the listed events)
    // and draws it (the matched words marked on a 200×60 screen).
    var letters: [Double] = []
    let word = Array("serveu")
    var screen = Buffer(size: state.size)
    for _ in 0..<(wants("search keystroke") ? 5 : 0) {
      let typed = Self.typeSearch(word, from: state, on: tl, screen: &screen)
      precondition(typed.matched > 0, "the search keystrokes matched nothing")
      letters += typed.seconds
    }
    if !letters.isEmpty { add("search keystroke (with highlighting)", letters) }

    // Frame: scroll one line, draw the whole 200×60 screen, and find what changed.
    var frames: [Double] = []
    state = AppState(timeline: tl, size: Size(width: 200, height: 60))
    var buffer = Buffer(size: state.size)
    draw(state, into: &buffer)
    var previousBuffer = buffer
    for k in 0..<(wants("frame") ? 300 : 0) {
      start = Date()
      _ = update(&state, .key(k % 150 < 100 ? .down : .up))
      draw(state, into: &buffer)
      let changes = buffer.changes(since: previousBuffer)
      frames.append(Date().timeIntervalSince(start))
      precondition(changes.count >= 0)
      previousBuffer = buffer
    }
    if !frames.isEmpty { add("frame (scroll, view 200x60, diff)", frames) }

    // The keys pressed most that no step above times (x, u, G, PgDn, &, n, m, M, Enter).
    EverydayKeys.measure(tl, wants: wants, add: add)

    // The timeline view at 200×60: opening it (each event's span once, then the lanes by country),
    // a frame after moving in a lane, zooming and panning, and switching the lanes' facet. Each sample
    // is the key's `update`, the whole screen drawn, and what changed found.
    let laneSteps = ["timeline: open (spans, lanes by country)", "timeline frame (h/l in a lane, view 200x60, diff)", "timeline zoom or pan (z Z H L, view 200x60, diff)", "timeline lane facet switch (f, view 200x60, diff)"]
    if laneSteps.contains(where: wants) {
      state = AppState(timeline: tl, size: Size(width: 200, height: 60))
      draw(state, into: &buffer)
      previousBuffer = buffer
      start = Date()
      _ = update(&state, .key(.char("T")))
      precondition(state.mode == .lanes, "T opens the timeline view")
      // The first screen of lanes is drawn too: a lane finds how far its events reach when first drawn.
      draw(state, into: &buffer)
      _ = buffer.changes(since: previousBuffer)
      add("timeline: open (spans, lanes by country)", [Date().timeIntervalSince(start)])
      func timed(_ keys: [Key], repeat count: Int) -> [Double] {
        var samples: [Double] = []
        draw(state, into: &buffer)
        previousBuffer = buffer
        for k in 0..<count {
          start = Date()
          _ = update(&state, .key(keys[k % keys.count]))
          draw(state, into: &buffer)
          let changes = buffer.changes(since: previousBuffer)
          samples.append(Date().timeIntervalSince(start))
          precondition(changes.count >= 0)
          previousBuffer = buffer
        }
        return samples
      }
      // Zoomed in a little from the whole span, where a lane's columns each hold many events.
      _ = update(&state, .key(.char("z")))
      add("timeline frame (h/l in a lane, view 200x60, diff)", timed(Array(repeating: Key.char("l"), count: 100) + Array(repeating: Key.char("h"), count: 100), repeat: 300))
      add("timeline zoom or pan (z Z H L, view 200x60, diff)", timed([.char("z"), .char("z"), .char("L"), .char("H"), .char("Z"), .char("Z")], repeat: 120))
      add("timeline lane facet switch (f, view 200x60, diff)", timed([.char("f")], repeat: 28))
    }

    // Peak memory, in a child process that only loads (and then builds the search index).
    for (step, extra) in [("peak RSS after load (MB)", [String]()), ("peak RSS with search index (MB)", ["--search"]), ("peak RSS with the timeline view (MB)", ["--timeline"])] where wants("peak") {
      if let kb = childPeakKB(path: path, extra: extra) {
        rows.append(Row(step: step, events: n, median_ms: Double(kb) / 1024, p95_ms: Double(kb) / 1024, samples: 1))
      }
    }
    rows.append(Row(step: "file size (MB)", events: n, median_ms: Double(fileSize) / 1_048_576, p95_ms: Double(fileSize) / 1_048_576, samples: 1))
    return rows
  }

  /// Runs `timeline-bench peak-memory` on the file and returns its maximum resident set in KiB.
  func childPeakKB(path: String, extra: [String]) -> Int? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    p.arguments = ["peak-memory", "--file", path] + extra
    let out = Pipe()
    p.standardOutput = out
    do { try p.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }

  static func percentile(_ sorted: [Double], _ q: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    if sorted.count == 1 { return sorted[0] }
    let pos = q * Double(sorted.count - 1)
    let lo = Int(pos.rounded(.down))
    let hi = min(sorted.count - 1, lo + 1)
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - Double(lo))
  }

  func printTable(_ rows: [Row]) {
    let sizes = Array(Set(rows.map(\.events))).sorted()
    var steps: [String] = []
    for r in rows where !steps.contains(r.step) { steps.append(r.step) }
    let stepWidth = max(36, steps.map(\.count).max() ?? 0)
    var header = "step".padding(toLength: stepWidth, withPad: " ", startingAt: 0)
    for n in sizes { header += "  " + "\(n) events (median / p95)".leftPad(30) }
    print(header)
    for step in steps {
      var line = step.padding(toLength: stepWidth, withPad: " ", startingAt: 0)
      for n in sizes {
        guard let r = rows.first(where: { $0.step == step && $0.events == n }) else {
          line += "  " + "".leftPad(30)
          continue
        }
        let cell = step.hasSuffix("(MB)") ? String(format: "%.0f MB", r.median_ms) : String(format: "%.3f / %.3f ms", r.median_ms, r.p95_ms)
        line += "  " + cell.leftPad(30)
      }
      print(line)
    }
  }
}

/// `timeline-bench peak-memory --file F [--search]`: loads, optionally builds the search index, and
/// prints the process's peak resident set size in KiB (for `run`, which starts it as a child).
struct PeakMemoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "peak-memory", abstract: "Print the peak RSS (KiB) of loading a file.", shouldDisplay: false)
  @Option var file: String
  @Flag var search = false
  /// Also open the timeline view at 200×60 (the events' spans and the lanes by country), and draw its
  /// lanes by every facet in turn.
  @Flag var timeline = false

  func run() throws {
    let t = try TimelineLoader.load(path: file)
    if search { _ = t.searchIndex }
    var state: AppState?
    if timeline {
      state = AppState(timeline: t, size: Size(width: 200, height: 60))
      _ = update(&state!, .key(.char("T")))
      // Drawn, and through every facet and back: each lane drawn keeps how far its events reach.
      var buffer = Buffer(size: state!.size)
      for _ in 0...LanesState.facets.count {
        draw(state!, into: &buffer)
        _ = update(&state!, .key(.char("f")))
      }
    }
    print(Self.peakResidentKB())
    withExtendedLifetime((t, state)) {}
  }

  /// The peak resident set of this process image, in KiB. Not `getrusage`'s `ru_maxrss`: started by
  /// `run` after it had loaded the same file, the child reported 548 MB (the parent's peak, kept across
  /// the spawn) where the same command run by hand reported 286 MB. `VmHWM` belongs to the child's own
  /// address space.
  static func peakResidentKB() -> Int {
    if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
      let kb = Int(line.dropFirst("VmHWM:".count).filter(\.isNumber))
    {
      return kb
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
  }
}

extension String {
  func leftPad(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// `timeline-bench frames --file F --count N`: only the frame loop, for profiling.
struct FramesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "frames", abstract: "Time N frames (scroll, view, diff).", shouldDisplay: false)
  @Option var file: String
  @Option var count = 2000

  func run() throws {
    let tl = try TimelineLoader.load(path: file)
    var state = AppState(timeline: tl, size: Size(width: 200, height: 60))
    var buffer = Buffer(size: state.size)
    draw(state, into: &buffer)
    var previous = buffer
    let start = Date()
    var changed = 0
    for k in 0..<count {
      _ = update(&state, .key(k % 150 < 100 ? .down : .up))
      draw(state, into: &buffer)
      changed += buffer.changes(since: previous).count
      previous = buffer
    }
    print(String(format: "%.3f ms per frame (%d runs changed)", Date().timeIntervalSince(start) * 1000 / Double(count), changed))
  }
}

/// `timeline-bench loads --file F --count N`: only the load, N times, with the median of each part
/// (for profiling the loader without the other steps).
struct LoadsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "loads", abstract: "Time N loads of a file, by part.", shouldDisplay: false)
  @Option var file: String
  @Option var count = 5
  @Option var threads = 2

  func run() throws {
    let (_, times, route) = try RunCommand.timedLoads(path: file, count: count, options: .init(threads: threads))
    let parts = [("total", times.total), ("parse", times.parse), ("resolve", times.resolve), ("sort", times.sort), ("index", times.index)]
    let line = parts.map { String(format: "%@ %.3f", $0.0, RunCommand.percentile($0.1.sorted(), 0.5)) }
    print("median of \(count) (\(route)): " + line.joined(separator: ", ") + " s")
  }
}

/// `timeline-bench index --file F --count N`: loads the file N times and builds the word index after
/// each load, with the median build time (for profiling the index builder).
struct IndexCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "index", abstract: "Time N builds of the search index.", shouldDisplay: false)
  @Option var file: String
  @Option var count = 5

  func run() throws {
    var builds: [Double] = []
    var cpu: [Double] = []
    func cpuSeconds() -> Double {
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    for _ in 0..<max(1, count) {
      let t = try TimelineLoader.load(path: file)
      let (start, startCPU) = (Date(), cpuSeconds())
      _ = t.searchIndex
      builds.append(Date().timeIntervalSince(start))
      cpu.append(cpuSeconds() - startCPU)
    }
    let sorted = builds.sorted()
    // The CPU time (both threads) says less about the goal but varies less on a busy machine.
    print(String(format: "search index build, median of %d: %.3f s wall, %.3f s CPU (wall: %@)", builds.count, RunCommand.percentile(sorted, 0.5), RunCommand.percentile(cpu.sorted(), 0.5), sorted.map { String(format: "%.3f", $0) }.joined(separator: ", ")))
  }
}

extension RunCommand {
  /// Types `/` then `word` into the explorer, letter by letter, as it runs a search (each letter's
  /// query narrowing the last answer, the answer applied, a frame drawn): the seconds each letter took,
  /// and how many events the whole word matched.
  static func typeSearch(_ word: [Character], from state: AppState, on tl: Timeline, screen: inout Buffer) -> (seconds: [Double], matched: Int) {
    var typing = state
    _ = update(&typing, .key(.char("/")))
    var previous: SearchResult?
    var times: [Double] = []
    for c in word {
      let start = Date()
      for effect in update(&typing, .key(.char(c))) {
        guard case .search(let request) = effect else { continue }
        let answer = request.run(on: tl, previous: previous)
        previous = answer
        _ = update(&typing, .searchFinished(answer))
      }
      draw(typing, into: &screen)
      times.append(Date().timeIntervalSince(start))
    }
    return (times, typing.search?.matches.count ?? 0)
  }
}
