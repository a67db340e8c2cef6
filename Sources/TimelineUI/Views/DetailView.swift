import TimelineCore

/// The detail pane: everything known about the selected event, wrapped to the pane's width.
enum DetailView {
  /// A styled piece of a line, and how a search matches it (nil: never: headings, labels).
  struct Piece {
    var text: String
    var style: Style
    var match: SearchPattern.FieldKind?
  }

  /// One line of the pane: pieces drawn left to right.
  typealias Line = [Piece]

  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard !rect.isEmpty else { return }
    if state.results.isEmpty {
      buffer.put("No event selected.", x: rect.x + 1, y: rect.y, style: Theme.dim, maxWidth: rect.width - 2)
      return
    }
    let (all, links) = content(state, width: rect.width)
    let start = min(state.detailScroll, max(0, all.count - 1))
    let overflows = all.count > rect.height
    // When the text is longer than the pane, its last row tells there is more (and how to get it).
    let room = overflows ? rect.height - 1 : rect.height
    // What the search matched is marked, when the event is one of its matches.
    let pattern = state.selectedEvent.flatMap { e in state.search?.contains(e) == true ? state.search?.pattern : nil }
    for (k, line) in all.dropFirst(start).prefix(room).enumerated() {
      var x = rect.x + 1
      for piece in line {
        let hits = pattern.flatMap { p in piece.match.map { p.highlights(in: piece.text, as: $0) } } ?? []
        x = Highlight.put(piece.text, hits: hits, x: x, y: rect.y + k, style: piece.style, hitStyle: Theme.hit, maxWidth: rect.maxX - x, into: &buffer)
      }
      // An address is a link where the terminal understands them (OSC 8), carried beside the cells.
      if let url = links[start + k] {
        let text = line.map(\.text).joined()
        let indent = text.prefix { $0 == " " }.count
        buffer.links.append(Buffer.Link(x: rect.x + 1 + indent, y: rect.y + k, width: min(x, rect.maxX) - rect.x - 1 - indent, url: url))
      }
    }
    if overflows {
      let shownTo = min(all.count, start + room)
      var more = "lines \(start + 1)–\(shownTo) of \(all.count)"
      if shownTo < all.count { more += state.focus == .detail ? " · j/k scroll" : " · Enter to scroll" }
      buffer.put(more, x: rect.x + 1, y: rect.maxY - 1, style: Theme.dim, maxWidth: rect.width - 2)
    }
    if state.focus == .detail { buffer.cursor = (rect.x, rect.y) }
  }

  /// The pane's content for the selected event, wrapped to `width` columns (one column of margin).
  static func lines(_ state: AppState, width: Int) -> [Line] { content(state, width: width).lines }

  /// The lines, and the address each line that shows one links to.
  static func content(_ state: AppState, width: Int) -> (lines: [Line], links: [Int: String]) {
    guard let ev = state.selectedEvent else { return ([], [:]) }
    let t = state.timeline
    let e = Int(ev)
    let w = max(1, width - 2)
    var out: [Line] = []
    var links: [Int: String] = [:]
    func para(_ text: String, _ style: Style = .plain, indent: Int = 0, match: SearchPattern.FieldKind? = .text) {
      // A paragraph is shown up to a limit: a megabyte-long summary would otherwise be re-wrapped on
      // every frame. What is cut is said, and `list --format json` has it all.
      let limit = 20_000
      var shown = text
      var cut = false
      if text.utf8.count > limit {
        shown = String(text.prefix(limit))
        cut = shown.utf8.count < text.utf8.count
      }
      for l in TextWrap.wrap(shown, width: w - indent) { out.append([Piece(text: String(repeating: " ", count: indent) + l, style: style, match: match)]) }
      if cut {
        out.append([Piece(text: String(repeating: " ", count: indent) + "… cut at \(limit) characters (\(text.utf8.count) bytes in all)", style: Theme.dim)])
      }
    }
    func heading(_ text: String) {
      out.append([])
      out.append([Piece(text: text, style: Theme.label)])
    }
    /// An address on lines of its own, never cut where it fits on one line; a longer one is cut only
    /// at the pane's edge, with nothing else on its lines, so that it reads (and copies) whole.
    func address(_ url: String) {
      let pieces = DisplayWidth.of(url) <= w - 2 ? ["  " + url] : DisplayWidth.of(url) <= w ? [url] : TextWrap.cut(url, width: w)
      for p in pieces {
        links[out.count] = url
        out.append([Piece(text: p, style: Theme.link)])
      }
    }

    para(t.title(at: e), Theme.title)
    let start = t.date(at: e)
    var when = DateText.long(start)
    if let end = t.endDate(at: e) { when += " to " + DateText.long(end) }
    when += " (\(start.precision.name) precision\(start.isApproximate ? ", approximate" : ""))"
    // The date is written in words here; a search for its written form (2020-08) marks the whole line.
    let dateMatched = state.search.map { s in
      ([start] + (t.endDate(at: e).map { [$0] } ?? [])).contains { !s.pattern.highlights(in: $0.description, as: .date).isEmpty }
    } ?? false
    para(when, dateMatched ? Theme.hit : .plain, match: nil)
    let c = t.confidence(at: e)
    var marks: Line = [Piece(text: String(c.mark) + " ", style: Theme.confidence(c)), Piece(text: c.name, style: Theme.confidence(c), match: .name)]
    if state.user.index.isMarked(ev) { marks += [Piece(text: "   ★ ", style: Theme.userMark), Piece(text: "marked", style: Theme.userMark)] }
    out.append(marks)
    let eras = t.eras(at: e)
    if !eras.isEmpty { para("Era: " + eras.map(\.title).joined(separator: "; "), Theme.era, match: nil) }
    // The user's own note, apart from the data's notes (a search finds it: its words are marked).
    if let mine = state.user.index.note(ev) {
      heading("Your note (\(state.bindings.short(.editNote)) to edit)")
      for p in mine.split(separator: "\n", omittingEmptySubsequences: false) { para(String(p), Theme.userNote) }
    }

    let summary = t.summary(at: e)
    if !summary.isEmpty {
      out.append([])
      for p in summary.split(separator: "\n", omittingEmptySubsequences: false) { para(String(p)) }
    }
    let people = t.personIndexes(at: e).map { t.people[Int($0)] }
    if !people.isEmpty {
      heading("People")
      for p in people {
        var name = p.name
        if !p.aliases.isEmpty { name += " (" + p.aliases.map { "“\($0)”" }.joined(separator: ", ") + ")" }
        para("• " + name, Theme.title, match: .name)
        if !p.role.isEmpty { para(p.role, indent: 2, match: nil) }
      }
    }
    let codes = t.countryCodes(at: e)
    if !codes.isEmpty {
      heading("Countries")
      let names = codes.map { code -> String in
        guard let country = t.countries[code: code] else { return code }
        let fr = country.nameFR.flatMap { $0 == country.name ? nil : $0 }
        return fr.map { "\(country.name) (\($0))" } ?? country.name
      }
      para(names.joined(separator: ", "), match: .name)
    }
    let tags = t.tagIndexes(at: e).map { t.tags[Int($0)] }
    if !tags.isEmpty {
      out.append([])
      out.append([Piece(text: "Tags: ", style: Theme.label), Piece(text: tags.joined(separator: ", "), style: .plain, match: .name)])
    }
    if let notes = t.notes(at: e) {
      heading("Notes: where sources differ")
      for p in notes.split(separator: "\n", omittingEmptySubsequences: false) { para(String(p), Theme.notes) }
    }
    let sources = t.sourceIndexes(at: e).map { t.sources[Int($0)] }
    if !sources.isEmpty {
      heading("Sources")
      for s in sources {
        var line = "[\(s.id)] \(s.publisher)"
        if let a = s.author { line += ", \(a)" }
        line += ": “\(s.title)”" + (s.date.map { ", " + DateText.long($0) } ?? "") + (s.language == "und" ? "" : " (\(s.language))")
        para(line, match: .name)
        if let url = s.url, !url.isEmpty { address(url) }
      }
    }
    out.append([])
    out.append([Piece(text: "id: ", style: Theme.dim), Piece(text: t.id(at: e), style: Theme.dim)])
    // An imported event says where in its file it came from: "from: sheet.csv, row 12".
    if let origin = t.origin(at: e) {
      var place = origin.file.split(separator: "/").last.map(String.init) ?? origin.file
      if let record = origin.position.record { place += ", \(record.kind.rawValue) \(record.number)" }
      if origin.position.line > 0, origin.position.record?.kind != .row { place += ", line \(origin.position.line)" }
      out.append([Piece(text: "from: ", style: Theme.dim), Piece(text: place, style: Theme.dim)])
    }
    return (out, links)
  }
}

/// Word wrapping by display width.
enum TextWrap {
  /// Cuts text into lines of at most `width` columns wherever the width ends (for addresses, which
  /// have no spaces to break at).
  static func cut(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    var used = 0
    for ch in text {
      let cw = DisplayWidth.of(String(ch))
      if used + cw > width && !current.isEmpty {
        lines.append(current)
        current = ""
        used = 0
      }
      current.append(ch)
      used += cw
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines
  }

  /// Splits text into lines of at most `width` columns, breaking at spaces, and inside words only
  /// when a word is wider than a line.
  static func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var current = ""
    var currentWidth = 0
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
      var word = String(word)
      var ww = DisplayWidth.of(word)
      if currentWidth > 0 && currentWidth + 1 + ww <= width {
        current += " " + word
        currentWidth += 1 + ww
        continue
      }
      if currentWidth > 0 {
        lines.append(current)
        current = ""
        currentWidth = 0
      }
      // A word wider than the line is cut into pieces.
      while ww > width {
        var piece = ""
        var pw = 0
        var rest = Substring(word)
        while let ch = rest.first {
          let cw = DisplayWidth.of(String(ch))
          if pw + cw > width { break }
          piece.append(ch)
          pw += cw
          rest.removeFirst()
        }
        if piece.isEmpty {  // a character wider than the line: give it a line of its own
          piece = String(rest.removeFirst())
        }
        lines.append(piece)
        word = String(rest)
        ww = DisplayWidth.of(word)
      }
      current = word
      currentWidth = ww
    }
    if currentWidth > 0 || lines.isEmpty { lines.append(current) }
    return lines
  }
}
