import TimelineCore

/// Draws the whole screen for a state. Pure: the same state always gives the same buffer.
public func view(_ state: AppState) -> Buffer {
  var buffer = Buffer(size: state.size)
  draw(state, into: &buffer)
  return buffer
}

/// Draws into an existing buffer of the state's size (the runtime reuses one to spare allocations).
public func draw(_ state: AppState, into buffer: inout Buffer) {
  Theme.$current.withValue(state.theme) { drawThemed(state, into: &buffer) }
}

private func drawThemed(_ state: AppState, into buffer: inout Buffer) {
  buffer.clear()
  buffer.cursor = nil
  let layout = Layout(state: state)
  if layout.tooSmall {
    TooSmallView.draw(state.size, quitKey: state.bindings.short(.quit), into: &buffer)
    return
  }
  HeaderView.draw(state, in: layout.header, into: &buffer)
  TimeStripView.draw(state, in: layout.strip, into: &buffer)
  switch state.mode {
  case .list: ListView.draw(state, in: layout.list, into: &buffer)
  case .lanes: LanesView.draw(state, in: layout.lanes, into: &buffer)
  }
  if layout.detailPlacement != .hidden {
    if !layout.divider.isEmpty {
      let line = layout.divider.width == 1 ? "│" : "─"
      buffer.fill(layout.divider, line, style: Theme.border)
      if layout.divider.height == 1 {
        buffer.put(" Detail ", x: layout.divider.x + 2, y: layout.divider.y, style: state.focus == .detail ? Theme.label : Theme.border)
      }
    }
    DetailView.draw(state, in: layout.detail, into: &buffer)
  }
  FooterView.draw(state, in: layout.footer, into: &buffer)
  switch state.overlay {
  case .help(let scroll): HelpView.draw(scroll: scroll, size: state.size, bindings: state.bindings, into: &buffer)
  case .picker(let p): PickerView.draw(p, state: state, into: &buffer)
  case .chooser(let c): ChooserView.draw(c, state: state, into: &buffer)
  case .note(let n): NoteEditorView.draw(n, state: state, into: &buffer)
  case .problems(let scroll): ProblemsView.draw(scroll: scroll, state: state, into: &buffer)
  case .prompt, nil: break
  }
  // A box over the panes hides what links were under it.
  if let overlay = state.overlay, !overlay.isPrompt { buffer.links.removeAll() }
  if !state.colorEnabled {
    for y in 0..<buffer.size.height {
      for x in 0..<buffer.size.width where buffer[x, y].style.hasColor {
        buffer[x, y].style = buffer[x, y].style.withoutColor
      }
    }
  }
}

enum TooSmallView {
  /// `quitKey` is the key the bindings give to quit (a configuration file may move it off q).
  static func draw(_ size: Size, quitKey: String, into buffer: inout Buffer) {
    let need = Layout.minimumSize
    let said = ["Terminal too small", "\(size.width)×\(size.height), need \(need.width)×\(need.height)", "Enlarge it, or press \(quitKey) to quit"]
    // Wrapped to the width, so that a very small terminal still reads every word (at 20×5 the last
    // line was "Enlarge it, or pres…").
    let lines = said.enumerated().flatMap { k, line in TextWrap.wrap(line, width: max(1, size.width)).map { (k, $0) } }
    let top = max(0, (size.height - lines.count) / 2)
    for (row, (k, line)) in lines.enumerated() {
      let w = DisplayWidth.of(line)
      buffer.put(line, x: max(0, (size.width - w) / 2), y: top + row, style: k == 0 ? Theme.title : .plain)
    }
    buffer.cursor = (0, 0)
  }
}

/// The active filters in words, one part per facet and one for the dates: "country Cyprus (CY) or
/// Norway (NO), not United States (US)", "from 2020-08 to 2020-09". The header shows them, and the
/// tests read them back.
enum FilterText {
  static func parts(_ q: Query, _ t: Timeline, short: Bool) -> [String] {
    var out: [String] = []
    for facet in Facet.allCases {
      let f = q[facet]
      guard !f.isEmpty else { continue }
      func label(_ key: String) -> String { short ? t.shortLabel(facet, key: key) : t.label(facet, key: key) }
      var words: [String] = []
      if !f.included.isEmpty { words.append(f.included.sorted().map(label).joined(separator: " or ")) }
      words += f.excluded.sorted().map { "not " + label($0) }
      out.append(facet.name + " " + words.joined(separator: ", "))
    }
    if q.from != nil || q.to != nil { out.append("dates " + DateRangeText.describe(from: q.from, to: q.to)) }
    return out
  }
}

/// How a search stands, in words: "searching…", "no match", "match 3 of 12", "12 matches".
enum SearchText {
  static func found(_ s: SearchState, selected: UInt32?) -> String {
    if s.pending { return "searching…" }
    if let error = s.pattern.regex?.error { return error }
    if s.matches.isEmpty { return "no match" }
    if let e = selected, s.contains(e) {
      let k = s.matches.lowerBound(e)
      return "match \(k + 1) of \(s.matches.count)"
    }
    return s.matches.count == 1 ? "1 match" : "\(s.matches.count) matches"
  }
}

enum HeaderView {
  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard rect.height >= 2 else { return }
    let t = state.timeline
    var count = state.results.count == t.count && state.query.isEmpty
      ? "\(t.count) events" : "\(state.results.count) of \(t.count) events"
    let marks = state.user.index.marked.count
    if marks > 0 || state.user.markedOnly { count = "★ \(marks)\(state.user.markedOnly ? " only" : "") · " + count }
    switch state.user.file {
    case .current: break
    case .changed: count = "file changed · " + count
    case .gone: count = "file gone · " + count
    case .invalid(_, let total): count = "file changed: \(total) problem\(total == 1 ? "" : "s") (!) · " + count
    }
    let countWidth = DisplayWidth.of(count)
    buffer.put(count, x: rect.maxX - countWidth - 1, y: rect.y, style: Theme.title)
    buffer.put(t.title, x: rect.x + 1, y: rect.y, style: Theme.title, maxWidth: rect.width - countWidth - 4)

    // Second row: every active filter, by name, so what is hidden is never a surprise.
    var x = rect.x + 1
    let y = rect.y + 1
    var parts: [(String, Style)] = []
    let q = state.query
    if !q.hasFilters {
      parts.append(("No filters", Theme.dim))
    } else {
      // Values by name when everything fits on the row, else by their short form (a country's code), so
      // that a long country name does not push the other filters off the screen.
      parts = [("Filters:", Theme.label)]
      var described = FilterText.parts(q, t, short: false)
      if described.reduce(9, { $0 + 3 + DisplayWidth.of($1) }) > rect.width - 2 { described = FilterText.parts(q, t, short: true) }
      for (k, d) in described.enumerated() { parts.append(((k == 0 ? " " : " · ") + d, Theme.filterOn)) }
    }
    if let s = state.search {
      // Which it is (a search highlights, a filter hides: `&` turns one into the other), and where the
      // selection is among the matches.
      let kind = (s.isFilter ? "filter" : "search") + (s.regex ? " regex" : "")
      parts.append(("   \(kind) \"\(s.text)\": \(SearchText.found(s, selected: state.selectedEvent))", Theme.match))
    }
    for (text, style) in parts {
      let room = rect.maxX - x - 1
      if room <= 0 {
        // The row is full and there is more to tell: say so in the margin, not by dropping it silently.
        buffer.put("…", x: rect.maxX - 1, y: y, style: style)
        break
      }
      x = buffer.put(text, x: x, y: y, style: style, maxWidth: room)
      if DisplayWidth.of(text) > room { break }  // cut, and `put` ended it with "…"
    }
  }
}
