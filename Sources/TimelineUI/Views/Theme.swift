import TimelineCore

/// The explorer's styles, by role. Colours are the terminal's own named colours on its own background,
/// and no meaning rests on colour alone: selection is reverse video, search matches carry `*` and the
/// words that matched are bold and underlined, confidence has its own mark (● ○ ? !), the time strip
/// marks the selection with ▲.
///
/// Two presets: `dark` (the default, for light text on a dark background) and `light` (no yellow or
/// cyan text, which fade on white). A configuration file picks one and may restyle single roles; the
/// state carries the theme (`AppState.theme`), and `draw` makes it the one the views' `Theme.role`
/// accessors read while it draws (a task-local value, so that views need no theme parameter and tests
/// drawing in parallel each see their own).
public struct Theme: Hashable, Sendable {
  /// Every role a configuration file may restyle, by the name it uses there.
  public enum Role: String, CaseIterable, Sendable {
    case title, dim, label, selected, match
    /// A row the search matches (with its `*`); the words that matched are `hit`.
    case matchRow = "match-row"
    /// The words a search matched, inside a row or the detail.
    case hit
    case yearHeading = "year-heading", monthHeading = "month-heading"
    case codes, message, key, border, notes
    case filterOn = "filter-on"
    case spark
    case sparkOutside = "spark-outside"
    case marker, era, confirmed, reported, rumoured, disputed
    /// A date range being brushed on the time strip.
    case brush
    /// The user's marks (★) and notes: theirs, not the data's.
    case userMark = "user-mark", userNote = "user-note"
    /// Addresses in the detail pane (links where the terminal understands them).
    case link
    /// Marks and bars in the timeline's lanes.
    case lane
  }

  private var styles: [Role: Style]

  public subscript(role: Role) -> Style {
    get { styles[role] ?? .plain }
    set { styles[role] = newValue }
  }

  public static let dark = Theme(styles: [
    .title: Style(bold: true),
    .dim: Style(dim: true),
    .label: Style(foreground: .cyan, bold: true),
    .selected: Style(reverse: true),
    .match: Style(foreground: .yellow, underline: true),
    .matchRow: Style(foreground: .yellow),
    .hit: Style(foreground: .yellow, bold: true, underline: true),
    .yearHeading: Style(foreground: .cyan, bold: true),
    .monthHeading: Style(foreground: .cyan),
    .codes: Style(foreground: .blue),
    .message: Style(foreground: .yellow, bold: true),
    .key: Style(bold: true),
    .border: Style(foreground: .brightBlack),
    .notes: Style(foreground: .magenta),
    .filterOn: Style(foreground: .green, bold: true),
    .spark: Style(foreground: .green),
    .sparkOutside: Style(foreground: .green, dim: true),
    .marker: Style(foreground: .yellow, bold: true),
    .era: Style(foreground: .magenta),
    .brush: Style(foreground: .yellow, reverse: true),
    .confirmed: Style(foreground: .green),
    .reported: Style(foreground: .blue),
    .rumoured: Style(foreground: .yellow, bold: true),
    .disputed: Style(foreground: .red, bold: true),
    .userMark: Style(foreground: .yellow, bold: true),
    .userNote: Style(foreground: .green),
    .link: Style(foreground: .blue, underline: true),
    .lane: Style(foreground: .cyan),
  ])

  /// For dark text on a light background: yellow and cyan become blue, magenta and red.
  public static let light: Theme = {
    var t = Theme.dark
    t[.label] = Style(foreground: .blue, bold: true)
    t[.match] = Style(foreground: .magenta, underline: true)
    t[.matchRow] = Style(foreground: .magenta)
    t[.hit] = Style(foreground: .magenta, bold: true, underline: true)
    t[.yearHeading] = Style(foreground: .blue, bold: true)
    t[.monthHeading] = Style(foreground: .blue)
    t[.message] = Style(foreground: .red, bold: true)
    t[.marker] = Style(foreground: .red, bold: true)
    t[.brush] = Style(foreground: .red, reverse: true)
    t[.rumoured] = Style(foreground: .magenta, bold: true)
    t[.userMark] = Style(foreground: .red, bold: true)
    t[.lane] = Style(foreground: .blue)
    return t
  }()

  /// The preset for the background a terminal announces in `COLORFGBG` ("15;0", "0;15", "0;default;15":
  /// the last field is the background's colour number), as rxvt, Konsole and others set it: light for
  /// white and the bright colours (7, 9-15), dark for black and the dim ones (0-6, 8), nil when it does not
  /// say (unset, "default", anything else), so that a file's `theme` or the dark default decides.
  public static func preset(colorFGBG: String?) -> Theme? {
    guard let value = colorFGBG, let last = value.split(separator: ";", omittingEmptySubsequences: false).last,
      let n = Int(last), (0...15).contains(n)
    else { return nil }
    return n == 7 || n >= 9 ? .light : .dark
  }

  /// The presets by the names a configuration file uses.
  public static let presets: [String: Theme] = ["dark": .dark, "light": .light]

  /// The theme the views draw with: the state's, while `draw` runs.
  @TaskLocal static var current = Theme.dark

  static var title: Style { current[.title] }
  static var dim: Style { current[.dim] }
  static var label: Style { current[.label] }
  static var selected: Style { current[.selected] }
  static var match: Style { current[.match] }
  static var matchRow: Style { current[.matchRow] }
  static var hit: Style { current[.hit] }
  static var yearHeading: Style { current[.yearHeading] }
  static var monthHeading: Style { current[.monthHeading] }
  static var codes: Style { current[.codes] }
  static var message: Style { current[.message] }
  static var key: Style { current[.key] }
  static var border: Style { current[.border] }
  static var notes: Style { current[.notes] }
  static var filterOn: Style { current[.filterOn] }
  static var spark: Style { current[.spark] }
  static var sparkOutside: Style { current[.sparkOutside] }
  static var marker: Style { current[.marker] }
  static var era: Style { current[.era] }
  static var brush: Style { current[.brush] }
  static var userMark: Style { current[.userMark] }
  static var userNote: Style { current[.userNote] }
  static var link: Style { current[.link] }
  static var lane: Style { current[.lane] }

  static func confidence(_ c: Confidence) -> Style {
    switch c {
    case .confirmed: current[.confirmed]
    case .reported: current[.reported]
    case .rumoured: current[.rumoured]
    case .disputed: current[.disputed]
    }
  }

  /// Spark line levels 0...8.
  static let sparkChars: [String] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
}
