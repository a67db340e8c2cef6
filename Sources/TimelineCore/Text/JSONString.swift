/// Decoding of raw JSON string content (what lies between the quotes) into text.
///
/// The scanner has already validated the content, so these functions only translate; they still never
/// trap on bad input (a document read back from a file that changed on disk may no longer be valid),
/// and give U+FFFD instead.
enum JSONString {
  /// Appends the UTF-8 bytes that `raw` stands for.
  ///
  /// Runs without a backslash are copied whole (found eight bytes at a time), escapes decoded by table:
  /// search and the word index unescape every title and summary of a file written with escapes.
  static func unescape(_ raw: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
    let n = raw.count
    guard n > 0, let src = raw.baseAddress else { return }
    let start = out.count
    out.append(contentsOf: repeatElement(0, count: roomNeeded(n)))
    let hex = ByteScan.hexTable
    let written = out.withUnsafeMutableBufferPointer { buffer in decode(src, n, into: buffer.baseAddress! + start, hex: hex) }
    out.removeLast(roomNeeded(n) - written)
  }

  /// The room `decode` needs for `n` raw bytes. Valid content never grows (an escape of 2, 6 or 12
  /// bytes gives at most 1, 3 or 4), but in content that is not valid an escape cut short (`\u`, or a
  /// backslash at the end) gives U+FFFD, three bytes for one or two.
  static func roomNeeded(_ n: Int) -> Int { n + n / 2 + 3 }

  /// Decodes `n` raw bytes at `src` into `dst` (with `roomNeeded(n)` bytes of room); returns how many bytes
  /// it wrote. `hex` is `ByteScan.hexTable`.
  static func decode(_ src: UnsafePointer<UInt8>, _ n: Int, into dst: UnsafeMutablePointer<UInt8>, hex: UnsafePointer<UInt32>) -> Int {
    var i = 0
    var o = 0
    while i < n {
      // The run up to the next backslash.
      var j = i
      while j + 8 <= n {
        let k = ByteScan.firstBackslash(src + j)
        j += k
        if k < 8 { break }
      }
      while j < n && src[j] != UInt8(ascii: "\\") { j += 1 }
      if j > i {
        (dst + o).update(from: src + i, count: j - i)
        o += j - i
        i = j
      }
      guard i < n else { break }
      guard i + 1 < n else {
        o += put(0xFFFD, dst + o)
        break
      }
      let e = src[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "n"): dst[o] = 0x0A; o += 1
      case UInt8(ascii: "t"): dst[o] = 0x09; o += 1
      case UInt8(ascii: "r"): dst[o] = 0x0D; o += 1
      case UInt8(ascii: "b"): dst[o] = 0x08; o += 1
      case UInt8(ascii: "f"): dst[o] = 0x0C; o += 1
      case UInt8(ascii: "u"):
        guard i + 4 <= n, case let unit = ByteScan.hex4(src + i, hex), unit <= 0xFFFF else {
          o += put(0xFFFD, dst + o)
          continue
        }
        i += 4
        if unit >= 0xD800 && unit <= 0xDBFF, i + 6 <= n, src[i] == UInt8(ascii: "\\"), src[i + 1] == UInt8(ascii: "u"),
          case let low = ByteScan.hex4(src + i + 2, hex), low >= 0xDC00 && low <= 0xDFFF
        {
          i += 6
          o += put(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), dst + o)
        } else if unit >= 0xD800 && unit <= 0xDFFF {
          o += put(0xFFFD, dst + o)
        } else {
          o += put(unit, dst + o)
        }
      default:  // \" \\ \/
        dst[o] = e
        o += 1
      }
    }
    return o
  }

  /// Writes a scalar's UTF-8 at `p` (U+FFFD for a value that is not a scalar); returns its length.
  @inline(__always) static func put(_ v: UInt32, _ p: UnsafeMutablePointer<UInt8>) -> Int {
    switch v {
    case 0..<0x80:
      p[0] = UInt8(v)
      return 1
    case 0x80..<0x800:
      p[0] = UInt8(0xC0 | v >> 6)
      p[1] = UInt8(0x80 | v & 0x3F)
      return 2
    case 0x800..<0x10000:
      if v & 0xF800 == 0xD800 { return put(0xFFFD, p) }
      p[0] = UInt8(0xE0 | v >> 12)
      p[1] = UInt8(0x80 | (v >> 6) & 0x3F)
      p[2] = UInt8(0x80 | v & 0x3F)
      return 3
    case 0x10000..<0x110000:
      p[0] = UInt8(0xF0 | v >> 18)
      p[1] = UInt8(0x80 | (v >> 12) & 0x3F)
      p[2] = UInt8(0x80 | (v >> 6) & 0x3F)
      p[3] = UInt8(0x80 | v & 0x3F)
      return 4
    default: return put(0xFFFD, p)
    }
  }

  static func string(_ raw: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String {
    if !escaped { return String(decoding: raw, as: UTF8.self) }
    var bytes: [UInt8] = []
    unescape(raw, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
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
