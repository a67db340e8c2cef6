import Foundation
import TimelineCore

/// What the explorer needs from the world to carry out its effects. The terminal program and the
/// tests each give one; `Runtime` carries out every effect the same way for both, so an effect is
/// written once.
public protocol ExplorerServices: AnyObject {
  /// Runs a search: returns its answer now, or nil when it runs in the background (the answer then
  /// comes back as `.searchFinished`).
  func search(_ request: SearchRequest, on timeline: Timeline, previous: SearchResult?) -> SearchResult?
  /// Counts a picker's values under the other filters: returns the answer now, or nil when they are
  /// counted in the background (the answer then comes back as `.facetCounted`).
  func countFacet(_ request: FacetCountRequest, on timeline: Timeline) -> FacetCount?
  /// Starts reading the data file again; the outcome comes back as `.reloaded`.
  func reload()
  /// Writes control bytes to the terminal, between two frames (the clipboard's OSC 52).
  func sendToTerminal(_ bytes: [UInt8])
  /// Starts the system's opener on an address: nil when started, else what went wrong. How it ends
  /// may come back later as `.said`.
  func open(_ url: String) -> String?
  /// Saves the session: nil, or what went wrong.
  func saveSession(_ session: Session) -> String?
  func saveHistory(_ history: History)
  /// Repaints the whole screen at the next frame.
  func redraw()
  /// Whether the terminal is inside tmux (the clipboard sequence is then also sent through it).
  var inTmux: Bool { get }
}

extension ExplorerServices {
  /// At once, on the calling thread.
  public func countFacet(_ request: FacetCountRequest, on timeline: Timeline) -> FacetCount? { request.run(on: timeline) }
}

/// The explorer's runtime: feeds actions to `update` and carries out the effects it asks for, until
/// it asks to quit. It also notes the selected event's id as the selection moves, which a reload and
/// the session need once the data file can no longer be asked.
public struct Runtime {
  public private(set) var state: AppState
  public let services: any ExplorerServices
  private var lastResult: SearchResult?
  private var notedEvent: UInt32?
  private var notedTimeline: ObjectIdentifier?
  /// What went wrong saving the session when quitting, to say once the screen is given back.
  public private(set) var quitProblem: String?

  public init(state: AppState, services: any ExplorerServices) {
    self.state = state
    self.services = services
    noteSelection()
  }

  /// Handles one action and every effect it leads to; false once the explorer should end.
  public mutating func handle(_ action: Action) -> Bool {
    if case .searchFinished(let r) = action { lastResult = r }
    if case .reloaded(let r) = action, case .loaded = r.outcome { lastResult = nil }
    var effects = update(&state, action)
    defer { noteSelection() }
    while !effects.isEmpty {
      let effect = effects.removeFirst()
      switch effect {
      case .quit:
        noteSelection()
        quitProblem = services.saveSession(state.session()).map { "cannot save the session: \($0)" }
        return false
      case .redraw: services.redraw()
      case .search(let request):
        if let result = services.search(request, on: state.timeline, previous: lastResult) {
          lastResult = result
          effects += update(&state, .searchFinished(result))
        }
      case .countFacet(let request):
        if let result = services.countFacet(request, on: state.timeline) { effects += update(&state, .facetCounted(result)) }
      case .saveHistory(let h): services.saveHistory(h)
      case .copy(let text):
        let bytes = ControlSequence.clipboard(text, inTmux: services.inTmux)
        if text.utf8.count > ControlSequence.clipboardLimit {
          effects += update(&state, .said("too long for the clipboard (\(text.utf8.count) bytes)"))
        } else {
          services.sendToTerminal(bytes)
        }
      case .open(let url):
        if let problem = services.open(url) { effects += update(&state, .said(problem)) }
      case .export(let request):
        effects += update(&state, export(request))
      case .saveSession:
        noteSelection()
        if let problem = services.saveSession(state.session()) { effects += update(&state, .said("cannot save the session: \(problem)")) }
      case .reload: services.reload()
      }
    }
    return true
  }

  /// Keeps the selected event's id while the file can still be read (one read per move).
  private mutating func noteSelection() {
    let e = state.selectedEvent
    let t = ObjectIdentifier(state.timeline)
    guard e != notedEvent || t != notedTimeline else { return }
    notedEvent = e
    notedTimeline = t
    if let e, let id = state.eventID(e) { state.user.selectedID = id } else if e == nil { state.user.selectedID = nil }
  }

  /// Writes the listed events in the format of the request: exactly what `timeline list` prints with
  /// the same filters (`--session`), marks and notes included.
  func export(_ request: ExportRequest) -> Action {
    var path = request.path
    if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { path = home + path.dropFirst(1) }
    switch AtomicFile.existing(path) {
    case .nothing: break
    case .file: if !request.overwrite { return .exportWouldReplace(request) }
    case .symbolicLink: return .said("\(request.path) is a symbolic link: not replaced; choose another name")
    case .directory: return .said("\(request.path) is a folder: give a file name")
    case .other: return .said("\(request.path) is not a regular file: not replaced")
    }
    let text = request.format.render(state.timeline, events: state.results, annotations: state.user.index)
    do {
      try AtomicFile.write(text, to: path)
    } catch {
      return .said(error.description)
    }
    let n = state.results.count
    var said = "wrote \(n) event\(n == 1 ? "" : "s") to \(request.path) (\(request.format.rawValue))"
    if let left = request.format.omissions(state.timeline, events: state.results) { said += "; " + left }
    return .said(said)
  }
}
