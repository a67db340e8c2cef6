/// Decoding of raw JSON string content (what lies between the quotes) into text.
///
/// The scanner has already validated the content, so these functions only translate; they still never
/// trap on bad input (a document read back from a file that changed on disk may no longer be valid),
/// and give U+FFFD instead.
enum JSONString {
  /// Appends the UTF-8 bytes that `raw` stands for.
  static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    var i = 0
    let n = raw.count
    out.reserveCapacity(out.count + n)
    while i < n {
      let b = raw[i]
      if b != UInt8(ascii: "\\") {
        out.append(b)
        i += 1
        continue
      }
      guard i + 1 < n else {
        appendScalar(0xFFFD, &out)
        return
      }
      let e = raw[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "u"):
        guard let unit = hex4(raw, i) else {
          appendScalar(0xFFFD, &out)
          continue
        }
        i += 4
        if unit >= 0xD800 && unit <= 0xDBFF, i + 6 <= n, raw[i] == UInt8(ascii: "\\"),
          raw[i + 1] == UInt8(ascii: "u"), let low = hex4(raw, i + 2), low >= 0xDC00 && low <= 0xDFFF
        {
          i += 6
          appendScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), &out)
        } else if unit >= 0xD800 && unit <= 0xDFFF {
          appendScalar(0xFFFD, &out)
        } else {
          appendScalar(unit, &out)
        }
      default: out.append(e)  // \" \\ \/
      }
    }
  }

  static func string(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
    if !escaped { return String(decoding: raw, as: UTF8.self) }
    var bytes: [UInt8] = []
    unescape(raw, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
    guard at + 4 <= raw.count else { return nil }
    var v: UInt32 = 0
    for k in 0..<4 {
      let b = raw[at + k]
      let d: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - 48)
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - 87)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - 55)
      default: return nil
      }
      v = v << 4 | d
    }
    return v
  }

  static func appendScalar(_ v: UInt32, _ out: inout [UInt8]) {
    let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
    out.append(contentsOf: UTF8.encode(scalar)!)
  }

  /// Writes `s` as a JSON string literal, quotes included, escaping what JSON requires and every
  /// control character (C0, DEL, C1) and bidirectional override, so output stays safe to print.
  static func quoted(_ s: String) -> String {
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if TerminalSafety.isUnsafe(scalar) {
          out += "\\u" + String(scalar.value, radix: 16, uppercase: false).leftPadded(to: 4)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    out += "\""
    return out
  }
}

extension String {
  func leftPadded(to width: Int, with pad: Character = "0") -> String {
    count >= width ? self : String(repeating: pad, count: width - count) + self
  }
}
