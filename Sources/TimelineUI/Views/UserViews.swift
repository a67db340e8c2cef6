import TimelineCore

/// The note editor (`a`): a box with the note wrapped to its width, the cursor where the next
/// character goes.
enum NoteEditorView {
  static func frame(_ size: Size) -> Rect {
    Rect(x: 0, y: 0, width: size.width, height: size.height - 1)
      .centered(width: min(72, size.width - 2), height: min(size.height - 2, 12))
  }

  /// Columns of text inside the box.
  static func textWidth(_ size: Size) -> Int { max(1, frame(size).width - 4) }
  static func textHeight(_ size: Size) -> Int { max(1, frame(size).height - 3) }

  /// The text laid out in rows of at most `width` columns (a line break starts a row; a long line
  /// wraps at its width), with the row and column of every cursor position 0...count.
  static func layout(_ text: String, width: Int) -> (rows: [String], positions: [(row: Int, column: Int)]) {
    var rows = [""]
    var positions: [(Int, Int)] = []
    var column = 0
    for ch in text {
      if ch == "\n" {
        positions.append((rows.count - 1, column))
        rows.append("")
        column = 0
        continue
      }
      let w = max(0, DisplayWidth.of(String(ch)))
      if column + w > width && column > 0 {
        rows.append("")
        column = 0
      }
      positions.append((rows.count - 1, column))
      rows[rows.count - 1].append(ch)
      column += w
    }
    positions.append((rows.count - 1, column))
    return (rows, positions.map { (row: $0.0, column: $0.1) })
  }

  static func draw(_ note: NoteEditor, state: AppState, into buffer: inout Buffer) {
    let f = frame(state.size)
    drawBox(f, title: "Your note on \(note.id)", screenWidth: state.size.width, into: &buffer)
    let width = textWidth(state.size)
    let height = textHeight(state.size)
    let (rows, positions) = layout(note.editor.text, width: width)
    let cursor = positions[min(note.editor.cursor, positions.count - 1)]
    let scroll = max(0, cursor.row - height + 1)
    for (k, row) in rows.dropFirst(scroll).prefix(height).enumerated() {
      buffer.put(row, x: f.x + 2, y: f.y + 1 + k, maxWidth: width)
    }
    if note.editor.text.isEmpty {
      buffer.put("Your own words; searchable with /, kept for this file.", x: f.x + 2, y: f.y + 1, style: Theme.dim, maxWidth: width)
    }
    let help = "Enter keep · \(state.bindings.label(.noteNewLine)) new line · Esc cancel"
    buffer.put(help, x: f.x + 2, y: f.maxY - 2, style: Theme.dim, maxWidth: width)
    buffer.cursor = (min(f.x + 2 + cursor.column, f.maxX - 2), f.y + 1 + cursor.row - scroll)
  }
}

/// What to copy or open when there are several (`y`, `Y`, `O`).
enum ChooserView {
  static func frame(_ size: Size, _ c: Chooser) -> Rect {
    Rect(x: 0, y: 0, width: size.width, height: size.height - 1)
      .centered(width: min(90, size.width - 2), height: min(size.height - 2, c.choices.count * 2 + 2))
  }

  static func draw(_ c: Chooser, state: AppState, into buffer: inout Buffer) {
    let f = frame(state.size, c)
    drawBox(f, title: c.purpose == .copy ? "Copy to the clipboard" : "Open in the browser", screenWidth: state.size.width, into: &buffer)
    let room = f.width - 4
    let perChoice = f.height - 2 >= c.choices.count * 2 ? 2 : 1
    let shown = max(1, (f.height - 2) / perChoice)
    let first = max(0, min(c.highlighted - shown + 1, c.choices.count - shown))
    for (k, choice) in c.choices.enumerated().dropFirst(first).prefix(shown) {
      let y = f.y + 1 + (k - first) * perChoice
      let number = k < 9 ? "\(k + 1) " : "  "
      let x = buffer.put(number, x: f.x + 2, y: y, style: Theme.key)
      if perChoice == 2 {
        buffer.put(choice.label, x: x, y: y, maxWidth: f.maxX - 2 - x)
        buffer.put(choice.value, x: x + 2, y: y + 1, style: Theme.dim, maxWidth: f.maxX - 4 - x)
      } else {
        buffer.put(choice.label == choice.value ? choice.value : "\(choice.label) · \(choice.value)", x: x, y: y, maxWidth: room - 2)
      }
      if k == c.highlighted {
        buffer.restyle(Rect(x: f.x + 1, y: y, width: f.width - 2, height: perChoice), Theme.selected)
        buffer.cursor = (f.x + 1, y)
      }
    }
  }
}

/// The problems of a changed data file that no longer validates (`!`), each with its place.
enum ProblemsView {
  static func frame(_ size: Size) -> Rect { HelpView.frame(size) }
  static func bodyHeight(_ size: Size) -> Int { HelpView.bodyHeight(size) }

  static func lines(_ state: AppState) -> [String] {
    guard case .invalid(let problems, let total) = state.user.file else { return [] }
    let width = max(8, frame(state.size).width - 4)
    var out = ["\(state.user.dataName ?? "The file") changed and no longer validates; the view shows it as it was."]
    out.append("Fix it and save: it is read again on its own.")
    out.append("")
    out += problems
    if total > problems.count { out.append("… and \(total - problems.count) more") }
    return out.flatMap { $0.isEmpty ? [""] : TextWrap.wrap($0, width: width) }
  }

  static func draw(scroll: Int, state: AppState, into buffer: inout Buffer) {
    let f = frame(state.size)
    guard case .invalid(_, let total) = state.user.file else { return }
    drawBox(f, title: "\(total) problem\(total == 1 ? "" : "s") in the changed file", screenWidth: state.size.width, into: &buffer)
    let all = lines(state)
    for (k, line) in all.dropFirst(scroll).prefix(bodyHeight(state.size)).enumerated() {
      buffer.put(line, x: f.x + 2, y: f.y + 1 + k, style: k + scroll < 2 ? Theme.title : .plain, maxWidth: f.width - 4)
    }
    if scroll + bodyHeight(state.size) < all.count {
      buffer.put(" ↓ more (j) ", x: f.maxX - 14, y: f.maxY - 1, style: Theme.dim)
    }
    buffer.cursor = (f.x + 1, f.y + 1)
  }
}

extension AppState {
  mutating func handleProblemsKey(_ key: Key, scroll: Int) -> [Effect] {
    let height = ProblemsView.bodyHeight(size)
    let maxScroll = max(0, ProblemsView.lines(self).count - height)
    switch bindings.command(for: key, in: .help) {
    case .helpClose: overlay = nil
    case .helpDown: overlay = .problems(scroll: min(maxScroll, scroll + 1))
    case .helpUp: overlay = .problems(scroll: max(0, scroll - 1))
    case .helpPageDown: overlay = .problems(scroll: min(maxScroll, scroll + height - 1))
    case .helpPageUp: overlay = .problems(scroll: max(0, scroll - height + 1))
    case .helpTop: overlay = .problems(scroll: 0)
    case .helpBottom: overlay = .problems(scroll: maxScroll)
    default: if key == .char("!") { overlay = nil }
    }
    return []
  }

  mutating func handleNoteKey(_ key: Key, _ note: NoteEditor) -> [Effect] {
    var n = note
    switch bindings.command(for: key, in: .note) {
    case .noteSave: return saveNote(n)
    case .noteCancel:
      overlay = nil
      message = "note unchanged"
      return []
    case .noteNewLine: n.editor.insert("\n")
    case .noteUp, .noteDown:
      let (_, positions) = NoteEditorView.layout(n.editor.text, width: NoteEditorView.textWidth(size))
      let here = positions[n.editor.cursor]
      let row = here.row + (bindings.command(for: key, in: .note) == .noteUp ? -1 : 1)
      // The position on that row nearest the same column.
      if let target = positions.indices.last(where: { positions[$0].row == row && positions[$0].column <= here.column })
        ?? positions.indices.first(where: { positions[$0].row == row })
      {
        n.editor.apply(.lineStart)
        for _ in 0..<target { n.editor.apply(.cursorRight) }
      }
    default:
      if let command = bindings.command(for: key, in: .prompt) {
        n.editor.apply(command)
      } else if case .char(let c) = key {
        n.editor.insert(c)
      }
    }
    overlay = .note(n)
    return []
  }
}
