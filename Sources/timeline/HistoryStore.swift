import Foundation
import TimelineUI

#if canImport(Glibc)
  import Glibc
#endif

/// Where the prompts' history of one data file is kept between runs: a small JSON file under
/// `$XDG_STATE_HOME/timeline/history/` (or `~/.local/state/timeline/history/`), named after the data
/// file and a hash of its full path, so each file has its own.
///
/// Reading never fails the explorer (a missing, unreadable or corrupt file is an empty history), and
/// writing is atomic: a new file in the same directory, then a rename over the old one, which replaces
/// a symbolic link there rather than writing through it.
struct HistoryStore {
  let url: URL

  /// The store for a data file (`nil`: the bundled case); nil when no state directory can be found.
  init?(dataFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
    let base: URL
    if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
      base = URL(fileURLWithPath: state)
    } else if let home = environment["HOME"], home.hasPrefix("/") {
      base = URL(fileURLWithPath: home).appendingPathComponent(".local/state")
    } else {
      return nil
    }
    let name: String
    if let dataFile {
      let full = URL(fileURLWithPath: dataFile).standardizedFileURL.resolvingSymlinksInPath().path
      // FNV-1a: a stable name for the path (Swift's own hashes change from run to run).
      var hash: UInt64 = 0xcbf2_9ce4_8422_2325
      for b in full.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
      let stem = URL(fileURLWithPath: full).lastPathComponent.unicodeScalars
        .map { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) ? String($0) : "_" }
        .joined().prefix(40)
      name = "\(stem)-\(String(hash, radix: 16)).json"
    } else {
      name = "bundled-sparks-group.json"
    }
    url = base.appendingPathComponent("timeline/history/\(name)")
  }

  func load() -> History {
    guard let handle = FileHandle(forReadingAtPath: url.path) else { return History() }
    defer { try? handle.close() }
    // A history is a few kilobytes; anything far larger is not ours.
    guard let data = try? handle.read(upToCount: 1 << 20) else { return History() }
    return History(json: data)
  }

  /// Writes the history; failures are ignored (a read-only home must not stop the explorer).
  func save(_ history: History) {
    let dir = url.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
    let data = history.json
    let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let synced = fsync(fd) == 0
    close(fd)
    guard written == data.count, synced, rename(temp.path, url.path) == 0 else {
      unlink(temp.path)
      return
    }
  }
}
