/// The 16 named terminal colours. Using the names (not RGB) keeps the user's own palette and background.
public enum Color: UInt8, Hashable, Sendable, CaseIterable {
  case black, red, green, yellow, blue, magenta, cyan, white
  case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite
}

/// How a cell is drawn. Colours are optional decoration: every meaning also has an attribute or a
/// character (selection is reverse video, matches are underlined and marked), so `NO_COLOR` loses
/// nothing but hue.
public struct Style: Hashable, Sendable {
  public var foreground: Color?
  public var background: Color?
  public var bold = false
  public var dim = false
  public var underline = false
  public var reverse = false

  public init(
    foreground: Color? = nil, background: Color? = nil, bold: Bool = false, dim: Bool = false,
    underline: Bool = false, reverse: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.dim = dim
    self.underline = underline
    self.reverse = reverse
  }

  public static let plain = Style()

  /// The style with colours removed (for `NO_COLOR`).
  public var withoutColor: Style {
    var s = self
    s.foreground = nil
    s.background = nil
    return s
  }

  /// This style drawn over `base`: attributes add up, colours replace where set.
  public func over(_ base: Style) -> Style {
    Style(
      foreground: foreground ?? base.foreground, background: background ?? base.background,
      bold: bold || base.bold, dim: dim || base.dim, underline: underline || base.underline,
      reverse: reverse || base.reverse)
  }
}
