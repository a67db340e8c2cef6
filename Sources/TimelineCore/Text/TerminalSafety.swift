/// Makes untrusted text safe to print on a terminal.
///
/// A timeline file comes from anyone. Printed raw, an ESC could retitle the window, move the cursor or
/// rewrite the screen, and a bidirectional override could make text read differently from what it is.
/// Every string from a data file goes through `sanitized` before it reaches a terminal, in the explorer
/// and in `timeline list` text and Markdown output; each unsafe character becomes a visible placeholder.
public enum TerminalSafety {
  /// C0 controls, DEL, C1 controls, the bidirectional embeddings, overrides and isolates, and the line
  /// and paragraph separators (which some terminals treat as line ends).
  @inline(__always)
  public static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
    let v = s.value
    return v < 0x20 || (v >= 0x7F && v <= 0x9F) || (v >= 0x202A && v <= 0x202E)
      || (v >= 0x2066 && v <= 0x2069) || v == 0x2028 || v == 0x2029
  }

  /// The visible stand-in for an unsafe character: a Control Pictures symbol for C0 and DEL (`␛` for
  /// ESC, `␤` for a line feed), and `�` for the rest.
  public static func placeholder(for s: Unicode.Scalar) -> Unicode.Scalar {
    let v = s.value
    if v == 0x0A { return "\u{2424}" }  // ␤
    if v < 0x20 { return Unicode.Scalar(0x2400 + v)! }
    if v == 0x7F { return "\u{2421}" }  // ␡
    return "\u{FFFD}"
  }

  /// The text with every unsafe character replaced by its placeholder.
  public static func sanitized(_ text: String) -> String {
    // Most text is clean; check first so the common case does not copy.
    guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
    var out = String.UnicodeScalarView()
    for s in text.unicodeScalars { out.append(isUnsafe(s) ? placeholder(for: s) : s) }
    return String(out)
  }
}
