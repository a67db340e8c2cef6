import Foundation

/// Terminal control sequences the explorer sends besides drawing: setting the clipboard (OSC 52) and
/// hyperlinks (OSC 8). Built here as bytes, so that tests check them exactly; the backend writes them.
///
/// Nothing from a data file reaches the terminal raw: the clipboard's text is base64, and a link's
/// address keeps only printable ASCII (anything else is percent-encoded).
public enum ControlSequence {
  /// OSC 52: put `text` on the system clipboard (`c`). Terminals that support it (xterm, kitty,
  /// iTerm2, WezTerm, foot, Windows Terminal…) do so even over SSH. Inside tmux (`inTmux`) the same
  /// sequence is also sent wrapped for tmux's passthrough, since tmux takes OSC 52 from a program only
  /// with `set-clipboard on` and passes it on to the outer terminal only with `allow-passthrough on`:
  /// one of the two is enough.
  public static func clipboard(_ text: String, inTmux: Bool = false) -> [UInt8] {
    let plain: [UInt8] = Array("\u{1B}]52;c;".utf8) + Array(Data(text.utf8).base64EncodedString().utf8) + [0x07]
    guard inTmux else { return plain }
    // DCS tmux; <sequence with each ESC doubled> ST
    var wrapped: [UInt8] = Array("\u{1B}Ptmux;".utf8)
    for b in plain {
      if b == 0x1B { wrapped.append(0x1B) }
      wrapped.append(b)
    }
    wrapped += [0x1B, 0x5C]
    return plain + wrapped
  }

  /// The largest text sent to the clipboard: xterm refuses longer sequences, and a clipboard of
  /// megabytes from a terminal is not what anyone wants.
  public static let clipboardLimit = 74_994

  /// OSC 8: the text that follows is a link to `url`, until `hyperlinkEnd`.
  public static func hyperlinkStart(_ url: String) -> [UInt8] {
    Array("\u{1B}]8;;".utf8) + printableURL(url) + [0x1B, 0x5C]
  }

  public static let hyperlinkEnd: [UInt8] = Array("\u{1B}]8;;\u{1B}\\".utf8)

  /// The address with every byte outside printable ASCII (and the space) percent-encoded.
  static func printableURL(_ url: String) -> [UInt8] {
    var out: [UInt8] = []
    let hex = Array("0123456789ABCDEF".utf8)
    for b in url.utf8 {
      if b > 0x20 && b < 0x7F {
        out.append(b)
      } else {
        out += [0x25, hex[Int(b >> 4)], hex[Int(b & 15)]]
      }
    }
    return out
  }
}
