import TimelineCore

/// The bottom line: the open prompt, a message, or the keys that matter now.
enum FooterView {
  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard !rect.isEmpty else { return }
    let y = rect.y
    if case .prompt(let p) = state.overlay {
      drawPrompt(p, state, in: rect, into: &buffer)
      return
    }
    var x = rect.x
    if let m = state.message {
      x = buffer.put(m, x: x, y: y, style: Theme.message, maxWidth: rect.width)
      x += 2
    }
    for (k, h) in fitting(hints(state), width: rect.maxX - x) {
      x = buffer.put(k, x: x, y: y, style: Theme.key)
      x = buffer.put(" " + h, x: x, y: y, style: Theme.dim) + 2
    }
  }

  /// The hints that fit in `width` columns: when some must go, all those of the lowest priority go
  /// together (so "c country" never goes while "p person" stays), then the next lowest.
  static func fitting(_ hints: [(keys: String, label: String, priority: Int)], width: Int) -> [(String, String)] {
    var items = hints
    func used(_ list: [(keys: String, label: String, priority: Int)]) -> Int {
      list.reduce(0) { $0 + DisplayWidth.of($1.keys) + 1 + DisplayWidth.of($1.label) + 2 }
    }
    while !items.isEmpty && used(items) - 2 > width {
      let lowest = items.map(\.priority).min()!
      items.removeAll { $0.priority == lowest }
    }
    return items.map { ($0.keys, $0.label) }
  }

  /// The keys that matter now, from the command table: the hints of the scope in use, for the
  /// commands that would do something.
  static func hints(_ state: AppState) -> [(keys: String, label: String, priority: Int)] {
    let scope: Scope
    switch state.overlay {
    case .picker: scope = .picker
    case .help: scope = .help
    case .prompt: scope = .prompt
    case .chooser: scope = .choice
    case .note: scope = .note
    case .problems: scope = .help
    case nil: scope = state.focus == .detail ? .detail : state.mode == .lanes ? .lanes : .list
    }
    var commands = Command.allCases.filter { $0.scope == scope }
    // The timeline's keys work in the detail pane beside it, and the list's in both, unless they use
    // the key themselves (the timeline has its own moves).
    var own = Set(commands.flatMap(state.bindings.keys))
    if scope == .detail && state.mode == .lanes {
      commands += Command.allCases.filter { $0.scope == .lanes && !state.bindings.keys($0).contains(where: own.contains) }
      own = Set(commands.flatMap(state.bindings.keys))
    }
    if scope == .detail || scope == .lanes {
      commands += Command.allCases.filter {
        $0.scope == .list && !(state.mode == .lanes && $0.group == .move) && !state.bindings.keys($0).contains(where: own.contains)
      }
    }
    return commands.filter { $0.isAvailable(state) }.compactMap { c in
      // The view switch names where it goes.
      c.hint.map { (keys: state.bindings.hintKeys(c), label: c == .toggleView && state.mode == .lanes ? "list" : $0.label, priority: $0.priority) }
    }
  }

  /// The prompt line: its label, the text (scrolled to keep the cursor in view), the cursor where the
  /// next character goes, and for a search, how many events match.
  static func drawPrompt(_ p: Prompt, _ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    let y = rect.y
    let label: String
    switch p.kind {
    case .search: label = p.regex ? "regex /" : "/"
    case .goToDate:
      // A range is half of what `:` does: the label says so wherever it has the room.
      label = rect.width >= 100 ? "go to a date, or filter a range (2020-08-25, 2020-08..2020-09): "
        : rect.width >= 70 ? "date or range (2020-08-25, 2020-08..2020-09): " : "date: "
    case .export: label = rect.width >= 70 ? "write the \(state.results.count) listed to (.json .csv .md .txt .ics .tljs): " : "write to: "
    case .overwrite(let r): label = "\(r.path) exists: replace it? (y/n) "
    }
    var info = ""
    if case .search = p.kind, let s = state.search {
      let found = SearchText.found(s, selected: state.selectedEvent)
      info = "\(found) · Enter keep · Esc cancel"
      if rect.width < 60 { info = found }
    }
    // A message from the last key ("no earlier entry") is said where the prompt's notes go.
    if let m = state.message { info = m }
    let x = buffer.put(label, x: rect.x, y: y, style: Theme.key)
    var room = rect.maxX - x - 1
    // The count stays when there is room for it and a fair stretch of text.
    if !info.isEmpty && room - DisplayWidth.of(info) - 2 >= 12 {
      room -= DisplayWidth.of(info) + 2
      buffer.put(info, x: rect.maxX - DisplayWidth.of(info) - 1, y: y, style: Theme.dim)
    }
    let shown = p.editor.visible(width: room)
    buffer.put(shown.text, x: x, y: y, maxWidth: room)
    buffer.cursor = (min(x + shown.cursorColumn, rect.maxX - 1), y)
  }
}

extension Command {
  /// Whether the command would do something now (a hint for one that would not only misleads).
  func isAvailable(_ state: AppState) -> Bool {
    switch self {
    case .moveDown, .toggleDetail: return !state.results.isEmpty
    case .nextMatch, .previousMatch: return state.search.map { !$0.matches.isEmpty } ?? false
    case .searchFilter: return state.search != nil
    case .clearFilters: return state.query.hasFilters || state.search?.isFilter == true
    case .undo: return !state.undoStack.isEmpty
    case .showProblems:
      if case .invalid = state.user.file { return true }
      return false
    case .countryPicker, .personPicker, .tagPicker, .confidencePicker, .eraPicker, .sourcePicker:
      guard let f = facet else { return false }
      return !state.query[f].isEmpty || state.timeline.hasUsedValues(f)
    default: return true
    }
  }
}

/// Draws a box with a title, clearing its inside. When the box leaves a thin margin at its sides (a
/// terminal under 96 columns), the rows it spans are cleared edge to edge, so no fragment of the screen under it
/// shows through beside it.
func drawBox(_ rect: Rect, title: String, screenWidth: Int, into buffer: inout Buffer) {
  guard rect.width >= 2, rect.height >= 2 else { return }
  if rect.x < 12 || screenWidth - rect.maxX < 12 {
    buffer.fill(Rect(x: 0, y: rect.y, width: screenWidth, height: rect.height))
  }
  buffer.fill(rect)
  buffer.put("┌", x: rect.x, y: rect.y, style: Theme.border)
  buffer.put("┐", x: rect.maxX - 1, y: rect.y, style: Theme.border)
  buffer.put("└", x: rect.x, y: rect.maxY - 1, style: Theme.border)
  buffer.put("┘", x: rect.maxX - 1, y: rect.maxY - 1, style: Theme.border)
  for x in (rect.x + 1)..<(rect.maxX - 1) {
    buffer.put("─", x: x, y: rect.y, style: Theme.border)
    buffer.put("─", x: x, y: rect.maxY - 1, style: Theme.border)
  }
  for y in (rect.y + 1)..<(rect.maxY - 1) {
    buffer.put("│", x: rect.x, y: y, style: Theme.border)
    buffer.put("│", x: rect.maxX - 1, y: y, style: Theme.border)
  }
  buffer.put(" \(title) ", x: rect.x + 2, y: rect.y, style: Theme.label, maxWidth: rect.width - 4)
}

/// The `?` overlay, generated from the command table.
enum HelpView {
  /// One line of the help: keys, text, and whether it is a heading.
  struct Line: Hashable {
    var keys: String
    var text: String
    var heading: Bool
  }

  static func frame(_ size: Size) -> Rect {
    Rect(x: 0, y: 0, width: size.width, height: size.height - 1).centered(width: min(76, size.width - 2), height: size.height - 2)
  }

  static func bodyHeight(_ size: Size) -> Int { max(1, frame(size).height - 2) }

  /// Wide enough for the longest key label ("PgDn Ctrl-F Space", 17 columns) in a full-size box.
  static func keyWidth(_ size: Size) -> Int { min(18, max(6, frame(size).width / 4)) }

  /// The help laid out for the box at this size: key labels that do not fit their column get a line
  /// of their own, and texts wrap instead of being cut.
  static func lines(_ size: Size, bindings: KeyBindings = .standard) -> [Line] {
    let f = frame(size)
    let kw = keyWidth(size)
    let textWidth = max(8, f.width - kw - 6)
    var out: [Line] = []
    func entry(_ keys: String, _ text: String) {
      var wrapped = TextWrap.wrap(text, width: textWidth)
      if DisplayWidth.of(keys) > kw {
        out.append(Line(keys: keys, text: "", heading: false))
      } else {
        out.append(Line(keys: keys, text: wrapped.removeFirst(), heading: false))
      }
      for rest in wrapped { out.append(Line(keys: "", text: rest, heading: false)) }
    }
    func heading(_ text: String) {
      for part in TextWrap.wrap(text, width: f.width - 4) { out.append(Line(keys: part, text: "", heading: true)) }
    }
    for (group, commands) in Command.grouped {
      heading(group.rawValue)
      if let typing = group.typing { entry("type", typing) }
      for c in commands { entry(bindings.label(c), c.help) }
      out.append(Line(keys: "", text: "", heading: false))
    }
    heading("Mouse")
    for (what, does) in Command.mouse { entry(what, does) }
    out.append(Line(keys: "", text: "", heading: false))
    heading("Marks")
    for c in Confidence.allCases { entry(String(c.mark), c.name) }
    entry("★", "marked by you (\(bindings.short(.toggleMark))); in the list, on the time strip and in the header")
    entry("✎", "has your note (\(bindings.short(.editNote)))")
    entry("*", "matches the search")
    entry("▲", "the selected event on the time strip")
    out.append(Line(keys: "", text: "", heading: false))
    heading("In the timeline")
    for (glyph, meaning) in LanesView.legend { entry(glyph, meaning) }
    return out
  }

  static func draw(scroll: Int, size: Size, bindings: KeyBindings, into buffer: inout Buffer) {
    let f = frame(size)
    drawBox(f, title: "Keys", screenWidth: size.width, into: &buffer)
    let kw = keyWidth(size)
    for (k, line) in lines(size, bindings: bindings).dropFirst(scroll).prefix(bodyHeight(size)).enumerated() {
      let y = f.y + 1 + k
      if line.heading {
        buffer.put(line.keys, x: f.x + 2, y: y, style: Theme.label, maxWidth: f.width - 4)
      } else {
        buffer.put(line.keys, x: f.x + 3, y: y, style: Theme.key, maxWidth: f.width - 5)
        buffer.put(line.text, x: f.x + 4 + kw, y: y, maxWidth: f.width - kw - 6)
      }
    }
    if scroll + bodyHeight(size) < lines(size).count {
      buffer.put(" ↓ more (j) ", x: f.maxX - 14, y: f.maxY - 1, style: Theme.dim)
    }
    buffer.cursor = (f.x + 1, f.y + 1)
  }
}

/// A facet's picker.
enum PickerView {
  /// As tall as the entries need (all of them, not just those the filter shows, so the box does
  /// not jump while typing), within the screen.
  static func frame(_ size: Size, _ p: Picker) -> Rect {
    Rect(x: 0, y: 0, width: size.width, height: size.height - 1)
      .centered(width: min(72, size.width - 2), height: min(size.height - 2, max(8, p.entries.count + 3)))
  }

  /// The first row of entries inside a frame (below the title border and the input line).
  static func listTop(_ frame: Rect) -> Int { frame.y + 2 }

  static func listHeight(_ size: Size, _ p: Picker) -> Int { max(1, frame(size, p).height - 3) }

  /// "Countries: 2 on, 1 excluded · counts under the other filters": the title says what Enter applies.
  static func title(_ p: Picker) -> String {
    let on = p.selection.included.count
    let off = p.selection.excluded.count
    var what = on == 0 && off == 0 ? "none on" : "\(on) on"
    if off > 0 { what += ", \(off) excluded" }
    return "\(p.facet.title): \(what) · " + (p.countsPending ? "counting under the other filters…" : "counts under the other filters")
  }

  static func draw(_ p: Picker, state: AppState, into buffer: inout Buffer) {
    let f = frame(state.size, p)
    drawBox(f, title: title(p), screenWidth: state.size.width, into: &buffer)
    let shown = "\(p.visible.count)/\(p.entries.count)"
    let inputX = buffer.put("› ", x: f.x + 2, y: f.y + 1, style: Theme.key)
    let room = max(1, f.maxX - 3 - DisplayWidth.of(shown) - 1 - inputX)
    let line = p.query.visible(width: room)
    let end = buffer.put(line.text, x: inputX, y: f.y + 1, maxWidth: room)
    if p.query.text.isEmpty { buffer.put("type to narrow", x: end, y: f.y + 1, style: Theme.dim, maxWidth: room) }
    buffer.put(shown, x: f.maxX - DisplayWidth.of(shown) - 2, y: f.y + 1, style: Theme.dim)

    let h = listHeight(state.size, p)
    // On a narrow screen the names keep their room and the spark lines go.
    let sparkWidth = f.width >= 56 ? Picker.sparkBuckets : 0
    let countWidth = 6
    let labelRoom = f.width - 4 - 4 - countWidth - 1 - sparkWidth - 2
    if p.visible.isEmpty {
      buffer.put("Nothing matches \"\(p.filter)\"", x: f.x + 3, y: listTop(f), style: Theme.dim, maxWidth: f.width - 5)
    }
    for (k, idx) in p.visible.dropFirst(p.scroll).prefix(h).enumerated() {
      let e = p.entries[idx]
      let y = listTop(f) + k
      let on = p.selection.state(of: e.key)
      let style: Style = on != .off ? Theme.filterOn : e.count == 0 && !p.countsPending ? Theme.dim : .plain
      let mark = on == .on ? "[x] " : on == .excluded ? "[-] not " : "[ ] "
      var cx = buffer.put(mark, x: f.x + 2, y: y, style: style)
      cx = buffer.put(e.label, x: cx, y: y, style: style, maxWidth: labelRoom - (on == .excluded ? 4 : 0))
      if !e.detail.isEmpty && cx + 3 < f.x + 6 + labelRoom {
        buffer.put(" · " + e.detail, x: cx, y: y, style: Theme.dim, maxWidth: f.x + 6 + labelRoom - cx)
      }
      // Counts still being found show as a dim "…" (and no spark line) until they come.
      let count = p.countsPending ? "…" : "\(e.count)"
      let countX = f.maxX - 2 - sparkWidth - (sparkWidth > 0 ? 1 : 0) - DisplayWidth.of(count)
      buffer.put(count, x: countX, y: y, style: p.countsPending && on == .off ? Theme.dim : style)
      if sparkWidth > 0 && !p.countsPending {
        for (b, level) in e.spark.enumerated() {
          buffer.put(Theme.sparkChars[Int(level)], x: f.maxX - 2 - sparkWidth + b, y: y, style: Theme.spark)
        }
      }
      if k + p.scroll == p.highlighted {
        buffer.restyle(Rect(x: f.x + 1, y: y, width: f.width - 2, height: 1), Theme.selected)
      }
    }
    // The cursor stays where the next typed character goes, as in every prompt.
    buffer.cursor = (min(inputX + line.cursorColumn, f.maxX - 2), f.y + 1)
  }
}

/// What the explorer shows while a large file loads: the file and a static percentage (no spinner:
/// screen readers and slow links should not be flooded with redraws).
public enum LoadingView {
  public static func draw(file: String, fraction: Double, size: Size, into buffer: inout Buffer) {
    buffer.clear()
    buffer.cursor = nil
    guard size.width > 0, size.height > 0 else { return }
    let percent = Int((min(1, max(0, fraction)) * 100).rounded(.down))
    let lines = ["Loading \(file)", "\(percent)%", "Ctrl-C to cancel"]
    let top = max(0, (size.height - lines.count) / 2)
    for (k, line) in lines.enumerated() {
      let w = min(size.width, DisplayWidth.of(line))
      buffer.put(line, x: max(0, (size.width - w) / 2), y: top + k, style: k == 0 ? Theme.title : k == 2 ? Theme.dim : .plain)
    }
    // A bar under the percentage, for sighted users; the number is what counts.
    let barWidth = min(40, size.width - 4)
    if barWidth > 4 && top + 3 < size.height {
      let filled = barWidth * percent / 100
      let x = (size.width - barWidth) / 2
      buffer.put(String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled), x: x, y: top + 3, style: Theme.dim)
    }
  }
}
