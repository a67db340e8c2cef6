import Foundation
import Testing

/// The configuration file read by the explorer in a real terminal: its colours, its mouse setting and its
/// keys, with NO_COLOR still winning.
@Suite("Configuration in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct ConfigE2ETests {
  static let config = """
    mouse = false

    [colors]
    year-heading = "red on white"

    [keys]
    quit = "Q"
    """

  func start(_ dir: URL, environment: [String: String] = [:]) async throws -> TmuxSession {
    let folder = dir.appendingPathComponent("timeline")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data(Self.config.utf8).write(to: folder.appendingPathComponent("config"))
    let s = try TmuxSession.runTimeline(environment: environment.merging(["XDG_CONFIG_HOME": dir.path]) { a, _ in a })
    try await s.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") && $0.contains("Q quit") }
    return s
  }

  @Test("colours, mouse and keys from the file; Q quits and q does not")
  func applied() async throws {
    try await withTemporaryDirectory { dir in
      let s = try await start(dir)
      let screen = try s.capture(escapes: true)
      // The year headings, red on white (31 and 47) as the file restyles them: no default style is.
      let redOnWhite = screen.contains("\u{1B}[31m\u{1B}[47m")
        || sgrSequences(screen).contains { let p = $0.split(separator: ";"); return p.contains("31") && p.contains("47") }
      #expect(redOnWhite, "\(screen)")
      // mouse = false: the terminal was not asked to report the mouse.
      #expect(try s.display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}#{mouse_sgr_flag}") == "0000")
      try s.sendKeys("q")
      try await s.waitFor("q does nothing here")
      try s.sendKeys("Q")
      try await expectRestored(s, status: 0)
    }
  }

  @Test("NO_COLOR wins over the file's colours")
  func noColorWins() async throws {
    try await withTemporaryDirectory { dir in
      let s = try await start(dir, environment: ["NO_COLOR": "1"])
      let colours = sgrSequences(try s.capture(escapes: true)).filter(isColour)
      #expect(colours.isEmpty, "\(Set(colours).sorted())")
      try s.sendKeys("Q")
      try await expectRestored(s, status: 0)
    }
  }
}
