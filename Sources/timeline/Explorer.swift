import ArgumentParser
import BundledTimeline
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
  /// From this many events, searches leave the input thread (as pickers' counts do: one threshold).
  static let backgroundSearchThreshold = AppState.backgroundCountThreshold

  /// Opens the terminal, loads the data (showing progress when that takes a while), then runs.
  static func run(data: DataOptions, filters: FilterOptions, colors: Bool, mouse: Bool, fresh: Bool, watch: Bool, markedOnly: Bool) throws {
    let importing = try data.importing.options()
    // Taken before reading, so that a change made while the file is read is seen afterwards.
    var setup = Setup(
      dataFile: data.data, importing: importing, colors: colors, mouse: mouse, fresh: fresh, watch: watch, markedOnly: markedOnly,
      stamp: data.data.flatMap { $0 == "-" ? nil : FileStamp(path: $0) })
    // The bundled case and small files load in milliseconds: no need to open the screen first.
    if data.data == nil || data.data == "-" || (fileSize(data.data!) ?? 0) < TimelineLoader.streamingThreshold {
      let timeline = try data.load()
      try run(timeline: timeline, query: try filters.query(for: timeline), setup: setup)
      return
    }
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal(options: .init(colors: colors, mouse: mouse, hyperlinks: hyperlinks))
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
    StartupTrace.mark("load-seen")
    // Said once the screen is given back: messages printed now would be drawn over.
    defer { ImportArguments.reportSkipped(result, path: data.data!) }
    let query: Query
    do {
      query = try filters.query(for: timeline)
    } catch {
      terminal.shutdown()
      throw error
    }
    setup.typedAhead = typedAhead
    try run(timeline: timeline, query: query, terminal: terminal, setup: setup)
  }

  /// Whether to send links as OSC 8 hyperlinks: TIMELINE_HYPERLINKS=0 or 1 decides; otherwise yes,
  /// but on the Linux console and dumb terminals, which print unknown sequences instead of ignoring
  /// them as terminals without hyperlinks do.
  static var hyperlinks: Bool {
    let env = ProcessInfo.processInfo.environment
    if let forced = env["TIMELINE_HYPERLINKS"], !forced.isEmpty { return forced != "0" }
    let term = env["TERM"] ?? ""
    return !(term == "linux" || term == "dumb" || term.hasPrefix("vt") || term.isEmpty)
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
        StartupTrace.mark("loaded")
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
      // terminal's size then anyway); Ctrl-C is a signal and ends the process cleanly. A short wait, so
      // that the first screen follows the end of the load closely.
      if let action = terminal.nextAction(timeoutMilliseconds: 10), case .key = action { typedAhead.append(action) }
    }
  }

  static func run(timeline: Timeline, query: Query, setup: Setup) throws {
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal(options: .init(colors: setup.colors, mouse: setup.mouse, hyperlinks: hyperlinks))
    } catch {
      Output.error("cannot open the explorer: \(error)")
      throw ExitCodeError.cannotOpen
    }
    try run(timeline: timeline, query: query, terminal: terminal, setup: setup)
  }

  /// What the explorer was asked for besides the timeline and filters.
  struct Setup {
    var dataFile: String?
    var importing: ImportOptions
    var colors: Bool
    var mouse: Bool
    /// `--fresh`: no filters, search or position from the last session (marks and notes stay).
    var fresh: Bool
    /// `--no-watch`: the data file is not watched for changes.
    var watch: Bool
    /// `--marked`: only the marked events listed.
    var markedOnly: Bool
    var typedAhead: [Action] = []
    /// The stamp of the data file just before it was read.
    var stamp: FileStamp?
  }

  static func run(timeline: Timeline, query: Query, terminal: NcursesTerminal, setup: Setup) throws {
    // A search given at launch or restored is asked by `.start` below: in the background on a large
    // timeline, so the first screen does not wait for it (reading ten million events' text takes 3 s).
    var state = AppState(
      timeline: timeline, size: terminal.size, query: query, colorEnabled: setup.colors, mouseEnabled: setup.mouse, searchNow: false)
    StartupTrace.mark("state")
    // Standard input has no name to keep state under.
    let dataFile = setup.dataFile == "-" ? nil : setup.dataFile
    let persistent = setup.dataFile != "-"
    let history = persistent ? HistoryStore(dataFile: dataFile) : nil
    state.history = history?.load() ?? History()
    // TimelineCommand has read the configuration already (and stopped on a bad one).
    if let config = try? Config.current() {
      state.bindings = config.bindings
      state.theme = config.theme
    }
    state.user.dataName = setup.dataFile
    let services = TerminalServices(
      terminal: terminal, timeline: timeline, dataFile: dataFile, importing: setup.importing, history: history,
      sessions: persistent ? StateDirectory(environment: ProcessInfo.processInfo.environment).map { SessionStore(directory: $0, dataFile: dataFile) } : nil,
      watch: setup.watch, stamp: setup.stamp)
    state.message = services.restoreSession(into: &state, fresh: setup.fresh, commandLineFilters: !query.isEmpty)
    StartupTrace.mark("session")
    if setup.markedOnly && !state.user.markedOnly { state.showMarkedOnly() }
    var runtime = Runtime(state: state, services: services)
    defer {
      terminal.shutdown()
      if let problem = runtime.quitProblem { Output.error(problem) }
    }
    _ = runtime.handle(.start)
    let first = view(runtime.state)
    StartupTrace.mark("view")
    terminal.draw(first)
    StartupTrace.mark("drawn")
    // Build the search index while the user looks at the first screen (not before it: on a machine
    // with two cores it would take one from the first frame), once a search given at launch or
    // restored has been answered (by reading the text, which the build would slow down).
    var indexStarted = timeline.count < backgroundSearchThreshold
    func startIndex() {
      guard !indexStarted, runtime.state.search?.unanswered != true else { return }
      indexStarted = true
      Thread.detachNewThread { _ = timeline.searchIndex }
    }
    startIndex()
    var pending = setup.typedAhead
    while true {
      let action = pending.isEmpty ? terminal.nextAction(timeoutMilliseconds: services.waitMilliseconds) : pending.removeFirst()
      var actions: [Action] = action.map { [$0] } ?? []
      actions += services.takeActions()
      if actions.isEmpty { continue }
      for a in actions where !runtime.handle(a) { return }
      terminal.draw(view(runtime.state))
      services.afterDraw()
      startIndex()
    }
  }
}

/// The explorer's world: the terminal, searches in the background for large timelines, the opener,
/// the session and history files, and the data file watched for changes. Work done on other threads
/// comes back as actions through `takeActions`.
final class TerminalServices: ExplorerServices {
  let terminal: NcursesTerminal
  let dataFile: String?
  let importing: ImportOptions
  let history: HistoryStore?
  let sessions: SessionStore?
  let inTmux = ProcessInfo.processInfo.environment["TMUX"].map { !$0.isEmpty } ?? false
  private let searcher = NewestOnly<SearchJob, SearchResult> { $0.request.run(on: $0.timeline.timeline, previous: $0.previous) }
  private let counter = NewestOnly<CountJob, FacetCount> { $0.request.run(on: $0.timeline.timeline) }
  /// Where other threads leave their answers.
  private final class Mailroom: Sendable {
    let inbox = Mutex<[Action]>([])
    /// Work under way on other threads (a reload, an opener), so the loop looks in often.
    let busy = Atomic<Int>(0)
    /// A finished reload's fingerprint of the file it read (nil inside when it cannot be read).
    let reloadDone = Mutex<FileFingerprint??>(nil)

    func post(_ action: Action) { inbox.withLock { $0.append(action) } }
  }
  private let mail = Mailroom()
  private var watch: FileWatch?
  private var lastCheck = ContinuousClock.now
  private var reloading = false
  /// False when the session file found could not be set aside: it must not be saved over.
  private var mayWriteSession = true
  private var fingerprint: FileFingerprint?
  private var pendingControl: [UInt8] = []
  private let environment = ProcessInfo.processInfo.environment

  /// Data files checked for changes this often (one `stat`, never a read).
  static let watchInterval = Duration.milliseconds(500)

  init(
    terminal: NcursesTerminal, timeline: Timeline, dataFile: String?, importing: ImportOptions, history: HistoryStore?,
    sessions: SessionStore?, watch: Bool, stamp: FileStamp?
  ) {
    self.terminal = terminal
    self.dataFile = dataFile
    self.importing = importing
    self.history = history
    self.sessions = sessions
    if let dataFile, watch { self.watch = FileWatch(path: dataFile, loaded: stamp) }
  }

  /// How long the loop may wait for a key: briefly while work runs elsewhere, long enough between two
  /// looks at the data file, or forever.
  var waitMilliseconds: Int32 {
    // A picker's counts take tens of milliseconds: looked for often, so they show soon after they are ready.
    if counter.isBusy { return 5 }
    if searcher.isBusy { return 15 }
    if mail.busy.load(ordering: .relaxed) > 0 { return 100 }
    return watch != nil ? 500 : -1
  }

  /// Answers from other threads, and the data file's news when it is time to look.
  func takeActions() -> [Action] {
    var out: [Action] = []
    if let result = searcher.takeAnswer() { out.append(.searchFinished(result)) }
    if let counted = counter.takeAnswer() { out.append(.facetCounted(counted)) }
    out += mail.inbox.withLock { box in
      defer { box = [] }
      return box
    }
    let now = ContinuousClock.now
    if var w = watch, !reloading, now - lastCheck >= Self.watchInterval {
      lastCheck = now
      switch w.check() {
      case .none: break
      case .gone: out.append(.reloaded(Reload(.gone)))
      case .changed(let stamp):
        watch = w
        startReload(stamp)
        return out
      }
      watch = w
    }
    return out
  }

  private func post(_ action: Action) { mail.post(action) }

  // MARK: ExplorerServices

  func search(_ request: SearchRequest, on timeline: Timeline, previous: SearchResult?) -> SearchResult? {
    if timeline.count >= Explorer.backgroundSearchThreshold {
      searcher.submit(SearchJob(request: request, timeline: TimelineValue(timeline), previous: previous))
      return nil
    }
    return request.run(on: timeline, previous: previous)
  }

  /// A picker's counts: `update` asks only when they take a while (a large timeline), so always in
  /// the background.
  func countFacet(_ request: FacetCountRequest, on timeline: Timeline) -> FacetCount? {
    counter.submit(CountJob(request: request, timeline: TimelineValue(timeline)))
    return nil
  }

  func reload() {
    guard let dataFile else {
      post(.said("standard input and the bundled case cannot be read again"))
      return
    }
    guard !reloading else { return }
    startReload(FileStamp(path: dataFile))
  }

  /// Reads the data file again on another thread (as it was first read, importers included).
  private func startReload(_ stamp: FileStamp?) {
    guard let path = dataFile else { return }
    reloading = true
    watch?.accept(stamp)
    mail.busy.add(1, ordering: .relaxed)
    let importing = importing
    let mail = mail
    Thread.detachNewThread {
      let outcome: Reload.Outcome
      do throws(TimelineLoader.Failure) {
        let t = try TimelineImport.load(path: path, options: importing, loader: TimelineLoader.Options()).timeline
        if t.count >= Explorer.backgroundSearchThreshold { _ = t.searchIndex }
        outcome = .loaded(TimelineValue(t))
      } catch {
        switch error {
        case .invalid(let f): outcome = .invalid(problems: f.diagnostics.map(\.description), total: f.diagnostics.count + f.omitted)
        case .cannotRead(let e): outcome = FileStamp(path: path) == nil ? .gone : .unreadable(e.description)
        case .cancelled: outcome = .unreadable("cancelled")
        }
      }
      let print = FileFingerprint(path: path)
      mail.post(.reloaded(Reload(outcome)))
      mail.reloadDone.withLock { $0 = .some(print) }
      mail.busy.add(-1, ordering: .relaxed)
    }
  }

  /// After each frame: control sequences waiting to be sent, and a finished reload's bookkeeping.
  func afterDraw() {
    if let done = mail.reloadDone.withLock({ box -> FileFingerprint?? in
      defer { box = nil }
      return box
    }) {
      reloading = false
      if let print = done { fingerprint = print }
    }
    if !pendingControl.isEmpty {
      terminal.send(pendingControl)
      pendingControl = []
    }
  }

  func sendToTerminal(_ bytes: [UInt8]) { pendingControl += bytes }

  func open(_ url: String) -> String? {
    mail.busy.add(1, ordering: .relaxed)
    let mail = mail
    let problem = SystemOpener.open(url, environment: environment) { failure in
      if let failure { mail.post(.said(failure)) }
      mail.busy.add(-1, ordering: .relaxed)
    }
    if problem != nil { mail.busy.add(-1, ordering: .relaxed) }
    return problem
  }

  func saveSession(_ session: Session) -> String? {
    guard let sessions, mayWriteSession else { return nil }
    var s = session
    s.fingerprint = fingerprint
    do {
      try sessions.save(s)
      return nil
    } catch {
      return error.description
    }
  }

  func saveHistory(_ h: History) { history?.save(h) }

  func redraw() { terminal.invalidate() }

  // MARK: Sessions

  /// Restores where the user left this file (or only the marks and notes, under `--fresh` or with
  /// filters on the command line); returns what to say.
  func restoreSession(into state: inout AppState, fresh: Bool, commandLineFilters: Bool) -> String? {
    if let dataFile {
      fingerprint = FileFingerprint(path: dataFile)
    } else {
      fingerprint = FileFingerprint(bytes: BundledTimeline.sparksGroup)
    }
    guard let sessions else { return nil }
    switch sessions.load() {
    case .none:
      return nil
    case .setAside(let reason, let movedTo):
      return "the session file was \(reason): set aside as \(movedTo); starting afresh"
    case .unusable(let reason):
      mayWriteSession = false
      return "the session cannot be read (\(reason)); it will not be saved over"
    case .restored(let s):
      var said: String
      if fresh || commandLineFilters {
        let kept = state.restoreAnnotations(s.annotations)
        said = (fresh ? "afresh (--fresh)" : "filters from the command line") + (kept.isEmpty ? "" : "; kept " + kept)
      } else {
        said = state.restore(s, searchNow: false)
      }
      if let old = s.fingerprint, let now = fingerprint, old != now { said = "the file changed since last time; " + said }
      return said
    }
  }
}

/// Runs the newest job on a background thread and holds its answer for the input loop: a job not yet
/// started when a newer one comes is dropped (its question is no longer asked), as the background
/// searches and picker counts need.
final class NewestOnly<Job: Sendable, Answer: Sendable>: Sendable {
  private struct Mailbox {
    var pending: Job?
    var answer: Answer?
    var running = false
  }
  private let mailbox = Mutex(Mailbox())
  private let work: @Sendable (Job) -> Answer

  init(_ work: @escaping @Sendable (Job) -> Answer) { self.work = work }

  var isBusy: Bool { mailbox.withLock { $0.running || $0.pending != nil || $0.answer != nil } }

  func submit(_ job: Job) {
    let start = mailbox.withLock { box -> Bool in
      box.pending = job
      if box.running { return false }
      box.running = true
      return true
    }
    if start { Thread.detachNewThread { [self] in run() } }
  }

  private func run() {
    while true {
      guard let job = mailbox.withLock({ box -> Job? in
        let p = box.pending
        box.pending = nil
        if p == nil { box.running = false }
        return p
      }) else { return }
      let answer = work(job)
      mailbox.withLock { $0.answer = answer }
    }
  }

  func takeAnswer() -> Answer? {
    mailbox.withLock { box in
      let a = box.answer
      box.answer = nil
      return a
    }
  }
}

/// A search to run in the background: the request, on which timeline, narrowing which answer.
struct SearchJob: Sendable {
  var request: SearchRequest
  var timeline: TimelineValue
  var previous: SearchResult?
}

/// Picker counts to find in the background.
struct CountJob: Sendable {
  var request: FacetCountRequest
  var timeline: TimelineValue
}

enum ExitCodeError: Error { case cannotOpen }
