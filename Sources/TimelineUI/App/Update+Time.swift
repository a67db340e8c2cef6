import TimelineCore

/// Dates: `:` with a date or a range, and brushing a range on the time strip with keys and the mouse.
extension AppState {
  /// `:` + text: a range (`2020-08..2020-09`, `2020-08-23..`, `..2016`) filters the events that meet
  /// it (`..` alone clears it); a single date selects the first event starting on or after it (in the
  /// timeline view: comes to the middle of the screen, see `centreLanes`).
  mutating func goToDate(_ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let dots = trimmed.range(of: "..") {
      let a = trimmed[..<dots.lowerBound].trimmingCharacters(in: .whitespaces)
      let b = trimmed[dots.upperBound...].trimmingCharacters(in: .whitespaces)
      var bounds: [TimelineDate?] = []
      for part in [a, b] {
        if part.isEmpty {
          bounds.append(nil)
          continue
        }
        switch Self.parseDate(part) {
        case .failure(let e):
          message = "not a date: \"\(part)\": \(e)"
          return
        case .success(let d): bounds.append(d)
        }
      }
      if let from = bounds[0], let to = bounds[1], to.upperKey < from.lowerKey {
        message = "the range ends before it starts"
        return
      }
      setDateRange(from: bounds[0], to: bounds[1])
      return
    }
    switch Self.parseDate(trimmed) {
    case .failure(let e):
      message = "not a date: \(e)"
    case .success(let d):
      guard !results.isEmpty else { return }
      if mode == .lanes { return centreLanes(on: d) }
      let i = SortedLists.partitionPoint(results.count) { timeline.startKey(at: Int(results[$0])) >= d.lowerKey }
      if i < results.count {
        select(i)
      } else {
        select(results.count - 1)
        message = "no event on or after \(DateText.compact(d)); showing the last one"
      }
    }
  }

  /// A date as typed at `:`: the file's form (`2020-08-25`, `-0044`), or a year before Christ as the
  /// explorer writes it (`45 BC`).
  static func parseDate(_ text: String) -> Result<TimelineDate, TimelineDate.ParseError> {
    let words = text.split(separator: " ")
    if words.count == 2, words[1].uppercased() == "BC", let n = Int64(words[0]), n >= 1, let d = TimelineDate(year: 1 - n) {
      return .success(d)
    }
    return TimelineDate.parse(text)
  }

  /// Sets the date range (nil ends: open), as an undoable filter change.
  mutating func setDateRange(from: TimelineDate?, to: TimelineDate?) {
    brush = nil
    var q = query
    q.from = from
    q.to = to
    guard q != query else {
      message = from == nil && to == nil ? "no date range to clear" : "date range unchanged"
      return
    }
    rememberForUndo()
    setQuery(q)
    // A range asks to see that stretch of time: the timeline fits it even when it was zoomed or panned
    // (and when the results stay the same, as a range around all of them leaves them).
    if mode == .lanes {
      fitLanes()
      revealInLanes()
    }
    if from == nil && to == nil {
      message = "date range cleared"
    } else {
      message = "dates " + DateRangeText.describe(from: from, to: to) + (results.isEmpty ? ": no event; u undoes it" : "")
    }
  }

  /// `v`: the first press drops one end of a range at the selected event's period on the strip; the
  /// second sets the range from there to the selected event's period.
  mutating func brushHere() {
    guard let (axis, _) = TimeStripView.placedAxis(self), let k = TimeStripView.selectedBucket(self, axis) else {
      message = "no time strip here to brush"
      return
    }
    let here = axis.dates(ofBucket: k)
    if let b = brush {
      setDateRange(from: min(b.lower, here.lower), to: max(b.upper, here.upper))
    } else {
      brush = Brush(lower: here.lower, upper: here.upper)
      message = "range from \(DateText.compact(here.lower)): move, then v (or click a bar); Esc cancels"
    }
  }

  /// The mouse on the time strip: a click on a bar (or the axis under it) goes to that time and drops
  /// one end of a range; a drag, or a click on another bar, sets the range between. A click on an era
  /// goes to its first event.
  mutating func handleStripMouse(_ event: MouseEvent) -> [Effect] {
    guard let (axis, rect) = TimeStripView.placedAxis(self) else { return [] }
    let x0 = rect.x + 1
    let column = event.x - x0
    guard column >= 0, column < axis.width else { return [] }
    if event.y >= rect.y + 2 {
      guard event.kind == .press else { return [] }
      let placed = TimeStripView.eras(self, axis, rows: rect.height - 2, x0: x0, maxX: rect.maxX - 1).shown
      if let hit = placed.first(where: { $0.row == event.y - rect.y - 2 && event.x >= $0.xs && event.x <= $0.xe }) {
        goTo(dayKey: hit.era.start.lowerKey, what: "era: \(hit.era.title)")
      }
      return []
    }
    let k = axis.bucket(atColumn: column)
    let here = axis.dates(ofBucket: k)
    switch event.kind {
    case .wheelUp, .wheelDown:
      select(selected + (event.kind == .wheelUp ? -3 : 3))
    case .press:
      if let b = brush, b.lower != here.lower {
        setDateRange(from: min(b.lower, here.lower), to: max(b.upper, here.upper))
      } else {
        focus = .list
        goTo(dayKey: axis.dayKeys(ofBucket: k).lower, what: nil)
        brush = Brush(lower: here.lower, upper: here.upper)
        message = "\(DateText.compact(here.lower)): click another bar (or drag) for a range; Esc cancels"
      }
    case .release:
      // The end of a drag that started on another bar.
      if let b = brush, b.lower != here.lower { setDateRange(from: min(b.lower, here.lower), to: max(b.upper, here.upper)) }
    }
    return []
  }

  /// Selects the first listed event starting on or after a day (the last one when there is none).
  mutating func goTo(dayKey: Int64, what: String?) {
    guard !results.isEmpty else { return }
    let i = SortedLists.partitionPoint(results.count) { timeline.startKey(at: Int(results[$0])) >= dayKey }
    select(min(i, results.count - 1))
    if let what { message = what }
  }
}

/// A date range in words, as the header and messages write it: "from 2020-08 to 2020-09",
/// "from 45 BC", "to 2016".
enum DateRangeText {
  static func describe(from: TimelineDate?, to: TimelineDate?) -> String {
    var parts: [String] = []
    if let from { parts.append("from \(DateText.compact(from))") }
    if let to { parts.append("to \(DateText.compact(to))") }
    return parts.joined(separator: " ")
  }
}
