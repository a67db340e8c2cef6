import Foundation
import Testing
import TimelineUI

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The real binary on terminals as they are: one that cannot move the cursor, unknown ones, ones without
/// an alternate screen, a non-UTF-8 locale, a suspension, and a screen of many scripts.
@Suite("Terminal kinds in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct TerminalKindsE2ETests {
  /// What `timeline list` prints for the bundled case.
  static func listOutput(_ arguments: [String] = []) throws -> ToolResult {
    try runTool(try TimelineBinary.require(), ["list"] + arguments)
  }

  @Test("TERM=dumb prints the list as `timeline list` does, instead of drawing a frame into one line")
  func dumbTerminal() async throws {
    let list = try Self.listOutput()
    let lines = list.stdout.split(separator: "\n").map(String.init)
    let last = try #require(lines.last)
    let s = try TmuxSession.runTimeline(environment: ["TERM": "dumb"])
    let exit = try await s.waitForExit(timeout: .seconds(10))
    #expect(exit.status == 0, "\(framed(exit.screen))")
    #expect(exit.screen.contains(last), "the list's last line is not on the screen\n\(framed(exit.screen))")
    #expect(!exit.screen.contains("q quit"), "a frame was drawn\n\(framed(exit.screen))")
    #expect(try !s.paneAlternateOn)
  }

  @Test("an unknown or missing TERM is refused with a clear message and exit 64", arguments: ["nonesuch-terminal", ""])
  func unknownTerminal(_ term: String) async throws {
    let binary = try TimelineBinary.require()
    let command = (term.isEmpty ? "unset TERM; " : "export TERM=\(term); ") + shellQuote(binary.path)
    let s = try TmuxSession(script: "\(command); echo EXIT=$?; stty -a; exec sleep 600")
    let exit = try await s.waitForExit(timeout: .seconds(10))
    #expect(exit.status == 64, "\(framed(exit.screen))")
    let message = term.isEmpty ? "TERM is not set" : "TERM=\(term) is not a terminal type described on this system"
    #expect(exit.screen.replacingOccurrences(of: "\n", with: "").contains("cannot open the explorer: \(message)"), "\(framed(exit.screen))")
  }

  @Test("without an alternate screen, quitting clears the screen so the prompt does not land on the footer", arguments: ["linux", "vt100"])
  func noAlternateScreen(_ term: String) async throws {
    let s = try TmuxSession.runTimeline(environment: ["TERM": term])
    try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("q quit") }
    try s.sendKeys("q")
    let exit = try await s.waitForExit()
    #expect(exit.status == 0)
    #expect(!exit.screen.contains("q quit") && !exit.screen.contains(" events"), "the last frame is still there\n\(framed(exit.screen))")
    #expect(exit.screen.hasPrefix("EXIT=0"), "the prompt is not at the top of a clean screen\n\(framed(exit.screen))")
  }

  @Test("LC_ALL=C: box drawing, marks and bars in ASCII, other text as ?, exactly as render --ascii")
  func asciiLocale() async throws {
    let s = try TmuxSession.runTimeline(environment: ["LC_ALL": "C"])
    let screen = try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("q quit") }
    let nonASCII = screen.unicodeScalars.filter { $0.value > 0x7E }
    #expect(nonASCII.isEmpty, "non-ASCII on the screen: \(String(String.UnicodeScalarView(nonASCII)))\n\(framed(screen))")
    #expect(selectedRow(screen) == nil, "the ▸ marker was drawn as UTF-8")
    #expect(screen.split(separator: "\n").contains { $0.hasPrefix(">") }, "no > on the selected row\n\(framed(screen))")
    let render = try runTool(try TimelineBinary.require(), ["render", "--ascii", "--size", "120x40"])
    #expect(render.status == 0)
    let expected = render.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { trimmed($0) }
    let shown = screen.split(separator: "\n", omittingEmptySubsequences: false).map { trimmed($0) }
    for y in 0..<40 {
      #expect(shown[safe: y] == expected[safe: y], "row \(y)")
    }
    try s.sendKeys("q")
    try await expectRestored(s, status: 0)
  }

  @Test("Ctrl-Z then fg: the terminal is restored while stopped, and the screen is drawn again after")
  func suspendAndResume() async throws {
    // An interactive shell, so that there is job control (Ctrl-Z stops the job, fg resumes it).
    let binary = try TimelineBinary.require()
    let s = try TmuxSession(script: "PS1='$ ' exec /bin/bash --norc --noprofile -i")
    try await s.waitFor("$")
    try s.sendLiteral(shellQuote(binary.path))
    try s.sendKeys("Enter")
    let first = try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("q quit") }
    try s.sendKeys("j")
    try await s.waitUntil("j moved the selection") { selectedRow($0) != nil && selectedRow($0) != selectedRow(first) }
    try s.sendKeys("C-z")
    let stopped = try await s.waitUntil("the job is stopped and the shell is back") { $0.contains("Stopped") }
    #expect(try !s.paneAlternateOn, "\(framed(stopped))")
    try s.sendLiteral("fg")
    try s.sendKeys("Enter")
    let screen = try await s.waitUntil("the explorer is drawn again") { $0.contains(" events") && $0.contains("q quit") && selectedRow($0) != nil }
    #expect(try s.paneAlternateOn)
    #expect(!screen.contains("Stopped"), "\(framed(screen))")
    try s.sendKeys("q")
    try await s.waitUntil("the shell is back") { !$0.contains("q quit") }
    try s.sendLiteral("echo \"EXIT\"=$?; stty -a")
    try s.sendKeys("Enter")
    try await expectRestored(s, status: 0)
  }

  // MARK: - Many scripts through a real terminal

  /// Titles in many scripts, each followed by ASCII so that what comes after a cluster can be checked.
  static let titles = [
    "Hindi नमस्ते दुनिया and कि क्ष स्त्र end", "Tamil தமிழ் Thai ภาษาไทย นำ end", "Arabic مرحبا \u{600}\u{661}\u{662} Hebrew שָׁלוֹם end",
    "CJK 東京 北京 Ext B \u{20000} Ext H \u{31350}\u{323AF} end", "Hangul 한국어 NFD \u{1112}\u{1161}\u{11AB} halfwidth ｳﾞ end",
    "Flags 🇫🇷🇩🇪 lone 🇦 end", "Family 👨\u{200D}👩\u{200D}👧\u{200D}👦 tech 🧑\u{200D}💻 end",
    "Skin 👍🏽 heart ❤\u{FE0F} keycap #\u{FE0F}\u{20E3} end", "New emoji 🫨🩷🪿 🫩🫟 end",
    "VS15 \u{3297}\u{FE0E} fillers \u{115F}\u{1160}\u{3164}\u{FFA0} end", "Accents Re\u{301}union Zu\u{308}rich e\u{301}\u{327} end",
    "Zero\u{200B}width soft\u{AD}hyphen Zalgo Z\u{301}\u{302}\u{303}\u{304}\u{305}\u{306} end", "Rainbow 🏳\u{FE0F}\u{200D}🌈 trigram \u{2630} end",
  ]

  static func document() throws -> Data {
    let events: [[String: Any]] = titles.enumerated().map { k, title in
      [
        "id": "e\(k)", "date": String(format: "2020-01-%02d", k + 1), "title": title, "confidence": "confirmed", "sources": ["S1"],
        "countries": ["FR"], "summary": "Summary: " + title,
      ]
    }
    let document: [String: Any] = [
      "title": "Many scripts", "description": "Titles in many scripts.",
      "sources": [["id": "S1", "title": "A source", "publisher": "Nobody", "date": "2020", "language": "en"]],
      "events": events,
    ]
    return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
  }

  /// A row's cells from the left: each column where a grapheme begins, its text and its columns.
  struct Row {
    var cells: [Int: (text: String, columns: Int)] = [:]
  }

  /// What `render` meant: clusters measured by `DisplayWidth`.
  static func intended(_ line: Substring) -> Row {
    var row = Row()
    var x = 0
    for ch in line {
      let w = DisplayWidth.of(ch)
      if w > 0 { row.cells[x] = (String(ch), w) }
      x += w
    }
    return row
  }

  /// What the terminal shows: `capture-pane` prints each cell's text, placed by tmux with the C library's
  /// wcwidth (what this test reads it back with): a zero-width scalar belongs to the cell before it, and
  /// so does an emoji after a ZWJ (tmux joins emoji ZWJ sequences into one cell).
  static func shown(_ line: Substring) -> Row {
    var row = Row()
    var x = 0
    var last: Int?
    var joined = false
    for s in line.unicodeScalars {
      let w = hostWidth(s)
      if w <= 0 || (joined && w == 2) {
        if let l = last { row.cells[l]!.text.unicodeScalars.append(s) }
        joined = s == "\u{200D}"
        continue
      }
      row.cells[x] = (String(s), w)
      joined = false
      last = x
      x += w
    }
    return row
  }

  /// tmux 3.3a places characters by glibc's wcwidth (Unicode 14 here), so for the clusters where that
  /// table and ours disagree, or which terminals draw differently, the terminal may show anything in
  /// their columns (tmux drops characters newer than its table, draws a flag as two letters). What can
  /// be asserted: every other cluster is on the terminal exactly where `render` put it, whole, and so
  /// everything after a disputed cluster stays in its column.
  @Test("a screen of many scripts: every cluster both sides agree on is where render put it")
  func manyScripts() async throws {
    try await withTemporaryDirectory { dir in
      try Self.document().write(to: dir.appendingPathComponent("scripts.json"))
      let render = try runTool(try TimelineBinary.require(), ["render", "--data", dir.appendingPathComponent("scripts.json").path, "--size", "120x40", "--keys", "j j j j j j"])
      #expect(render.status == 0, "\(render.stderr)")
      let s = try TmuxSession.runTimeline(["--data", "scripts.json"], directory: dir)
      try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains("13 events") && $0.contains("q quit") }
      for _ in 0..<6 { try s.sendKeys("j") }
      let screen = try await s.waitUntil("the seventh event is selected") { selectedRow($0)?.contains("Family") == true }
      let expected = render.stdout.split(separator: "\n", omittingEmptySubsequences: false)
      let actual = screen.split(separator: "\n", omittingEmptySubsequences: false)
      var agreed = 0
      var disputed = 0
      var problems: [String] = []
      for y in 0..<40 {
        let want = Self.intended(expected[safe: y] ?? "")
        let got = Self.shown(actual[safe: y] ?? "")
        for (x, cell) in want.cells.sorted(by: { $0.key < $1.key }) {
          let scalars = cell.text.unicodeScalars
          guard TerminalText.isSettled(scalars, columns: cell.columns, hostWidth: hostWidth) else {
            disputed += 1
            continue
          }
          agreed += 1
          if got.cells[x]?.text != cell.text || got.cells[x]?.columns != cell.columns {
            problems.append("row \(y) column \(x): render \(String(reflecting: cell.text)), terminal \(String(reflecting: got.cells[x]?.text ?? "nothing"))")
          }
        }
      }
      #expect(problems.isEmpty, "\(problems.prefix(20).joined(separator: "\n"))\n\(framed(screen))\n\(render.stdout)")
      #expect(disputed >= 20, "the screen should hold clusters terminals disagree on")
      #expect(agreed > 2_000)
      try s.sendKeys("q")
      try await expectRestored(s, status: 0)
    }
  }
}

/// glibc's wcwidth under C.UTF-8 (what tmux places characters by). An X/Open function that Swift's Glibc
/// module does not import, so it is looked up in the C library already loaded.
private func hostWidth(_ s: Unicode.Scalar) -> Int { Int(wcwidthFunction(wchar_t(bitPattern: s.value))) }

private let wcwidthFunction: @convention(c) (wchar_t) -> Int32 = {
  setlocale(LC_CTYPE, "C.UTF-8")
  guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "wcwidth") else {
    fatalError("wcwidth not found in the C library")
  }
  return unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
}()

private func trimmed(_ line: Substring) -> String {
  var l = line
  while l.last == " " { l.removeLast() }
  return String(l)
}

extension Array {
  fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
