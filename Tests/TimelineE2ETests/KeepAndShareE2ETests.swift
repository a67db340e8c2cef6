import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Marks, notes, sessions, the clipboard, the opener and live reload, in the real binary in tmux.
@Suite("Marks, notes, sessions and reload in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct KeepAndShareE2ETests {
  let data: BundledCase

  init() throws { data = try BundledCase.load() }

  /// A copy of the bundled case in `dir` (so it can be edited), opened with the state kept in `dir`.
  private func start(in dir: URL, _ arguments: [String] = [], environment: [String: String] = [:]) async throws -> TmuxSession {
    let file = dir.appendingPathComponent("case.json")
    if !FileManager.default.fileExists(atPath: file.path) {
      try FileManager.default.copyItem(at: PackageFiles.root.appendingPathComponent("Resources/sparks-group.json"), to: file)
    }
    let env = environment.merging(["XDG_STATE_HOME": dir.appendingPathComponent("state").path]) { mine, _ in mine }
    let session = try TmuxSession.runTimeline(["--data", file.path] + arguments, environment: env, directory: dir)
    // The header's count (a long message may take the footer's hints).
    try await session.waitUntil("the first screen is drawn", timeout: .seconds(10)) { $0.split(separator: "\n").first?.hasSuffix(" events") == true }
    return session
  }

  /// The case's text with the one title replaced, written over the file in place (same inode, as an
  /// editor saving in place or `>` in a shell would).
  private func rewrite(_ dir: URL, _ change: (String) -> String) throws {
    let file = dir.appendingPathComponent("case.json")
    let text = change(try String(contentsOf: file, encoding: .utf8))
    let handle = try FileHandle(forWritingTo: file)
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
  }

  @Test("marks and notes survive a restart, with the filters and the selection; --fresh keeps only them")
  func survivesARestart() async throws {
    try await withTemporaryDirectory { dir in
      var s = try await start(in: dir)
      try s.sendKeys("c")
      try await s.waitFor("Countries")
      try s.sendLiteral("cyprus")
      try s.sendKeys("Enter")
      try await s.waitFor("Filters: country Cyprus (CY)")
      try s.sendKeys("j", "m")
      try await s.waitFor("marked (1 marked)")
      try s.sendKeys("a")
      try await s.waitFor("Your note on")
      try s.sendLiteral("Check the court record")
      try s.sendKeys("Enter")
      try await s.waitFor("note saved")
      let selected = try #require(selectedRow(try s.capture()))
      try s.sendKeys("q")
      _ = try await s.waitForExit()
      s.kill()

      s = try await start(in: dir)
      let screen = try await s.waitFor("session restored: 1 filter, 1 mark, 1 note")
      #expect(screen.contains("Filters: country Cyprus (CY)"), "\(framed(screen))")
      #expect(screen.contains("★ 1 ·"), "\(framed(screen))")
      #expect(screen.contains("Your note (a to edit)") && screen.contains("Check the court record"), "\(framed(screen))")
      #expect(selectedRow(screen) == selected, "\(framed(screen))")
      try s.sendKeys("q")
      _ = try await s.waitForExit()
      s.kill()

      s = try await start(in: dir, ["--fresh"])
      let fresh = try await s.waitFor("afresh (--fresh); kept 1 mark, 1 note")
      #expect(fresh.contains("No filters"), "\(framed(fresh))")
      #expect(fresh.contains("★ 1 · 57 events"), "\(framed(fresh))")
    }
  }

  @Test("w writes exactly what timeline list --session prints, in the format the name asks for")
  func exportIsTheList() async throws {
    try await withTemporaryDirectory { dir in
      let s = try await start(in: dir)
      try s.sendKeys("c")
      try await s.waitFor("Countries")
      try s.sendLiteral("united states")
      try s.sendKeys("Enter")
      try await s.waitFor("Filters: country United States (US)")
      try s.sendKeys("j", "m", "j", "j", "m", "a")
      try await s.waitFor("Your note on")
      try s.sendLiteral("Mine, with \"quotes\"")
      try s.sendKeys("Enter")
      try await s.waitFor("note saved")
      try s.sendKeys("/")
      try s.sendLiteral("correa")
      try s.sendKeys("Enter", "&")
      try await s.waitFor("search")
      for name in ["view.json", "view.csv", "view.md"] {
        try s.sendKeys("w")
        try await s.waitFor("write the ")
        try s.sendKeys("C-u")
        try s.sendLiteral(name)
        try s.sendKeys("Enter")
        try await s.waitFor("to \(name) (")
      }
      try s.sendKeys("q")
      _ = try await s.waitForExit()
      let env = ["XDG_STATE_HOME": dir.appendingPathComponent("state").path]
      let data = dir.appendingPathComponent("case.json").path
      for (name, format) in [("view.json", "json"), ("view.csv", "csv"), ("view.md", "markdown")] {
        let listed = try runTool(try TimelineBinary.require(), ["list", "--data", data, "--session", "--format", format, "--no-pager"], environment: ProcessInfo.processInfo.environment.merging(env) { $1 })
        #expect(listed.status == 0, "\(listed.stderr)")
        let written = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        #expect(written == listed.stdout, "\(name) differs from list --session --format \(format)")
        #expect(written.contains("Mine, with"), "\(name) has no note")
      }
    }
  }

  @Test("a corrupt session file is set aside, said, and kept")
  func corruptSession() async throws {
    try await withTemporaryDirectory { dir in
      // The session's name: the one the explorer writes, found by making it once.
      var s = try await start(in: dir)
      try s.sendKeys("m")
      try await s.waitFor("marked (1 marked)")
      try s.sendKeys("q")
      _ = try await s.waitForExit()
      s.kill()
      let sessions = dir.appendingPathComponent("state/timeline/sessions")
      let name = try #require(try FileManager.default.contentsOfDirectory(atPath: sessions.path).first)
      try "{\"version\": 1, \"annotations\": {\"marks\": 3".write(to: sessions.appendingPathComponent(name), atomically: false, encoding: .utf8)

      s = try await start(in: dir)
      let screen = try await s.waitFor("set aside as")
      #expect(screen.contains("the session file was corrupt"), "\(framed(screen))")
      let kept = try FileManager.default.contentsOfDirectory(atPath: sessions.path).filter { $0.contains(".corrupt-") }
      #expect(kept.count == 1)
      let aside = try #require(kept.first)
      #expect(try String(contentsOf: sessions.appendingPathComponent(aside), encoding: .utf8) == "{\"version\": 1, \"annotations\": {\"marks\": 3")
    }
  }

  @Test("an edit on disk is read again: the selection stays on its event; a broken edit keeps the view and ! lists its problems")
  func liveReload() async throws {
    try await withTemporaryDirectory { dir in
      let s = try await start(in: dir)
      try s.sendKeys("c")
      try await s.waitFor("Countries")
      try s.sendLiteral("cyprus")
      try s.sendKeys("Enter")
      // The filter keeps the first event at or after the one selected: Bridi's arrest.
      let before = try await s.waitUntil("Bridi's arrest is selected") {
        $0.contains("Filters: country Cyprus (CY)") && selectedRow($0)?.contains("Paphos") == true
      }
      let row = before.split(separator: "\n").firstIndex { $0.hasPrefix("▸") }
      // An event added at the start and the selected title changed: every event moves.
      try rewrite(dir) { text in
        text.replacingOccurrences(of: "\"George Bridi arrested in Paphos, Cyprus\"", with: "\"George Bridi arrested in Paphos (edited)\"")
          .replacingOccurrences(
            of: "\"events\": [",
            with: "\"events\": [\n    {\"id\": \"added\", \"date\": \"1999\", \"title\": \"Added\", \"confidence\": \"reported\", \"sources\": [\"S1\"]},")
      }
      let after = try await s.waitFor("file changed: read again, 58 events")
      #expect(selectedRow(after)?.contains("George Bridi arrested in Paphos (edited)") == true, "\(framed(after))")
      #expect(after.split(separator: "\n").firstIndex { $0.hasPrefix("▸") } == row, "\(framed(after))")
      #expect(after.contains("Filters: country Cyprus (CY)"))

      try rewrite(dir) { $0.replacingOccurrences(of: "\"confidence\": \"confirmed\"", with: "\"confidence\": \"sure\"") }
      let broken = try await s.waitFor("problems (! lists them; the last good view stays)")
      #expect(broken.split(separator: "\n")[0].hasSuffix("problems (!) · 4 of 58 events"), "\(framed(broken))")
      #expect(selectedRow(broken)?.contains("(edited)") == true, "\(framed(broken))")
      try s.sendKeys("!")
      let problems = try await s.waitFor("problems in the changed file")
      // The first problem's place: the line of the first "sure", at its value.
      let edited = try String(contentsOf: dir.appendingPathComponent("case.json"), encoding: .utf8).components(separatedBy: "\n")
      let line = try #require(edited.firstIndex { $0.contains("\"confidence\": \"sure\"") })
      let column = try #require(edited[line].range(of: "\"sure\"")).lowerBound.utf16Offset(in: edited[line]) + 1
      #expect(problems.contains("case.json:\(line + 1):\(column):"), "\(framed(problems))")
      #expect(problems.contains("field \"confidence\": invalid confidence"), "\(framed(problems))")
    }
  }

  @Test("y puts the address on the clipboard through tmux (OSC 52); O starts $BROWSER with the address alone")
  func clipboardAndOpener() async throws {
    try await withTemporaryDirectory { dir in
      let record = dir.appendingPathComponent("opened.txt").path
      let browser = dir.appendingPathComponent("browser.sh").path
      try "#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > \(shellQuote(record))\n".write(toFile: browser, atomically: false, encoding: .utf8)
      #expect(chmod(browser, 0o755) == 0)
      let s = try await start(in: dir, environment: ["BROWSER": browser])
      try s.command("set-option", "-g", "set-clipboard", "on")
      // An event with one source that has an address, found by words of its title.
      let event = try #require(data.events.first { $0.id == "2021-01-release-volume-recovers" })
      #expect(event.sourceURLs.count == 1)
      try s.sendKeys("/")
      try s.sendLiteral("volume back near")
      try s.sendKeys("Enter")
      try await s.waitUntil("the event is selected") { selectedRow($0).map { $0.contains(String(event.title.prefix(20))) } == true }
      try s.sendKeys("y")
      try await s.waitFor("copied ")
      // The message is drawn before the OSC 52 is written (control bytes go out between frames), so a
      // loaded machine can ask tmux before the buffer exists: wait for it.
      let clock = ContinuousClock()
      var buffer: String?
      let bufferDeadline = clock.now + .seconds(5)
      while buffer == nil && clock.now < bufferDeadline {
        buffer = try? s.command("show-buffer")
        if buffer == nil { usleep(50_000) }
      }
      #expect(buffer == event.sourceURLs[0])
      try s.sendKeys("O")
      try await s.waitFor("opening ")
      let deadline = clock.now + .seconds(5)
      while !FileManager.default.fileExists(atPath: record) && clock.now < deadline { usleep(50_000) }
      #expect(try String(contentsOfFile: record, encoding: .utf8) == "1\n\(event.sourceURLs[0])\n")
    }
  }
}

/// What reaches the terminal, byte for byte, on a pseudo-terminal of the test's own.
@Suite("Control sequences on a terminal")
struct ControlSequenceE2ETests {
  static let url = "https://example.org/2020/08/25/paphos?l=en"
  static let document = """
    {"format": "timeline/1", "title": "One source", "description": "",
     "sources": [{"id": "a", "title": "Report", "publisher": "Agency", "date": "2020-08-26", "language": "en", "url": "\(url)"}],
     "events": [{"id": "one", "date": "2020-08-25", "title": "Arrest in Paphos", "confidence": "confirmed", "sources": ["a"]}]}
    """

  @Test("y writes the OSC 52 sequence exactly; the address in the detail goes out inside an OSC 8 link, or without one when asked")
  func bytes() async throws {
    try await withTemporaryDirectory { dir in
      let file = dir.appendingPathComponent("one.json")
      try Self.document.write(to: file, atomically: true, encoding: .utf8)
      let env = ["XDG_STATE_HOME": dir.appendingPathComponent("state").path, "TIMELINE_HYPERLINKS": "1"]
      let run = try runOnPty(["--data", file.path], environment: env, keys: ["y", "q"])
      #expect(run.status == 0)
      let clipboard = Array("\u{1B}]52;c;\(Data(Self.url.utf8).base64EncodedString())\u{07}".utf8)
      #expect(run.output.contains(clipboard), "\(String(decoding: run.output, as: UTF8.self).debugDescription)")
      // The link: opened, the address's cells (attributes may come between them), closed.
      let start = Array("\u{1B}]8;;\(Self.url)\u{1B}\\".utf8)
      let end = Array("\u{1B}]8;;\u{1B}\\".utf8)
      let text = String(decoding: run.output, as: UTF8.self)
      let opened = try #require(text.range(of: String(decoding: start, as: UTF8.self)), "no OSC 8 link:\n\(text.debugDescription)")
      let closed = try #require(text.range(of: String(decoding: end, as: UTF8.self), range: opened.upperBound..<text.endIndex))
      let inside = String(text[opened.upperBound..<closed.lowerBound]).replacingOccurrences(
        of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
      #expect(inside == Self.url)

      let plain = try runOnPty(["--data", file.path], environment: env.merging(["TIMELINE_HYPERLINKS": "0"]) { $1 }, keys: ["q"])
      #expect(plain.status == 0)
      #expect(!plain.output.contains(Array("\u{1B}]8;".utf8)))
      #expect(plain.output.contains(Array(Self.url.utf8)))
    }
  }
}
