/// How a cell's cluster reaches a real terminal: which clusters terminals may draw in other columns than
/// the buffer gives them, and what stands in for text on a terminal that cannot show Unicode.
public enum TerminalText {
  /// Whether every terminal draws this cluster in exactly `columns` columns, so that drawing it leaves the
  /// cursor where the next cell begins. `hostWidth` is the C library's `wcwidth` (what ncurses, tmux and
  /// most terminals on this machine use; -1 for a character it does not know).
  ///
  /// Not settled: anything where the two tables disagree (characters newer than the C library, the
  /// policy choices in `DisplayWidth`), and the sequences terminals draw differently whatever their
  /// tables say: emoji joined by ZWJ, flags, skin tones, tags, variation selectors, prepended marks, and
  /// clusters of several spacing characters (an Indic conjunct, a Thai SARA AM), which terminals that
  /// shape graphemes draw as one glyph.
  public static func isSettled(_ scalars: String.UnicodeScalarView, columns: Int, hostWidth: (Unicode.Scalar) -> Int) -> Bool {
    var it = scalars.makeIterator()
    guard let first = it.next() else { return false }
    if first.value < 0x7F && first.value >= 0x20 && columns == 1 {
      // ASCII, perhaps with combining marks.
      while let s = it.next() {
        if isDisputed(s) || DisplayWidth.of(s) != 0 || hostWidth(s) != 0 { return false }
      }
      return true
    }
    if isDisputed(first) || hostWidth(first) != columns || DisplayWidth.of(first) != columns { return false }
    while let s = it.next() {
      if isDisputed(s) || DisplayWidth.of(s) != 0 || hostWidth(s) != 0 { return false }
    }
    return true
  }

  /// Scalars that terminals treat differently from one another, whatever the C library says.
  @inline(__always)
  static func isDisputed(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x200D, 0xFE0E, 0xFE0F: true  // ZWJ, VS15, VS16
    case 0x1F1E6...0x1F1FF, 0x1F3FB...0x1F3FF: true  // regional indicators, skin tones
    case 0xE0020...0xE007F: true  // tags
    case 0x0600...0x0605, 0x06DD, 0x070F, 0x0890...0x0891, 0x08E2, 0x110BD, 0x110CD: true  // prepended marks
    default: false
    }
  }

  /// The ASCII a cell shows on a terminal whose character set is not UTF-8 (`LC_ALL=C`, `LANG=POSIX`),
  /// exactly `columns` bytes: the explorer's own box drawing, marks and bars become ASCII look-alikes
  /// (as tig's `line-graphics = ascii` and VisiData's ascii theme do), and any other text that cannot be
  /// shown becomes `?`, one a column, never raw UTF-8 bytes.
  public static func ascii(_ cell: Cell) -> [UInt8] {
    let columns = max(1, cell.columns)
    return cell.withUTF8 { bytes in
      if bytes.count == 1 && bytes[0] >= 0x20 && bytes[0] < 0x7F { return [bytes[0]] }
      let text = String(decoding: bytes, as: UTF8.self)
      let scalars = text.unicodeScalars
      if columns == 1, scalars.count == 1, let symbol = symbol(scalars.first!) { return [symbol] }
      return [UInt8](repeating: UInt8(ascii: "?"), count: columns)
    }
  }

  /// A buffer's rows as the explorer draws them in ASCII, trailing blanks removed and joined by newlines
  /// (what `timeline render --ascii` prints).
  public static func asciiText(_ buffer: Buffer) -> String {
    (0..<buffer.size.height).map { y in
      var row: [UInt8] = []
      for x in 0..<buffer.size.width where !buffer[x, y].isContinuation { row += ascii(buffer[x, y]) }
      while row.last == UInt8(ascii: " ") { row.removeLast() }
      return String(decoding: row, as: UTF8.self)
    }.joined(separator: "\n")
  }

  /// The ASCII look-alike of a one-column symbol the explorer draws, if it has one.
  static func symbol(_ s: Unicode.Scalar) -> UInt8? {
    let c: Character? =
      switch s.value {
      // Box drawing: lines, then corners, tees and crosses.
      case 0x2500, 0x2501, 0x2504, 0x2505, 0x2508, 0x2509, 0x254C, 0x254D, 0x2550, 0x2574, 0x2576, 0x2578, 0x257A, 0x257C, 0x257E: "-"
      case 0x2502, 0x2503, 0x2506, 0x2507, 0x250A, 0x250B, 0x254E, 0x254F, 0x2551, 0x2575, 0x2577, 0x2579, 0x257B, 0x257D, 0x257F: "|"
      case 0x2500...0x257F: "+"
      // Block elements: the time strip's bars by height, the loading bar's filled and empty parts.
      case 0x2581...0x2583: "."
      case 0x2584...0x2586: ":"
      case 0x2587, 0x2588, 0x2593: "#"
      case 0x2592: "="
      case 0x2591: "-"
      // Marks and arrows.
      case 0x25B2, 0x25B4, 0x2191: "^"
      case 0x25BC, 0x25BE, 0x2193: "v"
      case 0x25B6, 0x25B8, 0x25BA, 0x203A, 0x2192: ">"
      case 0x25C0, 0x25C2, 0x25C4, 0x2039, 0x2190: "<"
      case 0x25CF, 0x2022, 0x25A0, 0x25C6: "*"
      case 0x25CB, 0x25E6, 0x25A1, 0x25C7: "o"
      // Braille dots, which count events in a cell of the timeline: the number of dots.
      case 0x2801...0x28FF: Character(String(min(9, (s.value - 0x2800).nonzeroBitCount)))
      // The user's mark and note.
      case 0x2605: "+"
      case 0x270E: "n"
      // Punctuation the explorer writes.
      case 0x2026: "~"
      case 0x00B7, 0x2013, 0x2014: "-"
      case 0x201C, 0x201D, 0x201E: "\""
      case 0x2018, 0x2019: "'"
      case 0x00D7: "x"
      default: nil
      }
    return c?.asciiValue
  }
}
