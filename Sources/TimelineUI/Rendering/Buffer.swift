import TimelineCore

/// One terminal cell: a grapheme cluster and its style. The cell after a double-width grapheme holds
/// an empty string (a continuation), so rows always have exactly `width` cells.
///
/// The cluster is kept inline as up to eight bytes of UTF-8 (a character and its accents; anything
/// longer is cut at a character boundary, which only Zalgo-style stacks of marks ever reach), so a
/// cell is sixteen plain bytes: drawing and diffing a 200×60 screen copies and compares integers,
/// with no reference counting.
public struct Cell: Hashable, Sendable {
  /// UTF-8 bytes, first byte lowest; 0 for a continuation cell.
  var glyph: UInt64
  public var style: Style

  public init(_ text: String = " ", style: Style = .plain) {
    self.glyph = Self.pack(text)
    self.style = style
  }

  init(glyph: UInt64, style: Style) {
    self.glyph = glyph
    self.style = style
  }

  public static let blank = Cell()
  static let space: UInt64 = 0x20
  public var isContinuation: Bool { glyph == 0 }

  public var text: String {
    get {
      var bytes = glyph
      var out: [UInt8] = []
      while bytes != 0 {
        out.append(UInt8(truncatingIfNeeded: bytes))
        bytes >>= 8
      }
      return String(decoding: out, as: UTF8.self)
    }
    set { glyph = Self.pack(newValue) }
  }

  /// Packs up to eight bytes of a cluster's UTF-8, stopping before a character that would not fit.
  static func pack(_ text: String) -> UInt64 {
    var v: UInt64 = 0
    var shift: UInt64 = 0
    for scalar in text.unicodeScalars {
      let n = UInt64(UTF8.width(scalar))
      if shift / 8 + n > 8 { break }
      for byte in UTF8.encode(scalar)! {
        v |= UInt64(byte) << shift
        shift += 8
      }
    }
    return v
  }
}

/// An in-memory screen: what `view` draws and the terminal backend copies out.
///
/// As in ratatui, nothing that draws touches the terminal; tests read `lines` to see exactly what a
/// user would. Writing is clipped to the buffer, text is made terminal-safe here (control characters
/// and escape sequences become visible placeholders, whatever the caller forgot), and wide characters
/// are never split.
public struct Buffer: Hashable, Sendable {
  public let size: Size
  public private(set) var cells: [Cell]
  /// Where the terminal cursor should rest (the selected row), so screen readers follow it.
  public var cursor: (x: Int, y: Int)? {
    get { cursorX.map { ($0, cursorY) } }
    set {
      cursorX = newValue?.x
      cursorY = newValue?.y ?? 0
    }
  }
  private var cursorX: Int?
  private var cursorY = 0

  public init(size: Size) {
    self.size = size
    cells = Array(repeating: .blank, count: size.width * size.height)
  }

  public var area: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * size.width + x] }
    set { cells[y * size.width + x] = newValue }
  }

  /// Puts one prepared single-width cell at (x, y), if inside (for cells drawn many times a frame,
  /// such as the time strip's bars, without going through text).
  public mutating func set(_ cell: Cell, x: Int, y: Int) {
    guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
    write(cell, x: x, y: y)
  }

  /// Blanks every cell (the start of each frame).
  public mutating func clear() {
    cells.withUnsafeMutableBufferPointer { $0.update(repeating: .blank) }
  }

  /// Fills a rectangle with a character and style.
  public mutating func fill(_ rect: Rect, _ text: String = " ", style: Style = .plain) {
    let r = clip(rect)
    guard !r.isEmpty else { return }
    let cell = Cell(text, style: style)
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX { write(cell, x: x, y: y) }
    }
  }

  /// Writes one cell without leaving half of a wide character behind: when the cell overwritten was
  /// either half of a wide character (an overlay's edge drawn across a CJK title), the other half
  /// becomes a blank, so every row stays exactly `width` columns on the terminal.
  private mutating func write(_ cell: Cell, x: Int, y: Int) {
    let i = y * size.width + x
    if !cell.isContinuation && x > 0 && cells[i].isContinuation { cells[i - 1].glyph = Cell.space }
    if x + 1 < size.width && cells[i + 1].isContinuation { cells[i + 1].glyph = Cell.space }
    cells[i] = cell
  }

  /// Applies a style on top of what a rectangle already holds (to highlight a row after drawing it).
  public mutating func restyle(_ rect: Rect, _ style: Style) {
    let r = clip(rect)
    guard !r.isEmpty else { return }
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX { self[x, y].style = style.over(self[x, y].style) }
    }
  }

  private func clip(_ r: Rect) -> Rect {
    let x0 = max(0, r.x)
    let y0 = max(0, r.y)
    let x1 = min(size.width, r.maxX)
    let y1 = min(size.height, r.maxY)
    return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
  }

  /// Draws text from (x, y) on one row, at most `maxWidth` columns (to the buffer's edge by default).
  /// Text that does not fit is cut and ends with "…". Returns the column after the text.
  @discardableResult
  public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
    guard y >= 0, y < size.height, x < size.width else { return x }
    let limit = min(size.width, x + (maxWidth ?? size.width))
    let room = limit - x
    guard room > 0 else { return x }
    var run = Self.fit(text, room: room)
    let overflow = run.overflow
    if overflow {
      // Keep what fits in room - 1 columns, then the ellipsis.
      while run.used > room - 1, let last = run.glyphs.popLast() { run.used -= last.1 }
    }
    var col = x
    for (glyph, w) in run.glyphs {
      if col >= 0 {
        write(Cell(glyph: glyph, style: style), x: col, y: y)
        if w == 2 && col + 1 < size.width { write(Cell(glyph: 0, style: style), x: col + 1, y: y) }
      }
      col += w
    }
    if overflow {
      if col >= 0 && col < size.width { write(Cell(glyph: Self.ellipsis, style: style), x: col, y: y) }
      col += 1
    }
    return col
  }

  /// The glyphs of a text that fit in `room` columns, and whether some did not.
  struct GlyphRun {
    let room: Int
    var glyphs: [(UInt64, Int)] = []
    var used = 0
    var overflow = false

    init(room: Int) {
      self.room = room
      glyphs.reserveCapacity(min(room, 256))
    }

    /// Takes one glyph; false once the text no longer fits.
    @inline(__always)
    mutating func take(_ g: (UInt64, Int)) -> Bool {
      if g.1 == 0 { return true }
      if used + g.1 > room {
        overflow = true
        return false
      }
      glyphs.append(g)
      used += g.1
      return true
    }
  }

  /// Measures only as far as needed to know whether the text fits (titles may be a megabyte long).
  ///
  /// Most text is ASCII, and grapheme breaking per `Character` was the frame's largest cost: a printable
  /// ASCII byte followed by another ASCII byte (or the end) is a whole cluster on its own (the only ASCII
  /// pair that joins, CR LF, starts with a control), so it is taken straight from the bytes; anything
  /// else goes through `Character` from that byte on, one cluster at a time.
  static func fit(_ text: String, room: Int) -> GlyphRun {
    let fast = text.utf8.withContiguousStorageIfAvailable { bytes -> GlyphRun in
      var run = GlyphRun(room: room)
      let n = bytes.count
      var i = 0
      while i < n {
        let b = bytes[i]
        if b >= 0x20, b < 0x7F, i + 1 == n || bytes[i + 1] < 0x80 {
          if !run.take((UInt64(b), 1)) { break }
          i += 1
          continue
        }
        let ch = text[text.utf8.index(text.utf8.startIndex, offsetBy: i)]
        if !run.take(glyph(ch)) { break }
        i += max(1, ch.utf8.count)
      }
      return run
    }
    if let fast { return fast }
    var run = GlyphRun(room: room)
    for ch in text where !run.take(glyph(ch)) { break }
    return run
  }

  /// What to draw for a character and its width: control characters become visible placeholders, and
  /// a cluster is cut to its first scalar and the zero-width scalars after it (what terminals agree on).
  /// "…" packed as a glyph.
  static let ellipsis = Cell.pack("…")

  /// The glyph to draw for a character and its width, packed (the drawing loop's hot path: ASCII is
  /// one comparison, anything else one pass over its scalars, no String made). Control characters
  /// become visible placeholders, and a cluster is cut to its first scalar and the zero-width scalars
  /// after it (what terminals agree on).
  @inline(__always)
  static func glyph(_ ch: Character) -> (UInt64, Int) {
    if ch.isASCII, let a = ch.asciiValue, a >= 0x20 && a < 0x7F { return (UInt64(a), 1) }
    var scalars = ch.unicodeScalars.makeIterator()
    guard let first = scalars.next() else { return (0, 0) }
    if TerminalSafety.isUnsafe(first) { return (Cell.pack(String(TerminalSafety.placeholder(for: first))), 1) }
    let w = DisplayWidth.of(first)
    var v: UInt64 = 0
    var used = 0
    func add(_ s: Unicode.Scalar) -> Bool {
      let n = UTF8.width(s)
      guard used + n <= 8 else { return false }
      for byte in UTF8.encode(s)! {
        v |= UInt64(byte) << (8 * used)
        used += 1
      }
      return true
    }
    _ = add(first)
    while let s = scalars.next() {
      // A joiner joins the next scalar, which is not drawn; kept, it would join whatever the next cell
      // holds (an emoji there would make the terminal draw one glyph where the buffer has two).
      if DisplayWidth.of(s) != 0 || TerminalSafety.isUnsafe(s) || s.value == 0x200D { break }
      // An emoji presentation selector would make some terminals draw a one-column symbol two columns
      // wide; without it every terminal agrees with wcwidth.
      if s.value == 0xFE0F && w == 1 { continue }
      if !add(s) { break }
    }
    return (v, w)
  }

  /// What to draw for a character and its width, as a String (see `glyph`).
  static func displayable(_ ch: Character) -> (String, Int) {
    let (g, w) = glyph(ch)
    return (Cell(glyph: g, style: .plain).text, w)
  }

  /// The rows as text, continuation cells omitted (so a row's string is as wide on screen as the row).
  public var lines: [String] {
    (0..<size.height).map { y in
      var s = ""
      for x in 0..<size.width { s += self[x, y].text }
      return s
    }
  }

  /// The rows with trailing spaces removed, joined by newlines; what snapshot tests compare.
  public var text: String {
    lines.map { line in
      var l = Substring(line)
      while l.last == " " { l.removeLast() }
      return String(l)
    }.joined(separator: "\n")
  }

  /// The cells that differ from `previous` (all of them when the size changed), row by row, as runs of
  /// consecutive changed cells: what the backend must write to bring the screen up to date.
  public func changes(since previous: Buffer?) -> [(x: Int, y: Int, cells: ArraySlice<Cell>)] {
    var runs: [(x: Int, y: Int, cells: ArraySlice<Cell>)] = []
    let full = previous == nil || previous!.size != size
    for y in 0..<size.height {
      let rowStart = y * size.width
      var x = 0
      while x < size.width {
        if !full && cells[rowStart + x] == previous!.cells[rowStart + x] {
          x += 1
          continue
        }
        var end = x + 1
        while end < size.width && (full || cells[rowStart + end] != previous!.cells[rowStart + end]) { end += 1 }
        // A run must not start on a continuation cell: back up to the wide character it belongs to.
        var start = x
        if start > 0 && cells[rowStart + start].isContinuation { start -= 1 }
        runs.append((start, y, cells[(rowStart + start)..<(rowStart + end)]))
        x = end
      }
    }
    return runs
  }

  public static func == (a: Buffer, b: Buffer) -> Bool {
    a.size == b.size && a.cells == b.cells && a.cursorX == b.cursorX && a.cursorY == b.cursorY
  }

  public func hash(into h: inout Hasher) {
    h.combine(size)
    h.combine(cells)
  }
}
