import ArgumentParser
import Foundation
import TimelineCore

/// `timeline-bench shapes`: the same events written in each layout users' files come in, each loaded,
/// searched and measured beside the canonical layout.
struct ShapesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shapes",
    abstract: "Measure load, search and memory on the same events in every layout (shape) of the file.",
    discussion: """
      For each shape: the load (median of --loads), which path it took, the first search as `timeline list
      --search` runs it (a scan of the text, no index), the word index build, a search keystroke (a word
      typed letter by letter, each narrowing the last; median and 95th percentile), and the peak resident
      memory of a process that loads the file (and then builds the index), beside the file's size.
      Ratios are to the canonical shape. Files are generated into --cache and kept. Every file is read once
      before the loads, and how much of it is in the page cache (mincore) is printed before and after that
      read and after every first search, so that a figure read from the disk is seen for what it is. The
      shapes are measured in rounds, each shape once a round, so that a slow spell of the (shared) machine
      weighs on every shape alike.
      """
  )

  @Option(help: "Number of events.") var events = 1_000_000
  @Option(help: "Random seed for the generated files.") var seed: UInt64 = 1
  @Option(help: "Shapes, comma-separated (default: all).") var shapes: String?
  @Option(help: "Loads per shape (the first search and the index build are measured on as many).") var loads = 5
  @Option(help: "Word searched and typed.") var word = "serveur"
  @Option(help: "Directory for generated files.") var cache: String?
  @Flag(help: "Measure the load and the first search only (no index build, keystrokes or peak memory).") var loadAndSearchOnly = false

  struct Row {
    var shape: Generator.Shape
    var fileMB: Double
    var route: String
    var load: [Double]
    var firstSearch: [Double]
    var indexBuild: [Double]
    var keystrokes: [Double]
    var peakLoadMB: Double?
    var peakIndexMB: Double?
    var matches: Int
    /// The least of the file found in the page cache after a first search (nil: not known).
    var resident: Double?
  }

  func run() throws {
    let chosen = try shapes.map { list in
      try list.split(separator: ",").map { name in
        guard let s = Generator.Shape(rawValue: String(name)) else {
          throw ValidationError("unknown shape \(name); shapes are \(Generator.Shape.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return s
      }
    } ?? Generator.Shape.allCases
    let dir = cache ?? (NSTemporaryDirectory() + "timeline-bench")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var paths: [String] = []
    for shape in chosen {
      // The canonical file has the name `run` gives it, so both commands share it.
      let path = shape == .canonical ? "\(dir)/\(events)-\(seed).json" : "\(dir)/\(events)-\(seed)-\(shape.rawValue).json"
      if !FileManager.default.fileExists(atPath: path) {
        log("generating \(events) events, \(shape.rawValue), into \(path)…")
        Generator(events: events, seed: seed).write(to: try openForWriting(path + ".part"), shape: shape)
        try FileManager.default.moveItem(atPath: path + ".part", toPath: path)
      }
      paths.append(URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
    }
    // Every file read once into the page cache first, so that no shape is measured from the disk.
    var rows: [Row] = []
    for (shape, path) in zip(chosen, paths) {
      let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
      let before = PageCache.residentFraction(path)
      if let file = FileText(path: path) {
        var offset = 0
        while case let chunk = file.bytes(offset..<offset + (16 << 20)), !chunk.isEmpty { offset += chunk.count }
      }
      log("\(shape.rawValue): in the page cache \(pct(before)) before reading it once, \(pct(PageCache.residentFraction(path))) after")
      rows.append(
        Row(
          shape: shape, fileMB: Double(size) / 1_048_576, route: "", load: [], firstSearch: [], indexBuild: [], keystrokes: [],
          matches: 0))
    }
    // In rounds, each shape once per round, so that the machine getting slower or faster for a while
    // (it is shared) weighs on every shape alike rather than on the ones measured then.
    for round in 0..<max(1, loads) {
      log("round \(round + 1) of \(max(1, loads))")
      for k in rows.indices { try measure(&rows[k], path: paths[k]) }
    }
    if !loadAndSearchOnly {
      let run = RunCommand()
      for k in rows.indices {
        rows[k].peakLoadMB = run.childPeakKB(path: paths[k], extra: []).map { Double($0) / 1024 }
        rows[k].peakIndexMB = run.childPeakKB(path: paths[k], extra: ["--search"]).map { Double($0) / 1024 }
      }
    }
    printTable(rows)
  }

  func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
  func pct(_ f: Double?) -> String { f.map { String(format: "%.1f %%", $0 * 100) } ?? "?" }

  /// One load of the shape's file, its first search, and (unless --load-and-search-only) the word
  /// index build and, the first time, the keystrokes; added to `row`.
  func measure(_ row: inout Row, path: String) throws {
    let query = Query(text: word)
    // One timeline at a time: the last goes before the next is loaded.
    var timings = TimelineLoader.Timings()
    var start = Date()
    let t = try TimelineLoader.load(path: path, timings: &timings)
    row.load.append(Date().timeIntervalSince(start))
    row.route = timings.path
    start = Date()
    let scanned = t.evaluate(query, textSearch: .scan)
    row.matches = scanned.count
    row.firstSearch.append(Date().timeIntervalSince(start))
    let resident = PageCache.residentFraction(path)
    if let resident { row.resident = min(row.resident ?? 1, resident) }
    log(
      String(
        format: "  %@: load %.3f s, first search %.3f s (in the page cache after: %@)", row.shape.rawValue, row.load.last!,
        row.firstSearch.last!, pct(resident)))
    if loadAndSearchOnly { return }
    start = Date()
    _ = t.searchIndex
    row.indexBuild.append(Date().timeIntervalSince(start))
    // Not timed: the word index answers what the scan of the text answered.
    precondition(t.evaluate(query) == scanned, "the word index and the scan disagree on \(word) in \(row.shape.rawValue)")
    if row.keystrokes.isEmpty {
      let letters = Array(word.dropLast())
      for _ in 0..<5 {
        var previous: (query: Query, result: [UInt32])?
        for k in 1...letters.count {
          let q = Query(text: String(letters[0..<k]))
          start = Date()
          let r = t.evaluate(q, narrowing: previous)
          row.keystrokes.append(Date().timeIntervalSince(start))
          previous = (q, r)
        }
      }
    }
  }

  func printTable(_ rows: [Row]) {
    func median(_ a: [Double]) -> Double { RunCommand.percentile(a.sorted(), 0.5) }
    func p95(_ a: [Double]) -> Double { RunCommand.percentile(a.sorted(), 0.95) }
    let base = rows.first { $0.shape == .canonical }
    func ratio(_ value: Double, _ baseValue: Double?) -> String {
      guard let baseValue, baseValue > 0 else { return "" }
      return String(format: " (%.2f×)", value / baseValue)
    }
    print("\(events) events, seed \(seed); medians of \(max(1, loads)) (keystrokes: 5 × \(word.count - 1) letters); ratios to canonical")
    print("| shape | file | in page cache | path | load | first search | index build | keystroke median / p95 | peak after load | peak with index |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows {
      let load = median(r.load), search = median(r.firstSearch)
      var cells = [r.shape.rawValue, String(format: "%.0f MB", r.fileMB), pct(r.resident), r.route]
      cells.append(String(format: "%.3f s", load) + ratio(load, base.map { median($0.load) }))
      cells.append(String(format: "%.3f s", search) + ratio(search, base.map { median($0.firstSearch) }))
      cells.append(String(format: "%.2f s", median(r.indexBuild)))
      cells.append(String(format: "%.2f / %.2f ms", median(r.keystrokes) * 1000, p95(r.keystrokes) * 1000))
      for peak in [r.peakLoadMB, r.peakIndexMB] {
        cells.append(peak.map { String(format: "%.0f MB (%.2f× file)", $0, $0 / r.fileMB) } ?? "?")
      }
      print("| " + cells.joined(separator: " | ") + " |")
    }
    // The same ratio paired by round (each shape's load over canonical's in the same round), which a
    // slow spell of the shared machine moves less than a ratio of medians: its median, its range, and
    // how many rounds were above the goal's 1.25×.
    if let base, base.load.count > 1 {
      print("load ratio to canonical, paired by round (\(base.load.count) rounds):")
      print("| shape | median | lowest – highest | rounds above 1.25× |")
      print("| --- | ---: | ---: | ---: |")
      for r in rows where r.shape != .canonical && r.load.count == base.load.count {
        let ratios = zip(r.load, base.load).map { $0 / $1 }.sorted()
        let above = ratios.filter { $0 > 1.25 }.count
        print(String(format: "| %@ | %.2f× | %.2f× – %.2f× | %d of %d |", r.shape.rawValue, median(ratios), ratios.first!, ratios.last!, above, ratios.count))
      }
    }
    if let base, rows.contains(where: { median($0.firstSearch) > 0 }) {
      let counts = Set(rows.map(\.matches))
      print("in page cache: the least of the file found there (mincore) after a first search; every file was read once before the loads, which went in rounds (each shape once a round)")
      print("\"\(word)\" matched \(base.matches) events" + (counts.count == 1 ? " in every shape" : "; other shapes: \(rows.map(\.matches))"))
    }
  }
}
