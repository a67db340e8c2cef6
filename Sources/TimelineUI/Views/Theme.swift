import TimelineCore

/// The explorer's styles. Colours are the terminal's own named colours on its own background, and no
/// meaning rests on colour alone: selection is reverse video, search matches carry `*` and the words
/// that matched are bold and underlined, confidence has its own mark (● ○ ? !), the time strip marks
/// the selection with ▲.
enum Theme {
  static let title = Style(bold: true)
  static let dim = Style(dim: true)
  static let label = Style(foreground: .cyan, bold: true)
  static let selected = Style(reverse: true)
  static let match = Style(foreground: .yellow, underline: true)
  /// A row the search matches (with its `*`); the words that matched are `hit`.
  static let matchRow = Style(foreground: .yellow)
  /// The words a search matched, inside a row or the detail.
  static let hit = Style(foreground: .yellow, bold: true, underline: true)
  static let yearHeading = Style(foreground: .cyan, bold: true)
  static let monthHeading = Style(foreground: .cyan)
  static let codes = Style(foreground: .blue)
  static let message = Style(foreground: .yellow, bold: true)
  static let key = Style(bold: true)
  static let border = Style(foreground: .brightBlack)
  static let notes = Style(foreground: .magenta)
  static let filterOn = Style(foreground: .green, bold: true)
  static let spark = Style(foreground: .green)
  static let sparkOutside = Style(foreground: .green, dim: true)
  static let marker = Style(foreground: .yellow, bold: true)
  static let era = Style(foreground: .magenta)

  static func confidence(_ c: Confidence) -> Style {
    switch c {
    case .confirmed: Style(foreground: .green)
    case .reported: Style(foreground: .blue)
    case .rumoured: Style(foreground: .yellow, bold: true)
    case .disputed: Style(foreground: .red, bold: true)
    }
  }

  /// Spark line levels 0...8.
  static let sparkChars: [String] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
}
