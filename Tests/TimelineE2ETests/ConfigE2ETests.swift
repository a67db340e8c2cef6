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

  /// The yellow (33) and cyan (36) foregrounds among the screen's SGR parameters: the colours that fade on white.
  func foregrounds(_ screen: String) -> Set<String> {
    Set(sgrSequences(screen).flatMap { $0.split(separator: ";").map(String.init) }.filter { ["36", "33"].contains($0) })
  }

  @Test("a light background announced in COLORFGBG picks the light theme (no cyan or yellow); a file's theme wins")
  func backgroundFromTerminal() async throws {
    try await withTemporaryDirectory { dir in
      // No configuration file: the terminal's word decides.
      let light = try TmuxSession.runTimeline(environment: ["XDG_CONFIG_HOME": dir.path, "COLORFGBG": "0;15"])
      try await light.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") }
      #expect(foregrounds(try light.capture(escapes: true)).isEmpty, "cyan or yellow text on a light background")
      try light.sendKeys("q")
      try await expectRestored(light, status: 0)

      let dark = try TmuxSession.runTimeline(environment: ["XDG_CONFIG_HOME": dir.path, "COLORFGBG": "15;0"])
      try await dark.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") }
      #expect(foregrounds(try dark.capture(escapes: true)).contains("36"), "the dark theme's cyan headings")
      try dark.sendKeys("q")
      try await expectRestored(dark, status: 0)

      // theme = "dark" in the file wins over the terminal's light background.
      let folder = dir.appendingPathComponent("timeline")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data("theme = \"dark\"\n".utf8).write(to: folder.appendingPathComponent("config"))
      let chosen = try TmuxSession.runTimeline(environment: ["XDG_CONFIG_HOME": dir.path, "COLORFGBG": "0;15"])
      try await chosen.waitUntil("the explorer is drawn", timeout: .seconds(10)) { $0.contains(" events") }
      #expect(foregrounds(try chosen.capture(escapes: true)).contains("36"), "the file's dark theme")
      try chosen.sendKeys("q")
      try await expectRestored(chosen, status: 0)
    }
  }
}
