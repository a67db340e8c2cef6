import ArgumentParser
import Foundation
import NcursesTerminal
import Synchronization
import TimelineCore
import TimelineUI

/// The explorer's run loop: reads actions from the terminal, feeds them to `update`, performs the
/// effects it asks for, and draws `view` after each change.
///
/// Searches over large timelines run on a background thread so that typing is echoed at once; only the
/// newest request is run (older ones are dropped), and its result comes back as an action.
enum Explorer {
  /// Above this many events, searches leave the input thread.
  static let backgroundSearchThreshold = 20_000

  /// Opens the terminal, loads the data (showing progress when that takes a while), then runs.
  static func run(data: DataOptions, filters: FilterOptions, colors: Bool, mouse: Bool) throws {
    // The bundled case and small files load in milliseconds: no need to open the screen first.
    if data.data == nil || (fileSize(data.data!) ?? 0) < TimelineLoader.streamingThreshold {
      let timeline = try data.load()
      try run(timeline: timeline, query: try filters.query(for: timeline), colors: colors, mouse: mouse, history: HistoryStore(dataFile: data.data))
      return
    }
    let importing = try data.importing.options()
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal(options: .init(colors: colors, mouse: mouse))
    } catch {
      Output.error("cannot open the explorer: \(error)")
      throw ExitCodeError.cannotOpen
    }
    let result: ImportResult
    var typedAhead: [Action] = []
    do {
      result = try load(data.data!, importing: importing, on: terminal, typedAhead: &typedAhead)
    } catch {
      // Restore the screen first, then say what went wrong.
      terminal.shutdown()
      throw error
    }
    let timeline = result.timeline
    // Said once the screen is given back: messages printed now would be drawn over.
    defer { ImportArguments.reportSkipped(result, path: data.data!) }
    let query: Query
    do {
      query = try filters.query(for: timeline)
    } catch {
      terminal.shutdown()
      throw error
    }
    try run(
      timeline: timeline, query: query, terminal: terminal, colors: colors, mouse: mouse, history: HistoryStore(dataFile: data.data),
      typedAhead: typedAhead)
  }

  static func fileSize(_ path: String) -> Int? {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
  }

  /// How long a load may take before the loading screen shows: 0.3 s, or TIMELINE_PROGRESS_DELAY_MS
  /// (the end-to-end tests set 0 so they do not depend on how fast the machine is).
  static var progressDelay: Double {
    ProcessInfo.processInfo.environment["TIMELINE_PROGRESS_DELAY_MS"].flatMap(Double.init).map { $0 / 1000 } ?? 0.3
  }

  /// Loads on a background thread; after `progressDelay` without a result, shows the share read so far.
  static func load(_ path: String, importing: ImportOptions, on terminal: NcursesTerminal, typedAhead: inout [Action]) throws -> ImportResult {
    final class Shared: Sendable {
      let progress = Atomic<Int>(0)  // per mille
      let outcome = Mutex<Result<ImportResult, TimelineLoader.Failure>?>(nil)
    }
    let shared = Shared()
    var options = TimelineLoader.Options()
    // TIMELINE_LOAD_PAUSE_MS makes each progress step wait, as a slow disk would: the end-to-end tests
    // set it so that the loading screen stays up for seconds, however fast the machine.
    let pause = ProcessInfo.processInfo.environment["TIMELINE_LOAD_PAUSE_MS"].flatMap(UInt32.init).map { min($0, 5_000) } ?? 0
    options.progress = { fraction in
      shared.progress.store(Int(fraction * 1000), ordering: .relaxed)
      if pause > 0 { usleep(pause * 1000) }
    }
    let loadOptions = options
    Thread.detachNewThread {
      let result: Result<ImportResult, TimelineLoader.Failure>
      do throws(TimelineLoader.Failure) {
        result = .success(try TimelineImport.load(path: path, options: importing, loader: loadOptions))
      } catch {
        result = .failure(error)
      }
      shared.outcome.withLock { $0 = result }
    }
    let started = Date()
    let delay = progressDelay  // read from the environment once, not on every poll
    var shown = -1
    var buffer = Buffer(size: terminal.size)
    while true {
      if let result = shared.outcome.withLock({ $0 }) {
        switch result {
        case .success(let r): return r
        case .failure(let failure):
          terminal.shutdown()
          switch failure {
          case .cannotRead(let e):
            Output.error("cannot read \(e)")
            throw ExitCode(66)
          case .invalid(let f):
            Output.errorLines(f.description)
            throw ExitCode(65)
          case .cancelled:
            throw ExitCode(130)
          }
        }
      }
      if Date().timeIntervalSince(started) > delay {
        let now = shared.progress.load(ordering: .relaxed) / 10
        if now != shown || buffer.size != terminal.size {
          shown = now
          if buffer.size != terminal.size { buffer = Buffer(size: terminal.size) }
          LoadingView.draw(file: path, fraction: Double(now) / 100, size: terminal.size, into: &buffer)
          terminal.draw(buffer)
        }
      }
      // Keys typed while loading are kept for when the timeline is there (resizes are taken from the
      // terminal's size then anyway); Ctrl-C is a signal and ends the process cleanly.
      if let action = terminal.nextAction(timeoutMilliseconds: 50), case .key = action { typedAhead.append(action) }
    }
  }

  static func run(timeline: Timeline, query: Query, colors: Bool, mouse: Bool, history: HistoryStore?) throws {
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal(options: .init(colors: colors, mouse: mouse))
    } catch {
      Output.error("cannot open the explorer: \(error)")
      throw ExitCodeError.cannotOpen
    }
    try run(timeline: timeline, query: query, terminal: terminal, colors: colors, mouse: mouse, history: history)
  }

  static func run(
    timeline: Timeline, query: Query, terminal: NcursesTerminal, colors: Bool, mouse: Bool, history: HistoryStore?,
    typedAhead: [Action] = []
  ) throws {
    defer { terminal.shutdown() }
    var state = AppState(timeline: timeline, size: terminal.size, query: query, colorEnabled: colors, mouseEnabled: mouse)
    state.history = history?.load() ?? History()
    // TimelineCommand has read the configuration already (and stopped on a bad one).
    if let config = try? Config.current() {
      state.bindings = config.bindings
      state.theme = config.theme
    }
    let searcher = BackgroundSearcher(timeline: timeline)
    let background = timeline.count >= backgroundSearchThreshold
    if background {
      // Build the search index while the user looks at the first screen.
      Thread.detachNewThread { _ = timeline.searchIndex }
    }
    var lastResult: SearchResult?
    terminal.draw(view(state))
    var pending = typedAhead
    while true {
      let action = pending.isEmpty ? terminal.nextAction(timeoutMilliseconds: searcher.isBusy ? 15 : -1) : pending.removeFirst()
      var actions: [Action] = action.map { [$0] } ?? []
      if let result = searcher.takeResult() { actions.append(.searchFinished(result)) }
      if actions.isEmpty { continue }
      for a in actions {
        if case .searchFinished(let r) = a { lastResult = r }
        var effects = update(&state, a)
        while !effects.isEmpty {
          let effect = effects.removeFirst()
          switch effect {
          case .quit: return
          case .redraw: terminal.invalidate()
          case .saveHistory(let h): history?.save(h)
          case .search(let request):
            if background {
              searcher.submit(request, previous: lastResult)
            } else {
              let result = request.run(on: timeline, previous: lastResult)
              lastResult = result
              effects += update(&state, .searchFinished(result))
            }
          }
        }
      }
      terminal.draw(view(state))
    }
  }
}

/// Runs the newest search request on a background thread and holds its result for the input loop.
final class BackgroundSearcher: Sendable {
  private struct Mailbox {
    var pending: (SearchRequest, SearchResult?)?
    var result: SearchResult?
    var running = false
  }
  private let timeline: Timeline
  private let mailbox = Mutex(Mailbox())

  init(timeline: Timeline) { self.timeline = timeline }

  var isBusy: Bool { mailbox.withLock { $0.running || $0.pending != nil || $0.result != nil } }

  func submit(_ request: SearchRequest, previous: SearchResult?) {
    let start = mailbox.withLock { box -> Bool in
      box.pending = (request, previous)
      if box.running { return false }
      box.running = true
      return true
    }
    if start { Thread.detachNewThread { [self] in work() } }
  }

  private func work() {
    while true {
      guard let (request, previous) = mailbox.withLock({ box -> (SearchRequest, SearchResult?)? in
        let p = box.pending
        box.pending = nil
        if p == nil { box.running = false }
        return p
      }) else { return }
      let result = request.run(on: timeline, previous: previous)
      mailbox.withLock { $0.result = result }
    }
  }

  func takeResult() -> SearchResult? {
    mailbox.withLock { box in
      let r = box.result
      box.result = nil
      return r
    }
  }
}

enum ExitCodeError: Error { case cannotOpen }
