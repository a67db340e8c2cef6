import Synchronization
import TimelineCore

/// One terminal cell: a whole grapheme cluster and its style. A cluster `width` columns wide is followed
/// by `width - 1` continuation cells (empty text), so rows always have exactly `width` cells.
///
/// Up to eight bytes of UTF-8 (a letter and its accents, a CJK ideograph, a flag, an emoji with its skin
/// tone, an Indic syllable of two or three letters) are kept inline; a longer cluster (a ZWJ family, a
/// tag flag, a conjunct with its vowel sign) is kept once in `ClusterStore` and the cell holds its number.
/// A cell stays sixteen plain bytes either way: drawing and diffing a 200×60 screen copies and compares
/// integers, with no reference counting.
public struct Cell: Hashable, Sendable {
  /// UTF-8 bytes, first byte lowest; or `ClusterStore.tag` and a cluster's number; 0 for a continuation.
  var glyph: UInt64
  public var style: Style
  /// Columns the cluster takes: 1 or more; 0 for a continuation cell.
  var width: UInt8

  /// A cell holding the first grapheme cluster of `text` (and an empty text makes a continuation cell).
  public init(_ text: String = " ", style: Style = .plain) {
    let g = text.first.map { Buffer.glyph($0) } ?? Glyph(bits: 0, width: 0)
    glyph = g.bits
    width = UInt8(truncatingIfNeeded: g.width)
    self.style = style
  }

  init(glyph: UInt64, width: Int, style: Style) {
    self.glyph = glyph
    self.width = UInt8(truncatingIfNeeded: width)
    self.style = style
  }

  public static let blank = Cell()
  static let space: UInt64 = 0x20

  /// Makes the cell a one-column blank, keeping its style (what is left of a cluster drawn over).
  mutating func blank() {
    glyph = Cell.space
    width = 1
  }
  public var isContinuation: Bool { glyph == 0 }
  /// Columns the cell's cluster takes (0 for a continuation cell).
  public var columns: Int { Int(width) }

  public var text: String {
    get { ClusterStore.text(glyph) }
    set {
      let g = newValue.first.map { Buffer.glyph($0) } ?? Glyph(bits: 0, width: 0)
      glyph = g.bits
      width = UInt8(truncatingIfNeeded: g.width)
    }
  }

  /// The cell's cluster as UTF-8, without making a String (the backend's drawing loop).
  public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if glyph & ClusterStore.tag == ClusterStore.tag {
      return ClusterStore.bytes(glyph).withUnsafeBufferPointer(body)
    }
    var bits = glyph.littleEndian
    return withUnsafeBytes(of: &bits) { raw in
      let n = 8 - glyph.leadingZeroBitCount / 8
      return body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: n))
    }
  }
}

/// What `Buffer.glyph` makes of a grapheme cluster: the cell's glyph bits, its columns, and whether the
/// cluster was too long and was cut (to be followed by "…").
struct Glyph: Equatable {
  var bits: UInt64
  private var columns: Int32
  var cut: Bool

  @inline(__always)
  init(bits: UInt64, width: Int, cut: Bool = false) {
    self.bits = bits
    columns = Int32(truncatingIfNeeded: width)
    self.cut = cut
  }

  var width: Int { Int(columns) }
}

/// Grapheme clusters longer than a cell's eight inline bytes, each kept once for the life of the process
/// and named by its number in the cells that show it. Only clusters laid out to be drawn get here (not
/// those only measured), so the store holds at most the distinct long clusters of the text loaded (in practice a few hundred: ZWJ
/// emoji, tag flags, Indic conjuncts with their signs). Keys are compared byte for byte (not by
/// canonical equivalence, as String keys would be), so a cell draws exactly the bytes it was given.
enum ClusterStore {
  /// The top byte of a stored cluster's glyph: 0xFF never occurs in UTF-8.
  static let tag: UInt64 = 0xFF << 56

  private struct Table: ~Copyable {
    var numbers: [[UInt8]: UInt64] = [:]
    var clusters: [[UInt8]] = []
  }
  private static let table = Mutex(Table())

  /// The glyph for a cluster's UTF-8: inline when it fits in eight bytes, else its number in the store.
  static func glyph<C: Collection>(utf8 bytes: C) -> UInt64 where C.Element == UInt8 {
    if bytes.count <= 8 {
      var v: UInt64 = 0
      var shift: UInt64 = 0
      for b in bytes {
        v |= UInt64(b) << shift
        shift += 8
      }
      return v
    }
    let key = Array(bytes)
    return table.withLock { t in
      if let n = t.numbers[key] { return tag | n }
      let n = UInt64(t.clusters.count)
      t.clusters.append(key)
      t.numbers[key] = n
      return tag | n
    }
  }

  /// The UTF-8 of a stored cluster.
  static func bytes(_ glyph: UInt64) -> [UInt8] {
    let n = Int(glyph & ~tag)
    return table.withLock { $0.clusters[n] }
  }

  /// The text of any glyph, inline or stored ("" for a continuation).
  static func text(_ glyph: UInt64) -> String {
    if glyph & tag == tag { return String(decoding: bytes(glyph), as: UTF8.self) }
    var bytes = glyph
    var out: [UInt8] = []
    out.reserveCapacity(8)
    while bytes != 0 {
      out.append(UInt8(truncatingIfNeeded: bytes))
      bytes >>= 8
    }
    return String(decoding: out, as: UTF8.self)
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

  /// A stretch of a row that links to an address (OSC 8 where the terminal understands it). Links are
  /// carried beside the cells, which hold only terminal-safe text: the screen is the same with or
  /// without them, and the backend decides whether to send them.
  public struct Link: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var url: String

    public init(x: Int, y: Int, width: Int, url: String) {
      self.x = x
      self.y = y
      self.width = width
      self.url = url
    }
  }
  public var links: [Link] = []

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
    links.removeAll(keepingCapacity: true)
  }

  /// Fills a rectangle with a character and style.
  public mutating func fill(_ rect: Rect, _ text: String = " ", style: Style = .plain) {
    let r = clip(rect)
    guard !r.isEmpty else { return }
    let cell = Cell(text, style: style)
    let w = max(1, cell.columns)
    for y in r.y..<r.maxY {
      var x = r.x
      while x + w <= r.maxX {
        write(cell, x: x, y: y)
        x += w
      }
    }
  }

  /// Writes a cluster's cell (and its continuation cells) without leaving part of another cluster
  /// behind: a cluster that the new one overlaps (an overlay's edge drawn across a CJK title) becomes
  /// blanks, so every row stays exactly `width` columns on the terminal.
  @inline(__always)
  private mutating func write(_ cell: Cell, x: Int, y: Int) {
    let row = y * size.width
    let w = max(1, Int(cell.width))
    // A cluster that starts before x and reaches into it: blank it from its first column.
    if cells[row + x].glyph == 0 {
      var head = x - 1
      while head > 0 && cells[row + head].glyph == 0 { head -= 1 }
      for k in head..<x { cells[row + k].blank() }
    }
    // A cluster that starts under the new one and reaches past it: blank the rest of it.
    var after = x + w
    while after < size.width && cells[row + after].glyph == 0 {
      cells[row + after].blank()
      after += 1
    }
    cells[row + x] = cell
    if w > 1 {
      for k in 1..<w where x + k < size.width { cells[row + x + k] = Cell(glyph: 0, width: 0, style: cell.style) }
    }
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
      while run.used > room - 1, let last = run.glyphs.popLast() { run.used -= last.width }
    }
    var col = x
    for g in run.glyphs {
      if col >= 0 { write(Cell(glyph: g.bits, width: g.width, style: style), x: col, y: y) }
      col += g.width
    }
    if overflow {
      if col >= 0 && col < size.width { write(Cell(glyph: Self.ellipsis, width: 1, style: style), x: col, y: y) }
      col += 1
    }
    return col
  }

  /// The glyphs of a text that fit in `room` columns, and whether some did not.
  struct GlyphRun {
    let room: Int
    var glyphs: [Glyph] = []
    var used = 0
    var overflow = false

    init(room: Int) {
      self.room = room
      glyphs.reserveCapacity(min(room, 256))
    }

    /// Takes one glyph (and the "…" after a cut cluster); false once the text no longer fits.
    @inline(__always)
    mutating func take(_ g: Glyph) -> Bool {
      if g.width == 0 { return true }
      if used + g.width > room {
        overflow = true
        return false
      }
      glyphs.append(g)
      used += g.width
      if g.cut {
        if used + 1 > room {
          overflow = true
          return false
        }
        glyphs.append(Glyph(bits: Buffer.ellipsis, width: 1))
        used += 1
      }
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
          if !run.take(Glyph(bits: UInt64(b), width: 1)) { break }
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

  /// "…" packed as a glyph.
  static let ellipsis = ClusterStore.glyph(utf8: "…".utf8)

  /// The glyph to draw for a grapheme cluster and its columns, by the rules of `DisplayWidth` (the
  /// drawing loop's hot path: ASCII is one comparison, anything else one pass over its scalars). The
  /// cluster is kept whole, up to `DisplayWidth.maxClusterScalars` scalars; a control character becomes
  /// its visible placeholder (and so does a cluster that starts with one, CR LF).
  /// With `keep` false (measuring only), a long cluster is not put in `ClusterStore` and its bits mean
  /// nothing.
  @inline(__always)
  static func glyph(_ ch: Character, keep: Bool = true) -> Glyph {
    if ch.isASCII, let a = ch.asciiValue, a >= 0x20 && a < 0x7F { return Glyph(bits: UInt64(a), width: 1) }
    var scalars = ch.unicodeScalars.makeIterator()
    guard let first = scalars.next() else { return Glyph(bits: 0, width: 0) }
    if TerminalSafety.isUnsafe(first) {
      return Glyph(bits: ClusterStore.glyph(utf8: String(TerminalSafety.placeholder(for: first)).utf8), width: 1)
    }
    var width = DisplayWidth.of(first)
    var next = scalars.next()
    // Most clusters are one scalar: nothing more to look up.
    if next == nil { return Glyph(bits: Packer.inline(first), width: width) }
    // Emoji sequences are one glyph: what follows the first emoji adds no column of its own.
    let emoji = width == 2 || DisplayWidth.isEmojiVariationBase(first)
    var bytes = Packer()
    bytes.add(first)
    var count = 1
    var cut = false
    var joined = false
    while let s = next {
      next = scalars.next()
      // A control inside a cluster (only CR LF has one) ends it: the placeholder stands alone.
      if TerminalSafety.isUnsafe(s) { break }
      if count >= DisplayWidth.maxClusterScalars {
        cut = true
        break
      }
      let v = s.value
      // A joiner is kept only with what it joins: at the end of a cell it could join the next cell's
      // emoji into one glyph on the terminal, where the buffer has two.
      if v == 0x200D {
        joined = true
        continue
      }
      if joined {
        bytes.add("\u{200D}")
        count += 1
      }
      if count == DisplayWidth.maxClusterScalars {
        cut = true
        break
      }
      bytes.add(s)
      count += 1
      defer { joined = false }
      if emoji {
        // Joined by a ZWJ, a skin tone, the second regional indicator of a flag.
        if joined || (0x1F3FB...0x1F3FF).contains(v) || (0x1F1E6...0x1F1FF).contains(v) { continue }
        if v == 0xFE0F && count == 2 && width == 1 {
          width = 2
          continue
        }
      }
      width += DisplayWidth.of(s)
    }
    return Glyph(bits: keep || bytes.spilled.isEmpty ? bytes.glyph : ClusterStore.tag, width: width, cut: cut)
  }

  /// A cluster's UTF-8, inline while it fits in eight bytes.
  private struct Packer {
    var inline: UInt64 = 0
    var count = 0
    var spilled: [UInt8] = []

    @inline(__always)
    mutating func add(_ s: Unicode.Scalar) {
      let n = UTF8.width(s)
      if spilled.isEmpty && count + n <= 8 {
        for byte in UTF8.encode(s)! {
          inline |= UInt64(byte) << (8 * count)
          count += 1
        }
        return
      }
      if spilled.isEmpty {
        spilled.reserveCapacity(32)
        var b = inline
        for _ in 0..<count {
          spilled.append(UInt8(truncatingIfNeeded: b))
          b >>= 8
        }
      }
      spilled.append(contentsOf: UTF8.encode(s)!)
      count += n
    }

    var glyph: UInt64 { spilled.isEmpty ? inline : ClusterStore.glyph(utf8: spilled) }

    /// One scalar's UTF-8, packed (at most four bytes: always inline).
    @inline(__always)
    static func inline(_ s: Unicode.Scalar) -> UInt64 {
      var p = Packer()
      p.add(s)
      return p.inline
    }
  }

  /// What is drawn for a character and the columns it takes, as a String (see `glyph`).
  static func displayable(_ ch: Character) -> (String, Int) {
    let g = glyph(ch)
    return g.cut ? (ClusterStore.text(g.bits) + "…", g.width + 1) : (ClusterStore.text(g.bits), g.width)
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
        // A run must not start on a continuation cell: back up to the cluster it belongs to.
        var start = x
        while start > 0 && cells[rowStart + start].isContinuation { start -= 1 }
        runs.append((start, y, cells[(rowStart + start)..<(rowStart + end)]))
        x = end
      }
    }
    return runs
  }

  public static func == (a: Buffer, b: Buffer) -> Bool {
    a.size == b.size && a.cells == b.cells && a.cursorX == b.cursorX && a.cursorY == b.cursorY && a.links == b.links
  }

  public func hash(into h: inout Hasher) {
    h.combine(size)
    h.combine(cells)
  }
}
