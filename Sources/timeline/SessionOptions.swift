import ArgumentParser
import Foundation
import TimelineCore

/// `list --marked` and `--session`: the explorer's view of a file, from the command line.
struct SessionOptions: ParsableArguments {
  @Flag(name: .long, help: "Only the events you marked in the explorer (m) on this file (in the explorer: only those listed).")
  var marked = false

  @Flag(
    name: .long,
    help: "Start from the explorer's last session on this file: its filters, its search when it filters, and marked-only when on; the options given here narrow it further. Your marks and notes are written too (as x- fields in json).")
  var session = false

  var isUsed: Bool { marked || session }

  /// The session of the data file, read without changing anything: a missing one is an empty session
  /// (said on standard error), an unusable one an error (exit 65) that says where it is.
  static func readSession(dataFile: String?) throws -> Session {
    guard let directory = StateDirectory(environment: ProcessInfo.processInfo.environment) else {
      Output.error("no session: neither XDG_STATE_HOME nor HOME is set")
      throw ExitCode(66)
    }
    let store = SessionStore(directory: directory, dataFile: dataFile)
    switch store.load(setAside: false) {
    case .none:
      Output.error("no session for \(dataFile ?? "the bundled case") yet (marks and notes are made in the explorer)")
      return Session()
    case .restored(let s):
      return s
    case .setAside(let reason, _), .unusable(let reason):
      Output.error("the session file \(store.path) is \(reason); the explorer sets it aside when it opens this file")
      throw ExitCode(65)
    }
  }

  /// The events to print and the annotations to print with them, or nil when neither option is given.
  func apply(to timeline: Timeline, query: Query, dataFile: String?) throws -> (events: [UInt32], annotations: AnnotationIndex)? {
    guard isUsed else { return nil }
    if dataFile == "-" {
      Output.error("--marked and --session need a data file: standard input has no session")
      throw ExitCode(64)
    }
    let s = try Self.readSession(dataFile: dataFile)
    let annotations = AnnotationIndex(s.annotations, in: timeline)
    if !annotations.missingMarks.isEmpty {
      let n = annotations.missingMarks.count
      Output.error("\(n) marked event\(n == 1 ? " is" : "s are") no longer in the file: \(annotations.missingMarks.joined(separator: ", "))")
    }
    var q = query
    if session {
      // The session's filters first; the command line's values are added to them.
      let saved = s.shownQuery
      for facet in Facet.allCases {
        var f = saved[facet]
        for key in query[facet].included { f.set(key, .on) }
        for key in query[facet].excluded { f.set(key, .excluded) }
        q[facet] = f
      }
      q.from = query.from ?? saved.from
      q.to = query.to ?? saved.to
      if query.text.isEmpty {
        q.text = saved.text
        q.regex = saved.regex
      }
    }
    var events = timeline.evaluate(q, narrowing: nil, textSearch: .scan, userNotes: annotations.notes)
    if marked || (session && s.markedOnly) { events = annotations.onlyMarked(events) }
    return (events, annotations)
  }
}
