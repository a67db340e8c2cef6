import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// How the real binary leaves the terminal: after signals, bad data, hostile text, a piped stdin.
@Suite("Terminal handling in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct TerminalE2ETests {
  enum Stop: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case terminate = "SIGTERM"
    case hangUp = "SIGHUP"
    case interrupt = "SIGINT (Ctrl-C)"

    var testDescription: String { rawValue }

    /// 128 + the signal number, as a shell reports a death by that signal.
    var expectedStatus: Int {
      switch self {
      case .terminate: 143
      case .hangUp: 129
      case .interrupt: 130
      }
    }
  }

  @Test("a signal restores the terminal and the exit status tells which", arguments: Stop.allCases)
  func signal(_ stop: Stop) async throws {
    let s = try TmuxSession.runTimeline()
    try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("q quit") }
    #expect(try s.paneAlternateOn)
    let pid = try await s.childPID(named: "timeline")
    switch stop {
    case .terminate: #expect(kill(pid, SIGTERM) == 0)
    case .hangUp: #expect(kill(pid, SIGHUP) == 0)
    case .interrupt: try s.sendKeys("C-c")  // from the keyboard, to the foreground process group
    }
    try await expectRestored(s, status: stop.expectedStatus)
  }

  /// When the terminal goes away (window closed, tmux killed) under a shell that traps SIGHUP, the
  /// kernel tells only the shell; the app's reads then fail at once. It must end, not spin on them.
  @Test("closing the terminal ends the explorer even when no SIGHUP reaches it")
  func terminalClosed() async throws {
    try await withTemporaryDirectory { dir in
      let binary = try TimelineBinary.require()
      let statusFile = dir.appendingPathComponent("status").path
      let s = try TmuxSession(
        script: "trap : INT TERM HUP; \(shellQuote(binary.path)); echo $? > \(shellQuote(statusFile))")
      try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("q quit") }
      let pid = try await s.childPID(named: "timeline")
      defer { _ = kill(pid, SIGKILL) }  // never leave a spinning process behind

      s.kill()  // the pane's terminal is gone
      let clock = ContinuousClock()
      let deadline = clock.now + .seconds(5)
      var status: String?
      while clock.now < deadline {
        status = try? String(contentsOfFile: statusFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        if let status, !status.isEmpty { break }
        usleep(50_000)  // blocking, as in TmuxSession.waitUntil
      }
      #expect(status == "129", "the explorer did not end after its terminal closed (status: \(status ?? "none"))")
    }
  }

  @Test("escape sequences in a data file are shown as ␛, not obeyed")
  func hostileTitles() async throws {
    try await withTemporaryDirectory { dir in
      let setTitle = "Set title \u{1B}]2;PWNED\u{07} here"
      let clear = "Clear \u{1B}[2J screen"
      let document: [String: Any] = [
        "title": "Hostile titles",
        "description": "Event titles with terminal control sequences.",
        "sources": [["id": "S1", "title": "A source", "publisher": "Nobody", "date": "2020", "language": "en"]],
        "events": [
          ["id": "e1", "date": "2020-01-01", "title": setTitle, "confidence": "confirmed", "sources": ["S1"]],
          ["id": "e2", "date": "2020-01-02", "title": clear, "confidence": "confirmed", "sources": ["S1"]],
        ],
      ]
      let json = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
      #expect(String(decoding: json, as: UTF8.self).contains("\\u001b"))
      try json.write(to: dir.appendingPathComponent("hostile.json"))

      let s = try TmuxSession.runTimeline(["--data", "hostile.json"], directory: dir)
      let titleBefore = try s.paneTitle
      #expect(!titleBefore.contains("PWNED"))

      var screen = try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) {
        $0.contains("2 events") && $0.contains("q quit")
      }
      #expect(screen.contains("Set title ␛]2;PWNED␇ here"), "\(framed(screen))")
      #expect(selectedRow(screen).map { rowShows($0, "Set title ␛]2;PWNED␇ here") } == true, "\(framed(screen))")

      // Selecting the second event draws its title in the list and in the detail pane.
      try s.sendKeys("j")
      screen = try await s.waitUntil("the second event is selected") {
        selectedRow($0).map { rowShows($0, "Clear ␛[2J screen") } ?? false
      }
      // ESC [2J would have cleared the screen: the header is still there.
      #expect(screen.contains("Hostile titles"), "\(framed(screen))")
      #expect(try s.paneTitle == titleBefore, "the data file changed the terminal's title")

      try s.sendKeys("q")
      try await expectRestored(s, status: 0)
      #expect(try s.paneTitle == titleBefore, "the data file changed the terminal's title")
    }
  }

  @Test("--data with an invalid file: a positioned message, exit 65, terminal untouched")
  func invalidData() async throws {
    try await withTemporaryDirectory { dir in
      try Data("{\"title\": \"Bad\",\n  \"description\": 3, \"sources\": [], \"events\": []}\n".utf8)
        .write(to: dir.appendingPathComponent("bad.json"))
      let s = try TmuxSession.runTimeline(["--data", "bad.json"], directory: dir)
      try await expectRestored(s, status: 65)
      let screen = try s.capture()
      let line = try #require(
        screen.split(separator: "\n").first { $0.hasPrefix("bad.json:") }, "no positioned message\n\(framed(screen))")
      // file:line:column: message
      let parts = line.split(separator: ":", maxSplits: 3)
      #expect(parts.count == 4 && parts[1] == "2" && Int(parts[2]) != nil, "\(line)")
      #expect(line.contains("description"), "\(line)")
    }
  }

  @Test("with standard input from a pipe, keys come from the terminal")
  func pipedStandardInput() async throws {
    let second = try BundledCase.load().events[1].title
    let s = try TmuxSession.runTimeline(stdinFromPipe: true)
    try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("q quit") }
    #expect(try s.paneAlternateOn)
    try s.sendKeys("j")
    try await s.waitUntil("j moved the selection") { selectedRow($0).map { rowShows($0, second) } ?? false }
    try s.sendKeys("q")
    try await expectRestored(s, status: 0)
  }
}
