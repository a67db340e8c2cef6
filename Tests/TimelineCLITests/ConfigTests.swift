import Foundation
import Testing

/// The configuration file (`$XDG_CONFIG_HOME/timeline/config`, TOML): defaults, key bindings, and
/// positioned errors (exit 78).
@Suite("the configuration file")
struct ConfigTests {
  let file = CaseFile.bundled

  /// Runs with `config` as `$XDG_CONFIG_HOME/timeline/config` of a fresh directory.
  func withConfig<T>(_ config: String, _ body: (URL, [String: String]) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
      let folder = dir.appendingPathComponent("xdg/timeline")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try writeFile("config", config, in: folder)
      return try body(dir, ["XDG_CONFIG_HOME": dir.appendingPathComponent("xdg").path, "TIMELINE_CONFIG": nil].compactMapValues { $0 })
    }
  }

  @Test("a bad file is refused with every problem at its line and column, in file order, naming the file (exit 78)")
  func problems() throws {
    let config = """
      # my settings
      mous = false
      theme = 3

      [colors]
      mach = "red"
      border = "blak on white"

      [keys]
      qiut = "Q"
      search = "Ctrl-QQ"
      help = 7
      """
    try withConfig(config) { dir, env in
      let r = run(["list", "--count"], env: env)
      #expect(r.status == 78, "\(r)")
      #expect(r.stdout == "")
      let path = dir.appendingPathComponent("xdg/timeline/config").path
      #expect(
        r.stderrLines == [
          "timeline: \(path):2:1: unknown setting \"mous\" (did you mean \"mouse\"?); the settings are color, colors, data, keys, mouse, pager, theme",
          "timeline: \(path):3:9: theme must be a string (in double quotes), not a number",
          "timeline: \(path):6:1: unknown role \"mach\" (did you mean \"match\"?); the roles are title, dim, label, selected, match, match-row, hit, year-heading, month-heading, codes, message, key, border, notes, filter-on, spark, spark-outside, marker, era, confirmed, reported, rumoured, disputed, brush, user-mark, user-note, link, lane",
          "timeline: \(path):7:10: unknown colour or attribute \"blak\"; colours: black, blue, bright-black, bright-blue, bright-cyan, bright-green, bright-magenta, bright-red, bright-white, bright-yellow, cyan, green, magenta, red, white, yellow; attributes: bold, dim, underline, reverse",
          "timeline: \(path):10:1: unknown command \"qiut\" (did you mean \"quit\"?); the commands are listed in the README (Keys) and in man timeline",
          "timeline: \(path):11:10: unknown key \"Ctrl-QQ\": a character, a name (Enter, Esc, Tab, Space, Up, PgDn, F1…) or Ctrl-X",
          "timeline: \(path):12:8: help must be a key in quotes, or a list of them: [\"q\", \"Ctrl-Q\"]",
        ], "\(r)")
    }
  }

  @Test("a bad file is reported even when the run would not use it", arguments: [["list", "--data", "-"], ["--count", "--data", "-"]])
  func reportedAlways(_ args: [String]) throws {
    try withConfig("nonsense = 1\n") { _, env in
      let r = run(args, stdin: try String(contentsOf: Package.bundledCase, encoding: .utf8), env: env)
      #expect(r.status == 78, "\(r)")
    }
  }

  @Test("TOML that does not parse: the parser's message at its place", arguments: [
    ("keys = [\"q\",\n", "1:14"), ("mouse = nope\n", "1:10"), ("[keys]\nquit = \"q\"\nquit = \"x\"\n", "3:8"),
  ])
  func syntax(_ text: String, at: String) throws {
    try withConfig(text) { dir, env in
      let r = run(["list", "--count"], env: env)
      #expect(r.status == 78, "\(r)")
      #expect(r.stderr.hasPrefix("timeline: \(dir.path)/xdg/timeline/config:\(at): "), "\(r)")
      #expect(r.stderrLines.count == 1, "\(r)")
    }
  }

  @Test("two rebound commands of one scope cannot share a key")
  func conflict() throws {
    try withConfig("[keys]\nquit = \"j\"\nmove-down = [\"j\", \"Down\"]\n") { dir, env in
      let r = run(["list", "--count"], env: env)
      #expect(r.status == 78, "\(r)")
      #expect(r.stderrLines.first?.hasSuffix(":3:13: j would run both quit and move-down (list keys)") == true, "\(r)")
    }
  }

  @Test("the file is read from $XDG_CONFIG_HOME, else ~/.config; TIMELINE_CONFIG names another, or none when empty")
  func whereItIs() throws {
    try withTemporaryDirectory { dir in
      let bad = "nonsense = 1\n"
      let home = dir.appendingPathComponent("home/.config/timeline")
      try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
      try writeFile("config", bad, in: home)
      let base: [String: String] = ["HOME": dir.appendingPathComponent("home").path, "XDG_CONFIG_HOME": ""]
      #expect(run(["list", "--count"], env: base).status == 78)
      // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
      #expect(run(["list", "--count"], env: base.merging(["XDG_CONFIG_HOME": "relative"]) { $1 }).status == 78)
      #expect(run(["list", "--count"], env: base.merging(["XDG_CONFIG_HOME": dir.path]) { $1 }).status == 0)
      let other = try writeFile("other.toml", "mouse = false\n", in: dir)
      #expect(run(["list", "--count"], env: base.merging(["TIMELINE_CONFIG": other]) { $1 }).status == 0)
      #expect(run(["list", "--count"], env: base.merging(["TIMELINE_CONFIG": ""]) { $1 }).status == 0)
      // No file at all is no configuration.
      #expect(run(["list", "--count"], env: ["HOME": dir.path, "XDG_CONFIG_HOME": ""]).stdout == "\(file.events.count)\n")
    }
  }

  @Test("data is the timeline opened without --data; --data still chooses another")
  func dataDefault() throws {
    try withTemporaryDirectory { dir in
      let data = try writeFile("good.json", Documents.good, in: dir)
      let folder = dir.appendingPathComponent("xdg/timeline")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try writeFile("config", "data = \"\(data)\"\n", in: folder)
      let env = ["XDG_CONFIG_HOME": dir.appendingPathComponent("xdg").path]
      #expect(run(["list", "--count"], env: env).stdout == "2\n")
      #expect(run(["list", "--count", "--data", Package.bundledCase.path], env: env).stdout == "\(file.events.count)\n")
    }
  }

  @Test("pager comes after TIMELINE_PAGER and before PAGER")
  func pager() throws {
    try withConfig("pager = \"cat > paged.txt\"\n") { dir, env in
      var environment: [String: String?] = env.mapValues { $0 }
      environment["TIMELINE_PAGER"] = nil
      environment["PAGER"] = "false"
      let r = runOnTerminal(["list", "--country", "CY"], env: environment, in: dir)
      #expect(r.status == 0, "\(r)")
      let paged = try String(contentsOf: dir.appendingPathComponent("paged.txt"), encoding: .utf8)
      #expect(paged == run(["list", "--country", "CY"]).stdout)
    }
  }

  @Test("rebound keys work, and the help, the footer and the messages show them")
  func rebinding() throws {
    try withConfig("[keys]\nquit = [\"Q\", \"Ctrl-Q\"]\nhelp = \"F1\"\nmove-down = [\"j\", \"Down\", \"Ctrl-N\"]\n") { dir, env in
      let config = dir.appendingPathComponent("xdg/timeline/config").path
      // q no longer quits; the message names the help key as bound now.
      let q = run(["render", "--config", config, "--size", "120x30", "--keys", "q"])
      #expect(q.status == 0, "\(q)")
      let footer = q.stdoutLines.last ?? ""
      #expect(footer.hasPrefix("q does nothing here; press F1 for help"), "\(footer)")
      #expect(footer.contains("Q quit") && footer.contains("F1 help"), "\(footer)")
      // Ctrl-N moves down as j does (the footer differs: it shows F1 and Q).
      let moved = run(["render", "--config", config, "--size", "120x30", "--keys", "C-n"])
      let plain = run(["render", "--size", "120x30", "--keys", "j"])
      #expect(moved.stdoutLines.dropLast() == plain.stdoutLines.dropLast())
      #expect(moved.stdoutLines.dropLast() != run(["render", "--size", "120x30"]).stdoutLines.dropLast(), "j moves")
      // The help lists the keys as bound.
      // (tall enough for the whole help)
      let help = run(["render", "--config", config, "--size", "120x200", "--keys", "F1"]).stdout
      #expect(help.contains("↓ Ctrl-N"), "\(help)")
      #expect(help.contains("Q Ctrl-Q"), "\(help)")
      // The explorer reads the same file.
      #expect(run(["render", "--config", config, "--size", "120x30", "--keys", "?"]).stdoutLines.last?.hasPrefix("? does nothing here") == true)
    }
  }

  @Test("render reads no configuration unless given --config")
  func renderIgnoresUserConfig() throws {
    try withConfig("[keys]\nquit = \"Q\"\n") { _, env in
      #expect(run(["render", "--size", "120x30"], env: env).stdout == run(["render", "--size", "120x30"]).stdout)
    }
  }
}
