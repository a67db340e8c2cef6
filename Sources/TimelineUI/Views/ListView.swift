import TimelineCore

/// The event list: year and month headings, then one row per event with its date (in its precision),
/// confidence mark, title and country codes.
enum ListView {
  /// Width of the date column: "2020-08-25~", wider for a timeline with times of day
  /// ("2020-08-25T14:30~"), that reaches before Christ ("15 Mar 45 BC~", written as the headings and
  /// the detail write it) or past year 9999, so that the timeline's dates are shown whole; on a list
  /// narrower than twice that, half its width (a cut date ends in "…"). A time of day on a date
  /// before Christ is the one thing cut: counting it would widen every deep-time column by six.
  static func dateWidth(_ t: Timeline, listWidth: Int) -> Int {
    guard let span = t.span else { return 11 }
    let first = TimelineDate(dayKey: span.lower).year
    let last = TimelineDate(dayKey: span.upper).year
    let time = t.hasTimesOfDay ? " 14:30".count : 0
    var width = "2020-08-25~".count + time
    if first < 1 { width = max(width, "15 Mar  BC~".count + String(1 - first).count) }
    if last > 9999 { width = max(width, "-08-25~".count + String(last).count + time) }
    return min(width, max(11, listWidth / 2))
  }

  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard !rect.isEmpty else { return }
    let t = state.timeline
    if t.count == 0 {
      // Not "no event matches the filters": there are none to filter, and x would change nothing.
      buffer.put("This timeline has no events.", x: rect.x + 2, y: rect.y + 1, style: Theme.title, maxWidth: rect.width - 3)
      buffer.put("Open another file with --data.", x: rect.x + 2, y: rect.y + 2, maxWidth: rect.width - 3)
      buffer.cursor = (rect.x, rect.y + 1)
      return
    }
    if state.results.isEmpty {
      buffer.put("No event matches the filters.", x: rect.x + 2, y: rect.y + 1, style: Theme.title, maxWidth: rect.width - 3)
      // The keys from the command table, so that the advice follows them.
      let pickers = Facet.allCases.map { Command.picker($0) }.filter { $0.isAvailable(state) }.map(state.bindings.label).joined(separator: " ")
      let advice = "Press \(state.bindings.label(.clearFilters)) to clear them, or \(pickers) to change them."
      buffer.put(advice, x: rect.x + 2, y: rect.y + 2, maxWidth: rect.width - 3)
      buffer.cursor = (rect.x, rect.y + 1)
      return
    }
    let rows = state.rows(from: state.list.top, count: rect.height)
    let dateColumns = dateWidth(t, listWidth: rect.width)
    for (k, entry) in rows.enumerated() {
      let y = rect.y + k
      switch entry.row {
      case .year(let year):
        let label = TimelineDate.yearString(year).hasPrefix("-") ? DateText.long(TimelineDate(year: year)!) : TimelineDate.yearString(year)
        let end = buffer.put(label, x: rect.x + 1, y: y, style: Theme.yearHeading)
        if end + 1 < rect.maxX { buffer.fill(Rect(x: end + 1, y: y, width: rect.maxX - end - 2, height: 1), "─", style: Theme.border) }
      case .month(_, let month):
        buffer.put(DateText.monthName(month), x: rect.x + 3, y: y, style: Theme.monthHeading)
      case .event(let r):
        drawEvent(state, t, r, x: rect.x, y: y, width: rect.width, dateColumns: dateColumns, into: &buffer)
      }
    }
  }

  static func drawEvent(_ state: AppState, _ t: Timeline, _ r: Int, x: Int, y: Int, width: Int, dateColumns: Int, into buffer: inout Buffer) {
    let e = Int(state.results[r])
    let isSelected = r == state.selected
    let isMatch = state.search?.contains(UInt32(e)) ?? false
    // What the search matched in this row: words of the title, the date, the country codes.
    let pattern = isMatch ? state.search?.pattern : nil
    let base: Style = isMatch ? Theme.matchRow : .plain
    if isSelected { buffer.put("▸", x: x, y: y, style: Theme.title) }
    // One column tells the most personal first: the user's mark, their note, then a search match
    // (which the underline shows too).
    if state.user.index.isMarked(UInt32(e)) {
      buffer.put("★", x: x + 1, y: y, style: Theme.userMark)
    } else if state.user.index.note(UInt32(e)) != nil {
      buffer.put("✎", x: x + 1, y: y, style: Theme.userNote)
    } else if isMatch {
      buffer.put("*", x: x + 1, y: y, style: Theme.match)
    }
    var col = x + 2
    let d = t.date(at: e)
    let date = DateText.compact(d)
    // The written form is what a search for a date matches; the column shows it for every date after
    // Christ, and the whole date is marked either way.
    let dateHits = pattern.map { p in p.highlights(in: d.description, as: .date).isEmpty ? [] : [date.startIndex..<date.endIndex] } ?? []
    Highlight.put(date, hits: dateHits, x: col, y: y, style: Theme.dim.over(base), hitStyle: Theme.hit, maxWidth: dateColumns, into: &buffer)
    col += dateColumns + 1
    let c = t.confidence(at: e)
    buffer.put(String(c.mark), x: col, y: y, style: Theme.confidence(c))
    col += 2
    // Country codes on the right: as many as fit in a small column, then "+n"; those the filter asks
    // for first, so the country that let the event through is never hidden in "+n".
    let wanted = state.query[.country].included
    var codes = t.countryCodes(at: e)
    if !wanted.isEmpty { codes = codes.filter(wanted.contains) + codes.filter { !wanted.contains($0) } }
    let codesText = codeSummary(codes, maxWidth: min(14, max(0, width / 6)))
    let codesWidth = DisplayWidth.of(codesText)
    let titleRoom = x + width - col - (codesWidth > 0 ? codesWidth + 2 : 1)
    let title = t.title(at: e)
    let titleHits = pattern?.highlights(in: title, as: .text) ?? []
    Highlight.put(title, hits: titleHits, x: col, y: y, style: base, hitStyle: Theme.hit, maxWidth: max(0, titleRoom), into: &buffer)
    if codesWidth > 0 {
      let codesX = x + width - codesWidth - 1
      buffer.put(codesText, x: codesX, y: y, style: Theme.codes)
      if let pattern {
        // A code is marked when the search matched one of its country's names.
        var offset = 0
        for code in codesText.split(separator: " ") {
          let names = t.countries[code: String(code)]?.allNames ?? []
          if names.contains(where: { !pattern.highlights(in: $0, as: .name).isEmpty }) {
            buffer.restyle(Rect(x: codesX + offset, y: y, width: code.count, height: 1), Theme.hit)
          }
          offset += code.count + 1
        }
      }
    }
    if isSelected {
      buffer.restyle(Rect(x: x, y: y, width: width, height: 1), state.focus == .list ? Theme.selected : Style(underline: true))
      // The terminal cursor rests on the selected row, so screen readers follow the selection.
      if state.focus == .list { buffer.cursor = (x, y) }
    }
  }

  /// "US CY", or "US CA CZ +15" when they do not all fit.
  static func codeSummary(_ codes: [String], maxWidth: Int) -> String {
    guard !codes.isEmpty, maxWidth >= 2 else { return "" }
    let all = codes.joined(separator: " ")
    if all.count <= maxWidth { return all }
    var shown: [String] = []
    for (k, code) in codes.enumerated() {
      let rest = "+\(codes.count - k - 1)"
      let candidate = (shown + [code]).joined(separator: " ") + " " + rest
      if candidate.count > maxWidth { break }
      shown.append(code)
    }
    return (shown + ["+\(codes.count - shown.count)"]).joined(separator: " ")
  }
}
