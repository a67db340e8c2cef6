import TimelineCore

/// The bottom line: the open prompt, a message, or the keys that matter now.
enum FooterView {
  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard !rect.isEmpty else { return }
    let y = rect.y
    if case .prompt(let p) = state.overlay {
      let label: String
      switch p.kind {
      case .search: label = "/"
      case .goToDate: label = "go to date (2020, 2020-08, 2020-08-25): "
      }
      var x = buffer.put(label, x: rect.x, y: y, style: Theme.key)
      x = buffer.put(p.text, x: x, y: y, maxWidth: rect.maxX - x - 1)
      buffer.cursor = (min(x, rect.maxX - 1), y)
      if case .search = p.kind, let s = state.search {
        let info = s.pending ? "searching…" : s.matches.isEmpty ? "no match" : "\(s.matches.count) match\(s.matches.count == 1 ? "" : "es")"
        let hint = "\(info) · Enter keep · Esc drop"
        let w = DisplayWidth.of(hint)
        if rect.maxX - w - 1 > x + 2 { buffer.put(hint, x: rect.maxX - w - 1, y: y, style: Theme.dim) }
      }
      return
    }
    var x = rect.x
    if let m = state.message {
      x = buffer.put(m, x: x, y: y, style: Theme.message, maxWidth: rect.width)
      x += 2
    }
    // As many hints as fit; when some must go, the least needed go first, so "? help" and "q quit"
    // stay on the narrowest screens.
    var items = hints(state)
    let width = { (list: [(String, String, Int)]) in list.reduce(0) { $0 + DisplayWidth.of($1.0) + 1 + DisplayWidth.of($1.1) + 2 } }
    while !items.isEmpty && x + width(items) > rect.maxX {
      let lowest = items.indices.min { items[$0].2 < items[$1].2 }!
      items.remove(at: lowest)
    }
    for (k, h, _) in items {
      x = buffer.put(k, x: x, y: y, style: Theme.key)
      x = buffer.put(" " + h, x: x, y: y, style: Theme.dim) + 2
    }
  }

  /// The keys that matter now, with a priority (higher stays longer when space runs out).
  static func hints(_ state: AppState) -> [(String, String, Int)] {
    switch state.overlay {
    case .picker: return [("Space", "toggle", 5), ("Enter", "apply", 6), ("Esc", "cancel", 6), ("type", "narrow", 2)]
    case .help: return [("j/k", "scroll", 3), ("q", "close", 6)]
    default: break
    }
    if state.results.isEmpty {
      return [("x", "clear filters", 6), ("c", "country", 3), ("p", "person", 3), ("?", "help", 5), ("q", "quit", 5)]
    }
    if state.focus == .detail {
      return [("j/k", "scroll", 4), ("Esc", "back to list", 5), ("c", "country", 1), ("p", "person", 1), ("?", "help", 5), ("q", "quit", 5)]
    }
    var h: [(String, String, Int)] = [("j/k", "move", 3), ("/", "search", 3)]
    if state.search != nil { h.append(("n/N", "next/prev", 2)) }
    h += [("c", "country", 2), ("p", "person", 2)]
    if !state.query.isEmpty { h.append(("x", "clear", 4)) }
    h += [("Enter", "detail", 1), ("?", "help", 5), ("q", "quit", 5)]
    return h
  }
}

/// Draws a box with a title, clearing its inside.
func drawBox(_ rect: Rect, title: String, into buffer: inout Buffer) {
  guard rect.width >= 2, rect.height >= 2 else { return }
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
  static let lines: [(String, String, Bool)] = {
    var out: [(String, String, Bool)] = []
    for group in Command.Group.allCases {
      out.append((group.rawValue, "", true))
      for c in Command.allCases where c.group == group { out.append((c.keyLabel, c.help, false)) }
      out.append(("", "", false))
    }
    out.append(("In a picker (c, p)", "", true))
    for (k, h) in Command.pickerKeys { out.append((k, h, false)) }
    out.append(("", "", false))
    out.append(("Mouse", "", true))
    out.append(("wheel", "scroll", false))
    out.append(("click", "select an event or a picker value", false))
    out.append(("", "", false))
    out.append(("Marks", "", true))
    for c in Confidence.allCases { out.append((String(c.mark), c.name, false)) }
    out.append(("*", "matches the search", false))
    out.append(("▲", "the selected event on the time strip", false))
    return out
  }()

  static func frame(_ size: Size) -> Rect {
    Rect(x: 0, y: 0, width: size.width, height: size.height - 1).centered(width: min(76, size.width - 2), height: size.height - 2)
  }

  static func bodyHeight(_ size: Size) -> Int { max(1, frame(size).height - 2) }

  static func draw(scroll: Int, size: Size, into buffer: inout Buffer) {
    let f = frame(size)
    drawBox(f, title: "Keys", into: &buffer)
    // Wide enough for the longest key label ("PgDn Ctrl-F Space", 17 columns) in a full-size box.
    let keyWidth = min(18, max(6, f.width / 4))
    for (k, line) in lines.dropFirst(scroll).prefix(bodyHeight(size)).enumerated() {
      let y = f.y + 1 + k
      if line.2 {
        buffer.put(line.0, x: f.x + 2, y: y, style: Theme.label, maxWidth: f.width - 4)
      } else {
        buffer.put(line.0, x: f.x + 3, y: y, style: Theme.key, maxWidth: keyWidth)
        buffer.put(line.1, x: f.x + 4 + keyWidth, y: y, maxWidth: f.width - keyWidth - 6)
      }
    }
    if scroll + bodyHeight(size) < lines.count {
      buffer.put(" ↓ more (j) ", x: f.maxX - 14, y: f.maxY - 1, style: Theme.dim)
    }
    buffer.cursor = (f.x + 1, f.y + 1)
  }
}

/// The country and person pickers.
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
    return "\(p.facet.title): \(what) · counts under the other filters"
  }

  static func draw(_ p: Picker, state: AppState, into buffer: inout Buffer) {
    let f = frame(state.size, p)
    drawBox(f, title: title(p), into: &buffer)
    var x = buffer.put("› ", x: f.x + 2, y: f.y + 1, style: Theme.key)
    x = buffer.put(p.filter, x: x, y: f.y + 1, maxWidth: f.width - 6)
    if p.filter.isEmpty { buffer.put("type to narrow", x: x, y: f.y + 1, style: Theme.dim) }
    let shown = "\(p.visible.count)/\(p.entries.count)"
    buffer.put(shown, x: f.maxX - DisplayWidth.of(shown) - 2, y: f.y + 1, style: Theme.dim)
    // The cursor goes on the highlighted value (screen readers read the line it is on); with nothing
    // to highlight, after the typed text.
    var cursor = (min(x, f.maxX - 2), f.y + 1)

    let h = listHeight(state.size, p)
    let sparkWidth = Picker.sparkBuckets
    let countWidth = 6
    let labelRoom = f.width - 4 - 4 - countWidth - 1 - sparkWidth - 2
    if p.visible.isEmpty {
      buffer.put("Nothing matches \"\(p.filter)\"", x: f.x + 3, y: listTop(f), style: Theme.dim, maxWidth: f.width - 5)
    }
    for (k, idx) in p.visible.dropFirst(p.scroll).prefix(h).enumerated() {
      let e = p.entries[idx]
      let y = listTop(f) + k
      let state = p.selection.state(of: e.key)
      let style: Style = state != .off ? Theme.filterOn : e.count == 0 ? Theme.dim : .plain
      let mark = state == .on ? "[x] " : state == .excluded ? "[-] not " : "[ ] "
      var cx = buffer.put(mark, x: f.x + 2, y: y, style: style)
      cx = buffer.put(e.label, x: cx, y: y, style: style, maxWidth: labelRoom - (state == .excluded ? 4 : 0))
      if !e.detail.isEmpty && cx + 3 < f.x + 6 + labelRoom {
        buffer.put(" · " + e.detail, x: cx, y: y, style: Theme.dim, maxWidth: f.x + 6 + labelRoom - cx)
      }
      let count = "\(e.count)"
      let countX = f.maxX - 2 - sparkWidth - 1 - DisplayWidth.of(count)
      buffer.put(count, x: countX, y: y, style: style)
      for (b, level) in e.spark.enumerated() {
        buffer.put(Theme.sparkChars[Int(level)], x: f.maxX - 2 - sparkWidth + b, y: y, style: Theme.spark)
      }
      if k + p.scroll == p.highlighted {
        buffer.restyle(Rect(x: f.x + 1, y: y, width: f.width - 2, height: 1), Theme.selected)
        cursor = (f.x + 2, y)
      }
    }
    buffer.cursor = cursor
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
