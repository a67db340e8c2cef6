/// The 16 named terminal colours. Using the names (not RGB) keeps the user's own palette and background.
public enum Color: UInt8, Hashable, Sendable, CaseIterable {
  case black, red, green, yellow, blue, magenta, cyan, white
  case brightBlack, brightRed, brightGreen, brightYellow, brightBlue, brightMagenta, brightCyan, brightWhite
}

/// How a cell is drawn. Colours are optional decoration: every meaning also has an attribute or a
/// character (selection is reverse video, matches are underlined and marked), so `NO_COLOR` loses
/// nothing but hue.
public struct Style: Hashable, Sendable {
  /// Packed: bits 0-4 foreground (0 = terminal default, else colour + 1), bits 5-9 background,
  /// then bold, dim, underline, reverse. Two bytes, so cells stay small and compare as integers.
  private var raw: UInt16 = 0

  public var foreground: Color? {
    get { Self.color(raw & 0x1F) }
    set { raw = raw & ~0x1F | Self.code(newValue) }
  }
  public var background: Color? {
    get { Self.color(raw >> 5 & 0x1F) }
    set { raw = raw & ~(0x1F << 5) | Self.code(newValue) << 5 }
  }
  public var bold: Bool {
    get { raw & 1 << 10 != 0 }
    set { raw = newValue ? raw | 1 << 10 : raw & ~(1 << 10) }
  }
  public var dim: Bool {
    get { raw & 1 << 11 != 0 }
    set { raw = newValue ? raw | 1 << 11 : raw & ~(1 << 11) }
  }
  public var underline: Bool {
    get { raw & 1 << 12 != 0 }
    set { raw = newValue ? raw | 1 << 12 : raw & ~(1 << 12) }
  }
  public var reverse: Bool {
    get { raw & 1 << 13 != 0 }
    set { raw = newValue ? raw | 1 << 13 : raw & ~(1 << 13) }
  }

  private static func color(_ code: UInt16) -> Color? { code == 0 ? nil : Color(rawValue: UInt8(code - 1)) }
  private static func code(_ color: Color?) -> UInt16 { color.map { UInt16($0.rawValue) + 1 } ?? 0 }

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
    s.raw &= ~0x3FF
    return s
  }

  /// This style drawn over `base`: attributes add up, colours replace where set.
  public func over(_ base: Style) -> Style {
    var s = base
    s.raw |= raw & 0x3C00
    if raw & 0x1F != 0 { s.raw = s.raw & ~0x1F | raw & 0x1F }
    if raw & 0x3E0 != 0 { s.raw = s.raw & ~0x3E0 | raw & 0x3E0 }
    return s
  }

  /// Whether any colour is set.
  public var hasColor: Bool { raw & 0x3FF != 0 }

  /// This style as a terminal with `colors` colours can show it. From 16 colours on, unchanged. With 8
  /// (`TERM=xterm`, `linux`, `vt100`), a bright colour becomes its normal one in bold, except bright
  /// black (the grey of borders, separators and year rules), which becomes the terminal's own text
  /// colour, dimmed: bold black vanishes on a dark background wherever bold is not drawn brighter, and
  /// white would vanish on a light one; the terminal's own colour is readable on both.
  public func forTerminal(colors: Int) -> Style {
    guard colors < 16 else { return self }
    var s = self
    if let fg = foreground, fg.rawValue >= 8 {
      if fg == .brightBlack {
        s.foreground = nil
        s.dim = true
      } else {
        s.foreground = Color(rawValue: fg.rawValue - 8)
        s.bold = true
      }
    }
    if let bg = background, bg.rawValue >= 8 { s.background = Color(rawValue: bg.rawValue - 8) }
    return s
  }
}
