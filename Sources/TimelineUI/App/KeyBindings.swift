/// Which keys run which command, scope by scope: the command table's keys (`Command.keys`), with the
/// commands a configuration file rebinds. Key handling, the help, the footer and the messages that
/// name a key all read the state's bindings, so they show the keys that work.
public struct KeyBindings: Hashable, Sendable {
  private var keys: [Command: [Key]] = [:]
  private var byKey: [Scope: [Key: Command]] = [:]

  public static let standard = KeyBindings()

  /// Why a set of bindings cannot be used: two rebound commands of one scope share a key.
  public struct Conflict: Error, Sendable, CustomStringConvertible {
    public var key: Key
    public var first: Command
    public var second: Command
    public var description: String {
      "\(key) would run both \(first.configName) and \(second.configName) (\(first.scope.rawValue) keys)"
    }
  }

  /// The command table's keys, with `rebound` commands given their new keys. A rebound key is taken from
  /// the command of the same scope that had it by default; two rebound commands of one scope may not
  /// share a key.
  public init(rebinding rebound: [Command: [Key]] = [:]) throws(Conflict) {
    for c in Command.allCases { keys[c] = rebound[c] ?? c.keys }
    for (c, list) in rebound.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
      for key in list {
        for other in Command.allCases where other != c && other.scope == c.scope && keys[other]!.contains(key) {
          if rebound[other] != nil { throw Conflict(key: key, first: other, second: c) }
          keys[other]!.removeAll { $0 == key }
        }
      }
    }
    for c in Command.allCases {
      for k in keys[c]! where byKey[c.scope, default: [:]][k] == nil { byKey[c.scope, default: [:]][k] = c }
    }
  }

  private init() {
    try! self.init(rebinding: [:])
  }

  /// The command a key runs in a scope.
  public func command(for key: Key, in scope: Scope) -> Command? { byKey[scope]?[key] }

  public func keys(_ command: Command) -> [Key] { keys[command] ?? [] }

  /// The keys as the help shows them: "j ↓".
  public func label(_ command: Command) -> String { keys(command).map(\.description).joined(separator: " ") }

  /// The first key, as the footer and messages name it ("?" for help, "C-x"); empty when unbound.
  public func short(_ command: Command) -> String { keys(command).first.map(\.shortDescription) ?? "" }

  /// Commands whose footer hint names the keys of a pair: "j/k move", "n/N next/prev".
  static let hintPairs: [Command: Command] = [
    .moveDown: .moveUp, .nextMatch: .previousMatch, .detailDown: .detailUp, .helpDown: .helpUp,
    .lanePrevious: .laneNext, .laneDown: .laneUp, .zoomIn: .zoomOut, .panLeft: .panRight,
  ]

  /// The keys a footer hint shows for a command.
  public func hintKeys(_ command: Command) -> String {
    short(command) + (Self.hintPairs[command].map { "/" + short($0) } ?? "")
  }
}

extension Command {
  /// The command's name in a configuration file: `move-down`, `country-picker`, `picker-exclude`.
  public var configName: String {
    var out = ""
    for c in rawValue {
      if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
    }
    return out
  }

  public init?(configName: String) {
    guard let c = Command.allCases.first(where: { $0.configName == configName }) else { return nil }
    self = c
  }
}

extension Key {
  /// The short form the footer uses: `C-x` for Ctrl-X, the description otherwise.
  public var shortDescription: String {
    if case .ctrl(let c) = self { return "C-" + String(c) }
    return description
  }

  /// Reads a key as a configuration file or `render --keys` writes it: a character (`j`, `?`), a name (`Enter`,
  /// `Esc`, `Tab`, `Shift-Tab`, `Space`, `Up`/`↑`, `Down`, `Left`, `Right`, `Home`, `End`, `PgUp`,
  /// `PgDn`, `Backspace`, `Delete`, `F1`…`F12`), or a control key (`Ctrl-X`, `C-x`); names in any case.
  public init?(name: String) {
    let lower = name.lowercased()
    for prefix in ["ctrl-", "c-", "^"] where lower.hasPrefix(prefix) && lower.count > prefix.count {
      let rest = lower.dropFirst(prefix.count)
      guard rest.count == 1, let c = rest.first, c.isLetter, c.isASCII else { return nil }
      self = .ctrl(c)
      return
    }
    let named: [String: Key] = [
      "enter": .enter, "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab, "shift-tab": .backTab,
      "backtab": .backTab, "btab": .backTab, "s-tab": .backTab, "bs": .backspace, "space": .char(" "), "up": .up, "↑": .up, "down": .down, "↓": .down, "left": .left, "←": .left,
      "right": .right, "→": .right, "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown,
      "pagedown": .pageDown, "backspace": .backspace, "delete": .delete, "del": .delete,
    ]
    if let k = named[lower] {
      self = k
      return
    }
    if name.count == 1, let c = name.first {
      self = .char(c)
      return
    }
    if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) {
      self = .function(n)
      return
    }
    return nil
  }
}
