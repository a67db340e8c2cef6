/// A JSON syntax error at a byte offset; the decoder turns the offset into a line and column.
struct SyntaxError: Error {
  var offset: Int
  var message: String
}

/// The kind of JSON value that starts at a position, for "expected X, found Y" messages.
enum JSONKind: String {
  case object = "an object", array = "an array", string = "a string", number = "a number"
  case bool = "true or false", null = "null", invalid = "an invalid value"
}

/// A forward-only JSON tokenizer over bytes in memory.
///
/// Why hand-written: Foundation's `JSONDecoder` decodes about 14 MB/s here and reports no position;
/// a byte scanner runs about ten times faster and knows the offset of every token, which is what
/// positioned error messages need. Strings are not
/// materialised: `readString` validates a string (escapes, UTF-8, no raw control characters) and
/// returns where its raw content lies, so text can stay in the file until someone looks at it.
struct JSONScanner {
  let base: UnsafePointer<UInt8>
  let count: Int
  var pos: Int
  /// Nesting allowed in values the decoder skips (extension keys); deeper input is refused, not recursed.
  static let maxDepth = 64

  init(_ buffer: UnsafeBufferPointer<UInt8>, start: Int = 0) {
    // An empty buffer has no base address; point at a static byte so reads past `count` are never made.
    base = buffer.baseAddress ?? UnsafePointer(JSONScanner.emptyByte)
    count = buffer.count
    pos = start
  }

  nonisolated(unsafe) private static let emptyByte: UnsafeMutablePointer<UInt8> = {
    let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
    p.initialize(to: 0)
    return p
  }()

  @inline(__always) var atEnd: Bool { pos >= count }

  @inline(__always) func peek() -> UInt8? { pos < count ? base[pos] : nil }

  @inline(__always) mutating func skipWhitespace() {
    while pos < count {
      let b = base[pos]
      if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { pos += 1 } else { return }
    }
  }

  func kind(at p: Int) -> JSONKind {
    guard p < count else { return .invalid }
    switch base[p] {
    case UInt8(ascii: "{"): return .object
    case UInt8(ascii: "["): return .array
    case UInt8(ascii: "\""): return .string
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
    case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
    case UInt8(ascii: "n"): return .null
    default: return .invalid
    }
  }

  func describeByte(at p: Int) -> String {
    guard p < count else { return "the end of the file" }
    let b = base[p]
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return String(format: "byte 0x%02X", b)
  }

  mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws(SyntaxError) {
    skipWhitespace()
    guard pos < count, base[pos] == byte else {
      throw SyntaxError(offset: pos, message: "expected \(what()), found \(describeByte(at: pos))")
    }
    pos += 1
  }

  /// After a member or element: consumes `,` and returns true, or consumes `close` and returns false.
  mutating func commaOrClose(_ close: UInt8, _ what: @autoclosure () -> String) throws(SyntaxError) -> Bool {
    skipWhitespace()
    guard pos < count else {
      throw SyntaxError(offset: pos, message: "unexpected end of file: expected ',' or '\(Character(Unicode.Scalar(close)))' \(what())")
    }
    let b = base[pos]
    if b == UInt8(ascii: ",") {
      pos += 1
      return true
    }
    if b == close {
      pos += 1
      return false
    }
    throw SyntaxError(
      offset: pos,
      message: "expected ',' or '\(Character(Unicode.Scalar(close)))' \(what()), found \(describeByte(at: pos))")
  }

  /// Consumes `close` if it comes next (an empty object or array) and returns true.
  mutating func consumeIfClose(_ close: UInt8) -> Bool {
    skipWhitespace()
    if pos < count && base[pos] == close {
      pos += 1
      return true
    }
    return false
  }

  /// Reads a string starting at the opening quote (after whitespace) and returns its raw content.
  mutating func readString() throws(SyntaxError) -> TextRef {
    skipWhitespace()
    guard pos < count, base[pos] == UInt8(ascii: "\"") else {
      throw SyntaxError(offset: pos, message: "expected a string, found \(describeByte(at: pos))")
    }
    pos += 1
    let start = pos
    var escaped = false
    while true {
      // Fast path: printable ASCII that needs no attention.
      while pos < count {
        let b = base[pos]
        if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b >= 0x80 { break }
        pos += 1
      }
      guard pos < count else {
        throw SyntaxError(offset: start - 1, message: "unterminated string: the file ends before its closing quote")
      }
      let b = base[pos]
      if b == UInt8(ascii: "\"") {
        let length = pos - start
        pos += 1
        guard length <= TextRef.maxLength else {
          throw SyntaxError(offset: start - 1, message: "string of \(length) bytes is longer than the limit of \(TextRef.maxLength) bytes")
        }
        return TextRef(offset: start, length: length, escaped: escaped)
      } else if b == UInt8(ascii: "\\") {
        escaped = true
        try readEscape()
      } else if b >= 0x80 {
        try readUTF8Sequence()
      } else {
        let name = b == 0x0A ? "a raw line break" : b == 0x09 ? "a raw tab" : String(format: "control character 0x%02X", b)
        throw SyntaxError(offset: pos, message: "\(name) inside a string; write it as an escape such as \\n or \\u00XX")
      }
    }
  }

  private mutating func readEscape() throws(SyntaxError) {
    let at = pos
    pos += 1
    guard pos < count else { throw SyntaxError(offset: at, message: "unterminated escape at the end of the file") }
    switch base[pos] {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
      UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      pos += 1
    case UInt8(ascii: "u"):
      pos += 1
      let unit = try readHex4(escapeAt: at)
      if unit >= 0xD800 && unit <= 0xDBFF {
        // A high surrogate must be followed by an escaped low surrogate.
        guard pos + 1 < count, base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") else {
          throw SyntaxError(offset: at, message: "unpaired surrogate \\u\(hex4(unit)): a high surrogate must be followed by a low one")
        }
        let second = pos
        pos += 2
        let low = try readHex4(escapeAt: second)
        guard low >= 0xDC00 && low <= 0xDFFF else {
          throw SyntaxError(offset: second, message: "unpaired surrogate \\u\(hex4(unit)) followed by \\u\(hex4(low))")
        }
      } else if unit >= 0xDC00 && unit <= 0xDFFF {
        throw SyntaxError(offset: at, message: "unpaired surrogate \\u\(hex4(unit))")
      }
    default:
      throw SyntaxError(offset: at, message: "invalid escape \\\(describeEscapeChar(base[pos])) in a string")
    }
  }

  private func describeEscapeChar(_ b: UInt8) -> String {
    b >= 0x21 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : String(format: "(byte 0x%02X)", b)
  }

  private func hex4(_ v: UInt32) -> String { String(format: "%04X", v) }

  private mutating func readHex4(escapeAt: Int) throws(SyntaxError) -> UInt32 {
    guard pos + 4 <= count else { throw SyntaxError(offset: escapeAt, message: "\\u escape needs four hex digits") }
    var v: UInt32 = 0
    for k in 0..<4 {
      let b = base[pos + k]
      let d: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw SyntaxError(offset: escapeAt, message: "\\u escape needs four hex digits")
      }
      v = v << 4 | d
    }
    pos += 4
    return v
  }

  /// Validates one multi-byte UTF-8 sequence (no overlongs, no surrogates, at most U+10FFFF) with the
  /// same automaton the streaming window runs (`UTF8DFA`), so both paths agree on every byte.
  private mutating func readUTF8Sequence() throws(SyntaxError) {
    let start = pos
    var state = UTF8DFA.step(UTF8DFA.accept, base[pos])
    if state == UTF8DFA.error {
      throw SyntaxError(offset: start, message: String(format: "invalid UTF-8: byte 0x%02X cannot start a character", base[pos]))
    }
    pos += 1
    while state != UTF8DFA.accept {
      guard pos < count else { throw SyntaxError(offset: start, message: "invalid UTF-8: the file ends inside a character") }
      state = UTF8DFA.step(state, base[pos])
      if state == UTF8DFA.error {
        throw SyntaxError(offset: start, message: String(format: "invalid UTF-8: byte 0x%02X is not a valid continuation", base[pos]))
      }
      pos += 1
    }
  }

  /// Skips any JSON value, checking its syntax; refuses nesting deeper than `maxDepth`.
  mutating func skipValue(depth: Int = 0) throws(SyntaxError) {
    skipWhitespace()
    guard pos < count else { throw SyntaxError(offset: pos, message: "unexpected end of file: expected a value") }
    if depth > Self.maxDepth {
      throw SyntaxError(offset: pos, message: "values nested deeper than \(Self.maxDepth) levels")
    }
    switch base[pos] {
    case UInt8(ascii: "\""):
      _ = try readString()
    case UInt8(ascii: "{"):
      pos += 1
      if consumeIfClose(UInt8(ascii: "}")) { return }
      repeat {
        _ = try readString()
        try expect(UInt8(ascii: ":"), "':' after a key")
        try skipValue(depth: depth + 1)
      } while try commaOrClose(UInt8(ascii: "}"), "in an object")
    case UInt8(ascii: "["):
      pos += 1
      if consumeIfClose(UInt8(ascii: "]")) { return }
      repeat {
        try skipValue(depth: depth + 1)
      } while try commaOrClose(UInt8(ascii: "]"), "in an array")
    case UInt8(ascii: "t"): try literal("true")
    case UInt8(ascii: "f"): try literal("false")
    case UInt8(ascii: "n"): try literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try skipNumber()
    default:
      throw SyntaxError(offset: pos, message: "expected a value, found \(describeByte(at: pos))")
    }
  }

  private mutating func literal(_ word: StaticString) throws(SyntaxError) {
    let n = word.utf8CodeUnitCount
    let w = word.utf8Start
    guard pos + n <= count else { throw SyntaxError(offset: pos, message: "expected a value, found \(describeByte(at: pos))") }
    for k in 0..<n where base[pos + k] != w[k] {
      throw SyntaxError(offset: pos, message: "expected a value, found \(describeByte(at: pos))")
    }
    pos += n
  }

  private mutating func skipNumber() throws(SyntaxError) {
    let start = pos
    func isDigit(_ p: Int) -> Bool { p < count && base[p] >= UInt8(ascii: "0") && base[p] <= UInt8(ascii: "9") }
    if base[pos] == UInt8(ascii: "-") { pos += 1 }
    guard isDigit(pos) else { throw SyntaxError(offset: start, message: "malformed number") }
    if base[pos] == UInt8(ascii: "0") {
      pos += 1
      if isDigit(pos) { throw SyntaxError(offset: start, message: "malformed number: leading zero") }
    } else {
      while isDigit(pos) { pos += 1 }
    }
    if pos < count && base[pos] == UInt8(ascii: ".") {
      pos += 1
      guard isDigit(pos) else { throw SyntaxError(offset: start, message: "malformed number: no digit after '.'") }
      while isDigit(pos) { pos += 1 }
    }
    if pos < count && (base[pos] == UInt8(ascii: "e") || base[pos] == UInt8(ascii: "E")) {
      pos += 1
      if pos < count && (base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-")) { pos += 1 }
      guard isDigit(pos) else { throw SyntaxError(offset: start, message: "malformed number: no digit in the exponent") }
      while isDigit(pos) { pos += 1 }
    }
  }

  /// Whether the raw bytes of `ref` equal `word` (for matching keys without allocating).
  @inline(__always)
  func equals(_ ref: TextRef, _ word: StaticString) -> Bool {
    let n = word.utf8CodeUnitCount
    guard ref.length == n, !ref.escaped else { return false }
    return memcmp(base + ref.offset, word.utf8Start, n) == 0
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Foundation
