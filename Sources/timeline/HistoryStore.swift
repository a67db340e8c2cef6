import Foundation
import TimelineCore
import TimelineUI

/// Where the prompts' history of one data file is kept between runs: a small JSON file under
/// `$XDG_STATE_HOME/timeline/history/` (or `~/.local/state/timeline/history/`), named after the data
/// file and a hash of its full path, so each file has its own.
///
/// Reading never fails the explorer (a missing, unreadable or corrupt file is an empty history), and
/// writing is atomic (`AtomicFile`).
struct HistoryStore {
  let path: String

  /// The store for a data file (`nil`: the bundled case); nil when no state directory can be found.
  init?(dataFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
    guard let directory = StateDirectory(environment: environment) else { return nil }
    path = directory.file("history", forDataFile: dataFile)
  }

  func load() -> History {
    guard let handle = FileHandle(forReadingAtPath: path) else { return History() }
    defer { try? handle.close() }
    // A history is a few kilobytes; anything far larger is not ours.
    guard let data = try? handle.read(upToCount: 1 << 20) else { return History() }
    return History(json: data)
  }

  /// Writes the history; failures are ignored (a read-only home must not stop the explorer).
  func save(_ history: History) {
    try? AtomicFile.makeDirectory(AtomicFile.parent(of: path))
    try? AtomicFile.write(Array(history.json), to: path, permissions: 0o600)
  }
}
