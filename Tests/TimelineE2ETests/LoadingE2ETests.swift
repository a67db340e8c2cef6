import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Opening a large file: progress instead of a blank screen, Ctrl-C during the load; and a crash
/// signal, which must leave the terminal usable too.
@Suite("Loading and crashing in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct LoadingE2ETests {
  /// Writes a valid timeline of `events` events (about 400 bytes each) quickly.
  static func writeLargeTimeline(_ path: String, events: Int) throws {
    FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    var chunk = Data(
      """
      {"title": "Large synthetic timeline", "description": "For the loading screen test.",
       "sources": [{"id": "s", "title": "Synthetic", "publisher": "Test", "date": "2020", "language": "en"}],
       "events": [

      """.utf8)
    for i in 0..<events {
      let day = 1 + i % 28
      chunk.append(
        contentsOf: """
          {"id": "e\(i)", "date": "2020-\(String(format: "%02d", 1 + i % 12))-\(String(format: "%02d", day))", "title": "Synthetic event \(i) in Zürich and 東京", "summary": "A synthetic summary with accents (é, ü, ß) and a few more words to make it long enough to count.", "countries": ["FR", "CY"], "confidence": "reported", "sources": ["s"]}\(i + 1 < events ? "," : "")

          """.utf8)
      if chunk.count > 1 << 22 {
        handle.write(chunk)
        chunk.removeAll(keepingCapacity: true)
      }
    }
    chunk.append(contentsOf: "]}\n".utf8)
    handle.write(chunk)
  }

  /// Writes a 120,000-event file in `dir`, opens it, and waits for the loading screen. The screen shows
  /// after 0.3 s normally; at once here, and each of the load's ~14 progress steps waits 0.5 s (as on a
  /// slow disk), so the screen stays up for seconds whatever the machine's speed.
  static func startLoadingLargeFile(in dir: URL) async throws -> TmuxSession {
    let path = dir.appendingPathComponent("large.json").path
    try writeLargeTimeline(path, events: 120_000)
    let s = try TmuxSession.runTimeline(
      ["--data", path], environment: ["TIMELINE_PROGRESS_DELAY_MS": "0", "TIMELINE_LOAD_PAUSE_MS": "500"])
    try await s.waitUntil("the loading screen with a percentage", timeout: .seconds(20)) {
      $0.contains("Loading") && $0.contains("%") && $0.contains("Ctrl-C to cancel")
    }
    return s
  }

  @Test("a large file shows a percentage while it loads, then the explorer")
  func progressThenExplorer() async throws {
    try await withTemporaryDirectory { dir in
      let s = try await Self.startLoadingLargeFile(in: dir)
      try await s.waitUntil("the explorer after loading", timeout: .seconds(120)) {
        $0.contains("120000 events") && $0.contains("q quit")
      }
      try s.sendKeys("q")
      try await expectRestored(s, status: 0)
    }
  }

  @Test("Ctrl-C while a large file loads quits and restores the terminal")
  func interruptDuringLoad() async throws {
    try await withTemporaryDirectory { dir in
      let s = try await Self.startLoadingLargeFile(in: dir)
      try s.sendKeys("C-c")
      try await expectRestored(s, status: 130)
    }
  }

  @Test("a crash signal restores the terminal before the process dies of it")
  func crashSignal() async throws {
    let s = try TmuxSession.runTimeline()
    try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("q quit") }
    let pid = try await s.childPID(named: "timeline")
    #expect(kill(pid, SIGSEGV) == 0)
    try await expectRestored(s, status: 128 + Int(SIGSEGV))
  }
}
