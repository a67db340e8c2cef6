import Foundation
import Testing

/// The completion scripts `timeline --generate-completion-script` prints, loaded in real bash, zsh and
/// fish in a tmux pane: a partial command line is typed, Tab pressed, and the completed line read back.
@Suite("Shell completion in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct CompletionE2ETests {
  enum Shell: String, CaseIterable, CustomTestStringConvertible {
    case bash, zsh, fish
    var testDescription: String { rawValue }

    var executable: String? {
      ["/usr/bin", "/bin", "/usr/local/bin"].map { "\($0)/\(rawValue)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
  }

  /// A timeline of its own, to see that the values come from the file after --data.
  static let other = #"""
    {"title": "Elsewhere", "description": "d",
     "sources": [{"id": "s", "title": "S", "publisher": "P", "date": "2020", "language": "en"}],
     "people": [{"id": "zoe", "name": "Zoë Exemple", "aliases": ["Zed"], "role": "r"}],
     "events": [{"id": "e", "date": "2020", "title": "E", "countries": ["JP"], "people": ["zoe"], "confidence": "confirmed", "sources": ["s"]}]}
    """#

  /// (typed, what the line must read after Tab)
  static let cases: [(String, String)] = [
    ("timeline val", "timeline validate"),
    ("timeline list --for", "timeline list --format"),
    ("timeline list --format ma", "timeline list --format markdown"),
    ("timeline --country Fr", "timeline --country France"),
    ("timeline --country Éta", "timeline --country États-Unis"),
    ("timeline list --person Jonatan", #"timeline list --person Jonatan\ Correa"#),
    ("timeline --data my\\ cases/other.json --person Zo", #"timeline --data my\ cases/other.json --person Zoë\ Exemple"#),
    ("timeline --data my\\ cases/ot", #"timeline --data my\ cases/other.json"#),
  ]

  @Test("Tab completes subcommands, options, formats, files and facet values from the data in use", arguments: Shell.allCases)
  func complete(_ shell: Shell) async throws {
    guard let executable = shell.executable else {
      // .ci/run installs the three shells, so in CI a missing one is a failure; a developer's machine
      // may lack one.
      if ProcessInfo.processInfo.environment["CI"] != nil { throw E2EFailure("\(shell.rawValue) is not installed") }
      print("skipped: \(shell.rawValue) is not installed")
      return
    }
    let binary = try TimelineBinary.require()
    try await withTemporaryDirectory { dir in
      let cases = dir.appendingPathComponent("my cases")
      try FileManager.default.createDirectory(at: cases, withIntermediateDirectories: true)
      try Data(Self.other.utf8).write(to: cases.appendingPathComponent("other.json"))
      let script = try runTool(binary, ["--generate-completion-script", shell.rawValue])
      guard script.status == 0 else { throw E2EFailure("--generate-completion-script \(shell.rawValue): \(script.stderr)") }

      // Each shell starts without the user's configuration and loads the script its own way.
      let start: String
      let load: String
      switch shell {
      case .bash:
        try Data(script.stdout.utf8).write(to: dir.appendingPathComponent("timeline.bash"))
        start = "exec \(executable) --norc --noprofile -i"
        load = "source timeline.bash"
      case .zsh:
        let functions = dir.appendingPathComponent("zfunc")
        try FileManager.default.createDirectory(at: functions, withIntermediateDirectories: true)
        try Data(script.stdout.utf8).write(to: functions.appendingPathComponent("_timeline"))
        start = "exec \(executable) -f -i"
        load = "fpath=(\(shellQuote(functions.path)) $fpath); autoload -Uz compinit; compinit -u -D"
      case .fish:
        try Data(script.stdout.utf8).write(to: dir.appendingPathComponent("timeline.fish"))
        start = "exec \(executable) --no-config -i"
        load = "source timeline.fish"
      }
      let home = dir.appendingPathComponent("home")
      try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
      let environment = [
        "PATH": binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
        "HOME": home.path, "XDG_CONFIG_HOME": home.path, "XDG_DATA_HOME": home.path, "PS1": "$ ",
      ]
      let session = try TmuxSession(script: start, environment: environment, directory: dir, width: 150, height: 40)
      defer { session.kill() }
      try session.sendLiteral(load)
      try session.sendKeys("Enter")
      try session.sendLiteral("echo loaded")
      try session.sendKeys("Enter")
      try await session.waitUntil("the shell has loaded the script", timeout: .seconds(10)) {
        $0.split(separator: "\n").contains { $0.hasSuffix("loaded") && !$0.contains("echo") }
      }
      for (typed, expected) in Self.cases {
        try session.sendLiteral(typed)
        try session.sendKeys("Tab")
        try await session.waitUntil("\(shell.rawValue) completes \"\(typed)\" to \"\(expected)\"", timeout: .seconds(10)) { screen in
          screen.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasSuffix(expected) }
        }
        // Erase the line (Ctrl-U, from the end of the line, in all three shells' default key bindings;
        // Ctrl-C is a signal, and could land after the next keys).
        try session.sendKeys("C-u")
        try await session.waitForGone(expected)
      }
    }
  }
}
