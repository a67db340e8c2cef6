import ArgumentParser
import Foundation
import TOMLKit
import TimelineCore
import TimelineUI

/// The configuration file: `$XDG_CONFIG_HOME/timeline/config`, else `~/.config/timeline/config` (or the
/// file `TIMELINE_CONFIG` names; an empty `TIMELINE_CONFIG` reads none). TOML, read with TOMLKit:
///
///     data = "~/cases/sparks.json"   # the timeline to open when --data is not given
///     mouse = false                  # as --no-mouse
///     color = false                  # as --no-color (NO_COLOR wins over color = true)
///     pager = "less -S"              # for list on a terminal (TIMELINE_PAGER wins, PAGER comes after)
///     theme = "light"                # or "dark"; without it, as COLORFGBG says, else dark
///
///     [colors]                       # restyle single roles of the theme
///     match = "black on yellow"
///
///     [keys]                         # rebind commands: a key, or a list of keys
///     quit = ["q", "Ctrl-Q"]
///     move-down = ["j", "Down", "Ctrl-N"]
///
/// A file that is not TOML, an unknown key, or a value of the wrong kind is an error naming the file,
/// the line and the column (exit 78, the configuration error of sysexits).
struct Config {
  var file: String?
  var data: String?
  var mouse: Bool?
  var color: Bool?
  var pager: String?
  var theme = Theme.dark
  var bindings = KeyBindings.standard

  /// The settings and tables a file may have, and what each holds (for messages and the README).
  static let topLevel: [String: String] = [
    "data": "a file name", "mouse": "true or false", "color": "true or false", "pager": "a command",
    "theme": "\"dark\" or \"light\"", "colors": "a table of roles", "keys": "a table of commands",
  ]

  /// A problem in the file, at a line and column (1-based, in characters).
  struct Problem: Error, CustomStringConvertible {
    var file: String
    var line: Int
    var column: Int
    var message: String
    var description: String { line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)" }
  }

  /// Every problem of a file, in file order.
  struct Problems: Error, CustomStringConvertible {
    var list: [Problem]
    var description: String { list.map(\.description).joined(separator: "\n") }
  }

  /// The file to read, if any.
  static func path(environment: [String: String]) -> String? {
    if let explicit = environment["TIMELINE_CONFIG"] { return explicit.isEmpty ? nil : explicit }
    if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/timeline/config" }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.config/timeline/config"
  }

  /// The configuration of this run, read once: a missing file is no configuration; a bad one is
  /// reported and ends the run with exit 78.
  static func current() throws -> Config {
    switch loaded {
    case .success(let config): return config
    case .failure(let problems):
      for p in problems.list { Output.error(p.description) }
      throw ExitCode(78)
    }
  }

  private static let loaded: Result<Config, Problems> = {
    let environment = ProcessInfo.processInfo.environment
    let background = Theme.preset(colorFGBG: environment["COLORFGBG"]) ?? .dark
    guard let path = Config.path(environment: environment) else { return .success(Config(theme: background)) }
    return load(path: path, defaultTheme: background)
  }()

  /// `defaultTheme` is the preset used when the file names none (the terminal's background, when it says).
  static func load(path: String, defaultTheme: Theme = .dark) -> Result<Config, Problems> {
    let bytes: [UInt8]
    do {
      bytes = try TimelineFile.read(path: path)
    } catch {
      // No file is the usual case: no configuration. Anything else (a directory, no permission) is said.
      if !FileManager.default.fileExists(atPath: path) { return .success(Config(theme: defaultTheme)) }
      return .failure(Problems(list: [Problem(file: path, line: 0, column: 0, message: "cannot read: \(error.message)")]))
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return .failure(Problems(list: [Problem(file: path, line: 1, column: 1, message: "not UTF-8 text")]))
    }
    return Result { () throws(Problems) in try parse(text, file: path, defaultTheme: defaultTheme) }
  }

  /// Reads a configuration from its text; `file` names it in messages. Every problem is reported, in
  /// file order (TOML syntax errors stop the reading at the first).
  static func parse(_ text: String, file: String, defaultTheme: Theme = .dark) throws(Problems) -> Config {
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      throw Problems(list: [Problem(file: file, line: error.source.begin.line, column: error.source.begin.column, message: error.description)])
    } catch {
      throw Problems(list: [Problem(file: file, line: 1, column: 1, message: "\(error)")])
    }
    var found: [Problem] = []
    /// Runs `body`, keeping its problem and going on.
    func checking(_ body: () throws(Problem) -> Void) {
      do throws(Problem) { try body() } catch { found.append(error) }
    }
    let places = KeyPlaces(text)
    func problem(_ table: String?, _ key: String, value: Bool = true, _ message: String) -> Problem {
      let at = places.place(table: table, key: key, value: value)
      return Problem(file: file, line: at.line, column: at.column, message: message)
    }
    func string(_ v: TOMLValueConvertible, _ table: String?, _ key: String) throws(Problem) -> String {
      guard let s = v.string else { throw problem(table, key, "\(key) must be a string (in double quotes), not \(describe(v))") }
      return s
    }
    func bool(_ v: TOMLValueConvertible, _ key: String) throws(Problem) -> Bool {
      guard let b = v.bool else { throw problem(nil, key, "\(key) must be true or false, not \(describe(v))") }
      return b
    }

    var config = Config(file: file, theme: defaultTheme)
    var colors = TOMLTable()
    var rebound: [Command: [Key]] = [:]

    func setting(_ key: String, _ value: TOMLValueConvertible) throws(Problem) {
      switch key {
      case "data":
        let s = try string(value, nil, key)
        config.data = s.hasPrefix("~/") ? NSString(string: s).expandingTildeInPath : s
      case "mouse": config.mouse = try bool(value, key)
      case "color": config.color = try bool(value, key)
      case "pager": config.pager = try string(value, nil, key)
      case "theme":
        let name = try string(value, nil, key)
        guard let preset = Theme.presets[name] else {
          let names = Theme.presets.keys.sorted().map { "\"\($0)\"" }.joined(separator: " and ")
          throw problem(nil, key, "unknown theme \"\(name)\"; the themes are \(names)")
        }
        config.theme = preset
      case "colors":
        guard let t = value.table else { throw problem(nil, key, "colors must be a table: [colors], then role = \"style\" lines") }
        colors = t
      case "keys":
        guard let t = value.table else { throw problem(nil, key, "keys must be a table: [keys], then command = \"key\" lines") }
        for (name, keys) in t { checking { () throws(Problem) in try bind(name, keys) } }
      default:
        let names = topLevel.keys.sorted().joined(separator: ", ")
        throw problem(nil, key, value: false, "unknown setting \"\(key)\"\(suggestion(key, among: topLevel.keys)); the settings are \(names)")
      }
    }

    func restyle(_ key: String, _ value: TOMLValueConvertible) throws(Problem) {
      let roles = Theme.Role.allCases.map(\.rawValue)
      guard let role = Theme.Role(rawValue: key) else {
        throw problem("colors", key, value: false, "unknown role \"\(key)\"\(suggestion(key, among: roles)); the roles are \(roles.joined(separator: ", "))")
      }
      let spec = try string(value, "colors", key)
      do {
        config.theme[role] = try StyleSpec.parse(spec)
      } catch {
        throw problem("colors", key, "\(error)")
      }
    }

    func bind(_ name: String, _ value: TOMLValueConvertible) throws(Problem) {
      guard let command = Command(configName: name) else {
        let names = Command.allCases.map(\.configName)
        throw problem(
          "keys", name, value: false,
          "unknown command \"\(name)\"\(suggestion(name, among: names)); the commands are listed in the README (Keys) and in man timeline")
      }
      let written: [String]
      if let s = value.string {
        written = [s]
      } else if let list = value.array, list.allSatisfy({ $0.string != nil }) {
        written = list.compactMap(\.string)
      } else {
        throw problem("keys", name, "\(name) must be a key in quotes, or a list of them: [\"q\", \"Ctrl-Q\"]")
      }
      var keys: [Key] = []
      for w in written {
        guard let key = Key(name: w) else {
          throw problem("keys", name, "unknown key \"\(w)\": a character, a name (Enter, Esc, Tab, Space, Up, PgDn, F1…) or Ctrl-X")
        }
        if !keys.contains(key) { keys.append(key) }
      }
      if command == .quit && keys.isEmpty { throw problem("keys", name, "quit needs a key") }
      rebound[command] = keys
    }

    for (key, value) in table { checking { () throws(Problem) in try setting(key, value) } }
    // Colours restyle the chosen preset, whichever order the file gives them in.
    for (key, value) in colors { checking { () throws(Problem) in try restyle(key, value) } }
    checking { () throws(Problem) in
      do throws(KeyBindings.Conflict) {
        config.bindings = try KeyBindings(rebinding: rebound)
      } catch {
        throw problem("keys", error.second.configName, "\(error)")
      }
    }
    if !found.isEmpty { throw Problems(list: found.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
    return config
  }

  private static func describe(_ v: TOMLValueConvertible) -> String {
    switch v.type {
    case .string: "a string"
    case .int, .double: "a number"
    case .bool: "true or false"
    case .array: "a list"
    case .table: "a table"
    default: "a date"
    }
  }

  private static func suggestion<S: Sequence<String>>(_ word: String, among names: S) -> String {
    guard let close = Suggestions.closest(to: word, among: Array(names), limit: 1).first else { return "" }
    return " (did you mean \"\(close)\"?)"
  }
}

/// Where each key of the file is written, for messages: TOMLKit gives positions only for syntax errors,
/// so the lines are scanned for `[table]` headers and `key =` assignments.
struct KeyPlaces {
  private var places: [String: (line: Int, key: Int, value: Int)] = [:]

  init(_ text: String) {
    var table: String?
    for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = Array(raw.unicodeScalars)
      let start = line.firstIndex { $0 != " " && $0 != "\t" } ?? line.count
      guard start < line.count, line[start] != "#" else { continue }
      if line[start] == "[" {
        let inner = String(String.UnicodeScalarView(line[(start + 1)...].prefix { $0 != "]" }))
        table = inner.trimmingCharacters(in: .whitespaces)
        continue
      }
      guard let equals = line[start...].firstIndex(of: "=") else { continue }
      var key = String(String.UnicodeScalarView(line[start..<equals])).trimmingCharacters(in: .whitespaces)
      if key.count >= 2, key.hasPrefix("\""), key.hasSuffix("\"") { key = String(key.dropFirst().dropLast()) }
      let value = line[(equals + 1)...].firstIndex { $0 != " " && $0 != "\t" } ?? line.count
      let id = (table.map { $0 + "." } ?? "") + key
      if places[id] == nil { places[id] = (n + 1, start + 1, value + 1) }
    }
  }

  /// The line and column of a key (or of its value), else of the start of the file.
  func place(table: String?, key: String, value: Bool) -> (line: Int, column: Int) {
    guard let p = places[(table.map { $0 + "." } ?? "") + key] else { return (1, 1) }
    return (p.line, value ? p.value : p.key)
  }
}

/// A style as a configuration file writes it: colour names and attributes, in any order, with
/// `on COLOUR` for the background: "yellow", "bold red", "black on yellow", "reverse", "underline
/// bright-blue", "default" (the terminal's own).
enum StyleSpec {
  struct Invalid: Error, CustomStringConvertible {
    var description: String
  }

  static let colors: [String: Color] = Dictionary(
    uniqueKeysWithValues: Color.allCases.map { c in
      let name = "\(c)"
      return (name.hasPrefix("bright") ? "bright-" + name.dropFirst(6).lowercased() : name, c)
    })

  static func parse(_ spec: String) throws(Invalid) -> Style {
    var style = Style()
    var words = spec.lowercased().split(whereSeparator: \.isWhitespace).map(String.init)[...]
    guard !words.isEmpty else { throw Invalid(description: "an empty style; write \"default\" for the terminal's own") }
    while let word = words.popFirst() {
      switch word {
      case "default", "plain", "none": break
      case "bold": style.bold = true
      case "dim": style.dim = true
      case "underline": style.underline = true
      case "reverse": style.reverse = true
      case "on":
        guard let name = words.popFirst(), let c = colors[name] else {
          throw Invalid(description: "\"on\" must be followed by a colour: \(colors.keys.sorted().joined(separator: ", "))")
        }
        style.background = c
      default:
        guard let c = colors[word] else {
          throw Invalid(
            description: "unknown colour or attribute \"\(word)\"; colours: \(colors.keys.sorted().joined(separator: ", ")); attributes: bold, dim, underline, reverse")
        }
        style.foreground = c
      }
    }
    return style
  }
}
