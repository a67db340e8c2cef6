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

  static func run(timeline: Timeline, query: Query, colors: Bool, mouse: Bool) throws {
    let terminal: NcursesTerminal
    do {
      terminal = try NcursesTerminal(options: .init(colors: colors, mouse: mouse))
    } catch {
      Output.error("cannot open the explorer: \(error)")
      throw ExitCodeError.cannotOpen
    }
    defer { terminal.shutdown() }
    var state = AppState(timeline: timeline, size: terminal.size, query: query, colorEnabled: colors, mouseEnabled: mouse)
    let searcher = BackgroundSearcher(timeline: timeline)
    let background = timeline.count >= backgroundSearchThreshold
    if background {
      // Build the search index while the user looks at the first screen.
      Thread.detachNewThread { _ = timeline.searchIndex }
    }
    var lastResult: SearchResult?
    terminal.draw(view(state))
    while true {
      let action = terminal.nextAction(timeoutMilliseconds: searcher.isBusy ? 15 : -1)
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
