/// Every command of the explorer with its keys and help text: the one table from which key handling,
/// the `?` help overlay and the README's key table are made (as tig does with its request list), so
/// they cannot drift apart.
public enum Command: String, CaseIterable, Sendable {
  case moveDown, moveUp, top, bottom, pageDown, pageUp, halfPageDown, halfPageUp
  case previousYear, nextYear, previousEra, nextEra, goToDate
  case countryPicker, personPicker, clearFilters
  case search, nextMatch, previousMatch
  case toggleDetail, back, help, quit, redraw

  public enum Group: String, CaseIterable, Sendable {
    case move = "Move"
    case time = "Jump in time"
    case filter = "Filter"
    case search = "Search"
    case view = "View"
  }

  public var group: Group {
    switch self {
    case .moveDown, .moveUp, .top, .bottom, .pageDown, .pageUp, .halfPageDown, .halfPageUp: .move
    case .previousYear, .nextYear, .previousEra, .nextEra, .goToDate: .time
    case .countryPicker, .personPicker, .clearFilters: .filter
    case .search, .nextMatch, .previousMatch: .search
    case .toggleDetail, .back, .help, .quit, .redraw: .view
    }
  }

  public var keys: [Key] {
    switch self {
    case .moveDown: [.char("j"), .down]
    case .moveUp: [.char("k"), .up]
    case .top: [.char("g"), .home]
    case .bottom: [.char("G"), .end]
    case .pageDown: [.pageDown, .ctrl("f"), .char(" ")]
    case .pageUp: [.pageUp, .ctrl("b")]
    case .halfPageDown: [.ctrl("d")]
    case .halfPageUp: [.ctrl("u")]
    case .previousYear: [.char("[")]
    case .nextYear: [.char("]")]
    case .previousEra: [.char("{")]
    case .nextEra: [.char("}")]
    case .goToDate: [.char(":")]
    case .countryPicker: [.char("c")]
    case .personPicker: [.char("p")]
    case .clearFilters: [.char("x")]
    case .search: [.char("/")]
    case .nextMatch: [.char("n")]
    case .previousMatch: [.char("N")]
    case .toggleDetail: [.enter, .tab]
    case .back: [.escape]
    case .help: [.char("?")]
    case .quit: [.char("q"), .ctrl("c")]
    case .redraw: [.ctrl("l")]
    }
  }

  public var help: String {
    switch self {
    case .moveDown: "next event"
    case .moveUp: "previous event"
    case .top: "first event"
    case .bottom: "last event"
    case .pageDown: "page down"
    case .pageUp: "page up"
    case .halfPageDown: "half a page down"
    case .halfPageUp: "half a page up"
    case .previousYear: "previous year"
    case .nextYear: "next year"
    case .previousEra: "previous era"
    case .nextEra: "next era"
    case .goToDate: "go to a date: 2020, 2020-08 or 2020-08-25"
    case .countryPicker: "filter by country"
    case .personPicker: "filter by person"
    case .clearFilters: "clear every filter"
    case .search: "search (highlights matches, keeps the list)"
    case .nextMatch: "next match"
    case .previousMatch: "previous match"
    case .toggleDetail: "focus the detail pane (again: back to the list)"
    case .back: "back: close, cancel, or drop the search"
    case .help: "this help"
    case .quit: "quit (q closes the help first; Ctrl-C always quits)"
    case .redraw: "redraw the screen"
    }
  }

  /// The keys as shown in help: "j ↓".
  public var keyLabel: String { keys.map(\.description).joined(separator: " ") }

  private static let byKey: [Key: Command] = {
    var map: [Key: Command] = [:]
    for c in allCases {
      for k in c.keys where map[k] == nil { map[k] = c }
    }
    return map
  }()

  /// The command a key runs in the list or detail pane.
  public static func forKey(_ key: Key) -> Command? { byKey[key] }

  /// Keys inside a picker, for the help overlay and the picker's own footer.
  public static let pickerKeys: [(String, String)] = [
    ("type", "narrow: any name, alias or code, English or French"),
    ("↑ ↓ PgUp PgDn", "move"),
    ("Space", "turn the value on or off (several: any of them)"),
    ("Enter", "apply"),
    ("Esc", "cancel"),
  ]

  /// The key table in Markdown, as the README shows it.
  public static var markdownTable: String {
    var out = "| keys | action |\n| --- | --- |\n"
    for group in Group.allCases {
      out += "| **\(group.rawValue)** | |\n"
      for c in allCases where c.group == group {
        out += "| " + c.keys.map { "`\($0.description)`" }.joined(separator: " ") + " | \(c.help) |\n"
      }
    }
    out += "| **In a picker (`c`, `p`)** | |\n"
    for (k, h) in pickerKeys { out += "| \(k.split(separator: " ").map { "`\($0)`" }.joined(separator: " ")) | \(h) |\n" }
    out += "| **Mouse** | |\n| wheel | scroll |\n| click | select an event (or a picker value) |\n"
    return out
  }
}
