import TimelineCore

/// Where a key is read: the list, the timeline view, the focused detail pane, an open picker, a prompt
/// line (`/`, `:`, and a picker's query), or the help overlay. Each scope has its own keys; a key the
/// timeline view does not bind works as in the list (except the list's moves), a key the detail pane does
/// not bind works as in the view behind it, and a picker's query line edits as a prompt does.
public enum Scope: String, CaseIterable, Sendable {
  case list, lanes, detail, picker, prompt, help, choice, note
}

/// Every command of the explorer with its scope, keys, help text and footer hint: the one table from
/// which key handling, the `?` help overlay, the footer and the README's key table are made (as tig
/// does with its request list and bubbles with its key bindings), so they cannot drift apart.
public enum Command: String, CaseIterable, Sendable {
  // The list.
  case moveDown, moveUp, top, bottom, pageDown, pageUp, halfPageDown, halfPageUp
  case previousYear, nextYear, previousEra, nextEra, goToDate, brush
  case countryPicker, personPicker, tagPicker, confidencePicker, eraPicker, sourcePicker, clearFilters, undo
  case search, nextMatch, previousMatch, searchFilter
  case toggleDetail, toggleView, back, help, quit, redraw
  case toggleMark, nextMark, previousMark, markedOnly, editNote, export, copySource, copyWhat, openSource
  case reload, showProblems, resetSession
  // The timeline view.
  case laneNext, lanePrevious, laneFirst, laneLast, laneDown, laneUp, lanePageDown, lanePageUp
  case zoomIn, zoomOut, panLeft, panRight, fitAll, nextLaneFacet, previousLaneFacet, laneOrder
  // The focused detail pane.
  case detailDown, detailUp, detailPageDown, detailPageUp, detailHalfPageDown, detailHalfPageUp, detailTop, detailBottom, detailBack
  // A picker.
  case pickerToggle, pickerToggleUp, pickerExclude, pickerDown, pickerUp, pickerPageDown, pickerPageUp, pickerApply, pickerCancel
  case pickerHistoryPrevious, pickerHistoryNext
  // A prompt line, and a picker's query.
  case cursorLeft, cursorRight, lineStart, lineEnd, deleteBackward, deleteForward, deleteWord, deleteToStart, deleteToEnd
  case historyPrevious, historyNext, promptAccept, promptCancel, regexToggle
  // The help overlay.
  case helpDown, helpUp, helpPageDown, helpPageUp, helpTop, helpBottom, helpClose
  // A chooser (what to copy or open).
  case choiceDown, choiceUp, choicePick, choiceCancel
  // Writing a note.
  case noteNewLine, noteUp, noteDown, noteSave, noteCancel

  /// A heading of the help and of the README's table; each belongs to one scope.
  public enum Group: String, CaseIterable, Sendable {
    case move = "Move"
    case time = "Jump in time"
    case filter = "Filter"
    case search = "Search"
    case view = "View"
    case keep = "Marks, notes, sources, export"
    case lanes = "In the timeline (T)"
    case detail = "In the detail pane (Enter or Tab)"
    case picker = "In a picker (c p t o e s)"
    case prompt = "Editing a prompt (/ : and a picker's query)"
    case help = "In this help (and the list of a file's problems)"
    case choice = "In a chooser (y Y O with several choices)"
    case note = "Writing a note (a)"

    /// What typing does there, for the help and the README (typing is no command).
    public var typing: String? {
      switch self {
      case .picker: "narrow: any name, alias or code, English or French (Space is a space)"
      case .prompt: "insert at the cursor (the line scrolls to keep it in view)"
      case .note: "insert at the cursor; the keys of a prompt edit"
      case .choice: "1 to 9: that choice"
      default: nil
      }
    }

    public var scope: Scope {
      switch self {
      case .move, .time, .filter, .search, .view, .keep: .list
      case .lanes: .lanes
      case .detail: .detail
      case .picker: .picker
      case .prompt: .prompt
      case .help: .help
      case .choice: .choice
      case .note: .note
      }
    }
  }

  public var group: Group {
    switch self {
    case .moveDown, .moveUp, .top, .bottom, .pageDown, .pageUp, .halfPageDown, .halfPageUp: .move
    case .previousYear, .nextYear, .previousEra, .nextEra, .goToDate, .brush: .time
    case .countryPicker, .personPicker, .tagPicker, .confidencePicker, .eraPicker, .sourcePicker, .clearFilters, .undo: .filter
    case .search, .nextMatch, .previousMatch, .searchFilter: .search
    case .toggleDetail, .toggleView, .back, .help, .quit, .redraw: .view
    case .toggleMark, .nextMark, .previousMark, .markedOnly, .editNote, .export, .copySource, .copyWhat, .openSource, .reload,
      .showProblems, .resetSession:
      .keep
    case .laneNext, .lanePrevious, .laneFirst, .laneLast, .laneDown, .laneUp, .lanePageDown, .lanePageUp, .zoomIn, .zoomOut, .panLeft,
      .panRight, .fitAll, .nextLaneFacet, .previousLaneFacet, .laneOrder:
      .lanes
    case .detailDown, .detailUp, .detailPageDown, .detailPageUp, .detailHalfPageDown, .detailHalfPageUp, .detailTop, .detailBottom,
      .detailBack:
      .detail
    case .pickerToggle, .pickerToggleUp, .pickerExclude, .pickerDown, .pickerUp, .pickerPageDown, .pickerPageUp, .pickerApply,
      .pickerCancel, .pickerHistoryPrevious, .pickerHistoryNext:
      .picker
    case .cursorLeft, .cursorRight, .lineStart, .lineEnd, .deleteBackward, .deleteForward, .deleteWord, .deleteToStart,
      .deleteToEnd, .historyPrevious, .historyNext, .promptAccept, .promptCancel, .regexToggle:
      .prompt
    case .helpDown, .helpUp, .helpPageDown, .helpPageUp, .helpTop, .helpBottom, .helpClose: .help
    case .choiceDown, .choiceUp, .choicePick, .choiceCancel: .choice
    case .noteNewLine, .noteUp, .noteDown, .noteSave, .noteCancel: .note
    }
  }

  public var scope: Scope { group.scope }

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
    case .brush: [.char("v")]
    case .countryPicker: [.char("c")]
    case .personPicker: [.char("p")]
    case .tagPicker: [.char("t")]
    case .confidencePicker: [.char("o")]
    case .eraPicker: [.char("e")]
    case .sourcePicker: [.char("s")]
    case .clearFilters: [.char("x")]
    case .undo: [.char("u")]
    case .search: [.char("/")]
    case .nextMatch: [.char("n")]
    case .previousMatch: [.char("N")]
    case .searchFilter: [.char("&")]
    case .toggleDetail: [.enter, .tab]
    case .toggleView: [.char("T")]
    case .back: [.escape]
    case .help: [.char("?")]
    case .quit: [.char("q"), .ctrl("c")]
    case .redraw: [.ctrl("l")]
    case .toggleMark: [.char("m")]
    case .nextMark: [.char("'")]
    case .previousMark: [.char("\"")]
    case .markedOnly: [.char("M")]
    case .editNote: [.char("a")]
    case .export: [.char("w")]
    case .copySource: [.char("y")]
    case .copyWhat: [.char("Y")]
    case .openSource: [.char("O")]
    case .reload: [.char("R")]
    case .showProblems: [.char("!")]
    case .resetSession: [.ctrl("r")]

    case .laneNext: [.char("l"), .right]
    case .lanePrevious: [.char("h"), .left]
    case .laneFirst: [.char("g"), .home]
    case .laneLast: [.char("G"), .end]
    case .laneDown: [.char("j"), .down]
    case .laneUp: [.char("k"), .up]
    case .lanePageDown: [.pageDown, .ctrl("f"), .char(" ")]
    case .lanePageUp: [.pageUp, .ctrl("b")]
    case .zoomIn: [.char("z"), .char("+")]
    case .zoomOut: [.char("Z"), .char("-")]
    case .panLeft: [.char("H")]
    case .panRight: [.char("L")]
    case .fitAll: [.char("0")]
    case .nextLaneFacet: [.char("f")]
    case .previousLaneFacet: [.char("F")]
    case .laneOrder: [.char("S")]

    case .detailDown: [.char("j"), .down]
    case .detailUp: [.char("k"), .up]
    case .detailPageDown: [.pageDown, .ctrl("f"), .char(" ")]
    case .detailPageUp: [.pageUp, .ctrl("b")]
    case .detailHalfPageDown: [.ctrl("d")]
    case .detailHalfPageUp: [.ctrl("u")]
    case .detailTop: [.char("g"), .home]
    case .detailBottom: [.char("G"), .end]
    case .detailBack: [.escape, .enter, .tab]

    case .pickerToggle: [.tab]
    case .pickerToggleUp: [.backTab]
    case .pickerExclude: [.ctrl("x")]
    case .pickerDown: [.down]
    case .pickerUp: [.up]
    case .pickerPageDown: [.pageDown]
    case .pickerPageUp: [.pageUp]
    case .pickerApply: [.enter]
    case .pickerCancel: [.escape]
    case .pickerHistoryPrevious: [.ctrl("p")]
    case .pickerHistoryNext: [.ctrl("n")]

    case .cursorLeft: [.left, .ctrl("b")]
    case .cursorRight: [.right, .ctrl("f")]
    case .lineStart: [.home, .ctrl("a")]
    case .lineEnd: [.end, .ctrl("e")]
    case .deleteBackward: [.backspace]
    case .deleteForward: [.delete, .ctrl("d")]
    case .deleteWord: [.ctrl("w")]
    case .deleteToStart: [.ctrl("u")]
    case .deleteToEnd: [.ctrl("k")]
    case .historyPrevious: [.up, .ctrl("p")]
    case .historyNext: [.down, .ctrl("n")]
    case .promptAccept: [.enter]
    case .promptCancel: [.escape]
    case .regexToggle: [.ctrl("r")]

    case .helpDown: [.char("j"), .down]
    case .helpUp: [.char("k"), .up]
    case .helpPageDown: [.pageDown, .char(" "), .ctrl("f"), .ctrl("d")]
    case .helpPageUp: [.pageUp, .ctrl("b"), .ctrl("u")]
    case .helpTop: [.char("g"), .home]
    case .helpBottom: [.char("G"), .end]
    case .helpClose: [.char("q"), .escape, .char("?"), .enter]

    case .choiceDown: [.char("j"), .down, .tab]
    case .choiceUp: [.char("k"), .up, .backTab]
    case .choicePick: [.enter]
    case .choiceCancel: [.escape, .char("q")]

    case .noteNewLine: [.ctrl("o")]
    case .noteUp: [.up]
    case .noteDown: [.down]
    case .noteSave: [.enter]
    case .noteCancel: [.escape]
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
    case .previousYear: "start of this year, or of the year before"
    case .nextYear: "start of the next year"
    case .previousEra: "previous era"
    case .nextEra: "next era"
    case .goToDate:
      "go to a date (2020, 2020-08-25, 45 BC; the timeline puts it in the middle), or filter a range: 2020-08..2020-09, 2020-08-23.., ..2016, .. to clear (the timeline fits it)"
    case .brush: "a date range on the time strip: v at one end, move, v at the other (Esc cancels)"
    case .countryPicker: "filter by country"
    case .personPicker: "filter by person"
    case .tagPicker: "filter by tag"
    case .confidencePicker: "filter by confidence"
    case .eraPicker: "filter by era"
    case .sourcePicker: "filter by source (publisher)"
    case .clearFilters: "clear every filter (and a search used as one)"
    case .undo: "undo the last change to the filters or the search"
    case .search: "search: words, \"a phrase\", !word to leave out, a | b (highlights the matches)"
    case .nextMatch: "next match"
    case .previousMatch: "previous match"
    case .searchFilter: "the search as a filter (only the matches) and back"
    case .toggleDetail: "focus the detail pane (again: back to the list)"
    case .toggleView: "the list or the timeline: lanes on a time axis (same filters, search and event)"
    case .back: "back: close, cancel, or drop the search"
    case .help: "this help"
    case .quit: "quit (q closes the help first; Ctrl-C always quits)"
    case .redraw: "redraw the screen"
    case .toggleMark: "mark or unmark the event (kept for this file between runs)"
    case .nextMark: "next marked event"
    case .previousMark: "previous marked event"
    case .markedOnly: "only the marked events, and back"
    case .editNote: "write your own note on the event (searchable, kept for this file)"
    case .export: "write the events listed to a file: .json .csv .md .txt .ics .tljs"
    case .copySource: "copy the source's address to the clipboard (OSC 52)"
    case .copyWhat: "copy the title and date, the id or an address"
    case .openSource: "open the source's address in the browser"
    case .reload: "read the data file again now"
    case .showProblems: "the problems of a changed file that no longer validates"
    case .resetSession: "start afresh: no filters, no search (marks and notes stay)"

    case .laneNext: "next event in this lane"
    case .lanePrevious: "previous event in this lane"
    case .laneFirst: "first event in this lane"
    case .laneLast: "last event in this lane"
    case .laneDown: "the lane below (its event nearest in time)"
    case .laneUp: "the lane above"
    case .lanePageDown: "a page of lanes down"
    case .lanePageUp: "a page of lanes up"
    case .zoomIn: "zoom in around the event"
    case .zoomOut: "zoom out"
    case .panLeft: "a screen earlier"
    case .panRight: "a screen later"
    case .fitAll: "zoom to the whole span of the results (of the date range, when one is on)"
    case .nextLaneFacet: "lanes by country, person, tag, confidence, era, source, or one lane (in turn)"
    case .previousLaneFacet: "the same, backwards"
    case .laneOrder: "lanes by count or by first appearance"

    case .detailDown: "scroll down a line"
    case .detailUp: "scroll up a line"
    case .detailPageDown: "scroll down a page"
    case .detailPageUp: "scroll up a page"
    case .detailHalfPageDown: "scroll down half a page"
    case .detailHalfPageUp: "scroll up half a page"
    case .detailTop: "to the top"
    case .detailBottom: "to the end"
    case .detailBack: "back to the list (other keys work as in the list)"

    case .pickerToggle: "turn the value on or off and go down (several: any of them)"
    case .pickerToggleUp: "turn the value on or off and go up"
    case .pickerExclude: "exclude the value: \"not this\" (again: off)"
    case .pickerDown: "next value"
    case .pickerUp: "previous value"
    case .pickerPageDown: "page down"
    case .pickerPageUp: "page up"
    case .pickerApply: "apply what the title calls on (nothing toggled: this value too)"
    case .pickerCancel: "cancel"
    case .pickerHistoryPrevious: "an earlier query"
    case .pickerHistoryNext: "a later query"

    case .cursorLeft: "move left"
    case .cursorRight: "move right"
    case .lineStart: "start of the line"
    case .lineEnd: "end of the line"
    case .deleteBackward: "delete the character before"
    case .deleteForward: "delete the character under the cursor"
    case .deleteWord: "delete the word before"
    case .deleteToStart: "delete to the start"
    case .deleteToEnd: "delete to the end"
    case .historyPrevious: "an earlier entry (kept per data file)"
    case .historyNext: "a later entry"
    case .promptAccept: "done"
    case .promptCancel: "cancel (a search goes back to what it was)"
    case .regexToggle: "the search as a regular expression, or as words"

    case .helpDown: "scroll down"
    case .helpUp: "scroll up"
    case .helpPageDown: "page down"
    case .helpPageUp: "page up"
    case .helpTop: "to the top"
    case .helpBottom: "to the end"
    case .helpClose: "close the help"

    case .choiceDown: "next choice"
    case .choiceUp: "previous choice"
    case .choicePick: "copy or open it"
    case .choiceCancel: "cancel"

    case .noteNewLine: "a new line"
    case .noteUp: "the line above"
    case .noteDown: "the line below"
    case .noteSave: "keep the note (empty: remove it)"
    case .noteCancel: "cancel"
    }
  }

  /// The footer's hint for a command: its key as the footer writes it, a word, and a priority (higher
  /// stays longer on a narrow screen; hints of equal priority go together, so the footer degrades
  /// evenly). Commands without a hint are in the help only.
  public var hint: (keys: String, label: String, priority: Int)? {
    switch self {
    case .moveDown: ("j/k", "move", 3)
    case .search: ("/", "search", 3)
    case .nextMatch: ("n/N", "next/prev", 2)
    case .countryPicker: ("c", "country", 2)
    case .personPicker: ("p", "person", 2)
    case .tagPicker: ("t", "tag", 1)
    case .confidencePicker: ("o", "confidence", 1)
    case .eraPicker: ("e", "era", 1)
    case .sourcePicker: ("s", "source", 1)
    case .clearFilters: ("x", "clear", 4)
    case .undo: ("u", "undo", 4)
    case .searchFilter: ("&", "filter", 2)
    case .toggleDetail: ("Enter", "detail", 1)
    case .toggleView: ("T", "timeline", 1)
    case .lanePrevious: ("h/l", "event", 3)
    case .laneDown: ("j/k", "lane", 3)
    case .zoomIn: ("z/Z", "zoom", 3)
    case .panLeft: ("H/L", "pan", 2)
    case .nextLaneFacet: ("f", "lanes by", 2)
    case .help: ("?", "help", 5)
    case .quit: ("q", "quit", 5)
    case .detailDown: ("j/k", "scroll", 4)
    case .detailBack: ("Esc", "back to list", 5)
    case .pickerToggle: ("Tab", "toggle", 5)
    case .pickerExclude: ("C-x", "exclude", 4)
    case .pickerApply: ("Enter", "apply", 6)
    case .pickerCancel: ("Esc", "cancel", 6)
    case .helpDown: ("j/k", "scroll", 3)
    case .helpClose: ("q", "close", 6)
    case .showProblems: ("!", "problems", 5)
    case .choicePick: ("Enter", "choose", 6)
    case .choiceCancel: ("Esc", "cancel", 6)
    case .noteSave: ("Enter", "keep", 6)
    case .noteNewLine: ("C-o", "new line", 5)
    case .noteCancel: ("Esc", "cancel", 6)
    default: nil
    }
  }

  /// The facet a picker command opens.
  public var facet: Facet? {
    switch self {
    case .countryPicker: .country
    case .personPicker: .person
    case .tagPicker: .tag
    case .confidencePicker: .confidence
    case .eraPicker: .era
    case .sourcePicker: .source
    default: nil
    }
  }

  /// The command that opens a facet's picker.
  public static func picker(_ facet: Facet) -> Command {
    switch facet {
    case .country: .countryPicker
    case .person: .personPicker
    case .tag: .tagPicker
    case .confidence: .confidencePicker
    case .era: .eraPicker
    case .source: .sourcePicker
    }
  }

  /// The keys as shown in help: "j ↓".
  public var keyLabel: String { keys.map(\.description).joined(separator: " ") }

  private static let byKey: [Scope: [Key: Command]] = {
    var map: [Scope: [Key: Command]] = [:]
    for c in allCases {
      for k in c.keys where map[c.scope, default: [:]][k] == nil { map[c.scope, default: [:]][k] = c }
    }
    return map
  }()

  /// The command a key runs in a scope (only that scope's own keys; see `Scope`).
  public static func forKey(_ key: Key, in scope: Scope) -> Command? { byKey[scope]?[key] }

  /// Commands in the order the help and the README list them, group by group.
  public static var grouped: [(group: Group, commands: [Command])] {
    Group.allCases.map { g in (g, allCases.filter { $0.group == g }) }
  }

  /// What the mouse does, for the help and the README.
  public static let mouse: [(String, String)] = [
    ("wheel", "scroll the list, the detail or a picker; in the timeline, pan (over the labels: go through the lanes)"),
    ("Ctrl or Alt + wheel", "in the timeline, zoom around the pointer (where the terminal passes them on)"),
    ("click", "select an event (in the timeline: the nearest in that lane); in a picker, turn a value on or off; outside it, cancel"),
    ("click the time strip", "go to that time; a drag, or a click on another bar, filters the range between"),
    ("click an era", "go to its first event"),
  ]

  /// The key table in Markdown, as the README shows it.
  public static var markdownTable: String {
    var out = "| keys | action |\n| --- | --- |\n"
    for (group, commands) in grouped {
      out += "| **\(group.rawValue)** | |\n"
      if let typing = group.typing { out += "| type | \(typing) |\n" }
      for c in commands {
        out += "| " + c.keys.map { "`\($0.description)`" }.joined(separator: " ") + " | \(c.help) |\n"
      }
    }
    out += "| **Mouse** | |\n"
    for (what, does) in mouse { out += "| \(what) | \(does) |\n" }
    return out
  }

  /// The keys as the manual page's KEYS section (mdoc), group by group as in the help.
  public static var mdocKeyList: String {
    /// Text as mdoc prints it: `\&` first so that no word is read as a macro, a delimiter (`[`, `:`)
    /// or a control line, and backslashes written as `\e`.
    func text(_ s: String) -> String { "\\&" + s.replacingOccurrences(of: "\\", with: "\\e") }
    var out = ".Sh KEYS\n"
    out += "In the explorer (\\&? shows the same list):\n"
    for (group, commands) in grouped {
      out += ".Ss \(text(group.rawValue))\n.Bl -tag -width 18n -compact\n"
      if let typing = group.typing { out += ".It type\n\(text(typing))\n" }
      for c in commands {
        out += ".It " + c.keys.map { "Li " + text($0.description) }.joined(separator: " ") + "\n" + text(c.help) + "\n"
      }
      out += ".El\n"
    }
    out += ".Ss Mouse\n.Bl -tag -width 18n -compact\n"
    for (what, does) in mouse { out += ".It \(text(what))\n\(text(does))\n" }
    return out + ".El\n"
  }
}
