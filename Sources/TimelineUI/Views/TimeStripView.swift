import TimelineCore

/// The time strip under the header: a histogram of the results over their whole span (months,
/// quarters, years… whatever fits the width), the part of it the list shows drawn brighter, the
/// selected event marked ▲ on the axis, and the eras as labelled spans below.
enum TimeStripView {
  /// Bucket sizes tried, in months, smallest first: up to 200,000 years, so that the whole calendar a
  /// file may use (years -999999 to 999999) fits on a 40-column strip.
  static let bucketSizes = [
    1, 3, 6, 12, 24, 60, 120, 240, 600, 1200, 2400, 6000, 12000, 24000, 60000, 120000, 240000, 600000, 1_200_000, 2_400_000,
  ]

  struct Buckets {
    var start: Int  // month number of bucket 0
    var size: Int  // months per bucket
    var counts: [Int]
    var columns: Int  // columns per bucket

    func bucket(ofMonth m: Int) -> Int { Self.floorDiv(m - start, size) }
    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
  }

  static func buckets(_ h: MonthHistogram, width: Int) -> Buckets? {
    guard !h.counts.isEmpty, width > 0 else { return nil }
    let span = h.lastMonth - h.firstMonth + 1
    // The smallest size that fits (a whole number of the histogram's own unit).
    let size = bucketSizes.first { s in s >= h.unit && s % h.unit == 0 && (span + 2 * s - 1) / s <= width }
      ?? bucketSizes.last!
    let start = Buckets.floorDiv(h.firstMonth, size) * size
    let n = Buckets.floorDiv(h.lastMonth - start, size) + 1
    var counts = [Int](repeating: 0, count: n)
    for (k, c) in h.counts.enumerated() where c > 0 {
      counts[min(n - 1, Buckets.floorDiv(h.firstMonth + k * h.unit - start, size))] += Int(c)
    }
    return Buckets(start: start, size: size, counts: counts, columns: max(1, min(8, width / n)))
  }

  static func draw(_ state: AppState, in rect: Rect, into buffer: inout Buffer) {
    guard rect.height >= 2, let b = buckets(state.histogram, width: rect.width - 2) else { return }
    let x0 = rect.x + 1
    let peak = b.counts.max() ?? 1
    let t = state.timeline

    // Months the list is showing, to draw that stretch of the histogram brighter.
    let visible = state.rows(from: state.list.top, count: Layout(state: state).list.height).compactMap { r -> Int? in
      if case .event(let i) = r.row { return MonthHistogram.month(of: t.date(at: Int(state.results[i]))) }
      return nil
    }
    let shownLow = visible.first.map(b.bucket(ofMonth:)) ?? -1
    let shownHigh = visible.last.map(b.bucket(ofMonth:)) ?? -1

    for (k, c) in b.counts.enumerated() {
      let level = c == 0 ? 0 : max(1, (8 * c + peak - 1) / peak)
      let cell = Cell(Theme.sparkChars[level], style: (shownLow...shownHigh).contains(k) ? Theme.spark : Theme.sparkOutside)
      for col in 0..<b.columns { buffer.set(cell, x: x0 + k * b.columns + col, y: rect.y) }
    }

    // Axis: the selected event's ▲ first, then year labels where a bucket starts a year, room
    // permitting (a label never covers the marker).
    var markerX = -1
    if let e = state.selectedEvent {
      let k = b.bucket(ofMonth: MonthHistogram.month(of: t.date(at: Int(e))))
      markerX = x0 + k * b.columns + (b.columns - 1) / 2
      buffer.put("▲", x: markerX, y: rect.y + 1, style: Theme.marker)
    }
    // The user's marks among the listed events: ★ under their bucket (the selection's ▲ wins, and a
    // year label gives way to them).
    var markColumns = Set<Int>()
    for e in state.user.index.marked where state.resultIndex(ofEvent: e) != nil {
      let x = x0 + b.bucket(ofMonth: MonthHistogram.month(of: t.date(at: Int(e)))) * b.columns + (b.columns - 1) / 2
      if x != markerX && markColumns.insert(x).inserted { buffer.put("★", x: x, y: rect.y + 1, style: Theme.userMark) }
    }
    var nextFree = x0
    for k in 0..<b.counts.count {
      let month = b.start + k * b.size
      guard Buckets.floorDiv(month, 12) * 12 == month || k == 0 else { continue }
      let year = Buckets.floorDiv(month, 12)
      let label = year > 0 ? "\(year)" : "\(1 - year) BC"
      var x = x0 + k * b.columns
      let w = DisplayWidth.of(label)
      if x <= markerX && markerX < x + w { x = markerX + 1 }
      if x >= nextFree && x + w <= rect.maxX - 1 && x - x0 < (k + 1) * b.columns + b.columns
        && !(x..<x + w).contains(where: markColumns.contains)
      {
        buffer.put(label, x: x, y: rect.y + 1, style: Theme.dim)
        nextFree = x + w + 1
      }
    }

    // Eras, each on the first row where it does not overlap another.
    let eraRows = rect.height - 2
    guard eraRows > 0 else { return }
    var rowEnds = [Int](repeating: Int.min, count: eraRows)
    for era in t.eras {
      let s = min(max(0, b.bucket(ofMonth: MonthHistogram.month(of: era.start))), b.counts.count - 1)
      let eBucket = min(max(0, b.bucket(ofMonth: eraEndMonth(era))), b.counts.count - 1)
      guard b.bucket(ofMonth: eraEndMonth(era)) >= 0, b.bucket(ofMonth: MonthHistogram.month(of: era.start)) < b.counts.count else {
        continue
      }
      let xs = x0 + s * b.columns
      let xe = x0 + (eBucket + 1) * b.columns - 1
      guard let row = rowEnds.firstIndex(where: { $0 < xs }) else { continue }
      rowEnds[row] = xe + 1
      let y = rect.y + 2 + row
      if xe - xs < 2 {
        buffer.put("┃", x: xs, y: y, style: Theme.era)
        buffer.put(era.title, x: xs + 1, y: y, style: Theme.era, maxWidth: max(0, min(rect.maxX - xs - 2, 24)))
        rowEnds[row] = max(rowEnds[row], xs + 2 + min(24, DisplayWidth.of(era.title)))
        continue
      }
      buffer.put("├", x: xs, y: y, style: Theme.era)
      for x in (xs + 1)..<xe { buffer.put("─", x: x, y: y, style: Theme.era) }
      buffer.put("┤", x: xe, y: y, style: Theme.era)
      let inside = xe - xs - 1
      let titleWidth = DisplayWidth.of(era.title)
      if titleWidth > inside && inside < 8 && xe + 2 + titleWidth <= rect.maxX - 1 {
        // Too short a span for its name: the name follows it, and the row is taken up to its end.
        buffer.put(era.title, x: xe + 2, y: y, style: Theme.era)
        rowEnds[row] = xe + 2 + titleWidth + 1
      } else {
        buffer.put(era.title, x: xs + 1, y: y, style: Theme.era, maxWidth: inside)
      }
    }
  }

  static func eraEndMonth(_ era: Era) -> Int {
    let d = era.end
    return d.precision == .year ? Int(d.year) * 12 + 11 : MonthHistogram.month(of: d)
  }
}
